//! The scene: everything about a map that does not depend on the date, projected,
//! simplified, laid out and rounded once into page-space geometry ([`PagePath`]), text
//! positions and extra [`Layer`]s, ready for every writer (SVG, PNG, PDF, web) to draw many
//! frames from.

use geo::{MultiPolygon, Rect};

use super::boxes::Box;
use super::draw::Layer;
use super::geometry::PagePath;
use super::layout::Layout;
use super::parts::{Extras, Outcome, Raster};
use super::{LegendEntry, Style, Text, scalebar};
use crate::project::PageTransform;

mod build;
mod write;

pub use build::{SceneInput, check_size};

/// A district ready to draw.
#[derive(Debug, Clone)]
pub(crate) struct DistrictPath {
    pub(crate) element_id: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) province: Option<String>,
    /// Its rings on the page.
    pub(crate) path: PagePath,
}

/// A place ready to draw, in page pixels.
#[derive(Debug, Clone)]
pub(crate) struct PlacePoint {
    /// Its index among the places given (what [`Frame::captured`] is indexed by).
    pub(crate) source: usize,
    pub(crate) name: String,
    /// The district it is bound to (`data-district`), if any.
    pub(crate) district: Option<String>,
    /// The XML id its marker and label are named after (see [`labels::place_id`]).
    pub(crate) element_id: String,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) capital: bool,
    /// Where the label goes (x, y of the baseline anchor, SVG `text-anchor`); `None` when
    /// every position would overlap another label or dot, or leave the map area.
    pub(crate) label: Option<(f64, f64, &'static str)>,
    /// The box the label takes, when it has one.
    pub(crate) label_box: Option<(f64, f64, f64, f64)>,
    /// The label's text: the places file's `label`, or the name.
    pub(crate) shown: String,
    /// The label as set by hand.
    pub(crate) hand: crate::style::labels::LabelHand,
}

impl PlacePoint {
    pub(crate) fn radius(&self, u: f64) -> f64 {
        (if self.capital { 4.5 } else { 3.0 }) * u
    }
}

/// Everything about a map that does not depend on the date, ready to draw many frames.
#[derive(Debug)]
pub struct Scene {
    pub(crate) style: Style,
    pub(crate) text: Text,
    pub(crate) layout: Layout,
    pub(crate) districts: Vec<DistrictPath>,
    pub(crate) provinces: PagePath,
    pub(crate) outline: PagePath,
    pub(crate) borders: PagePath,
    /// Extra layers (see [`super::draw`]) drawn over the places and labels, bottom first.
    layers: Vec<Layer>,
    legend: Vec<LegendEntry>,
    unplaced: Vec<String>,
    raster: std::sync::OnceLock<Result<Raster, String>>,
    pub(crate) places: Vec<PlacePoint>,
    pub(crate) decimals: usize,
    /// The districts as drawn (projected and simplified, map units).
    pub(crate) shapes: Vec<MultiPolygon<f64>>,
    pub(crate) page: PageTransform,
    interior: std::sync::OnceLock<Vec<Option<(f64, f64)>>>,
    clean: Option<bool>,
    /// Zoom, locator, change marks, district labels, captured capitals.
    pub(crate) extras: Extras,
    /// With `--bbox`: per district, whether its drawn geometry reaches into the frame;
    /// empty otherwise.
    in_view: Vec<bool>,
    /// The scale bar, when asked for and the centre of the map can be measured.
    pub(crate) scale_bar: Option<scalebar::ScaleBar>,
    /// Labels kept crowded, set by hand over something, or dropped with their dot.
    label_outcome: Outcome,
}

impl Scene {
    /// The legend entries (without counts) the scene was laid out for.
    pub(crate) fn legend_keys(&self) -> Vec<LegendEntry> {
        self.legend.clone()
    }

    /// Each district's most interior point on the page (pixels, before `scale`), in
    /// district order; `None` for an empty geometry. Useful for labels and for checking a
    /// raster: the pixel there has the district's fill.
    pub fn interior_points(&self) -> &[Option<(f64, f64)>] {
        self.interior.get_or_init(|| {
            // Half a pixel is as close as anyone can look.
            let tolerance = 0.5 / self.page.scale();
            self.shapes
                .iter()
                .map(|g| interior_point(g, tolerance).map(|(x, y)| self.page.apply(x, y)))
                .collect()
        })
    }

    /// Places the projection cannot take or that fall outside the map area (a label that
    /// fits nowhere is kept, [`Scene::crowded_labels`], or dropped with its dot,
    /// [`Scene::dropped_places`], never left off its dot). A label hidden on purpose
    /// (`hide_label`) is not counted.
    pub fn unlabelled_places(&self) -> Vec<&str> {
        self.places
            .iter()
            .filter(|p| p.label.is_none() && !p.hand.hidden)
            .map(|p| p.name.as_str())
            .chain(self.unplaced.iter().map(String::as_str))
            .collect()
    }

