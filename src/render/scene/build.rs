//! Building a scene: projecting, simplifying and laying out the map once, then the passes
//! that place labels, district labels and callouts over it.

use geo::{MultiPolygon, Rect};

use super::{DistrictPath, PlacePoint, Scene};
use crate::project::Projection;
use crate::project::{Area, PageTransform, ProjectError, polygon_bounds};
use crate::read::District;
use crate::render::furniture::NoDataEntry;
use crate::render::geometry::PagePath;
use crate::render::layout::Layout;
use crate::render::{LegendEntry, Overlays, Place};
use crate::render::{
    RenderError, Style, Text, annotations, extras, labels, limits, place_states, placement, png,
    scalebar, zoom,
};
use crate::style::BorderMode;

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
        let projected: Vec<MultiPolygon<f64>> = {
            use rayon::prelude::*;
            input
                .districts
                .par_iter()
                .map(|d| projection.forward_geometry(&d.geometry))
                .collect()
        };
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
        // Province borders where they are drawn, from the mesh only when no province file
        // replaces them; the outline where it is drawn or frames the locator.
        let provinces_drawn = style.province_width > 0.0;
        let groups = (provinces_drawn && input.provinces.is_none()).then_some(input.groups);
        let outline_wanted = style.outline_width > 0.0 || input.overlays.draws_locator(&style);
        let mesh = crate::mesh::build(&projected, groups, outline_wanted);
        let decimals = if style.scale <= 1.0 { 1 } else { 2 };

        let mut used_ids = std::collections::HashSet::new();
        let paths: Vec<PagePath> = {
            use rayon::prelude::*;
            projected
                .par_iter()
                .map(|g| PagePath::polygons(g, &page, decimals))
                .collect()
        };
        let districts = input
            .districts
            .iter()
            .zip(paths)
            .map(|(d, path)| DistrictPath {
                element_id: element_id(&d.id.0, d.index, &mut used_ids),
                id: d.id.0.clone(),
                name: d.name.clone(),
                province: d.province.clone(),
                path,
            })
            .collect();
        let provinces = match input.provinces {
            Some(polys) if provinces_drawn => {
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
            _ => PagePath::lines(&mesh.province_borders, &page, decimals),
        };
        let outline = PagePath::lines(&mesh.outline, &page, decimals);
        let borders = match style.borders {
            BorderMode::Shared => PagePath::lines(&mesh.borders, &page, decimals),
            // Every ring of every district, so that a shared border is stroked from both
            // sides, as the other tools do.
            BorderMode::Each => {
                let rings: Vec<geo::LineString<f64>> = projected
                    .iter()
                    .flat_map(|g| &g.0)
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .cloned()
                    .collect();
                PagePath::lines(&rings, &page, decimals)
            }
        };
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
}

/// Per district: whether its geometry (map units) reaches into `frame` (page px), i.e. some
/// of it is drawn inside the clipped map.
fn in_frame(shapes: &[MultiPolygon<f64>], page: &PageTransform, frame: Area) -> Vec<bool> {
    use geo::{BoundingRect, Intersects};
    let (x0, y0) = page.invert(frame.x, frame.y + frame.height);
    let (x1, y1) = page.invert(frame.x + frame.width, frame.y);
    let rect = Rect::new((x0, y0), (x1, y1));
    let polygon = rect.to_polygon();
    use geo::Contains;
    shapes
        .iter()
        .map(|g| match g.bounding_rect() {
            None => false,
            // Most districts lie wholly inside or outside the frame: only those across its
            // edge need the exact test.
            Some(b) if rect.contains(&b) => true,
            Some(b) => b.intersects(&rect) && g.intersects(&polygon),
        })
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
