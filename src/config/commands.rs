//! The one-map commands resolved and run: a map for one date (`render`), its numbers
//! (`stats`), and the check of the inputs (`check`). The series is in
//! [`crate::series::run`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    ConfigError, DataConfig, DataSettings, ErrorKind, MapConfig, MapSettings, Notice, Notices,
    When, parse_date,
};
use crate::Map;
use crate::output;
use crate::stats::Stats;
use crate::timeline::Date;

/// What one map is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// SVG.
    Svg,
    /// PNG.
    Png,
    /// Vector PDF, one page of the SVG's size (needs the `pdf` feature).
    #[cfg(feature = "pdf")]
    Pdf,
    /// One self-contained interactive web page.
    Html,
}

impl OutputKind {
    /// The kind `format` names, or else the one `output`'s extension names.
    pub fn resolve(output: &Path, format: Option<OutputKind>) -> Result<OutputKind, ConfigError> {
        if let Some(f) = format {
            return Ok(f);
        }
        let ext = output
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let is = |name: &str| ext.eq_ignore_ascii_case(name);
        match () {
            () if is("svg") => Ok(OutputKind::Svg),
            () if is("png") => Ok(OutputKind::Png),
            #[cfg(feature = "pdf")]
            () if is("pdf") => Ok(OutputKind::Pdf),
            #[cfg(not(feature = "pdf"))]
            () if is("pdf") => Err(ConfigError::usage(
                Some("--format"),
                "PDF output needs controlmap built with the `pdf` feature",
            )),
            () if is("html") || is("htm") => Ok(OutputKind::Html),
            () => Err(ConfigError::usage(
                Some("--format"),
                format!(
                    "cannot tell the output format of `{}`: use a .svg, .png, .pdf or .html name, or --format",
                    output.display()
                ),
            )),
        }
    }
}

/// `render` as given.
#[derive(Debug, Clone, Default)]
pub struct RenderSettings {
    /// The map.
    pub map: MapSettings,
    /// `--date`, unparsed.
    pub date: Option<String>,
    /// `-o`: the output file; `-` for stdout.
    pub output: PathBuf,
    /// `--format` (default: from the output's extension).
    pub format: Option<OutputKind>,
}

/// One map for one date, resolved.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    /// The map.
    pub map: MapConfig,
    /// The date, if given.
    pub date: Option<Date>,
    /// Where the map goes.
    pub output: PathBuf,
    /// What it is written as.
    pub kind: OutputKind,
}

/// The day a summary line names: the date, or `snapshot` for a timeline without dates.
fn when(map: &Map, date: Date) -> String {
    if map.timeline().dates().is_empty() {
        "snapshot".to_string()
    } else {
        date.to_string()
    }
}

/// The counts of a date as the summary prints them: `taliban 12, government 30`, no-data
/// only when there is some.
pub fn counts_line(map: &Map, date: Date) -> String {
    map.counts(date)
        .iter()
        .filter(|(k, n)| *n > 0 || k != "no-data")
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl RenderConfig {
    /// Checks everything the settings alone decide (output kind, date, the map's options).
    pub fn resolve(settings: &RenderSettings) -> Result<RenderConfig, ConfigError> {
        let kind = OutputKind::resolve(&settings.output, settings.format)?;
        let date = settings
            .date
            .as_deref()
            .map(|d| parse_date("date", d))
            .transpose()?;
        Ok(RenderConfig {
            map: MapConfig::resolve(&settings.map)?,
            date,
            output: settings.output.clone(),
            kind,
        })
    }

    /// Reads the data, draws the map and writes it atomically; nothing is written when
    /// `stop` is set before the write (a signal).
    pub fn run(&self, stop: &AtomicBool, notices: &mut Notices<'_>) -> Result<(), ConfigError> {
        let map = self
            .map
            .load(When::Date(self.date), &[("-o", &self.output)], notices)?;
        let bytes = self.bytes(&map, notices)?;
        if stop.load(Ordering::Relaxed) {
            return Err(ConfigError::message(
                ErrorKind::Interrupted,
                None,
                "interrupted: nothing written",
            ));
        }
        output::write_atomic(&self.output, &bytes)?;
        let date = self.map.date(&map, self.date)?;
        notices(Notice::summary(format!(
            "{}: {} → {} ({} KB)",
            when(&map, date),
            counts_line(&map, date),
            self.output.display(),
            bytes.len().div_ceil(1024)
        )));
        Ok(())
    }

    /// The map drawn, in memory, after the date checks.
    pub fn bytes(&self, map: &Map, notices: &mut Notices<'_>) -> Result<Vec<u8>, ConfigError> {
        let dates = map.timeline().dates();
        let date = self.map.date(map, self.date)?;
        self.map.check_since(map, date, "--date", notices)?;
        if let Some(&first) = dates.first()
            && date < first
        {
            notices(Notice::warning(format!(
                "warning: {date} is before the first record ({first}): every district is no data"
            )));
        }
        Ok(match self.kind {
            OutputKind::Svg => map.render_svg(date).into_bytes(),
            OutputKind::Png => map.render_png(date)?,
            #[cfg(feature = "pdf")]
            OutputKind::Pdf => map.render_pdf(date)?,
            OutputKind::Html => map
                .web_page(&[date])
                .map_err(|e| ConfigError::wrap(ErrorKind::Data, e))?
                .into_bytes(),
        })
    }
}

/// What `stats` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    /// One row per scope, province and category.
    Csv,
    /// The same, nested.
    Json,
}

