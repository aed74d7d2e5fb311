//! One resolved, validated configuration of a map, for the command line and for any program
//! that embeds the library.
//!
//! The model is ripgrep's split of raw arguments from resolved ones: [`MapSettings`] holds
//! what the user gave, as given (text, unchecked), with `None` where nothing was;
//! [`MapConfig::resolve`] applies the defaults, then the style file, then those settings,
//! and checks every value before any data file is read (the style file and the flags go
//! through the same range check, [`crate::render::limits`]). [`MapConfig::load`] then reads
//! the inputs and builds the [`Map`]. Every error is a [`ConfigError`] naming the option
//! and saying whether it is a usage or a data problem, which is how the command line picks
//! its exit code; warnings go to a [`Notices`] sink as they happen.
//!
//! ```no_run
//! use controlmap::config::{MapConfig, MapSettings, notice};
//!
//! let mut settings = MapSettings::default();
//! settings.data.boundaries = "../shared/data/taliban-takeover-2021/combined.json".into();
//! settings.data.status = vec!["../shared/data/taliban-takeover-2021/taliban_takeover.csv".into()];
//! settings.data.style = Some("nyt".into());
//! settings.style.simplify = Some(0.2);
//! let config = MapConfig::resolve(&settings)?;
//! let map = config.load(controlmap::config::When::Series, &[], &mut notice::ignore)?;
//! # Ok::<(), controlmap::config::ConfigError>(())
//! ```

pub mod commands;
mod data;
mod error;
pub mod notice;
mod settings;

use std::path::Path;

use geo::Rect;

pub(crate) use data::output_error;
pub use data::{DataConfig, Inputs, source_crs};
use data::{color, load_style};
pub use error::{ConfigError, ErrorKind};
pub use notice::{Notice, NoticeKind, Notices};
pub use settings::{DataSettings, MapSettings, StyleSettings, TextSettings};

use crate::map::Captured;
use crate::read::{self, StyleFile};
use crate::render::change::Since;
use crate::render::zoom::Extent;
use crate::render::{RenderError, Style, Text, template};
use crate::status::{Categories, StatusError};
use crate::timeline::{Date, Timeline};
use crate::{Map, MapOptions, project};

/// A map's configuration, resolved and checked; [`MapConfig::load`] reads the data.
#[derive(Debug, Clone)]
pub struct MapConfig {
    settings: MapSettings,
    data: DataConfig,
    style: Style,
    /// The font files of the typeface, with the option naming each.
    fonts: FontFiles,
    bbox: Option<Rect<f64>>,
    extent: Option<Extent>,
    since: Option<Since>,
    captured: Captured,
}

/// What the map is for: one date (the given one, if any), or a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// One map; `None` draws a snapshot, and a timeline with dates then needs a date.
    Date(Option<Date>),
    /// Many dates: a date line is drawn even for a snapshot.
    Series,
}

/// Parses a date option (`--date`, `--since`, `--from`, …) given as YYYY-MM-DD.
pub fn parse_date(flag: &str, text: &str) -> Result<Date, ConfigError> {
    Date::parse_iso(text).ok_or_else(|| {
        ConfigError::usage(
            Some(&format!("--{flag}")),
            format!("--{flag} `{text}`: expected a date as YYYY-MM-DD"),
        )
    })
}

