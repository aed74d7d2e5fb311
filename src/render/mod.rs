//! Rendering: the map as SVG, the same SVG rasterised to PNG or converted to vector PDF.
//!
//! A [`Scene`] holds everything that does not depend on the date: projected district paths,
//! province borders, the outline, places and the page layout. A [`Frame`] adds what does:
//! the fills, the legend counts and the date line. So a series prepares the geometry once.

pub mod change;
#[cfg(test)]
mod colorblind;
pub mod draw;
pub mod extras;
pub mod html;
pub mod labels;
pub mod limits;
mod locator;
pub mod pdf;
pub mod png;
pub mod raster;
pub(crate) mod scalebar;
pub mod styling;
pub mod svg;
pub mod text;
pub mod zoom;

use geo::{MultiPolygon, Rect};

pub use extras::Overlays;
// The style model moved to `crate::style` (the style-file reader builds it, and must not
// import render); re-exported so that `render::Style`, `render::furniture` … still name it.
pub(crate) use crate::style::size;
pub use crate::style::{LegendEntry, MAX_PIXELS, Place, Style, Text, furniture, template};

use crate::district::District;
use crate::project::{Area, PageTransform, ProjectError, Projection, polygon_bounds};
use crate::status::Color;
use furniture::{LegendPosition, NoDataEntry};

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
}

/// A district ready to draw.
#[derive(Debug, Clone)]
pub(crate) struct DistrictPath {
    pub(crate) element_id: String,
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) province: Option<String>,
    pub(crate) d: String,
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
}

/// Places labels greedily, in order: right of the dot, then left, above, below and the four
/// diagonals; a label that fits nowhere (or only over one of `obstacles`) is left out rather
/// than drawn over another.
fn place_labels(
    places: &mut [PlacePoint],
    u: f64,
    area: Area,
    font: &furniture::Font,
    obstacles: &[labels::Box],
) {
    type Box = (f64, f64, f64, f64);
    let overlaps = |a: Box, b: Box| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    let dot = |p: &PlacePoint| p.radius(u) + 1.0 * u;
    let mut taken: Vec<Box> = places
        .iter()
        .map(|p| (p.x - dot(p), p.y - dot(p), p.x + dot(p), p.y + dot(p)))
        .collect();
    taken.extend_from_slice(obstacles);
    let inside = |b: Box| {
        b.0 >= area.x && b.1 >= area.y && b.2 <= area.x + area.width && b.3 <= area.y + area.height
    };
    for i in 0..places.len() {
        let p = &places[i];
        let size = font.size * u;
        let w = f64::from(text::measure(
            &p.name,
            size as f32,
            p.capital || font.bold(),
        ));
        let (r, gap) = (p.radius(u), 3.0 * u);
        let (x, y) = (p.x, p.y);
        let candidates = [
            (
                (x + r + gap, y + 0.35 * size, "start"),
                (
                    x + r + gap,
                    y - 0.6 * size,
                    x + r + gap + w,
                    y + 0.45 * size,
                ),
            ),
            (
                (x - r - gap, y + 0.35 * size, "end"),
                (
                    x - r - gap - w,
                    y - 0.6 * size,
                    x - r - gap,
                    y + 0.45 * size,
                ),
            ),
            (
                (x, y - r - gap, "middle"),
                (
                    x - w / 2.0,
                    y - r - gap - 0.95 * size,
                    x + w / 2.0,
                    y - r - gap + 0.2 * size,
                ),
            ),
            (
                (x, y + r + gap + 0.8 * size, "middle"),
                (
                    x - w / 2.0,
                    y + r + gap - 0.1 * size,
                    x + w / 2.0,
                    y + r + gap + 1.0 * size,
                ),
            ),
            // The diagonals, as cartographers rank them after the four sides.
            (
                (x + r, y - r - gap, "start"),
                (
                    x + r,
                    y - r - gap - 0.95 * size,
                    x + r + w,
                    y - r - gap + 0.2 * size,
                ),
            ),
            (
                (x + r, y + r + gap + 0.8 * size, "start"),
                (
                    x + r,
                    y + r + gap - 0.1 * size,
                    x + r + w,
                    y + r + gap + 1.0 * size,
                ),
            ),
            (
                (x - r, y - r - gap, "end"),
                (
                    x - r - w,
                    y - r - gap - 0.95 * size,
                    x - r,
                    y - r - gap + 0.2 * size,
                ),
            ),
            (
                (x - r, y + r + gap + 0.8 * size, "end"),
                (
                    x - r - w,
                    y + r + gap - 0.1 * size,
                    x - r,
                    y + r + gap + 1.0 * size,
                ),
            ),
        ];
        let own = taken[i];
        let found = candidates
            .into_iter()
            .find(|(_, b)| inside(*b) && !taken.iter().any(|t| *t != own && overlaps(*t, *b)));
        if let Some((anchor, b)) = found {
            taken.push(b);
            places[i].label = Some(anchor);
            places[i].label_box = Some(b);
        }
    }
}

