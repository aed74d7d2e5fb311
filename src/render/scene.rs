//! The scene: everything about a map that does not depend on the date, projected,
//! simplified, laid out and rounded once into page-space geometry ([`PagePath`]), text
//! positions and extra [`Layer`]s, ready for every writer (SVG, PNG, PDF, web) to draw many
//! frames from.

use geo::{MultiPolygon, Rect};

use super::draw::Layer;
use super::furniture::NoDataEntry;
use super::geometry::PagePath;
use super::layout::Layout;
use super::{
    Frame, LegendEntry, Overlays, Place, RenderError, Style, Text, annotations, extras, labels,
    limits, place_states, placement, png, raster, scalebar, svg, zoom,
};
use crate::project::{Area, PageTransform, ProjectError, Projection, polygon_bounds};
use crate::read::District;

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
    pub(crate) hand: placement::LabelHand,
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
    raster: std::sync::OnceLock<Result<raster::Raster, String>>,
    pub(crate) places: Vec<PlacePoint>,
    pub(crate) decimals: usize,
    /// The districts as drawn (projected and simplified, map units).
    pub(crate) shapes: Vec<MultiPolygon<f64>>,
    pub(crate) page: PageTransform,
    interior: std::sync::OnceLock<Vec<Option<(f64, f64)>>>,
    clean: bool,
    /// Zoom, locator, change marks, district labels, captured capitals.
    pub(crate) extras: extras::Extras,
    /// With `--bbox`: per district, whether its drawn geometry reaches into the frame;
    /// empty otherwise.
    in_view: Vec<bool>,
    /// The scale bar, when asked for and the centre of the map can be measured.
    pub(crate) scale_bar: Option<scalebar::ScaleBar>,
    /// Labels kept crowded, set by hand over something, or dropped with their dot.
    label_outcome: placement::Outcome,
}

/// Inputs to [`Scene::new`].
#[derive(Debug, Clone)]
pub struct SceneInput<'a> {
    /// The districts.
    pub districts: &'a [District],
    /// Each district's province as a small number (`None` when there are no provinces),
    /// for the province borders.
    pub groups: &'a [Option<usize>],
    /// Extra province polygons (`--provinces`), drawn instead of the mesh's province borders.
    pub provinces: Option<&'a [MultiPolygon<f64>]>,
    /// The projection.
    pub projection: &'a Projection,
    /// A fixed lon/lat frame (`--bbox`), or `None` to fit the data.
    pub bbox: Option<Rect<f64>>,
    /// Places to mark.
    pub places: &'a [Place],
    /// Each place's district name, as bound ([`crate::places`]), for `data-district`; may be
    /// shorter than `places` (missing = not bound).
    pub place_districts: &'a [Option<String>],
    /// The legend: every category and no-data last, in order (counts are ignored).
    pub legend: &'a [LegendEntry],
    /// Zoom, locator, change marks, district labels, captured capitals.
    pub overlays: &'a Overlays,
}

/// The default of [`Style::max_pixels`].
pub const MAX_PIXELS: u64 = 100_000_000;