    /// Places the projection cannot take, or that fall outside the map area or under the
    /// locator (a subset of [`Scene::unlabelled_places`]).
    pub fn places_off_the_map(&self) -> &[String] {
        &self.unplaced
    }

    /// Place labels that fit nowhere, drawn at their least crowded position over another
    /// label or dot ([`placement::Unplaced::Keep`]).
    pub fn crowded_labels(&self) -> &[String] {
        &self.label_outcome.crowded
    }

    /// Place labels set by hand (`dx`, `dy`, `anchor`) over another label or dot, or out
    /// of the map area.
    pub fn hand_label_overlaps(&self) -> &[String] {
        &self.label_outcome.hand_overlaps
    }

    /// Places dropped with their dot because their label fits nowhere
    /// ([`placement::Unplaced::Drop`]).
    pub fn dropped_places(&self) -> &[String] {
        &self.label_outcome.dropped
    }

    /// District labels drawn and dropped for want of room (`--district-labels`).
    pub fn district_label_counts(&self) -> (usize, usize) {
        (
            self.extras.district_labels.len(),
            self.extras.district_labels_dropped,
        )
    }

    /// The texts (title, subtitle, date line, source) that do not fit between the margins
    /// even wrapped at word breaks, as warnings naming the text.
    pub fn text_overflows(&self) -> &[String] {
        &self.layout.overflow
    }

    /// Whether the map has a locator inset.
    pub fn has_locator(&self) -> bool {
        self.extras.locator.is_some()
    }

    /// Whether neighbouring districts share their vertices (a clean coverage). When they do
    /// not, province borders are dissolved per province rather than traced edge by edge.
    /// `None` when the map draws neither the outline nor province borders from the
    /// districts, so the coverage was not examined.
    pub fn is_clean_coverage(&self) -> Option<bool> {
        self.clean
    }

    /// With `--bbox`, per district (in order): whether its drawn geometry reaches into the
    /// map frame, which is what the legend counts; empty without `--bbox`.
    pub fn in_view(&self) -> &[bool] {
        &self.in_view
    }

    /// The box the districts are drawn in on the page (left, top, right, bottom, page px),
    /// for small multiples to align their panels on the map rather than on its frame.
    pub(crate) fn drawn_box(&self) -> Option<Box> {
        use geo::BoundingRect;
        let rects: Vec<Rect<f64>> = self
            .shapes
            .iter()
            .filter_map(|g| g.bounding_rect())
            .collect();
        let (x0, y0) = rects
            .iter()
            .map(|r| (r.min().x, r.min().y))
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1)))?;
        let (x1, y1) = rects
            .iter()
            .map(|r| (r.max().x, r.max().y))
            .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)))?;
        let (left, bottom) = self.page.apply(x0, y0);
        let (right, top) = self.page.apply(x1, y1);
        Some((left, top, right, bottom))
    }

    /// Annotations not drawn (their target is off the map) or drawn over something (no
    /// room clear of it), as warnings naming where each was given.
    pub fn annotation_warnings(&self) -> &[String] {
        &self.extras.annotation_warnings
    }

    /// The style the scene was made with.
    pub fn style(&self) -> &Style {
        &self.style
    }

    /// Adds a layer of typed items (see [`super::draw`]) that stays the same on every
    /// frame: every writer draws it over the places and labels, layers in the order added.
    /// (A layer that changes with the date goes in [`Frame::layers`].)
    pub fn add_layer(&mut self, layer: Layer) {
        self.layers.push(layer);
        // The PNG writer's per-map pixels include the fixed layers.
        self.raster = std::sync::OnceLock::new();
    }

    /// The layers added with [`Scene::add_layer`], bottom first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The line layers over the fills, bottom first: (layer id, lines, colour, width).
    /// District borders are one layer over all fills, each shared border drawn once (or,
    /// with [`crate::style::BorderMode::Each`], once from each side), so both sides of it
    /// look the same whichever district was drawn last.
    pub(crate) fn line_layers(&self) -> [(&'static str, &PagePath, crate::status::Color, f32); 3] {
        let style = &self.style;
        [
            (
                "borders",
                &self.borders,
                style.border_color,
                style.border_width,
            ),
            (
                "provinces",
                &self.provinces,
                style.province_color,
                style.province_width,
            ),
            (
                "outline",
                &self.outline,
                style.outline_color,
                style.outline_width,
            ),
        ]
    }
}

/// The pole of inaccessibility of the largest part of a geometry.
fn interior_point(g: &MultiPolygon<f64>, tolerance: f64) -> Option<(f64, f64)> {
    use geo::Area;
    let largest =
        g.0.iter()
            .filter(|p| p.exterior().0.len() >= 4)
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    polylabel::polylabel(largest, &tolerance)
        .ok()
        .map(|p| (p.x(), p.y()))
}
