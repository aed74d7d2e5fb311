//! The inputs resolved (categories, join options, the style file) and read.

use std::path::Path;

use super::{ConfigError, DataSettings, ErrorKind};
use crate::join::{JoinError, JoinOptions, JoinReport};
use crate::output;
use crate::read::{self, FieldOptions, StyleFile};
use crate::status::{Categories, CategoryOptions, Color, StatusError, parse_assignment};
use crate::timeline::Timeline;

/// The inputs resolved: categories built, the join configured, the style file read.
#[derive(Debug, Clone)]
pub struct DataConfig {
    settings: DataSettings,
    /// The style file as given (a path or a shipped name) and as read.
    pub(super) style: Option<(String, StyleFile)>,
    categories: Categories,
    geometry: read::GeometryOptions,
}

/// The data a [`DataConfig`] read, ready for a map or a check.
#[derive(Debug)]
pub struct Inputs {
    /// The districts.
    pub boundaries: read::Boundaries,
    /// The merged timeline.
    pub timeline: Timeline,
    /// The categories.
    pub categories: Categories,
    /// The join's options, aliases and crosswalk read.
    pub join: JoinOptions,
}

pub(super) fn color(flag: &str, text: &str) -> Result<Color, ConfigError> {
    let option = format!("--{flag}");
    Color::parse(text).map_err(|e| ConfigError::usage(Some(&option), format!("{option}: {e}")))
}

/// A [`StatusError`] about options as a usage error naming its option.
fn status_usage(e: StatusError) -> ConfigError {
    let option = match &e {
        StatusError::UnknownCategory { option, .. } | StatusError::BadAssignment { option, .. } => {
            Some(*option)
        }
        StatusError::UnknownPreset(_) => Some("--preset"),
        _ => None,
    };
    let e = ConfigError::wrap(ErrorKind::Usage, e);
    match option {
        Some(o) => e.about(o),
        None => e,
    }
}

/// An output that cannot be written is a data problem; one that names an input, another
/// output or a device is a usage problem.
pub(crate) fn output_error(e: output::OutputError) -> ConfigError {
    match e {
        output::OutputError::Write { .. } => e.into(),
        e => ConfigError::wrap(ErrorKind::Usage, e),
    }
}

impl DataConfig {
    /// Reads the style file (`--style`) and resolves the rest.
    pub fn resolve(settings: &DataSettings) -> Result<DataConfig, ConfigError> {
        let style = load_style(settings)?;
        DataConfig::with_style(settings, style)
    }