impl Scene {
    /// Projects and lays out the map.
    pub fn new(input: SceneInput<'_>, mut style: Style, text: Text) -> Result<Scene, RenderError> {
        check_size(&style)?;
        raise_to_floor(&mut style);
        // Room for the largest possible count, so that counts changing with the date never
        // move anything.
        let widest = "0".repeat(input.districts.len().max(1).to_string().len());
        let legend_labels: Vec<String> = input
            .legend
            .iter()
            .filter(|e| {
                e.key != crate::status::NO_DATA || style.legend.no_data != NoDataEntry::Never
            })
            .map(|e| match style.legend.counts {
                true => format!("{} {widest}", e.label),
                false => e.label.clone(),
            })
            .chain(
                input
                    .overlays
                    .legend_labels(input.districts.len(), input.places.len()),
            )
            .chain(place_states::legend_labels(
                &input.overlays.place_states,
                &style.place_states,
            ))
            .collect();
        let layout = Layout::new(&style, &text, &legend_labels);
        let projection = input.projection;
        let projected: Vec<MultiPolygon<f64>> = input
            .districts
            .iter()
            .map(|d| projection.forward_geometry(&d.geometry))
            .collect();
        let (extent, margin) = match input.bbox {
            Some(b) => (projection.forward_box(b).ok_or(ProjectError::Empty)?, 0.0),
            None => (
                polygon_bounds(
                    projected
                        .iter()
                        .enumerate()
                        // A region zoom frames its own districts.
                        .filter(|(i, _)| input.overlays.in_focus(*i))
                        .map(|(_, g)| g),
                )
                .ok_or(ProjectError::Empty)?,
                if input.overlays.focus.is_empty() {
                    0.02
                } else {
                    zoom::MARGIN
                },
            ),
        };
        let page = PageTransform::fit(extent, layout.map, margin);
        let epsilon = style.simplify / page.scale();
        let projected = crate::simplify::simplify_shared(&projected, epsilon);
        let in_view = match input.bbox {
            Some(_) => in_frame(&projected, &page, layout.map),
            None => Vec::new(),
        };
        let mesh = crate::mesh::build(&projected, input.groups);
        let decimals = if style.scale <= 1.0 { 1 } else { 2 };

        let mut used_ids = std::collections::HashSet::new();
        let districts = input
            .districts
            .iter()
            .zip(&projected)
            .map(|(d, g)| DistrictPath {
                element_id: element_id(&d.id.0, d.index, &mut used_ids),
                id: d.id.0.clone(),
                name: d.name.clone(),
                province: d.province.clone(),
                path: PagePath::polygons(g, &page, decimals),
            })
            .collect();
        let provinces = match input.provinces {
            Some(polys) => {
                let polys: Vec<MultiPolygon<f64>> = polys
                    .iter()
                    .map(|g| projection.forward_geometry(g))
                    .collect();
                let rings: Vec<geo::LineString<f64>> =
                    crate::simplify::simplify_shared(&polys, epsilon)
                        .into_iter()
                        .flat_map(|g| g.0)
                        .flat_map(|p| {
                            let (exterior, interiors) = p.into_inner();
                            std::iter::once(exterior).chain(interiors)
                        })
                        .collect();
                PagePath::lines(&rings, &page, decimals)
            }
            None => PagePath::lines(&mesh.province_borders, &page, decimals),
        };
        let outline = PagePath::lines(&mesh.outline, &page, decimals);
        let borders = PagePath::lines(&mesh.borders, &page, decimals);
        let framed = input.bbox.is_some() || !input.overlays.focus.is_empty();
        let mut extras = extras::Extras::new(
            input.overlays,
            framed,
            &style,
            &layout,
            &page,
            &projected,
            &mesh.outline,
            decimals,
        );
        // A place off the map (or outside the projection's domain) is not drawn at all.
        let map_area = layout.map;
        let mut places = Vec::new();
        let mut unplaced = Vec::new();
        let mut place_ids = std::collections::HashSet::new();
        for (source, p) in input.places.iter().enumerate() {
            let point = projection
                .forward(p.lon, p.lat)
                .map(|(x, y)| page.apply(x, y));
            match point {
                Some((x, y))
                    if (map_area.x..=map_area.x + map_area.width).contains(&x)
                        && (map_area.y..=map_area.y + map_area.height).contains(&y)
                        && !extras.hides(x, y) =>
                {
                    places.push(PlacePoint {
                        source,
                        name: p.name.clone(),
                        district: input.place_districts.get(source).cloned().flatten(),
                        element_id: labels::place_id(&p.name, &mut place_ids),
                        x,
                        y,
                        capital: p.kind.as_deref().is_some_and(|k| k.contains("capital")),
                        label: None,
                        label_box: None,
                        shown: p.hand.text.clone().unwrap_or_else(|| p.name.clone()),
                        hand: p.hand.clone(),
                    })
                }
                _ => unplaced.push(p.name.clone()),
            }
        }
        let label_outcome = placement::place_labels(
            &mut places,
            layout.u,
            layout.map,
            &style.fonts.labels,
            &style.typeface,
            &extras.obstacles(),
            style.unplaced_labels,
        );
        let captured = extras.captured;
        // Only capitals are marked as captured; without any, there is nothing to mark.
        extras.captured = captured && places.iter().any(|p| p.capital);
        let scale_bar = (style.scale_bar && !style.plain)
            .then(|| {
                scalebar::scale_bar(
                    &page,
                    input.projection,
                    layout.map,
                    layout.u,
                    style.north_arrow,
                )
            })
            .flatten();
        let mut scene = Scene {
            scale_bar,
            style,
            text,
            layout,
            districts,
            provinces,
            outline,
            borders,
            layers: Vec::new(),
            legend: input.legend.to_vec(),
            unplaced,
            raster: std::sync::OnceLock::new(),
            places,
            decimals,
            shapes: projected,
            page,
            interior: std::sync::OnceLock::new(),
            clean: mesh.clean,
            extras,
            in_view,
            label_outcome,
        };
        let (labels, dropped) = extras::district_labels(&scene, input.overlays);
        scene.extras.district_labels = labels;
        scene.extras.district_labels_dropped = dropped;
        let (annotations, warnings) = annotations::layout(
            &scene,
            &input.overlays.annotations,
            input.projection,
            &scene.page,
        );
        scene.extras.annotations = annotations;
        scene.extras.annotation_warnings = warnings;
        Ok(scene)
    }

