//! A series resolved and run: which dates, which output (files per date, an animation,
//! small multiples, a web page), which shard, then the frames and the manifest.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::dates::{DateSelection, Step, Template};
use super::{FileFormat, FrameRecord, Progress, RunOptions, SeriesError};
use crate::Map;
use crate::config::commands::counts_line;
use crate::config::{
    ConfigError, ErrorKind, MapConfig, MapSettings, Notice, Notices, When, output_error, parse_date,
};
use crate::output;
use crate::timeline::Date;

/// A series as given.
#[derive(Debug, Clone)]
pub struct SeriesSettings {
    /// The map.
    pub map: MapSettings,
    /// `--from`, unparsed.
    pub from: Option<String>,
    /// `--to`, unparsed.
    pub to: Option<String>,
    /// `--every`: 1d, 2w, 1m.
    pub every: Option<String>,
    /// `--dates`: a list, or `changes`.
    pub dates: Option<String>,
    /// `--max-frames`.
    pub max_frames: usize,
    /// `-o`: a file template, or one file (.gif, .png with `animate` or `grid`, .html).
    pub output: String,
    /// `--animate`: one APNG.
    pub animate: bool,
    /// `--frame-ms`.
    pub frame_ms: u32,
    /// `--hold-ms`.
    pub hold_ms: u32,
    /// `--grid COLSxROWS`.
    pub grid: Option<String>,
    /// `--manifest`.
    pub manifest: Option<PathBuf>,
    /// `--jobs` (0: every core).
    pub jobs: usize,
    /// `--skip-existing`.
    pub skip_existing: bool,
    /// `--shard K/N`.
    pub shard: Option<String>,
    /// How progress is shown.
    pub progress: Progress,
}

impl Default for SeriesSettings {
    fn default() -> SeriesSettings {
        SeriesSettings {
            map: MapSettings::default(),
            from: None,
            to: None,
            every: None,
            dates: None,
            max_frames: super::dates::MAX_FRAMES,
            output: String::new(),
            animate: false,
            frame_ms: 700,
            hold_ms: 2500,
            grid: None,
            manifest: None,
            jobs: 0,
            skip_existing: false,
            shard: None,
            progress: Progress::Quiet,
        }
    }
}

/// What a series writes.
#[derive(Debug, Clone)]
pub enum SeriesOutput {
    /// One file per date.
    Files(Template, FileFormat),
    /// One animation (GIF or APNG; needs the `animation` feature).
    #[cfg(feature = "animation")]
    Animation(super::animate::AnimationFormat),
    /// Small multiples: columns, rows, and whether the image is SVG (else PNG).
    Grid(usize, usize, bool),
    /// One interactive web page with a slider over the dates.
    Page,
}

/// A series resolved: everything the settings alone decide, checked.
#[derive(Debug, Clone)]
pub struct SeriesConfig {
    /// The map.
    pub map: MapConfig,
    /// What is written.
    pub kind: SeriesOutput,
    settings: SeriesSettings,
    from: Option<Date>,
    to: Option<Date>,
    step: Option<Step>,
    listed: Option<DateSelection>,
    shard: Option<(usize, usize)>,
}

fn no_dates() -> ConfigError {
    ConfigError::usage(
        None,
        "choose the dates: --every STEP (with --from/--to), --dates LIST or --dates changes",
    )
}

/// A [`SeriesError`] as a configuration error: usage problems stay usage problems, a signal
/// is an interruption, the rest is data.
fn series_error(e: SeriesError) -> ConfigError {
    let kind = match e {
        SeriesError::Usage(_) => ErrorKind::Usage,
        SeriesError::Interrupted { .. } => ErrorKind::Interrupted,
        _ => ErrorKind::Data,
    };
    ConfigError::wrap(kind, e)
}

/// A [`SeriesError`] met while running, where even its usage variant (a grid too small for
/// the page) has always been a data problem; a signal is still an interruption.
fn run_error(e: SeriesError) -> ConfigError {
    match e {
        SeriesError::Interrupted { .. } => series_error(e),
        e => ConfigError::wrap(ErrorKind::Data, e),
    }
}

