//! The style file reader (`--style FILE.toml`): TOML → a plain [`StyleFile`].
//!
//! Every key is optional and every unknown key is an error, so that a typo is caught rather
//! than silently ignored. Values are checked here (colours, templates, ranges), so that an
//! error names the file, the line and column or the key, and what was expected; the render
//! layer applies a file that has been read ([`crate::render::styling`]). The keys are
//! documented with an annotated example in `docs/style.md`.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use super::ReadError;
use crate::status::{CategoryStyle, Color, NO_DATA, PRESETS};
use crate::style::furniture::{LegendPosition, NoDataEntry, POINTS_PER_INCH, SizePreset, Weight};
use crate::style::limits::{self, Limit};
use crate::style::template;

/// The style files shipped with controlmap (`assets/styles/`), by name, for `--style nyt`.
pub const SHIPPED: &[(&str, &str)] = &[
    ("lwj", include_str!("../../assets/styles/lwj.toml")),
    ("nyt", include_str!("../../assets/styles/nyt.toml")),
];

/// A style file: every section and key optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StyleFile {
    /// `[categories]`: the category set, labels and colours.
    pub categories: CategoriesSection,
    /// `[size]`: the page size.
    pub size: SizeSection,
    /// `[fonts]`: sizes, weights and colours of the text.
    pub fonts: FontsSection,
    /// `[lines]`: borders, outline and background.
    pub lines: LinesSection,
    /// `[text]`: title, subtitle, date line and source templates.
    pub text: TextSection,
    /// `[legend]`: position, order and content.
    pub legend: LegendSection,
    /// `[margins]`: page margins.
    pub margins: MarginsSection,
    /// `[scale_bar]`: the scale bar and the north arrow.
    pub scale_bar: ScaleBarSection,
    /// `[halo]`: the colour and width (px of a 1600×1200 page) of the halo around labels.
    pub halo: LineSection,
    /// `[labels]`: what becomes of place labels that fit nowhere.
    pub labels: LabelsSection,
    /// `[place_states.NAME]`: the states of `--place-status`, changing a default one
    /// (`contested`, `besieged`, `entered`, `captured`) or adding one.
    pub place_states: std::collections::BTreeMap<String, PlaceStateSection>,
    /// `[[annotation]]`: callouts, as the rows of an `--annotations` file.
    pub annotation: Vec<super::annotations::AnnotationEntry>,
}

/// `[labels]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelsSection {
    /// `keep` (at the least crowded position, with a warning) or `drop` (with its dot).
    pub unplaced: Option<crate::render::placement::Unplaced>,
}

/// `[place_states.NAME]`: every key optional for a default state, all three for a new one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlaceStateSection {
    /// `dot`, `ring`, `square`, `diamond` or `triangle`.
    pub marker: Option<crate::render::place_states::Marker>,
    /// The marker's colour.
    pub color: Option<Color>,
    /// The legend line.
    pub label: Option<String>,
}

/// `[scale_bar]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleBarSection {
    /// Whether the map has a scale bar (true at the map's centre).
    pub show: Option<bool>,
    /// Whether a north arrow goes beside it.
    pub north_arrow: Option<bool>,
}

/// `[categories]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CategoriesSection {
    /// A built-in category preset (`lwj`, `binary`) to start from.
    pub preset: Option<String>,
    /// `[[categories.category]]` entries, in legend order.
    pub category: Vec<CategoryStyle>,
}

/// A page length: pixels, or a physical length in points (from `in` or `mm`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// Pixels of the page.
    Px(u32),
    /// Points (1/72 in).
    Points(f64),
}

/// `[size]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SizeSection {
    /// A named size: `web`, `social` or `print`.
    pub preset: Option<SizePreset>,
    /// Page width: px (`1600`, `"1600px"`) or a length (`"8in"`, `"203mm"`).
    #[serde(deserialize_with = "length")]
    pub width: Option<Length>,
    /// Page height, as `width`.
    #[serde(deserialize_with = "length")]
    pub height: Option<Length>,
    /// Output pixels per page px.
    #[serde(deserialize_with = "scale")]
    pub scale: Option<f32>,
    /// Output pixels per inch of a page measured in inches or mm (default 300).
    #[serde(deserialize_with = "dpi")]
    pub dpi: Option<f64>,
}

/// One kind of text in `[fonts]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontSection {
    /// Size in px of a 1600×1200 page.
    #[serde(deserialize_with = "font_size")]
    pub size: Option<f64>,
    /// `regular` or `bold`.
    pub weight: Option<Weight>,
    /// Text colour.
    pub color: Option<Color>,
}

