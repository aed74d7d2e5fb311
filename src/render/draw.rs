//! Page-space drawing items: what a layer holds once it is laid out.
//!
//! A layer is built once as typed items (paths, circles, boxes, text runs, groups with ids and
//! `data-*` attributes) in page pixels, and every writer draws the same items: the SVG writer
//! as elements ([`super::svg::write_items`]), the PNG, PDF and web writers from the same
//! values. New layers (place states, annotations, ...) are written as items, not as SVG text.

use crate::status::Color;
pub use crate::style::labels::Anchor;

/// A point on the page, in page pixels (before [`super::Style::scale`]).
pub type PagePoint = (f64, f64);

/// A line's look.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub color: Color,
    /// Width in page pixels.
    pub width: f64,
    /// Dash and gap lengths in page pixels; empty for a solid line.
    pub dash: Vec<f64>,
}

impl Stroke {
    /// A solid line.
    pub fn solid(color: Color, width: f64) -> Stroke {
        Stroke {
            color,
            width,
            dash: Vec::new(),
        }
    }
}

/// One line of text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Anchor point, page pixels.
    pub x: f64,
    /// Baseline, page pixels.
    pub y: f64,
    /// The text (plain, not escaped).
    pub text: String,
    /// Font size, page pixels.
    pub size: f64,
    /// Bold rather than regular.
    pub bold: bool,
    /// Where `x` is on the line.
    pub anchor: Anchor,
    /// Fill colour.
    pub color: Color,
    /// A halo behind the glyphs (colour, width in page pixels), for text over the map.
    pub halo: Option<(Color, f64)>,
}

/// A typed drawing item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Polylines or rings.
    Path {
        /// Each subpath's points.
        subpaths: Vec<Vec<PagePoint>>,
        /// Whether each subpath is closed (a ring) or open (a line).
        closed: bool,
        /// Fill, for closed subpaths.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A circle.
    Circle {
        /// Centre.
        center: PagePoint,
        /// Radius, page pixels.
        radius: f64,
        /// Fill.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// An axis-aligned box, optionally with rounded corners.
    Rect {
        /// Top-left corner.
        origin: PagePoint,
        /// Width and height, page pixels.
        size: (f64, f64),
        /// Corner radius, page pixels.
        corner: f64,
        /// Fill.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A line of text.
    Text(TextRun),
    /// Items that belong together (one place, one annotation), with what identifies them.
    Group(Group),
}

/// A group of items with its identity: `<g id class data-…>` in SVG.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// Element id (unique in the document), if any.
    pub id: Option<String>,
    /// Class, if any.
    pub class: Option<String>,
    /// `data-*` attributes, without the `data-` prefix, in order.
    pub data: Vec<(String, String)>,
    /// The items.
    pub items: Vec<Item>,
}

/// A named layer of the page: a group that Inkscape and Illustrator show as a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Element id (`annotations`, `place-states`, ...).
    pub id: String,
    /// The name shown in the layers panel.
    pub label: String,
    /// The items, bottom first.
    pub items: Vec<Item>,
}