impl SeriesConfig {
    /// Checks the output, shard, dates and jobs, then the map's options.
    pub fn resolve(settings: &SeriesSettings) -> Result<SeriesConfig, ConfigError> {
        let s = settings;
        let extension = Path::new(&s.output)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let kind = match (&s.grid, s.animate, extension.as_str()) {
            (Some(grid), false, "png" | "svg") => {
                let (c, r) = grid
                    .split_once('x')
                    .and_then(|(c, r)| Some((c.parse::<usize>().ok()?, r.parse::<usize>().ok()?)))
                    // The panel count must fit: 4294967296x4294967296 would wrap to 0 panels.
                    .filter(|(c, r)| *c > 0 && *r > 0 && c.checked_mul(*r).is_some_and(|n| n <= 10_000))
                    .ok_or_else(|| {
                        ConfigError::usage(
                            Some("--grid"),
                            format!("--grid `{grid}`: expected COLSxROWS, e.g. 4x2, with at most 10000 panels"),
                        )
                    })?;
                SeriesOutput::Grid(c, r, extension == "svg")
            }
            #[cfg(feature = "animation")]
            (None, false, "gif") => SeriesOutput::Animation(super::animate::AnimationFormat::Gif),
            #[cfg(feature = "animation")]
            (None, true, "png") => SeriesOutput::Animation(super::animate::AnimationFormat::Apng),
            #[cfg(not(feature = "animation"))]
            (None, false, "gif") | (None, true, "png") => {
                return Err(ConfigError::usage(
                    Some("--animate"),
                    "animations need controlmap built with the `animation` feature",
                ));
            }
            (None, false, "png") => SeriesOutput::Files(Template::new(&s.output), FileFormat::Png),
            (None, false, "svg") => SeriesOutput::Files(Template::new(&s.output), FileFormat::Svg),
            #[cfg(feature = "pdf")]
            (None, false, "pdf") => SeriesOutput::Files(Template::new(&s.output), FileFormat::Pdf),
            (None, false, "html" | "htm") => SeriesOutput::Page,
            _ => {
                return Err(ConfigError::usage(
                    Some("-o"),
                    format!(
                        "-o `{}`: expected a file template ending in .png, .svg or .pdf, a .gif, a .png with --animate, a .png/.svg with --grid, or an .html page",
                        s.output
                    ),
                ));
            }
        };
        let shard = s
            .shard
            .as_deref()
            .map(|text| {
                text.split_once('/')
                    .and_then(|(k, n)| Some((k.parse::<usize>().ok()?, n.parse::<usize>().ok()?)))
                    .filter(|(k, n)| *n > 0 && k < n)
                    .ok_or_else(|| {
                        ConfigError::usage(
                            Some("--shard"),
                            format!("--shard `{text}`: expected K/N with 0 ≤ K < N"),
                        )
                    })
            })
            .transpose()?;
        if shard.is_some() && !matches!(kind, SeriesOutput::Files(..)) {
            return Err(ConfigError::usage(
                Some("--shard"),
                "--shard splits a series of files; an animation or a grid is one file",
            ));
        }
        let from = s
            .from
            .as_deref()
            .map(|d| parse_date("from", d))
            .transpose()?;
        let to = s.to.as_deref().map(|d| parse_date("to", d)).transpose()?;
        let step = s
            .every
            .as_deref()
            .map(str::parse::<Step>)
            .transpose()
            .map_err(|e| series_error(e).about("--every"))?;
        let listed = s
            .dates
            .as_deref()
            .map(DateSelection::parse_list)
            .transpose()
            .map_err(|e| series_error(e).about("--dates"))?;
        if step.is_none() && listed.is_none() {
            return Err(no_dates());
        }
        super::check_jobs(s.jobs).map_err(|e| series_error(e).about("--jobs"))?;
        Ok(SeriesConfig {
            map: MapConfig::resolve(&s.map)?,
            kind,
            settings: s.clone(),
            from,
            to,
            step,
            listed,
            shard,
        })
    }

    /// The single-file output and the manifest, checked against the inputs when the map
    /// is read.
    fn outputs(&self) -> Vec<(&str, &Path)> {
        let single = match &self.kind {
            SeriesOutput::Files(..) => None,
            _ => Some(("-o", Path::new(&self.settings.output))),
        };
        single
            .into_iter()
            .chain(self.settings.manifest.as_deref().map(|m| ("--manifest", m)))
            .collect()
    }

    /// The series' dates, with the timeline's first and last standing in for a missing
    /// `--from`/`--to`.
    pub fn dates(&self, map: &Map) -> Result<Vec<Date>, ConfigError> {
        let timeline_dates = map.timeline().dates();
        let selection = match (&self.listed, self.step) {
            (Some(DateSelection::Changes { .. }), _) => DateSelection::Changes {
                from: self.from,
                to: self.to,
            },
            (Some(list), _) => list.clone(),
            (None, None) => return Err(no_dates()),
            (None, Some(step)) => {
                let (Some(from), Some(to)) = (
                    self.from.or(timeline_dates.first().copied()),
                    self.to.or(timeline_dates.last().copied()),
                ) else {
                    return Err(ConfigError::usage(
                        Some("--every"),
                        "--every needs --from and --to (the timeline has no dates)",
                    ));
                };
                DateSelection::Every { from, to, step }
            }
        };
        selection
            .dates(&map.change_dates(), self.settings.max_frames)
            .map_err(series_error)
    }