    /// The SVG document for a frame.
    pub fn svg(&self, frame: &Frame) -> String {
        svg::document(self, frame)
    }

    /// The PNG image for a frame: the map of [`Scene::svg`], drawn from pixels prepared once
    /// per scene (see [`raster`]).
    pub fn png(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        let pixmap = self.pixmap(frame)?;
        let png = png::encode(&pixmap)?;
        if let Some(Ok(raster)) = self.raster.get() {
            raster.recycle(pixmap);
        }
        Ok(png)
    }

    /// The vector PDF of a frame: [`Scene::svg`] converted by svg2pdf, one page of the SVG's
    /// size (1 px = 1 pt), text in the embedded bundled font (see [`pdf`]).
    #[cfg(feature = "pdf")]
    pub fn pdf(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        super::pdf::render_with(&self.svg(frame), self.style.scale, &self.style.typeface)
    }

    /// The pixels of a frame, before PNG encoding.
    pub fn pixmap(&self, frame: &Frame) -> Result<resvg::tiny_skia::Pixmap, RenderError> {
        let raster = self
            .raster
            .get_or_init(|| raster::Raster::new(self).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| RenderError::Svg(e.clone()))?;
        raster.compose(self, frame)
    }

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
    pub fn is_clean_coverage(&self) -> bool {
        self.clean
    }

    /// With `--bbox`, per district (in order): whether its drawn geometry reaches into the
    /// map frame, which is what the legend counts; empty without `--bbox`.
    pub fn in_view(&self) -> &[bool] {
        &self.in_view
    }

    /// The box the districts are drawn in on the page (left, top, right, bottom, page px),
    /// for small multiples to align their panels on the map rather than on its frame.
    pub(crate) fn drawn_box(&self) -> Option<labels::Box> {
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
    /// District borders are one layer over all fills, each shared border drawn once, so
    /// both sides of it look the same whichever district was drawn last.
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

/// Per district: whether its geometry (map units) reaches into `frame` (page px), i.e. some
/// of it is drawn inside the clipped map.
fn in_frame(shapes: &[MultiPolygon<f64>], page: &PageTransform, frame: Area) -> Vec<bool> {
    use geo::{BoundingRect, Intersects};
    let (x0, y0) = page.invert(frame.x, frame.y + frame.height);
    let (x1, y1) = page.invert(frame.x + frame.width, frame.y);
    let rect = Rect::new((x0, y0), (x1, y1));
    let polygon = rect.to_polygon();
    shapes
        .iter()
        .map(|g| g.bounding_rect().is_some_and(|b| b.intersects(&rect)) && g.intersects(&polygon))
        .collect()
}

/// Checks the page size, scale and pixel limit of a style before any work is done.
pub fn check_size(style: &Style) -> Result<(), RenderError> {
    let fail = |why: &str| RenderError::Size {
        width: style.width,
        height: style.height,
        scale: style.scale,
        why: why.to_string(),
    };
    limits::check_style(style)?;
    let (w, h) = png::pixel_size(style);
    if u64::from(w) * u64::from(h) > style.max_pixels {
        return Err(fail(&format!(
            "{} pixels is more than the limit of {} (raise it with --max-pixels)",
            u64::from(w) * u64::from(h),
            style.max_pixels
        )));
    }
    Ok(())
}

/// Raises every font to the style's type floor, as drawn on its page (sizes are in px of a
/// 1600×1200 page and scale with the page by `u`).
fn raise_to_floor(style: &mut Style) {
    let u = (f64::from(style.width) / 1600.0)
        .min(f64::from(style.height) / 1200.0)
        .max(0.5);
    let floor = style.type_floor;
    let f = &mut style.fonts;
    for (font, min) in [
        (&mut f.title, floor.text),
        (&mut f.subtitle, floor.text),
        (&mut f.date, floor.text),
        (&mut f.source, floor.text),
        (&mut f.legend, floor.legend),
        (&mut f.labels, floor.labels),
    ] {
        font.size = font.size.max(min / u);
    }
}

/// A valid, unique XML id for a district's `<path>`: `d-` + the id with unsafe characters
/// replaced (ids such as `#12` or `1769…` are not XML names).
fn element_id(id: &str, index: usize, used: &mut std::collections::HashSet<String>) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut candidate = format!("d-{clean}");
    if !used.insert(candidate.clone()) {
        candidate = format!("d-{clean}-{index}");
        used.insert(candidate.clone());
    }
    candidate
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