/// `[fonts]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontsSection {
    /// A font file (TrueType/OpenType) for every text, relative to the style file.
    pub regular: Option<std::path::PathBuf>,
    /// Its bold face, relative to the style file; without one bold text is set in the
    /// regular face.
    pub bold: Option<std::path::PathBuf>,
    /// `[fonts.title]`.
    pub title: FontSection,
    /// `[fonts.subtitle]`.
    pub subtitle: FontSection,
    /// `[fonts.date]`: the date line.
    pub date: FontSection,
    /// `[fonts.legend]`.
    pub legend: FontSection,
    /// `[fonts.source]`.
    pub source: FontSection,
    /// `[fonts.labels]`: place labels.
    pub labels: FontSection,
}

/// One kind of line in `[lines]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LineSection {
    /// Colour.
    pub color: Option<Color>,
    /// Width in px of the page (0 hides the line).
    #[serde(deserialize_with = "line_width")]
    pub width: Option<f32>,
}

/// `[lines.borders]`: a line, and how the layer is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BordersSection {
    /// Colour.
    pub color: Option<Color>,
    /// Width in px of the page (0 hides the line).
    #[serde(deserialize_with = "line_width")]
    pub width: Option<f32>,
    /// `shared` (each border once) or `each` (every district's outline, as other tools
    /// draw them).
    pub mode: Option<crate::style::BorderMode>,
}

impl BordersSection {
    /// Its colour and width, as every other line's.
    pub fn line(&self) -> LineSection {
        LineSection {
            color: self.color,
            width: self.width,
        }
    }
}

/// `[lines]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinesSection {
    /// `[lines.borders]`: district borders (with `mode`).
    pub borders: BordersSection,
    /// `[lines.provinces]`: province borders.
    pub provinces: LineSection,
    /// `[lines.outline]`: the country outline.
    pub outline: LineSection,
    /// The page background; `Some(None)` for `"none"` (transparent).
    #[serde(deserialize_with = "background")]
    pub background: Option<Option<Color>>,
    /// Simplification tolerance in px (0 = none).
    #[serde(deserialize_with = "simplify")]
    pub simplify: Option<f64>,
}

/// `[text]`: templates (see [`crate::render::template`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextSection {
    /// The title.
    #[serde(deserialize_with = "text_template")]
    pub title: Option<String>,
    /// The subtitle (`""` for none).
    #[serde(deserialize_with = "text_template")]
    pub subtitle: Option<String>,
    /// The date line (`""` for none).
    #[serde(deserialize_with = "text_template")]
    pub date_line: Option<String>,
    /// The source line (`""` for none).
    #[serde(deserialize_with = "text_template")]
    pub source: Option<String>,
    /// The map alone: no title, legend or source.
    pub plain: Option<bool>,
    /// The language of dates and counts: `en`, `fr`, `fa` or `ps` (right to left).
    pub locale: Option<crate::render::locale::Locale>,
}

/// `[legend]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LegendSection {
    /// `top`, `bottom`, `left` or `right`.
    pub position: Option<LegendPosition>,
    /// Category keys in legend order; keys the map does not have are skipped.
    pub order: Option<Vec<String>>,
    /// Whether entries show their counts.
    pub counts: Option<bool>,
    /// When the no-data entry is listed: `auto`, `always` or `never`.
    pub no_data: Option<NoDataEntry>,
    /// Count every district of the map, not only those in a `--bbox` frame.
    pub national_counts: Option<bool>,
}

/// `[margins]`, in px of a 1600×1200 page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarginsSection {
    /// Every side, unless a side is given.
    #[serde(deserialize_with = "margin")]
    pub all: Option<f64>,
    /// Top.
    #[serde(deserialize_with = "margin")]
    pub top: Option<f64>,
    /// Right.
    #[serde(deserialize_with = "margin")]
    pub right: Option<f64>,
    /// Bottom.
    #[serde(deserialize_with = "margin")]
    pub bottom: Option<f64>,
    /// Left.
    #[serde(deserialize_with = "margin")]
    pub left: Option<f64>,
}

/// Reads a style file.
pub fn read_style(path: &Path) -> Result<StyleFile, ReadError> {
    let bytes = super::read_file(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ReadError::invalid(
            path,
            format!("byte {}", e.valid_up_to()),
            "a style file is UTF-8 text (TOML)",
        )
    })?;
    parse_style(path, text)
}