impl PlacePoint {
    pub(crate) fn radius(&self, u: f64) -> f64 {
        (if self.capital { 4.5 } else { 3.0 }) * u
    }
}

/// Where the furniture goes, in page pixels. Font sizes scale with the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// Unit: 1 at 1600 px wide.
    pub(crate) u: f64,
    /// The left margin, where every line of text starts.
    pub(crate) margin: f64,
    pub(crate) title_y: f64,
    /// The distance between two lines of each text (title, subtitle, source) when it wraps.
    pub(crate) leading: Leading,
    /// The widest a line of text may be: the page less its margins.
    pub(crate) text_width: f64,
    /// Texts that do not fit the width even wrapped (a word too long), for a warning.
    pub(crate) overflow: Vec<String>,
    pub(crate) subtitle_y: Option<f64>,
    pub(crate) date_y: f64,
    /// Top-left of each legend slot, in legend order (as many slots as categories).
    pub(crate) legend_slots: Vec<(f64, f64)>,
    /// Side of a legend swatch.
    pub(crate) swatch: f64,
    pub(crate) source_y: Option<f64>,
    pub(crate) map: Area,
}

/// Line distances of the wrapped texts, page px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Leading {
    pub(crate) title: f64,
    pub(crate) subtitle: f64,
    pub(crate) source: f64,
}

/// A text template as wide as it can get when expanded, for the layout: `{date}` becomes the
/// longest date; other placeholders are measured as written, which is wider than the counts
/// and about as wide as the labels they stand for.
fn widest_text(template: &str) -> String {
    template.replace("{date}", "September 30, 2021")
}