    /// Builds the categories (the style file's before the flags), checks the join options.
    pub(super) fn with_style(
        settings: &DataSettings,
        style: Option<(String, StyleFile)>,
    ) -> Result<DataConfig, ConfigError> {
        let assignments = |option: &'static str, list: &[String]| {
            list.iter()
                .map(|a| parse_assignment(option, a).map_err(status_usage))
                .collect::<Result<Vec<_>, _>>()
        };
        let colors = assignments("--color", &settings.colors)?
            .into_iter()
            .map(|(k, v)| Ok((k, color("color", &v)?)))
            .collect::<Result<Vec<_>, ConfigError>>()?;
        let file = style.as_ref().map(|(_, f)| f);
        let categories = Categories::from_options(&CategoryOptions {
            preset: settings.preset.clone(),
            maps: assignments("--map", &settings.maps)?,
            colors,
            labels: assignments("--label", &settings.labels)?,
            style_preset: file.and_then(|f| f.categories.preset.clone()),
            styled: file
                .map(|f| f.categories.category.clone())
                .unwrap_or_default(),
            order: file
                .and_then(|f| f.legend.order.clone())
                .unwrap_or_default(),
        })
        .map_err(status_usage)?;
        if let Some(t) = settings.fuzzy
            && !(0.5..=1.0).contains(&t)
        {
            return Err(
                ConfigError::wrap(ErrorKind::Usage, JoinError::Threshold(t)).about("--fuzzy")
            );
        }
        let source_crs = source_crs(settings.source_crs.as_deref())?;
        Ok(DataConfig {
            settings: settings.clone(),
            style,
            categories,
            geometry: read::GeometryOptions {
                strict: settings.strict_geometry,
                source_crs,
            },
        })
    }

    /// The settings this was resolved from.
    pub fn settings(&self) -> &DataSettings {
        &self.settings
    }

    /// The categories, before any data is read.
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// Every input file with the option naming it: the data files, then `extra` (a map's
    /// own inputs), then the style file. The one list both the stdin check and the
    /// outputs-against-inputs checks use.
    pub fn inputs<'a>(
        &'a self,
        extra: &[(&'static str, &'a Path)],
    ) -> Vec<(&'static str, &'a Path)> {
        let s = &self.settings;
        std::iter::once(("--boundaries", s.boundaries.as_path()))
            .chain(s.aliases.as_deref().map(|p| ("--aliases", p)))
            .chain(s.crosswalk.as_deref().map(|p| ("--crosswalk", p)))
            .chain(s.status.iter().map(|p| ("--status", p.as_path())))
            .chain(extra.iter().copied())
            .chain(
                self.style
                    .as_ref()
                    .map(|(given, _)| ("--style", Path::new(given))),
            )
            .collect()
    }

    /// Refuses `outputs` (with `--report`) that name an input or each other or cannot be
    /// written, then reads every input: boundaries and timeline on two cores, aliases and
    /// crosswalk after.
    pub fn read(
        &self,
        extra: &[(&'static str, &Path)],
        outputs: &[(&str, &Path)],
    ) -> Result<Inputs, ConfigError> {
        let s = &self.settings;
        let inputs = self.inputs(extra);
        let outputs: Vec<(&str, &Path)> = outputs
            .iter()
            .copied()
            .chain(s.report.as_deref().map(|r| ("--report", r)))
            .collect();
        read::check_stdin_once(inputs.iter().copied()).map_err(|e| ConfigError::usage(None, e))?;
        output::check_distinct(&outputs, &inputs).map_err(output_error)?;
        for (_, out) in &outputs {
            output::check_writable(out).map_err(output_error)?;
        }
        let (boundaries, timeline) = rayon::join(
            || {
                read::read_boundaries(
                    &s.boundaries,
                    &FieldOptions {
                        id_field: s.id_field.clone(),
                        name_field: s.name_field.clone(),
                        province_field: s.province_field.clone(),
                        layer: s.layer.clone(),
                        geometry: self.geometry.clone(),
                    },
                )
            },
            || read::read_timelines(&s.status, &s.timeline),
        );
        let aliases = s
            .aliases
            .as_deref()
            .map(read::read_aliases)
            .transpose()
            .map_err(|e| ConfigError::from(e).about("--aliases"))?;
        let crosswalk = match (&s.crosswalk, &s.crosswalk_to) {
            (Some(path), Some(to)) => Some(
                read::read_crosswalk(path, &s.crosswalk_from, to)
                    .map_err(|e| ConfigError::from(e).about("--crosswalk"))?,
            ),
            _ => None,
        };
        Ok(Inputs {
            boundaries: boundaries.map_err(|e| ConfigError::from(e).about("--boundaries"))?,
            timeline: timeline.map_err(|e| ConfigError::from(e).about("--status"))?,
            categories: self.categories.clone(),
            join: JoinOptions {
                ambiguous: s.ambiguous,
                aliases,
                crosswalk,
                fuzzy: s.fuzzy,
            },
        })
    }

    /// Writes `--report` and enforces `--strict` (a data error when the join has problems).
    pub fn finish_join(&self, report: &JoinReport) -> Result<(), ConfigError> {
        let s = &self.settings;
        if let Some(path) = &s.report {
            let json = serde_json::to_vec_pretty(report).map_err(|e| {
                ConfigError::data(
                    Some("--report"),
                    format!("serialising the join report: {e}"),
                )
            })?;
            output::write_atomic(path, &json)?;
        }
        if s.strict && report.has_problems() {
            return Err(ConfigError::data(
                Some("--strict"),
                format!(
                    "--strict: the join has unmatched, ambiguous or conflicting rows (see above{}); no output written",
                    if s.report.is_some() {
                        " and the report"
                    } else {
                        ", or --report"
                    }
                ),
            ));
        }
        Ok(())
    }

    /// The timeline files as the messages name them.
    pub(super) fn status_list(&self) -> String {
        self.settings
            .status
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Parses `--source-crs` (a usage error when it names no CRS).
pub fn source_crs(text: Option<&str>) -> Result<Option<read::SourceCrs>, ConfigError> {
    text.map(|t| {
        read::SourceCrs::parse(t, read::CrsOrigin::Flag)
            .map_err(|e| ConfigError::usage(Some("--source-crs"), format!("--source-crs {e}")))
    })
    .transpose()
}

/// Reads `--style`, if given (a data problem when the file is bad).
pub(super) fn load_style(
    settings: &DataSettings,
) -> Result<Option<(String, StyleFile)>, ConfigError> {
    let Some(given) = &settings.style else {
        return Ok(None);
    };
    let file = read::load_style(given).map_err(|e| ConfigError::from(e).about("--style"))?;
    Ok(Some((given.clone(), file)))
}