impl MapConfig {
    /// Resolves and checks everything the settings alone decide, before any data file is
    /// read: the frame, projection, region, `--since`, the style (defaults, then the style
    /// file, then the settings, then the range check of the whole), the text templates,
    /// the categories and the join.
    pub fn resolve(settings: &MapSettings) -> Result<MapConfig, ConfigError> {
        let usage =
            |option: &str, e: RenderError| ConfigError::wrap(ErrorKind::Usage, e).about(option);
        let bbox = settings
            .bbox
            .as_deref()
            .map(project::parse_bbox)
            .transpose()
            .map_err(|e| ConfigError::wrap(ErrorKind::Usage, e).about("--bbox"))?;
        if let Some(p) = &settings.proj {
            project::Projection::parse(p)
                .map_err(|e| ConfigError::wrap(ErrorKind::Usage, e).about("--proj"))?;
        }
        let extent = settings
            .extent
            .as_deref()
            .map(str::parse::<Extent>)
            .transpose()
            .map_err(|e| usage("--extent", e))?;
        let since = settings
            .since
            .as_deref()
            .map(|d| parse_date("since", d))
            .transpose()?
            .map(|date| Since {
                date,
                only: settings.since_only.clone(),
                label: settings.since_label.clone(),
            });
        let captured = match settings.captured_category.as_deref() {
            None => Captured::FirstCategory,
            Some(k) if k.eq_ignore_ascii_case("none") => Captured::Off,
            Some(k) => Captured::Category(k.to_string()),
        };
        let loaded = load_style(&settings.data)?;
        let mut style = resolve_style(&settings.style, loaded.as_ref().map(|(_, f)| f))?;
        let (typeface, fonts) = resolve_typeface(&settings.style, loaded.as_ref())?;
        style.typeface = typeface;
        let t = &settings.text;
        for (flag, text) in [
            ("--title", &t.title),
            ("--subtitle", &t.subtitle),
            ("--source", &t.source),
            ("--date-line", &t.date_line),
        ] {
            if let Some(text) = text {
                template::check(text)
                    .map_err(|e| ConfigError::usage(Some(flag), format!("{flag}: {e}")))?;
            }
        }
        for (flag, text, allowed) in [
            (
                "--captured-label",
                &settings.captured_label,
                &["label", "count"][..],
            ),
            (
                "--since-label",
                &settings.since_label,
                &["date", "count", "label"][..],
            ),
        ] {
            if let Some(text) = text {
                template::check_label(text, allowed)
                    .map_err(|e| ConfigError::usage(Some(flag), format!("{flag}: {e}")))?;
            }
        }
        crate::render::check_size(&style).map_err(|e| {
            let option = match &e {
                RenderError::Range { option, .. } => Some(error::range_option(option).to_string()),
                _ => None,
            };
            let mut e = ConfigError::wrap(ErrorKind::Usage, e);
            e.option = option;
            e
        })?;
        let data = DataConfig::with_style(&settings.data, loaded)?;
        Ok(MapConfig {
            settings: settings.clone(),
            data,
            style,
            fonts,
            bbox,
            extent,
            since,
            captured,
        })
    }

    /// The settings this was resolved from.
    pub fn settings(&self) -> &MapSettings {
        &self.settings
    }

    /// The resolved inputs.
    pub fn data(&self) -> &DataConfig {
        &self.data
    }

    /// The resolved style: defaults, the style file, the settings, range-checked.
    pub fn style(&self) -> &Style {
        &self.style
    }

    /// The `--since` date, when there is one.
    pub fn since(&self) -> Option<Date> {
        self.since.as_ref().map(|s| s.date)
    }

    /// The callouts: the style file's `[[annotation]]` tables, then `--annotations`.
    fn annotations(
        &self,
        date_format: Option<read::DateFormat>,
    ) -> Result<Vec<read::annotations::Annotation>, ConfigError> {
        let mut all = match &self.data.style {
            Some((given, file)) => {
                read::annotations::style_annotations(Path::new(given), &file.annotation)
                    .map_err(|e| ConfigError::from(e).about("--style"))?
            }
            None => Vec::new(),
        };
        if let Some(p) = &self.settings.annotations {
            all.extend(
                read::read_annotations(p, date_format)
                    .map_err(|e| ConfigError::from(e).about("--annotations"))?,
            );
        }
        Ok(all)
    }

    /// The map's inputs beyond the data files.
    fn extra_inputs(&self) -> Vec<(&'static str, &Path)> {
        [
            self.settings
                .provinces
                .as_deref()
                .map(|p| ("--provinces", p)),
            self.settings.places.as_deref().map(|p| ("--places", p)),
            self.settings
                .place_status
                .as_deref()
                .map(|p| ("--place-status", p)),
            self.settings
                .annotations
                .as_deref()
                .map(|p| ("--annotations", p)),
        ]
        .into_iter()
        .flatten()
        .chain(self.fonts.iter().map(|(o, p)| (*o, p.as_path())))
        .collect()
    }