impl Layout {
    /// Lays out header, legend and footer for a page; `legend_labels` are the legend texts
    /// with room for the largest count, so the layout does not move from date to date.
    pub(crate) fn new(style: &Style, text: &Text, legend_labels: &[String]) -> Layout {
        let (w, h) = (f64::from(style.width), f64::from(style.height));
        // Text shrinks with the page, but not below what stays legible on a small map.
        let u = (w / 1600.0).min(h / 1200.0).max(0.5);
        let fonts = &style.fonts;
        // The swatch keeps its proportion to the legend's text.
        let swatch = size::SWATCH * fonts.legend.size / size::LEGEND * u;
        if style.plain {
            return Layout {
                u,
                margin: 0.0,
                title_y: 0.0,
                leading: Leading::default(),
                text_width: w,
                overflow: Vec::new(),
                subtitle_y: None,
                date_y: 0.0,
                legend_slots: Vec::new(),
                swatch,
                source_y: None,
                map: Area {
                    x: 0.0,
                    y: 0.0,
                    width: w,
                    height: h,
                },
            };
        }
        let m = &style.margins;
        let (top, right, bottom, left) = (m.top * u, m.right * u, m.bottom * u, m.left * u);
        // Each text wraps to the width between the margins; the layout makes room for as
        // many lines as the widest expansion of its template needs.
        let text_width = (w - left - right).max(1.0);
        let mut overflow = Vec::new();
        let mut lines = |what: &str, t: &str, font: &furniture::Font| {
            let size = (font.size * u) as f32;
            let lines = text::wrap(&widest_text(t), text_width, size, font.bold());
            for long in text::overflowing(&lines, text_width, size, font.bold()) {
                overflow.push(format!(
                    "{what}: `{long}` is {:.0} px wide, more than the {text_width:.0} px between the margins",
                    text::measure(long, size, font.bold())
                ));
            }
            lines.len() as f64
        };
        let leading = Leading {
            title: fonts.title.size * 1.2 * u,
            subtitle: fonts.subtitle.size * 1.3 * u,
            source: fonts.source.size * 1.3 * u,
        };
        let title_lines = lines("title", &text.title, &fonts.title);
        let subtitle_lines = text
            .subtitle
            .as_deref()
            .map_or(0.0, |t| lines("subtitle", t, &fonts.subtitle));
        let source_lines = text
            .source
            .as_deref()
            .map_or(0.0, |t| lines("source", t, &fonts.source));
        if let Some(d) = &text.date_line {
            lines("date line", d, &fonts.date);
        }
        let mut y = top + fonts.title.size * u;
        let title_y = y;
        y += (title_lines - 1.0) * leading.title;
        let subtitle_y = text.subtitle.as_ref().map(|_| {
            y += fonts.subtitle.size * 1.5 * u;
            let first = y;
            y += (subtitle_lines - 1.0) * leading.subtitle;
            first
        });
        if text.date_line.is_some() {
            y += fonts.date.size * 1.6 * u;
        }
        let date_y = y;
        y += 16.0 * u;
        let map_top = y + 8.0 * u;
        let extra_source = (source_lines - 1.0).max(0.0) * leading.source;
        let map_bottom = match text.source {
            Some(_) => h - bottom - fonts.source.size * 1.6 * u - extra_source,
            None => h - bottom,
        };
        // The baseline of the source's first line: its last line sits on the bottom margin.
        let source_y = text.source.as_ref().map(|_| h - bottom - extra_source);

        let gap = 28.0 * u;
        let row = swatch * 1.5;
        let items: Vec<f64> = legend_labels
            .iter()
            .map(|label| {
                swatch
                    + 8.0 * u
                    + f64::from(text::measure(
                        label,
                        (fonts.legend.size * u) as f32,
                        fonts.legend.bold(),
                    ))
            })
            .collect();
        // Items flow left to right and wrap, from (0, 0): the rows of a legend above or
        // below the map.
        let flow = || {
            let (mut x, mut y) = (left, 0.0);
            let mut slots = Vec::new();
            for item in &items {
                if x > left && x + item > w - right {
                    x = left;
                    y += row;
                }
                slots.push((x, y));
                x += item + gap;
            }
            let height = if items.is_empty() { 0.0 } else { y + row };
            (slots, height)
        };
        // A legend beside the map is a column, or several side by side when one would run
        // below the map.
        let column = items.iter().copied().fold(0.0, f64::max);
        let per_column = (((map_bottom - map_top) / row).floor() as usize).max(1);
        let columns = items.len().div_ceil(per_column).max(1) as f64;
        let beside = columns * column + (columns - 1.0) * gap;
        let stack = |x: f64| -> Vec<(f64, f64)> {
            (0..items.len())
                .map(|i| {
                    let (c, r) = (i / per_column, i % per_column);
                    (x + c as f64 * (column + gap), map_top + r as f64 * row)
                })
                .collect()
        };
        // A column that would take half the width leaves too little map: rows instead.
        let position = match style.legend.position {
            LegendPosition::Left if 2.0 * (beside + gap) > w - left - right => LegendPosition::Top,
            LegendPosition::Right if 2.0 * (beside + gap) > w - left - right => {
                LegendPosition::Bottom
            }
            p => p,
        };
        let (legend_slots, map) = match position {
            LegendPosition::Top => {
                let (slots, height) = flow();
                let slots = slots.into_iter().map(|(x, dy)| (x, y + dy)).collect();
                let map_top = y + height + 8.0 * u;
                (slots, area(left, map_top, w - right, map_bottom))
            }
            LegendPosition::Bottom => {
                let (slots, height) = flow();
                let legend_top = map_bottom - height;
                let slots = slots
                    .into_iter()
                    .map(|(x, dy)| (x, legend_top + dy))
                    .collect();
                (slots, area(left, map_top, w - right, legend_top - 8.0 * u))
            }
            LegendPosition::Left if !items.is_empty() => (
                stack(left),
                area(left + beside + gap, map_top, w - right, map_bottom),
            ),
            LegendPosition::Right if !items.is_empty() => (
                stack(w - right - beside),
                area(left, map_top, w - right - beside - gap, map_bottom),
            ),
            LegendPosition::Left | LegendPosition::Right => {
                (Vec::new(), area(left, map_top, w - right, map_bottom))
            }
        };
        Layout {
            u,
            margin: left,
            title_y,
            leading,
            text_width,
            overflow,
            subtitle_y,
            date_y,
            legend_slots,
            swatch,
            source_y,
            map,
        }
    }
}

