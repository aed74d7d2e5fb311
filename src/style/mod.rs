//! The style model: what a map looks like (page, lines, fonts, legend, margins, texts,
//! labelled places), built by the style-file and places readers ([`crate::read`]) and by the
//! CLI, drawn by [`crate::render`]. A module of its own below both, so that the readers do not
//! import render. The numeric ranges ([`limits`]) and the text templates ([`template`]) are
//! part of it: the style file is checked against them as it is read.

pub mod furniture;
pub mod labels;
pub mod limits;
pub mod locale;
pub mod place_states;
pub mod template;
pub mod typeface;

use crate::status::Color;

pub(crate) const WHITE: Color = Color {
    r: 255,
    g: 255,
    b: 255,
};

/// Look of the map. All widths are in CSS pixels of the page (before `scale`).
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Page width in px.
    pub width: u32,
    /// Page height in px.
    pub height: u32,
    /// Output pixels per page pixel (PNG size and SVG `width`/`height`), for high-DPI.
    pub scale: f32,
    /// Page background; `None` = transparent.
    pub background: Option<Color>,
    /// District border colour.
    pub border_color: Color,
    /// District border width.
    pub border_width: f32,
    /// Province border colour.
    pub province_color: Color,
    /// Province border width.
    pub province_width: f32,
    /// Country outline colour.
    pub outline_color: Color,
    /// Country outline width.
    pub outline_width: f32,
    /// Whether a border two districts share is stroked once or once per district
    /// (`--borders`, `[lines.borders] mode`).
    pub borders: BorderMode,
    /// The map alone: no title, legend or source (for compositing and pixel comparisons).
    pub plain: bool,
    /// Simplification tolerance in page pixels (0 = none); borders shared by two districts
    /// stay shared (see [`crate::simplify`]).
    pub simplify: f64,
    /// Largest image accepted, in output pixels (`--max-pixels`): a typo in the size should
    /// not allocate gigabytes.
    pub max_pixels: u64,
    /// Sizes, weights and colours of the text.
    pub fonts: furniture::Fonts,
    /// The legend's place and content.
    pub legend: furniture::Legend,
    /// Page margins.
    pub margins: furniture::Margins,
    /// A scale bar, true at the map's centre (see [`scalebar`]).
    pub scale_bar: bool,
    /// A north arrow beside the scale bar.
    pub north_arrow: bool,
    /// The halo around labels: a dark style wants a dark one.
    pub halo_color: Color,
    /// The halo's width in px of a 1600×1200 page (it scales with the text).
    pub halo_width: f32,
    /// The smallest text drawn (set by the size presets).
    pub type_floor: furniture::TypeFloor,
    /// What becomes of a place label that fits nowhere (`[labels] unplaced`).
    pub unplaced_labels: labels::Unplaced,
    /// The language of dates and counts, and the legend's direction (`--locale`).
    pub locale: locale::Locale,
    /// The states a place can be in (`--place-status`), in legend order.
    pub place_states: Vec<place_states::PlaceState>,
    /// The faces every text is measured and drawn in (`[fonts] regular`, `--font`).
    pub typeface: std::sync::Arc<typeface::Typeface>,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            width: 1600,
            height: 1200,
            scale: 1.0,
            background: Some(WHITE),
            border_color: WHITE,
            border_width: 0.5,
            province_color: Color {
                r: 0x4d,
                g: 0x4d,
                b: 0x4d,
            },
            province_width: 1.2,
            outline_color: Color {
                r: 0x33,
                g: 0x33,
                b: 0x33,
            },
            outline_width: 1.6,
            borders: BorderMode::default(),
            plain: false,
            simplify: 0.05,
            max_pixels: MAX_PIXELS,
            fonts: furniture::Fonts::default(),
            legend: furniture::Legend::default(),
            margins: furniture::Margins::default(),
            scale_bar: false,
            north_arrow: false,
            halo_color: WHITE,
            halo_width: 3.0,
            type_floor: furniture::TypeFloor::default(),
            unplaced_labels: labels::Unplaced::default(),
            locale: locale::Locale::default(),
            place_states: place_states::defaults(),
            typeface: typeface::Typeface::bundled(),
        }
    }
}

/// How the district borders layer is made (`--borders`, `[lines.borders] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BorderMode {
    /// Every border once: a border two districts share is one line, so it is inked once
    /// and looks the same on both sides, as thin as the outer edges.
    #[default]
    Shared,
    /// Every district's own outline: a shared border is stroked twice, once per side, so a
    /// thin (sub-pixel) line's ink is laid twice and it comes out stronger (a white border
    /// whiter) than with `shared`; the outer edges are drawn once, as before. Mapnik,
    /// QGIS, geopandas and mapshaper all draw borders this way; `each` exists so that a map
    /// can match one made with them pixel for pixel.
    Each,
}

/// The texts around the map: templates whose placeholders (`{date}`, `{count.KEY}`, ...;
/// see [`template`]) are expanded for each frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text {
    /// Title (top line).
    pub title: String,
    /// Subtitle (under the title), if any.
    pub subtitle: Option<String>,
    /// Source / credit line (bottom), if any.
    pub source: Option<String>,
    /// The date line under the title, `{date}` standing for "June 20, 2021"; `None` for a
    /// map with no date (a snapshot).
    pub date_line: Option<String>,
}

impl Text {
    /// The texts for one frame: every template expanded.
    pub fn expand(&self, context: &template::Context<'_>) -> Text {
        let expand = |t: &String| template::expand(t, context);
        Text {
            title: expand(&self.title),
            subtitle: self.subtitle.as_ref().map(expand),
            source: self.source.as_ref().map(expand),
            date_line: self.date_line.as_ref().map(expand),
        }
    }
}

/// A labelled point, e.g. a provincial capital.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Label.
    pub name: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// Free-form kind (`capital` draws a larger dot).
    pub kind: Option<String>,
    /// The district the place is in, by name (the places CSV's `district` column).
    pub district: Option<String>,
    /// The district's province (the `province` column), to tell same-name districts apart.
    pub province: Option<String>,
    /// The line of the places file it was read from (0 when not read from a file), for
    /// messages.
    pub line: u64,
    /// Its label as set by hand (text, offset, anchor, priority, hidden).
    pub hand: labels::LabelHand,
}

/// One entry of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// Key (category key or `no-data`).
    pub key: String,
    /// Label.
    pub label: String,
    /// Swatch colour.
    pub color: Color,
    /// Number of districts drawn in it.
    pub count: usize,
}

/// The default of [`Style::max_pixels`].
pub const MAX_PIXELS: u64 = 100_000_000;

/// Sizes of the furniture relative to `u`.
pub(crate) mod size {
    pub const TITLE: f64 = 38.0;
    pub const SUBTITLE: f64 = 22.0;
    pub const DATE: f64 = 22.0;
    pub const LEGEND: f64 = 19.0;
    pub const SWATCH: f64 = 20.0;
    pub const SOURCE: f64 = 15.0;
    pub const PLACE: f64 = 15.0;
}
