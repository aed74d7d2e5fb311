//! Rendering: the map as SVG, the same SVG rasterised to PNG or converted to vector PDF.
//!
//! A [`Scene`] holds everything that does not depend on the date: projected district paths,
//! province borders, the outline, places and the page layout. A [`Frame`] adds what does:
//! the fills, the legend counts and the date line. So a series prepares the geometry once.

pub mod annotations;
pub mod change;
#[cfg(test)]
mod colorblind;
pub mod draw;
pub mod extras;
pub mod furniture;
pub(crate) mod geometry;
pub mod html;
pub mod labels;
pub(crate) mod layout;
pub mod limits;
pub mod locale;
mod locator;
pub(crate) mod markup;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod place_states;
pub mod placement;
pub mod png;
pub mod raster;
pub(crate) mod scalebar;
pub mod scene;
pub mod styling;
pub mod svg;
pub mod template;
pub mod text;
pub mod typeface;
pub mod zoom;

pub use extras::Overlays;
pub(crate) use layout::{Layout, size};
pub(crate) use scene::PlacePoint;
pub use scene::{MAX_PIXELS, Scene, SceneInput, check_size};

use crate::project::ProjectError;
use crate::status::Color;

/// A problem rendering or encoding a map.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The page is too small or too large.
    #[error("page size {width}x{height} at scale {scale}: {why}")]
    Size {
        /// Width in px.
        width: u32,
        /// Height in px.
        height: u32,
        /// Scale factor.
        scale: f32,
        /// What is wrong.
        why: String,
    },
    /// resvg could not read the SVG we wrote (a bug, reported rather than hidden).
    #[error("internal error: the SVG could not be rasterised: {0}")]
    Svg(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
    /// svg2pdf could not convert the SVG we wrote (a bug, reported rather than hidden).
    #[error("internal error: the SVG could not be converted to PDF: {0}")]
    Pdf(String),
    /// Projection failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A text template is malformed or names something the map does not have.
    #[error("`{placeholder}`: {why}")]
    Template {
        /// The placeholder (or the piece of the template) at fault.
        placeholder: String,
        /// What is wrong, and what was expected.
        why: String,
    },
    /// A numeric style option is out of its range (see [`limits`]).
    #[error("{option}: {why}")]
    Range {
        /// The flag and the style-file key, e.g. "--scale ([size] scale)".
        option: String,
        /// What was expected and what was found.
        why: String,
    },
    /// `--extent` is malformed, or names no region or several (with the closest names).
    #[error("--extent {0}")]
    Extent(String),
}

const WHITE: Color = Color {
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
    pub unplaced_labels: placement::Unplaced,
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
            unplaced_labels: placement::Unplaced::default(),
            locale: locale::Locale::default(),
            place_states: place_states::defaults(),
            typeface: typeface::Typeface::bundled(),
        }
    }
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
    pub hand: placement::LabelHand,
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

/// What changes with the date: the fill and status of every district, legend, date line.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Per district (scene order): the status key (`data-status`) and its fill.
    pub fills: Vec<(String, Color)>,
    /// Per district: the source of its status on the date (`data-source`); empty when the
    /// timeline names no sources.
    pub sources: Vec<Option<String>>,
    /// Legend entries, in order.
    pub legend: Vec<LegendEntry>,
    /// "As of June 20, 2021", if the map has a date line.
    pub date_line: Option<String>,
    /// Title, subtitle and source, their templates expanded for this frame (the date line
    /// is `date_line`).
    pub text: Text,
    /// Per district: marked (hatched) as changed since `--since`; empty without it.
    pub changed: Vec<bool>,
    /// The legend line of the change marks, e.g. "Changed since May 1, 2021: 53".
    pub change_note: Option<change::Note>,
    /// Per place of the map's options (`--places` order): a capital in a district of the
    /// captured category on the date.
    pub captured: Vec<bool>,
    /// The legend line of the captured capitals.
    pub captured_note: Option<change::Note>,
    /// The legend line saying the counts are of the districts in the frame, when it leaves
    /// some out ("Counts: the districts in this view").
    pub view_note: Option<String>,
    /// Layers that change with the date (see [`draw`]), drawn over the scene's own
    /// [`Scene::layers`] by every writer.
    pub layers: Vec<draw::Layer>,
    /// Per place (`--places` order): its state on the date (`--place-status`); empty
    /// without place states.
    pub place_states: Vec<Option<place_states::StateOn>>,
    /// Per annotation (the order given): shown on the date (its `from`/`to`).
    pub annotations: Vec<bool>,
}