/// The area between two corners; never empty, so that a crowded page still projects.
fn area(x0: f64, y0: f64, x1: f64, y1: f64) -> Area {
    Area {
        x: x0,
        y: y0,
        width: (x1 - x0).max(1.0),
        height: (y1 - y0).max(1.0),
    }
}

/// Everything about a map that does not depend on the date, ready to draw many frames.
#[derive(Debug)]
pub struct Scene {
    pub(crate) style: Style,
    pub(crate) text: Text,
    pub(crate) layout: Layout,
    pub(crate) districts: Vec<DistrictPath>,
    pub(crate) provinces_d: String,
    pub(crate) outline_d: String,
    pub(crate) borders_d: String,
    legend: Vec<LegendEntry>,
    unplaced: Vec<String>,
    raster: std::sync::OnceLock<Result<raster::Raster, String>>,
    pub(crate) places: Vec<PlacePoint>,
    pub(crate) decimals: usize,
    /// The districts as drawn (projected and simplified, map units).
    shapes: Vec<MultiPolygon<f64>>,
    page: PageTransform,
    interior: std::sync::OnceLock<Vec<Option<(f64, f64)>>>,
    clean: bool,
    /// Zoom, locator, change marks, district labels, captured capitals.
    pub(crate) extras: extras::Extras,
    /// With `--bbox`: per district, whether its drawn geometry reaches into the frame;
    /// empty otherwise.
    in_view: Vec<bool>,
    /// The scale bar, when asked for and the centre of the map can be measured.
    pub(crate) scale_bar: Option<scalebar::ScaleBar>,
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
                d: svg::polygon_path(g, &page, decimals),
            })
            .collect();
        let provinces_d = match input.provinces {
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
                svg::line_path(&rings, &page, decimals)
            }
            None => svg::line_path(&mesh.province_borders, &page, decimals),
        };
        let outline_d = svg::line_path(&mesh.outline, &page, decimals);
        let borders_d = svg::line_path(&mesh.borders, &page, decimals);
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
                    })
                }
                _ => unplaced.push(p.name.clone()),
            }
        }
        place_labels(
            &mut places,
            layout.u,
            layout.map,
            &style.fonts.labels,
            &extras.obstacles(),
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
            provinces_d,
            outline_d,
            borders_d,
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
        };
        let (labels, dropped) = extras::district_labels(&scene, input.overlays);
        scene.extras.district_labels = labels;
        scene.extras.district_labels_dropped = dropped;
        Ok(scene)
    }

    /// The SVG document for a frame.
    pub fn svg(&self, frame: &Frame) -> String {
        svg::document(self, frame)
    }

    /// The PNG image for a frame: the map of [`Scene::svg`], drawn from pixels prepared once
    /// per scene (see [`raster`]).
    pub fn png(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        png::encode(&self.pixmap(frame)?)
    }

    /// The vector PDF of a frame: [`Scene::svg`] converted by svg2pdf, one page of the SVG's
    /// size (1 px = 1 pt), text in the embedded bundled font (see [`pdf`]).
    pub fn pdf(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        pdf::render(&self.svg(frame), self.style.scale)
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

    /// Places whose label fits nowhere without overlapping another label or dot, or leaving
    /// the map area (their dot is drawn; the label is not), and places the projection cannot
    /// take or that fall outside the map area.
    pub fn unlabelled_places(&self) -> Vec<&str> {
        self.places
            .iter()
            .filter(|p| p.label.is_none())
            .map(|p| p.name.as_str())
            .chain(self.unplaced.iter().map(String::as_str))
            .collect()
    }

    /// Places the projection cannot take, or that fall outside the map area or under the
    /// locator (a subset of [`Scene::unlabelled_places`]).
    pub fn places_off_the_map(&self) -> &[String] {
        &self.unplaced
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

    /// The style the scene was made with.
    pub fn style(&self) -> &Style {
        &self.style
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
