//! Rendering: the map as SVG, the same SVG rasterised to PNG or converted to vector PDF.
//!
//! A [`Scene`] holds everything that does not depend on the date: projected district paths,
//! province borders, the outline, places and the page layout. A [`Frame`] adds what does:
//! the fills, the legend counts and the date line. So a series prepares the geometry once.

pub mod annotations;
mod boxes;
pub mod change;
#[cfg(test)]
mod colorblind;
pub mod draw;
pub mod extras;
pub(crate) mod geometry;
pub mod html;
pub mod labels;
pub(crate) mod layout;
pub mod limits;
mod locator;
pub(crate) mod markup;
mod paint;
mod parts;
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
pub mod text;
pub mod typeface;
pub mod zoom;

pub use extras::Overlays;
pub(crate) use layout::Layout;
pub(crate) use scene::PlacePoint;
pub use scene::{Scene, SceneInput, check_size};
// The style model lives in `crate::style` (the style-file reader builds it, and must not
// import render); re-exported so that `render::Style`, `render::furniture` … still name it.
pub(crate) use crate::style::size;
pub use crate::style::{LegendEntry, MAX_PIXELS, Place, Style, Text, furniture, locale, template};

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
    #[error(transparent)]
    Template(#[from] template::TemplateError),
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