    /// Every input file with the option naming it (data files, provinces, places, style).
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        self.data.inputs(&self.extra_inputs())
    }

    /// Reads the inputs (refusing `outputs` that name one of them), joins and lays out the
    /// map, tells `notices` what the readers repaired and how the join went, writes
    /// `--report` and enforces `--strict`.
    pub fn load(
        &self,
        when: When,
        outputs: &[(&str, &Path)],
        notices: &mut Notices<'_>,
    ) -> Result<Map, ConfigError> {
        let s = &self.settings;
        let extra = self.extra_inputs();
        let inputs = self.data.read(&extra, outputs)?;
        read_notices(&inputs.boundaries.notes, &inputs.boundaries.path, notices);
        if when == When::Date(None) {
            // A missing --date is found as soon as the timeline is read, before the join.
            self.date_in(&inputs.timeline, None)?;
        }
        let provinces = s
            .provinces
            .as_deref()
            .map(|p| read::read_layer(p, s.provinces_layer.as_deref()))
            .transpose()
            .map_err(|e| ConfigError::from(e).about("--provinces"))?
            .map(|l| l.features.into_iter().map(|f| f.geometry).collect());
        let places = s
            .places
            .as_deref()
            .map(read::read_places)
            .transpose()
            .map_err(|e| ConfigError::from(e).about("--places"))?
            .unwrap_or_default();
        let dated = matches!(when, When::Series | When::Date(Some(_)));
        let text = self.text(
            &inputs.categories,
            dated || !inputs.timeline.dates().is_empty(),
        )?;
        let date_format = s.data.timeline.date_format;
        let options = MapOptions {
            join: inputs.join,
            projection: s.proj.clone(),
            bbox: self.bbox,
            style: self.style.clone(),
            text,
            provinces,
            places,
            extent: self.extent.clone(),
            locator: s.locator,
            district_labels: s.district_labels,
            since: self.since.clone(),
            captured: self.captured.clone(),
            captured_label: s.captured_label.clone(),
            place_status: s
                .place_status
                .as_deref()
                .map(|p| read::read_place_status(p, date_format))
                .transpose()
                .map_err(|e| ConfigError::from(e).about("--place-status"))?,
            annotations: self.annotations(date_format)?,
        };
        let map = Map::new(
            inputs.boundaries,
            inputs.timeline,
            inputs.categories,
            &options,
        )
        .map_err(|e| match e {
            // A region or category the options name but the data does not have.
            crate::Error::Render(RenderError::Extent(_)) => {
                ConfigError::wrap(ErrorKind::Usage, e).about("--extent")
            }
            crate::Error::Status(StatusError::UnknownCategory { option, .. }) => {
                ConfigError::wrap(ErrorKind::Usage, e).about(option)
            }
            e => e.into(),
        })?;
        self.map_notices(&map, notices);
        self.data.finish_join(map.join_report())?;
        Ok(map)
    }

    /// What the join and the layout have to tell: the join summary, places not drawn or
    /// bound by position, texts off the page, district labels dropped.
    fn map_notices(&self, map: &Map, notices: &mut Notices<'_>) {
        notices(Notice::summary(map.join_report().summary()));
        let scene = map.scene();
        let mut unlabelled = scene.unlabelled_places();
        if self.extent.is_some() {
            // A zoom leaves most places outside its frame on purpose.
            let off = scene.places_off_the_map();
            unlabelled.retain(|p| !off.iter().any(|o| o == p));
        }
        if !unlabelled.is_empty() {
            notices(Notice::warning(format!(
                "warning: {} place label(s) not drawn (no room without overlapping, or off the map): {}",
                unlabelled.len(),
                unlabelled.join(", ")
            )));
        }
        label_notices(scene, notices);
        if let Some(path) = &self.settings.places {
            place_notices(map, path, notices);
        }
        for w in scene.annotation_warnings() {
            notices(Notice::warning(format!(
                "warning: {}",
                crate::terminal::shown(w)
            )));
        }
        for overflow in scene.text_overflows() {
            notices(Notice::warning(format!(
                "warning: {overflow}; it runs off the page"
            )));
        }
        font_notices(map, notices);
        let (drawn, dropped) = scene.district_label_counts();
        if drawn + dropped > 0 {
            notices(Notice::summary(format!(
                "district labels: {drawn} drawn, {dropped} dropped (no room without overlapping, or would leave the frame)"
            )));
        }
    }

    /// The texts: a setting wins over the style file, each checked against the map's
    /// categories (a placeholder naming a category the map does not have names the flag, or
    /// the file and the key), then the defaults: the title "District control", a source
    /// line naming the input files, the date line "As of {date}" when the map is dated.
    fn text(&self, categories: &Categories, dated: bool) -> Result<Text, ConfigError> {
        let keys: Vec<&str> = categories
            .list
            .iter()
            .chain([&categories.no_data])
            .map(|c| c.key.as_str())
            .collect();
        let (style_path, from_file) = match &self.data.style {
            Some((given, file)) => (given.as_str(), Some(&file.text)),
            None => ("", None),
        };
        let pick = |flag: &str, key: &str, given: &Option<String>, filed: Option<&String>| match (
            given, filed,
        ) {
            (Some(t), _) => template::check_keys(t, &keys)
                .map(|()| Some(t.clone()))
                .map_err(|e| ConfigError::usage(Some(flag), format!("{flag}: {e}"))),
            (None, Some(t)) => template::check_keys(t, &keys)
                .map(|()| Some(t.clone()))
                .map_err(|e| {
                    ConfigError::data(
                        Some(&format!("text.{key}")),
                        format!("{style_path}: text.{key}: {e}"),
                    )
                }),
            (None, None) => Ok(None),
        };
        let t = &self.settings.text;
        let title = pick(
            "--title",
            "title",
            &t.title,
            from_file.and_then(|t| t.title.as_ref()),
        )?;
        let subtitle = pick(
            "--subtitle",
            "subtitle",
            &t.subtitle,
            from_file.and_then(|t| t.subtitle.as_ref()),
        )?;
        let source = pick(
            "--source",
            "source",
            &t.source,
            from_file.and_then(|t| t.source.as_ref()),
        )?;
        let date_line = pick(
            "--date-line",
            "date_line",
            &t.date_line,
            from_file.and_then(|t| t.date_line.as_ref()),
        )?;
        // File names go into the default source line as text, not as placeholders.
        let file_name = |p: &Path| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
                .replace('{', "{{")
                .replace('}', "}}")
        };
        let data = self.data.settings();
        Ok(Text {
            title: title.unwrap_or_else(|| "District control".into()),
            subtitle: subtitle.filter(|s| !s.is_empty()),
            source: Some(source.unwrap_or_else(|| {
                format!(
                    "Data: {}. Boundaries: {}.",
                    data.status
                        .iter()
                        .map(|p| file_name(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                    file_name(&data.boundaries)
                )
            }))
            .filter(|s| !s.is_empty()),
            date_line: dated
                .then(|| date_line.unwrap_or_else(|| "As of {date}".into()))
                .filter(|d| !d.is_empty()),
        })
    }

    /// The date to draw: the given one, or for a snapshot (a timeline without dates) any;
    /// a timeline with dates needs one.
    pub fn date(&self, map: &Map, date: Option<Date>) -> Result<Date, ConfigError> {
        self.date_in(map.timeline(), date)
    }

    fn date_in(&self, timeline: &Timeline, date: Option<Date>) -> Result<Date, ConfigError> {
        let dates = timeline.dates();
        match (date, dates.first().zip(dates.last())) {
            (Some(d), _) => Ok(d),
            (None, Some((first, last))) => Err(ConfigError::usage(
                Some("--date"),
                format!(
                    "--date is required: {} has dates from {first} to {last}",
                    self.data.status_list()
                ),
            )),
            // A snapshot holds for every date: any date draws it.
            (None, None) => Ok(Date::SNAPSHOT),
        }
    }

    /// `--since` must not be after `date` (the map's date, or a series' first frame, as
    /// `what` says); one before the first record marks nothing, which is worth a note.
    pub fn check_since(
        &self,
        map: &Map,
        date: Date,
        what: &str,
        notices: &mut Notices<'_>,
    ) -> Result<(), ConfigError> {
        let Some(since) = self.since() else {
            return Ok(());
        };
        let usage = |m: String| ConfigError::usage(Some("--since"), m);
        if map.timeline().dates().is_empty() {
            return Err(usage(
                "--since needs a timeline with dates; this one is a snapshot".into(),
            ));
        }
        if since > date {
            return Err(usage(format!(
                "--since {since} is after {what} ({date}): a change map compares with an earlier date"
            )));
        }
        if let Some(&first) = map.timeline().dates().first()
            && since < first
        {
            notices(Notice::note(format!(
                "note: --since {since} is before the first record ({first}): every district is no data then, so each one with a status now counts as changed"
            )));
        }
        Ok(())
    }
}