/// `stats` as given.
#[derive(Debug, Clone, Default)]
pub struct StatsSettings {
    /// The map.
    pub map: MapSettings,
    /// `--date`, unparsed.
    pub date: Option<String>,
    /// `-o` (default: stdout).
    pub output: Option<PathBuf>,
    /// `--format` (default: json for a .json output, else csv).
    pub format: Option<StatsFormat>,
}

/// The numbers of one date, resolved.
#[derive(Debug, Clone)]
pub struct StatsConfig {
    /// The map.
    pub map: MapConfig,
    /// The date, if given.
    pub date: Option<Date>,
    /// Where they go; `-` for stdout.
    pub output: PathBuf,
    /// CSV or JSON.
    pub format: StatsFormat,
}

impl StatsConfig {
    /// Checks everything the settings alone decide.
    pub fn resolve(settings: &StatsSettings) -> Result<StatsConfig, ConfigError> {
        let output = settings.output.clone().unwrap_or_else(|| "-".into());
        let json_name = output
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let format = match (settings.format, json_name) {
            (Some(f), _) => f,
            (None, true) => StatsFormat::Json,
            (None, false) => StatsFormat::Csv,
        };
        let date = settings
            .date
            .as_deref()
            .map(|d| parse_date("date", d))
            .transpose()?;
        Ok(StatsConfig {
            map: MapConfig::resolve(&settings.map)?,
            date,
            output,
            format,
        })
    }

    /// Reads the data, counts, writes the CSV or JSON atomically and tells the national
    /// numbers.
    pub fn run(&self, notices: &mut Notices<'_>) -> Result<Stats, ConfigError> {
        let map = self
            .map
            .load(When::Date(self.date), &[("-o", &self.output)], notices)?;
        let date = self.map.date(&map, self.date)?;
        let snapshot = map.timeline().dates().is_empty();
        self.map.check_since(&map, date, "--date", notices)?;
        let stats = Stats::with_since(&map, (!snapshot).then_some(date), self.map.since());
        let bytes = match self.format {
            StatsFormat::Csv => {
                let mut bytes = Vec::new();
                stats
                    .write_csv(&mut bytes)
                    .map_err(|e| ConfigError::data(None, format!("writing the CSV: {e}")))?;
                bytes
            }
            StatsFormat::Json => {
                let mut bytes = serde_json::to_vec_pretty(&stats)
                    .map_err(|e| ConfigError::data(None, format!("serialising the stats: {e}")))?;
                bytes.push(b'\n');
                bytes
            }
        };
        output::write_atomic(&self.output, &bytes)?;
        stats_notices(&stats, notices);
        Ok(stats)
    }
}

/// The national numbers, the moves since `--since`, and districts without a province.
fn stats_notices(stats: &Stats, notices: &mut Notices<'_>) {
    let n = &stats.national;
    let shares: Vec<String> = n
        .categories
        .iter()
        .filter(|c| c.districts > 0 || c.category != "no-data")
        .map(|c| {
            format!(
                "{} {} ({:.1}% of area)",
                c.category,
                c.districts,
                100.0 * c.area_share
            )
        })
        .collect();
    notices(Notice::summary(format!(
        "{}: {} districts, {:.0} km²: {}",
        stats
            .date
            .map_or_else(|| "snapshot".to_string(), |d| d.to_string()),
        n.districts,
        n.area_km2,
        shares.join(", ")
    )));
    if let Some(since) = stats.since {
        let moves: Vec<String> = n
            .categories
            .iter()
            .map(|c| {
                let len = |l: &Option<Vec<_>>| l.as_ref().map_or(0, Vec::len);
                format!("{} +{} -{}", c.category, len(&c.entered), len(&c.left))
            })
            .collect();
        notices(Notice::summary(format!(
            "since {since}: {}",
            moves.join(", ")
        )));
    }
    let orphans = stats.districts_without_province();
    if orphans > 0 {
        notices(Notice::note(format!(
            "note: {orphans} district(s) have no province; their rows are under province `{}`",
            crate::stats::NO_PROVINCE
        )));
    }
}

/// `check`: reads the inputs and joins them without drawing. The caller shows the report,
/// then calls [`DataConfig::finish_join`] for `--report` and `--strict`.
pub fn check(settings: &DataSettings) -> Result<(DataConfig, crate::check::Check), ConfigError> {
    let config = DataConfig::resolve(settings)?;
    let inputs = config.read(&[], &[])?;
    let record_categories = inputs.categories.classify_timeline(&inputs.timeline)?;
    let join = crate::join::Join::new(
        &inputs.boundaries,
        &inputs.timeline,
        &record_categories,
        &inputs.join,
    )?;
    let report = crate::check::Check::new(
        &inputs.boundaries,
        &inputs.timeline,
        &inputs.categories,
        &record_categories,
        &join,
    );
    Ok((config, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_kind_comes_from_the_flag_then_the_extension() {
        let kind = |p: &str, f| OutputKind::resolve(Path::new(p), f);
        assert_eq!(kind("a.SVG", None).unwrap(), OutputKind::Svg);
        assert_eq!(kind("a.htm", None).unwrap(), OutputKind::Html);
        assert_eq!(
            kind("a.svg", Some(OutputKind::Png)).unwrap(),
            OutputKind::Png
        );
        let e = kind("a.map", None).unwrap_err();
        assert_eq!(
            (e.kind, e.option.as_deref()),
            (ErrorKind::Usage, Some("--format"))
        );
        assert!(e.to_string().contains("`a.map`"), "{e}");
    }

    #[cfg(not(feature = "pdf"))]
    #[test]
    fn without_the_pdf_feature_a_pdf_is_refused_naming_the_feature() {
        let e = OutputKind::resolve(Path::new("map.pdf"), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Usage);
        assert!(e.to_string().contains("`pdf` feature"), "{e}");
    }
}