/// Reads a shipped style by name (`nyt`, `lwj`; see [`SHIPPED`]) or a style file by path.
/// A bare name without an extension or a directory names a shipped style.
pub fn load_style(name_or_path: &str) -> Result<StyleFile, ReadError> {
    let is_name = !name_or_path.contains(['/', '\\', '.']);
    match SHIPPED.iter().find(|(name, _)| *name == name_or_path) {
        Some((name, text)) if is_name => {
            parse_style(Path::new(&format!("assets/styles/{name}.toml")), text)
        }
        _ if is_name && !Path::new(name_or_path).exists() => Err(ReadError::invalid(
            Path::new(name_or_path),
            "--style",
            format!(
                "no such file, and not a shipped style ({})",
                SHIPPED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        _ => read_style(Path::new(name_or_path)),
    }
}

/// Parses the text of a style file; `path` names it in errors.
///
/// ```
/// use std::path::Path;
/// use controlmap::read::style::parse_style;
/// let style = parse_style(Path::new("s.toml"), "[lines.borders]\ncolor = \"#fff\"\n").unwrap();
/// assert_eq!(style.lines.borders.color.unwrap().to_string(), "#ffffff");
/// let e = parse_style(Path::new("s.toml"), "[lines.borders]\ncolour = \"#fff\"\n").unwrap_err();
/// assert!(e.to_string().starts_with("s.toml: line 2, column 1"), "{e}");
/// ```
pub fn parse_style(path: &Path, text: &str) -> Result<StyleFile, ReadError> {
    let file: StyleFile = toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(span) => position(text, span.start),
            None => "the file".to_string(),
        };
        ReadError::invalid(path, place, e.message().trim_end())
    })?;
    validate(&file).map_err(|(key, why)| ReadError::invalid(path, key, why))?;
    Ok(file)
}

/// "line 3, column 9 (`color = "red"`)" for a byte offset.
fn position(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    let content: String = text[start..]
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .chars()
        .take(60)
        .collect();
    if content.is_empty() {
        format!("line {line}, column {column}")
    } else {
        format!("line {line}, column {column} (`{content}`)")
    }
}

/// Checks what one value alone cannot tell; returns the key and what is wrong.
fn validate(file: &StyleFile) -> Result<(), (String, String)> {
    for (key, path) in [("regular", &file.fonts.regular), ("bold", &file.fonts.bold)] {
        if path.as_ref().is_some_and(|p| p.as_os_str().is_empty()) {
            return Err((
                format!("fonts.{key}"),
                "a font file's path (TrueType or OpenType, relative to the style file); it is empty".into(),
            ));
        }
    }
    if file.fonts.bold.is_some() && file.fonts.regular.is_none() {
        return Err((
            "fonts.bold".into(),
            "a bold face needs its regular face: set `regular` too".into(),
        ));
    }
    let c = &file.categories;
    if let Some(p) = &c.preset
        && !PRESETS.contains(&p.trim().to_lowercase().as_str())
    {
        return Err((
            "categories.preset".into(),
            format!("unknown preset `{p}`: expected {}", PRESETS.join(" or ")),
        ));
    }
    for (i, s) in c.category.iter().enumerate() {
        let key = s.key.trim();
        let place = format!("categories.category[{}] (key `{}`)", i + 1, s.key);
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err((
                place,
                "a key is a word of letters, digits, `-` and `_`, e.g. `taliban`".into(),
            ));
        }
        if key.eq_ignore_ascii_case(NO_DATA) && s.values.is_some() {
            return Err((
                place,
                "no-data takes a label and a colour, not values: it is what districts without a status get".into(),
            ));
        }
        if s.values.iter().flatten().any(|v| v.trim().is_empty()) {
            return Err((place, "an empty status value".into()));
        }
    }
    let defaults = crate::render::place_states::defaults();
    for (name, state) in &file.place_states {
        let place = format!("place_states.{name}");
        if name.trim().is_empty()
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err((
                place,
                "a state is a word of letters, digits, `-` and `_`, e.g. `besieged`".into(),
            ));
        }
        let known = defaults.iter().any(|d| d.key == name.to_lowercase());
        if !known && (state.marker.is_none() || state.color.is_none() || state.label.is_none()) {
            return Err((
                place,
                format!(
                    "a new state needs marker ({}), color and label; the defaults are {}",
                    crate::render::place_states::Marker::NAMES,
                    defaults
                        .iter()
                        .map(|d| d.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if state.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err((
                format!("{place}.label"),
                "a legend line; it is empty".into(),
            ));
        }
    }
    if let Some(order) = &file.legend.order
        && order.iter().any(|k| k.trim().eq_ignore_ascii_case(NO_DATA))
    {
        return Err((
            "legend.order".into(),
            "no-data is always the last entry; list category keys only".into(),
        ));
    }
    let s = &file.size;
    match (s.width, s.height) {
        (Some(Length::Px(_)), Some(Length::Points(_)))
        | (Some(Length::Points(_)), Some(Length::Px(_))) => {
            return Err((
                "size".into(),
                "width and height must both be px or both lengths (in, mm)".into(),
            ));
        }
        _ => {}
    }
    let physical = matches!(s.preset, Some(SizePreset::Print))
        || matches!(s.width, Some(Length::Points(_)))
        || matches!(s.height, Some(Length::Points(_)));
    if s.dpi.is_some() && !physical {
        return Err((
            "size.dpi".into(),
            "dpi applies to a page measured in in or mm (or the print preset); use scale for a page in px".into(),
        ));
    }
    if s.dpi.is_some() && s.scale.is_some() {
        return Err((
            "size".into(),
            "give dpi or scale, not both: dpi sets the scale of a page in in or mm".into(),
        ));
    }
    Ok(())
}

fn custom<E: serde::de::Error>(why: impl std::fmt::Display) -> E {
    E::custom(why)
}

/// A number within `limit` (the ranges the resolved style is checked against too).
fn ranged<'de, D: Deserializer<'de>>(d: D, limit: Limit) -> Result<Option<f64>, D::Error> {
    let v = f64::deserialize(d)?;
    limit.check(v).map(Some).map_err(custom)
}

fn font_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    ranged(d, limits::FONT_SIZE)
}

fn line_width<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    Ok(ranged(d, limits::LINE_WIDTH)?.map(|v| v as f32))
}