/// The font files of a typeface, with the option naming each.
type FontFiles = Vec<(&'static str, std::path::PathBuf)>;

/// A user font that lacks characters of the map's text: they are drawn in DejaVu Sans, or as
/// boxes when it lacks them too; either way the user should know which.
fn font_notices(map: &Map, notices: &mut Notices<'_>) {
    let scene = map.scene();
    let face = &scene.style().typeface;
    if !face.is_user() {
        return;
    }
    let date = map
        .timeline()
        .dates()
        .last()
        .copied()
        .unwrap_or(Date::SNAPSHOT);
    let text = crate::render::typeface::drawn_text(scene, &map.frame(date));
    let missing = face.missing(&text);
    let list = |fallback: bool| {
        let chars: Vec<String> = missing
            .iter()
            .filter(|(_, f)| *f == fallback)
            .map(|(c, _)| format!("{c} U+{:04X}", u32::from(*c)))
            .collect();
        let n = chars.len();
        let mut shown = chars.into_iter().take(24).collect::<Vec<_>>().join(", ");
        if n > 24 {
            shown.push_str(&format!(", … ({n} in all)"));
        }
        (n, crate::terminal::shown(&shown).to_string())
    };
    let origin =
        crate::terminal::shown(&format!("{} ({})", face.origin(), face.family())).to_string();
    let (n, chars) = list(true);
    if n > 0 {
        notices(Notice::warning(format!(
            "warning: the font {origin} has no glyph for {n} character(s) of the map's text, drawn in DejaVu Sans instead: {chars}"
        )));
    }
    let (n, chars) = list(false);
    if n > 0 {
        notices(Notice::warning(format!(
            "warning: neither the font {origin} nor DejaVu Sans has a glyph for {n} character(s) of the map's text, drawn as boxes: {chars}"
        )));
    }
}

/// The typeface: `--font` (with `--font-bold`) wins over the style file's `[fonts] regular`
/// and `bold` (paths relative to the style file); neither is the bundled DejaVu Sans. Returns
/// it with its files and the option naming each (for the inputs an output may not replace).
fn resolve_typeface(
    s: &StyleSettings,
    file: Option<&(String, StyleFile)>,
) -> Result<(std::sync::Arc<crate::render::typeface::Typeface>, FontFiles), ConfigError> {
    use crate::render::typeface::Typeface;
    // (path, what names it in messages, the option of the inputs list)
    type Named = (std::path::PathBuf, String, &'static str);
    let filed = file.and_then(|(given, f)| {
        let base = Path::new(given).parent().unwrap_or(Path::new(""));
        let named = |key: &str, p: &std::path::PathBuf| -> Named {
            (base.join(p), format!("fonts.{key} ({given})"), "--style")
        };
        f.fonts.regular.as_ref().map(|r| {
            (
                named("regular", r),
                f.fonts.bold.as_ref().map(|b| named("bold", b)),
            )
        })
    });
    let flag = |p: &std::path::PathBuf, f: &'static str| -> Named { (p.clone(), f.to_string(), f) };
    let (regular, bold): (Option<Named>, Option<Named>) = match (&s.font, filed) {
        (Some(r), _) => (Some(flag(r, "--font")), None),
        (None, Some((r, b))) => (Some(r), b),
        (None, None) => (None, None),
    };
    let bold = s
        .font_bold
        .as_ref()
        .map(|b| flag(b, "--font-bold"))
        .or(bold);
    let Some(regular) = regular else {
        return match bold {
            Some(_) => Err(ConfigError::usage(
                Some("--font-bold"),
                "--font-bold needs a regular face: --font FILE, or `[fonts] regular` in the style file",
            )),
            None => Ok((Typeface::bundled(), Vec::new())),
        };
    };
    let face = Typeface::load(
        (&regular.0, &regular.1),
        bold.as_ref().map(|b| (b.0.as_path(), b.1.as_str())),
    )
    .map_err(|e| {
        let option = match &e {
            crate::render::typeface::FontError::Io { origin, .. }
            | crate::render::typeface::FontError::NotAFont { origin, .. } => {
                origin.split(' ').next().unwrap_or_default().to_string()
            }
        };
        ConfigError::wrap(ErrorKind::Data, e).about(&option)
    })?;
    let files = std::iter::once(regular)
        .chain(bold)
        .map(|(p, _, option)| (option, p))
        .collect();
    Ok((std::sync::Arc::new(face), files))
}

/// Built-in defaults, then the style file, then the settings; checked as a whole by
/// [`crate::render::check_size`] after.
fn resolve_style(s: &StyleSettings, file: Option<&StyleFile>) -> Result<Style, ConfigError> {
    let mut style = Style::default();
    if let Some(f) = file {
        crate::render::styling::apply(f, &mut style);
    }
    if let Some(preset) = s.size {
        (style.width, style.height, style.scale) = preset.page();
        style.type_floor = preset.type_floor();
    }
    if let Some(simplify) = s.simplify {
        style.simplify = simplify;
    }
    if let Some(b) = s.background.as_deref() {
        style.background = match b {
            "none" | "transparent" => None,
            c => Some(color("background", c)?),
        };
    }
    for (flag, given, target) in [
        ("border-color", &s.border_color, &mut style.border_color),
        (
            "province-color",
            &s.province_color,
            &mut style.province_color,
        ),
        ("outline-color", &s.outline_color, &mut style.outline_color),
    ] {
        if let Some(c) = given {
            *target = color(flag, c)?;
        }
    }
    for (given, target) in [
        (s.border_width, &mut style.border_width),
        (s.province_width, &mut style.province_width),
        (s.outline_width, &mut style.outline_width),
        (s.scale, &mut style.scale),
    ] {
        if let Some(v) = given {
            *target = v;
        }
    }
    if let Some(v) = s.width {
        style.width = v;
    }
    if let Some(v) = s.height {
        style.height = v;
    }
    if let Some(position) = s.legend_position {
        style.legend.position = position;
    }
    if let Some(mode) = s.borders {
        style.borders = mode;
    }
    style.plain |= s.plain;
    style.legend.national_counts |= s.national_counts;
    style.scale_bar |= s.scale_bar;
    if let Some(locale) = s.locale {
        style.locale = locale;
    }
    if let Some(unplaced) = s.unplaced_labels {
        style.unplaced_labels = unplaced;
    }
    style.max_pixels = s.max_pixels.unwrap_or(crate::render::MAX_PIXELS);
    Ok(style)
}

/// The labels that fit nowhere (kept over another, or dropped with their dot) and the
/// hand-set labels that overlap something, with how to fix them.
fn label_notices(scene: &crate::render::Scene, notices: &mut Notices<'_>) {
    let crowded = scene.crowded_labels();
    if !crowded.is_empty() {
        notices(Notice::warning(format!(
            "warning: {} place label(s) fit nowhere and are drawn over another label or dot: {} (move them with the places file's dx, dy or anchor columns, rank them with priority, or drop them with --unplaced-labels drop)",
            crowded.len(),
            crowded.join(", ")
        )));
    }
    let dropped = scene.dropped_places();
    if !dropped.is_empty() {
        notices(Notice::warning(format!(
            "warning: {} place(s) dropped with their dot, their label fitting nowhere: {}",
            dropped.len(),
            dropped.join(", ")
        )));
    }
    let hand = scene.hand_label_overlaps();
    if !hand.is_empty() {
        notices(Notice::warning(format!(
            "warning: {} label(s) placed by hand overlap another label or dot, or leave the map: {}",
            hand.len(),
            hand.join(", ")
        )));
    }
}

/// What the boundary reader repaired or could not read: one warning per feature, one per
/// attribute field.
pub fn read_notices(notes: &read::ReadNotes, path: &Path, notices: &mut Notices<'_>) {
    for repair in &notes.repairs {
        notices(Notice::warning(format!(
            "warning: {}: {}",
            path.display(),
            crate::terminal::shown(&repair.to_string())
        )));
    }
    for field in &notes.unreadable {
        notices(Notice::warning(format!(
            "warning: {} (the map does not use this field)",
            crate::terminal::shown(&field.to_string())
        )));
    }
}

/// How many place-binding warnings are told in full.
const PLACE_WARNINGS: usize = 20;

/// How places were bound to their districts when it is worth knowing (bound by position, or
/// the dot in another district than the named one); at most [`PLACE_WARNINGS`], then how
/// many more.
fn place_notices(map: &Map, path: &Path, notices: &mut Notices<'_>) {
    let warnings = &map.place_bindings().warnings;
    for w in warnings.iter().take(PLACE_WARNINGS) {
        let place = &map.places()[w.place];
        notices(Notice::warning(format!(
            "warning: {}: line {}, place `{}`: {}",
            path.display(),
            place.line,
            crate::terminal::shown(&place.name),
            w.message
        )));
    }
    if warnings.len() > PLACE_WARNINGS {
        notices(Notice::warning(format!(
            "  … and {} more place warning(s)",
            warnings.len() - PLACE_WARNINGS
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MapSettings {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut s = MapSettings::default();
        s.data.boundaries = fixtures.join("districts.geojson");
        s.data.status = vec![fixtures.join("timeline.csv")];
        s
    }

    #[test]
    fn a_flag_out_of_range_is_a_usage_error_naming_the_flag() {
        let mut s = settings();
        s.style.simplify = Some(f64::NAN);
        let e = MapConfig::resolve(&s).unwrap_err();
        assert_eq!(
            (e.kind, e.option.as_deref()),
            (ErrorKind::Usage, Some("--simplify"))
        );
        assert!(
            e.to_string()
                .starts_with("--simplify ([lines] simplify): expected"),
            "{e}"
        );
    }

    #[test]
    fn a_flag_wins_over_the_style_file_and_both_win_over_the_default() {
        let mut s = settings();
        s.data.style = Some("nyt".into());
        let from_file = MapConfig::resolve(&s).unwrap().style().clone();
        assert_ne!(from_file, Style::default());
        s.style.border_width = Some(3.5);
        let flagged = MapConfig::resolve(&s).unwrap();
        assert_eq!(flagged.style().border_width, 3.5);
        assert_eq!(flagged.style().width, from_file.width);
    }

    #[test]
    fn the_input_list_holds_every_file_once_with_its_option() {
        let mut s = settings();
        s.data.style = Some("nyt".into());
        s.places = Some("places.csv".into());
        let config = MapConfig::resolve(&s).unwrap();
        let options: Vec<&str> = config.inputs().iter().map(|(o, _)| *o).collect();
        assert_eq!(options, ["--boundaries", "--status", "--places", "--style"]);
    }

    #[test]
    fn default_texts_name_the_inputs_and_date_only_dated_maps() {
        let config = MapConfig::resolve(&settings()).unwrap();
        let categories = config.data().categories().clone();
        let dated = config.text(&categories, true).unwrap();
        assert_eq!(dated.title, "District control");
        assert_eq!(
            dated.source.as_deref(),
            Some("Data: timeline.csv. Boundaries: districts.geojson.")
        );
        assert_eq!(dated.date_line.as_deref(), Some("As of {date}"));
        assert_eq!(config.text(&categories, false).unwrap().date_line, None);
    }

    #[test]
    fn an_unreadable_input_is_a_data_error_naming_the_option_that_gave_it() {
        let mut s = settings();
        s.places = Some("no-such-places.csv".into());
        let e = MapConfig::resolve(&s)
            .unwrap()
            .load(When::Series, &[], &mut notice::ignore)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.option.as_deref()),
            (ErrorKind::Data, Some("--places"))
        );
        assert!(e.to_string().contains("no-such-places.csv"), "{e}");
    }

    #[test]
    fn a_bad_colour_and_a_bad_threshold_name_their_options() {
        let mut s = settings();
        s.style.outline_color = Some("red".into());
        let e = MapConfig::resolve(&s).unwrap_err();
        assert_eq!(e.option.as_deref(), Some("--outline-color"));
        let mut s = settings();
        s.data.fuzzy = Some(0.2);
        let e = MapConfig::resolve(&s).unwrap_err();
        assert_eq!(
            (e.kind, e.option.as_deref()),
            (ErrorKind::Usage, Some("--fuzzy"))
        );
    }
}
