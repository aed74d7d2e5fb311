//! The options of a map as given: text unchecked, `None` where nothing was given. The
//! command line fills them from its flags; [`super::MapConfig::resolve`] checks them.

use std::path::PathBuf;

use crate::join::Ambiguous;
use crate::read::TimelineOptions;
use crate::render::furniture::{LegendPosition, SizePreset};

/// The inputs of a map as given: boundaries, timeline, categories and the join.
#[derive(Debug, Clone, Default)]
pub struct DataSettings {
    /// `--boundaries`: GeoJSON, TopoJSON or Shapefile; `-` for stdin.
    pub boundaries: PathBuf,
    /// `--layer`: the TopoJSON object to draw.
    pub layer: Option<String>,
    /// `--id-field`.
    pub id_field: Option<String>,
    /// `--name-field`.
    pub name_field: Option<String>,
    /// `--province-field`.
    pub province_field: Option<String>,
    /// `--source-crs`: EPSG:NNNN or a PROJ string.
    pub source_crs: Option<String>,
    /// `--strict-geometry`.
    pub strict_geometry: bool,
    /// `--status`: the timeline files, merged in order.
    pub status: Vec<PathBuf>,
    /// The timeline's columns and date format (`--id-column` … `--date-format`).
    pub timeline: TimelineOptions,
    /// `--preset`.
    pub preset: Option<String>,
    /// `--map VALUE=CATEGORY`, unparsed.
    pub maps: Vec<String>,
    /// `--color CATEGORY=#RRGGBB`, unparsed.
    pub colors: Vec<String>,
    /// `--label CATEGORY=TEXT`, unparsed.
    pub labels: Vec<String>,
    /// `--style`: a style file or a shipped style's name.
    pub style: Option<String>,
    /// `--ambiguous`.
    pub ambiguous: Ambiguous,
    /// `--aliases`.
    pub aliases: Option<PathBuf>,
    /// `--fuzzy`: a similarity threshold, 0.5–1.
    pub fuzzy: Option<f64>,
    /// `--crosswalk`, with `--crosswalk-from` and `--crosswalk-to`.
    pub crosswalk: Option<PathBuf>,
    /// `--crosswalk-from`.
    pub crosswalk_from: Vec<String>,
    /// `--crosswalk-to`.
    pub crosswalk_to: Option<String>,
    /// `--report`: where the join report goes.
    pub report: Option<PathBuf>,
    /// `--strict`: fail on unmatched, ambiguous or conflicting rows.
    pub strict: bool,
}

/// The numeric and colour options of the style as given; `None` leaves the style file's
/// value (or the default).
#[derive(Debug, Clone, Default)]
pub struct StyleSettings {
    /// `--border-color`.
    pub border_color: Option<String>,
    /// `--border-width`.
    pub border_width: Option<f32>,
    /// `--province-color`.
    pub province_color: Option<String>,
    /// `--province-width`.
    pub province_width: Option<f32>,
    /// `--outline-color`.
    pub outline_color: Option<String>,
    /// `--outline-width`.
    pub outline_width: Option<f32>,
    /// `--background`: a colour, or `none` / `transparent`.
    pub background: Option<String>,
    /// `--simplify`.
    pub simplify: Option<f64>,
    /// `--borders`: shared borders stroked once or once per district.
    pub borders: Option<crate::style::BorderMode>,
    /// `--legend-position`.
    pub legend_position: Option<LegendPosition>,
    /// `--size`.
    pub size: Option<SizePreset>,
    /// `--width`.
    pub width: Option<u32>,
    /// `--height`.
    pub height: Option<u32>,
    /// `--max-pixels` (default [`crate::render::MAX_PIXELS`]).
    pub max_pixels: Option<u64>,
    /// `--scale`.
    pub scale: Option<f32>,
    /// `--scale-bar`.
    pub scale_bar: bool,
    /// `--plain`: the map alone.
    pub plain: bool,
    /// `--national-counts`.
    pub national_counts: bool,
    /// `--locale`.
    pub locale: Option<crate::render::locale::Locale>,
    /// `--unplaced-labels`.
    pub unplaced_labels: Option<crate::render::placement::Unplaced>,
    /// `--font`: the regular face (replacing the style file's `[fonts]` files).
    pub font: Option<PathBuf>,
    /// `--font-bold`: the bold face.
    pub font_bold: Option<PathBuf>,
}

/// The texts as given; a template may use `{date}`, `{count.CATEGORY}`, ….
#[derive(Debug, Clone, Default)]
pub struct TextSettings {
    /// `--title`.
    pub title: Option<String>,
    /// `--subtitle`.
    pub subtitle: Option<String>,
    /// `--source`.
    pub source: Option<String>,
    /// `--date-line`.
    pub date_line: Option<String>,
}

/// Everything that makes a map, as given (shared by render, series and stats).
#[derive(Debug, Clone, Default)]
pub struct MapSettings {
    /// The inputs.
    pub data: DataSettings,
    /// `--proj`: a PROJ string.
    pub proj: Option<String>,
    /// `--bbox`: minlon,minlat,maxlon,maxlat.
    pub bbox: Option<String>,
    /// `--provinces`.
    pub provinces: Option<PathBuf>,
    /// `--provinces-layer`.
    pub provinces_layer: Option<String>,
    /// `--places`.
    pub places: Option<PathBuf>,
    /// `--place-status`: places' states by date.
    pub place_status: Option<PathBuf>,
    /// `--annotations`: callouts.
    pub annotations: Option<PathBuf>,
    /// The texts.
    pub text: TextSettings,
    /// The style options.
    pub style: StyleSettings,
    /// `--extent`: province=NAME or district=NAME[,PROVINCE].
    pub extent: Option<String>,
    /// `--locator` (`Some(true)`) / `--no-locator` (`Some(false)`).
    pub locator: Option<bool>,
    /// `--district-labels` / `--no-district-labels`.
    pub district_labels: Option<bool>,
    /// `--captured-category`: a key, or `none`.
    pub captured_category: Option<String>,
    /// `--captured-label`.
    pub captured_label: Option<String>,
    /// `--since`: YYYY-MM-DD.
    pub since: Option<String>,
    /// `--since-only`.
    pub since_only: Option<String>,
    /// `--since-label`.
    pub since_label: Option<String>,
}