    /// Reads the data, renders every frame this shard is responsible for (stopping at the
    /// next safe point when `stop` is set), writes the manifest and tells what was written.
    pub fn run(
        &self,
        stop: &AtomicBool,
        notices: &mut Notices<'_>,
    ) -> Result<Vec<FrameRecord>, ConfigError> {
        let s = &self.settings;
        let map = self.map.load(When::Series, &self.outputs(), notices)?;
        let dates = self.dates(&map)?;
        if let Some(&first) = dates.first() {
            self.map
                .check_since(&map, first, "the first frame", notices)?;
        }
        let options = RunOptions {
            jobs: s.jobs,
            skip_existing: s.skip_existing,
            shard: self.shard,
            progress: s.progress,
        };
        let single = Path::new(&s.output);
        let records = match &self.kind {
            SeriesOutput::Files(template, format) => {
                let paths = template
                    .paths(&dates)
                    .map_err(|e| series_error(e).about("-o"))?;
                let inputs = self.map.inputs();
                let frames: Vec<(&str, &Path)> = paths
                    .iter()
                    .map(|p| ("-o", p.as_path()))
                    .chain(s.manifest.as_deref().map(|m| ("--manifest", m)))
                    .chain(
                        self.map
                            .data()
                            .settings()
                            .report
                            .as_deref()
                            .map(|r| ("--report", r)),
                    )
                    .collect();
                output::check_distinct(&frames, &inputs).map_err(output_error)?;
                super::render_files(&map, &dates, &paths, *format, &options, stop)
                    .map_err(run_error)?
            }
            #[cfg(feature = "animation")]
            SeriesOutput::Animation(format) => {
                use super::animate::{AnimationError, Timing};
                let (width, height) = crate::render::png::pixel_size(map.scene().style());
                let frames =
                    super::ordered_pixmaps(&map, &dates, s.jobs, stop).map_err(run_error)?;
                super::animate::write_animation(
                    single,
                    *format,
                    width,
                    height,
                    dates.len(),
                    frames,
                    Timing {
                        frame_ms: s.frame_ms,
                        last_frame_ms: s.hold_ms,
                    },
                )
                .map_err(|e| match e {
                    AnimationError::Frame(e) => run_error(e),
                    e => ConfigError::data(None, e),
                })?;
                super::records(&map, &dates)
            }
            SeriesOutput::Grid(cols, rows, svg) => {
                if dates.len() > cols * rows {
                    return Err(ConfigError::usage(
                        Some("--grid"),
                        format!(
                            "--grid {cols}x{rows} has {} panels for {} dates",
                            cols * rows,
                            dates.len()
                        ),
                    ));
                }
                let doc = super::grid::svg(&map, &dates, *cols, *rows)
                    .map_err(|e| run_error(e).about("--grid"))?;
                let bytes = if *svg {
                    doc.into_bytes()
                } else {
                    crate::render::png::render(&doc, map.scene().style())?
                };
                output::write_atomic(single, &bytes)?;
                super::records(&map, &dates)
            }
            SeriesOutput::Page => {
                let page = map
                    .web_page(&dates)
                    .map_err(|e| ConfigError::wrap(ErrorKind::Data, e))?;
                output::write_atomic(single, page.as_bytes())?;
                super::records(&map, &dates)
            }
        };
        if let Some(path) = &s.manifest {
            super::write_manifest(path, &records, &map).map_err(run_error)?;
        }
        let skipped = records.iter().filter(|r| r.skipped).count();
        let (Some(&first), Some(&last)) = (dates.first(), dates.last()) else {
            return Ok(records);
        };
        notices(Notice::summary(format!(
            "series: {} frames{} from {} to {} → {}{}",
            records.len(),
            self.shard.map_or(String::new(), |(k, n)| format!(
                " (shard {k}/{n} of {})",
                dates.len()
            )),
            first,
            last,
            s.output,
            if skipped > 0 {
                format!(" ({skipped} already there, left alone)")
            } else {
                String::new()
            }
        )));
        notices(Notice::summary(format!(
            "{last}: {}",
            counts_line(&map, last)
        )));
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(output: &str, animate: bool) -> ConfigError {
        SeriesConfig::resolve(&SeriesSettings {
            output: output.into(),
            animate,
            dates: Some("2021-01-01".into()),
            ..SeriesSettings::default()
        })
        .unwrap_err()
    }

    #[test]
    fn an_output_the_series_cannot_write_names_the_option() {
        let e = refused("frames.txt", false);
        assert_eq!(
            (e.kind, e.option.as_deref()),
            (ErrorKind::Usage, Some("-o"))
        );
        let e = SeriesConfig::resolve(&SeriesSettings {
            output: "a.png".into(),
            grid: Some("0x3".into()),
            ..SeriesSettings::default()
        })
        .unwrap_err();
        assert_eq!(e.option.as_deref(), Some("--grid"));
    }

    #[test]
    fn dates_must_be_chosen() {
        let e = SeriesConfig::resolve(&SeriesSettings {
            output: "{date}.svg".into(),
            ..SeriesSettings::default()
        })
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Usage);
        assert!(e.to_string().starts_with("choose the dates"), "{e}");
    }

    #[cfg(not(feature = "animation"))]
    #[test]
    fn without_the_animation_feature_an_animation_is_refused_naming_the_feature() {
        for (output, animate) in [("a.gif", false), ("a.png", true)] {
            let e = refused(output, animate);
            assert_eq!(e.kind, ErrorKind::Usage);
            assert!(e.to_string().contains("`animation` feature"), "{e}");
        }
    }
}