fn margin<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    ranged(d, limits::MARGIN)
}

fn scale<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
    Ok(ranged(d, limits::SCALE)?.map(|v| v as f32))
}

fn dpi<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    ranged(d, limits::DPI)
}

fn simplify<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    ranged(d, limits::SIMPLIFY)
}

fn text_template<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    template::check(&text).map_err(custom)?;
    Ok(Some(text))
}

fn background<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Color>>, D::Error> {
    let text = String::deserialize(d)?;
    match text.trim() {
        "none" | "transparent" => Ok(Some(None)),
        c => Color::parse(c)
            .map(|c| Some(Some(c)))
            .map_err(|_| custom(format!("expected #rrggbb or \"none\", found `{text}`"))),
    }
}

/// A page length: an integer (px), or a string with a unit: `px`, `in` or `mm`.
fn length<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Length>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Px(i64),
        Float(f64),
        Text(String),
    }
    const MAX_PX: f64 = limits::PAGE.hi;
    let bad = |found: &str| {
        custom(format!(
            "expected px (an integer, or \"1600px\") or a length (\"8in\", \"203mm\") from 16 px to 100000 px, found {found}"
        ))
    };
    let (number, unit) = match Raw::deserialize(d)? {
        Raw::Px(n) => (n as f64, "px".to_string()),
        Raw::Float(n) => (n, "px".to_string()),
        Raw::Text(t) => {
            let t = t.trim();
            let split = t
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(t.len());
            let number: f64 = t[..split].parse().map_err(|_| bad(&format!("`{t}`")))?;
            (number, t[split..].trim().to_string())
        }
    };
    let points = match unit.as_str() {
        "px" => {
            return match number {
                n if n.fract() == 0.0 && (16.0..=MAX_PX).contains(&n) => {
                    Ok(Some(Length::Px(n as u32)))
                }
                _ => Err(bad(&number.to_string())),
            };
        }
        "in" => number * POINTS_PER_INCH,
        "mm" => number / 25.4 * POINTS_PER_INCH,
        _ => return Err(bad(&format!("unit `{unit}`"))),
    };
    if points.is_finite() && (16.0..=MAX_PX).contains(&points) {
        Ok(Some(Length::Points(points)))
    } else {
        Err(bad(&format!("{number}{unit}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<StyleFile, String> {
        parse_style(Path::new("style.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn an_empty_file_is_all_defaults() {
        assert_eq!(parse("").unwrap(), StyleFile::default());
        assert_eq!(parse("# nothing\n").unwrap(), StyleFile::default());
    }

    #[test]
    fn the_shipped_styles_read() {
        for (name, _) in SHIPPED {
            let style = load_style(name).unwrap();
            assert!(style.categories.category.len() >= 5, "{name}");
        }
    }

    #[test]
    fn every_section_reads() {
        let style = parse(
            r##"
[categories]
preset = "binary"
[[categories.category]]
key = "taliban"
label = "Taliban"
color = "#b2182b"
values = ["2"]
[[categories.category]]
key = "no-data"
color = "#eee"

[size]
width = "8in"
height = "150mm"
dpi = 150

[fonts.title]
size = 30
weight = "regular"
color = "#000000"

[lines]
background = "none"
borders = { color = "#ffffff", width = 0.4 }
simplify = 0.5

[text]
title = "Control on {date}"
date_line = ""

[legend]
position = "right"
order = ["government", "taliban"]
counts = false
no_data = "always"

[margins]
all = 20
left = 40
"##,
        )
        .unwrap();
        assert_eq!(style.categories.category[0].values, Some(vec!["2".into()]));
        assert_eq!(style.size.width, Some(Length::Points(576.0)));
        let Some(Length::Points(h)) = style.size.height else {
            panic!()
        };
        assert!((h - 425.2).abs() < 0.1, "{h}");
        assert_eq!(style.fonts.title.weight, Some(Weight::Regular));
        assert_eq!(style.lines.background, Some(None));
        assert_eq!(style.lines.borders.width, Some(0.4));
        assert_eq!(style.text.date_line.as_deref(), Some(""));
        assert_eq!(style.legend.position, Some(LegendPosition::Right));
        assert_eq!(style.legend.no_data, Some(NoDataEntry::Always));
        assert_eq!(
            (style.margins.all, style.margins.left),
            (Some(20.0), Some(40.0))
        );
    }

    #[test]
    fn errors_name_the_file_the_place_and_what_was_expected() {
        for (text, expected) in [
            (
                "[lines.borders]\ncolour = \"#fff\"\n",
                "style.toml: line 2, column 1 (`colour = \"#fff\"`): unknown field `colour`, expected one of `color`, `width`, `mode`",
            ),
            (
                "[text]\ntitle = \"As of {dat}\"\n",
                "style.toml: line 2, column 9 (`title = \"As of {dat}\"`): `{dat}`: unknown placeholder",
            ),
            (
                "[lines]\nbackground = \"red\"\n",
                "style.toml: line 2, column 14 (`background = \"red\"`): expected #rrggbb or \"none\"",
            ),
            (
                "[fonts.title]\nsize = nan\n",
                "style.toml: line 2, column 8 (`size = nan`): expected a font size in px from 1 to 400, found NaN",
            ),
            (
                "[size]\nwidth = \"8 furlongs\"\n",
                "(`width = \"8 furlongs\"`): expected px",
            ),
            ("[size]\nwidth = -3\n", "line 2, column 9"),
            (
                "[size]\nwidth = 1600\nheight = \"6in\"\n",
                "style.toml: size: width and height",
            ),
            ("[size]\nwidth = 1600\ndpi = 300\n", "style.toml: size.dpi"),
            (
                "[legend]\nposition = \"middle\"\n",
                "unknown variant `middle`, expected one of `top`, `bottom`, `left`, `right`",
            ),
            (
                "[legend]\norder = [\"no-data\"]\n",
                "style.toml: legend.order",
            ),
            (
                "[categories]\npreset = \"nato\"\n",
                "style.toml: categories.preset: unknown preset `nato`",
            ),
            (
                "[[categories.category]]\nkey = \"no-data\"\nvalues = [\"x\"]\n",
                "style.toml: categories.category[1] (key `no-data`)",
            ),
            (
                "[[categories.category]]\nkey = \"a b\"\n",
                "categories.category[1] (key `a b`)",
            ),
            (
                "[[categories.category]]\nlabel = \"x\"\n",
                "missing field `key`",
            ),
            (
                "[colors]\n",
                "style.toml: line 1, column 2 (`[colors]`): unknown field `colors`",
            ),
            ("title = \"x\"\n", "unknown field `title`"),
            ("[text\n", "style.toml: line 1, column 6"),
            ("[text]\ntitle = \"a\"\ntitle = \"b\"\n", "line 3"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                e.contains(expected),
                "{text:?}\n  gave {e}\n  expected {expected}"
            );
        }
    }

    #[test]
    fn shipped_names_and_paths() {
        assert!(load_style("nyt").is_ok());
        let e = load_style("nty").unwrap_err().to_string();
        assert!(e.contains("not a shipped style (lwj, nyt)"), "{e}");
        let e = load_style("missing/nyt.toml").unwrap_err().to_string();
        assert!(e.starts_with("missing/nyt.toml: "), "{e}");
    }
}
