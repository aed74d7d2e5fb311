//! Annotations (callouts): a wrapped text box on the map with a leader line to a place, a
//! point or a district's label point, in the layer `annotations`.
//!
//! A box is laid out once per scene, after the place and district labels: at the offset the
//! annotation gives, or else at the first of a ring of positions around its target (nearer
//! first, right before left, above before below) that stays in the map frame and clear of
//! every place dot and label, district label, the locator, the scale bar, the legend and the
//! other annotations. When no position is clear, the one with the least overlap is kept and a
//! warning says so ([`Placed::clear`]). `from`/`to` limit an annotation to some dates of a
//! series; the layer is drawn with the frame's changing parts.
//!
//! The text sits on an opaque box, so it needs no halo: the PDF holds each line's text once.

use super::draw::{Anchor, Group, Item, Layer, Stroke, TextRun};
use super::labels::{Box, overlaps};
pub(crate) use super::parts::Placed;
use super::{Frame, Scene, text};
use crate::project::{Area, PageTransform, Projection};
use crate::status::Color;
use crate::timeline::Date;

/// What an annotation points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A place: its index among the map's places (`--places` order).
    Place(usize),
    /// A point, lon/lat degrees.
    Point {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// A district (its index in the boundaries): its label point.
    District(usize),
}

/// One annotation, its target resolved (see [`crate::read::Annotation`] for the file side).
#[derive(Debug, Clone, PartialEq)]
pub struct Callout {
    /// The text; wrapped to `width`, and at its newlines.
    pub text: String,
    /// What the leader line points at.
    pub target: Target,
    /// Where the box goes, relative to the target, in px of a 1600×1200 page (x right, y
    /// down): the point of the box's top edge given by `anchor`. `None`: placed clear of
    /// the labels automatically.
    pub offset: Option<(f64, f64)>,
    /// How the lines are aligned in the box (and which point of its top edge `offset` is).
    pub anchor: Anchor,
    /// The widest a line may be, px of a 1600×1200 page; `None` for [`DEFAULT_WIDTH`].
    pub width: Option<f64>,
    /// The first date it is shown on; `None`: from the start.
    pub from: Option<Date>,
    /// The last date it is shown on; `None`: to the end.
    pub to: Option<Date>,
    /// Where it was given ("notes.csv: line 3"), for warnings.
    pub origin: String,
}

impl Callout {
    /// Whether it is shown on `date` (a map without dates shows every annotation).
    pub fn shown_on(&self, date: Date) -> bool {
        date == Date::SNAPSHOT
            || (self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t))
    }
}

/// The default line width of an annotation, px of a 1600×1200 page.
pub const DEFAULT_WIDTH: f64 = 230.0;

/// The text size of annotations, px of a 1600×1200 page (the labels' size).
const SIZE: f64 = 15.0;
/// The colour of the text, the box's outline and the leader line: the labels' colour.
fn ink(scene: &Scene) -> Color {
    scene.style.fonts.labels.color
}

/// The box's fill: the page's background (white on a transparent page), so that a dark
/// style gets dark boxes.
fn paper(scene: &Scene) -> Color {
    scene.style.background.unwrap_or(Color {
        r: 0xff,
        g: 0xff,
        b: 0xff,
    })
}

/// The text size on the page: the labels' size, or the type floor's.
fn size(scene: &Scene) -> f64 {
    (SIZE * scene.layout.u).max(scene.style.type_floor.labels)
}

/// Lays out the annotations of a scene whose labels are placed; returns them and the
/// warnings (targets off the map, boxes that found no clear spot).
pub(crate) fn layout(
    scene: &Scene,
    callouts: &[Callout],
    projection: &Projection,
    page: &PageTransform,
) -> (Vec<Placed>, Vec<String>) {
    let u = scene.layout.u;
    let frame = scene.extras.clip.unwrap_or(scene.layout.map);
    let mut taken = obstacles(scene);
    let size = size(scene);
    let pad = 6.0 * u;
    let mut placed = Vec::new();
    let mut warnings = Vec::new();
    for (index, c) in callouts.iter().enumerate() {
        let target = match &c.target {
            Target::Place(i) => scene
                .places
                .iter()
                .find(|p| p.source == *i)
                .map(|p| ((p.x, p.y), p.name.clone(), false)),
            Target::Point { lon, lat } => projection
                .forward(*lon, *lat)
                .map(|(x, y)| (page.apply(x, y), format!("{lon:.4},{lat:.4}"), true)),
            Target::District(d) => scene
                .interior_points()
                .get(*d)
                .copied()
                .flatten()
                .map(|p| (p, scene.districts[*d].name.clone(), true)),
        };
        let Some((t, label, dot)) = target.filter(|(t, _, _)| contains(frame, *t)) else {
            warnings.push(format!(
                "{}: its target is not on the map (off the frame, or a place not drawn); not drawn",
                c.origin
            ));
            continue;
        };
        let lines = text::wrap(
            &scene.style.typeface,
            &c.text,
            c.width.unwrap_or(DEFAULT_WIDTH) * u,
            size as f32,
            false,
        );
        let w = lines
            .iter()
            .map(|l| f64::from(scene.style.typeface.measure(l, size as f32, false)))
            .fold(0.0, f64::max)
            + 2.0 * pad;
        let h = lines.len() as f64 * size * 1.25 + 2.0 * pad - 0.25 * size;
        let candidates: Vec<Box> = match c.offset {
            Some((dx, dy)) => {
                let (x, y) = (t.0 + dx * u, t.1 + dy * u);
                let left = match c.anchor {
                    Anchor::Start => x,
                    Anchor::Middle => x - w / 2.0,
                    Anchor::End => x - w,
                };
                // The editor's position first; when it is taken (another page size
                // moves the labels), the ring's clear positions rather than a box over a
                // label.
                std::iter::once((left, y, left + w, y + h))
                    .chain(ring(t, (w, h), u))
                    .collect()
            }
            None => ring(t, (w, h), u),
        };
        let cost = |b: Box| {
            let outside = !contains_box(frame, b);
            let overlap: f64 = taken.iter().map(|o| overlap_area(*o, b)).sum();
            (outside, overlap)
        };
        let best = candidates
            .iter()
            .copied()
            .find(|b| cost(*b) == (false, 0.0))
            .map(|b| (b, true))
            .unwrap_or_else(|| {
                let b = candidates
                    .iter()
                    .copied()
                    .min_by(|a, b| {
                        let (ca, cb) = (cost(*a), cost(*b));
                        ca.0.cmp(&cb.0).then(ca.1.total_cmp(&cb.1))
                    })
                    .unwrap_or((t.0, t.1, t.0 + w, t.1 + h));
                (b, false)
            });
        let (bounds, clear) = best;
        if clear && c.offset.is_some() && bounds != candidates[0] {
            warnings.push(format!(
                "{}: the box at the dx/dy given would cover a label, the legend or leave the frame; moved to the nearest clear position",
                c.origin
            ));
        }
        if !clear {
            warnings.push(format!(
                "{}: no room clear of the labels, the legend and the frame; drawn at its best position",
                c.origin
            ));
        }
        taken.push(bounds);
        placed.push(Placed {
            index,
            lines,
            bounds,
            target: t,
            dot,
            label,
            anchor: c.anchor,
            clear,
        });
    }
    (placed, warnings)
}

/// Positions of a `w`×`h` box around `t`, best first: at growing distances, the box's
/// nearest corner (or edge middle) towards the target.
fn ring(t: (f64, f64), (w, h): (f64, f64), u: f64) -> Vec<Box> {
    let mut out = Vec::new();
    for d in [40.0, 65.0, 100.0, 150.0, 210.0] {
        let d = d * u;
        let diag = d * std::f64::consts::FRAC_1_SQRT_2;
        let (x, y) = t;
        out.extend([
            // Right and up, right and down, left and up, left and down.
            (x + diag, y - diag - h, x + diag + w, y - diag),
            (x + diag, y + diag, x + diag + w, y + diag + h),
            (x - diag - w, y - diag - h, x - diag, y - diag),
            (x - diag - w, y + diag, x - diag, y + diag + h),
            // Right, left, above, below.
            (x + d, y - h / 2.0, x + d + w, y + h / 2.0),
            (x - d - w, y - h / 2.0, x - d, y + h / 2.0),
            (x - w / 2.0, y - d - h, x + w / 2.0, y - d),
            (x - w / 2.0, y + d, x + w / 2.0, y + d + h),
        ]);
    }
    out
}

/// Everything an annotation box must stay clear of: place dots and labels, district labels,
/// the locator, the scale bar and the legend's entries.
fn obstacles(scene: &Scene) -> Vec<Box> {
    let u = scene.layout.u;
    let mut taken = scene.extras.obstacles();
    for p in &scene.places {
        let r = p.radius(u).max(7.0 * u) + u;
        taken.push((p.x - r, p.y - r, p.x + r, p.y + r));
        taken.extend(p.label_box);
    }
    let font = super::labels::district_font(u, scene.style.type_floor.labels);
    for l in &scene.extras.district_labels {
        let w = f64::from(scene.style.typeface.measure(
            &scene.districts[l.district].name,
            font as f32,
            false,
        ));
        taken.push((
            l.x - w / 2.0,
            l.y - 0.8 * font,
            l.x + w / 2.0,
            l.y + 0.25 * font,
        ));
    }
    if let Some(bar) = &scene.scale_bar {
        let size = scene.style.fonts.legend.size * u;
        taken.push((
            bar.x - 4.0 * u,
            bar.y - 9.0 * u - 1.2 * size,
            bar.x + bar.px + 40.0 * u,
            bar.y + 4.0 * u,
        ));
    }
    // A legend beside the map is outside its frame anyway; one drawn over it is not.
    let sw = scene.layout.swatch;
    for &(x, y) in &scene.layout.legend_slots {
        taken.push((x, y, x + sw + 200.0 * u, y + sw));
    }
    taken
}

fn contains(a: Area, (x, y): (f64, f64)) -> bool {
    (a.x..=a.x + a.width).contains(&x) && (a.y..=a.y + a.height).contains(&y)
}

fn contains_box(a: Area, b: Box) -> bool {
    b.0 >= a.x && b.1 >= a.y && b.2 <= a.x + a.width && b.3 <= a.y + a.height
}

fn overlap_area(a: Box, b: Box) -> f64 {
    if !overlaps(a, b) {
        return 0.0;
    }
    (a.2.min(b.2) - a.0.max(b.0)) * (a.3.min(b.3) - a.1.max(b.1))
}

/// The point of box `b` nearest to `p`.
fn nearest_on(b: Box, p: (f64, f64)) -> (f64, f64) {
    (p.0.clamp(b.0, b.2), p.1.clamp(b.1, b.3))
}

/// The id of the layer of the annotations, as a frame holds it ([`crate::Map::frame`]).
pub const LAYER: &str = "annotations";

/// The annotations shown on the frame's date, in the layer `annotations`; `None` when the
/// map has none.
pub(crate) fn layer(scene: &Scene, frame: &Frame) -> Option<Layer> {
    if scene.extras.annotations.is_empty() {
        return None;
    }
    let u = scene.layout.u;
    let size = size(scene);
    let pad = 6.0 * u;
    let (ink, paper) = (ink(scene), paper(scene));
    let items = scene
        .extras
        .annotations
        .iter()
        .filter(|a| frame.annotations.get(a.index).copied().unwrap_or(true))
        .map(|a| {
            let (x0, y0, x1, y1) = a.bounds;
            let end = nearest_on(a.bounds, a.target);
            // The line stops short of the target, clear of its dot.
            let (dx, dy) = (end.0 - a.target.0, end.1 - a.target.1);
            let len = dx.hypot(dy);
            let gap = (if a.dot { 3.0 } else { 7.5 } * u).min(len);
            let start = if len > 0.0 {
                (a.target.0 + dx / len * gap, a.target.1 + dy / len * gap)
            } else {
                a.target
            };
            let mut items = vec![Item::Path {
                subpaths: vec![vec![start, end]],
                closed: false,
                fill: None,
                stroke: Some(Stroke::solid(ink, 1.6 * u)),
            }];
            if a.dot {
                items.push(Item::Circle {
                    center: a.target,
                    radius: 2.5 * u,
                    fill: Some(ink),
                    stroke: Some(Stroke::solid(paper, u)),
                });
            }
            items.push(Item::Rect {
                origin: (x0, y0),
                size: (x1 - x0, y1 - y0),
                corner: 3.0 * u,
                fill: Some(paper),
                stroke: Some(Stroke::solid(ink, 0.8 * u)),
            });
            let x = match a.anchor {
                Anchor::Start => x0 + pad,
                Anchor::Middle => (x0 + x1) / 2.0,
                Anchor::End => x1 - pad,
            };
            for (i, line) in a.lines.iter().enumerate() {
                items.push(Item::Text(TextRun {
                    x,
                    y: y0 + pad + 0.8 * size + i as f64 * 1.25 * size,
                    text: line.clone(),
                    size,
                    bold: false,
                    anchor: a.anchor,
                    color: ink,
                    halo: None,
                }));
            }
            let n = super::markup::num;
            Item::Group(Group {
                id: Some(format!("annotation-{}", a.index + 1)),
                class: Some("annotation".into()),
                data: vec![
                    ("target".into(), a.label.clone()),
                    (
                        "box".into(),
                        format!("{} {} {} {}", n(x0, 2), n(y0, 2), n(x1, 2), n(y1, 2)),
                    ),
                ],
                items,
            })
        })
        .collect();
    Some(Layer {
        id: LAYER.into(),
        label: LAYER.into(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_and_to_are_inclusive() {
        let d = |s| Date::parse_iso(s).unwrap();
        let c = Callout {
            text: "x".into(),
            target: Target::Place(0),
            offset: None,
            anchor: Anchor::Start,
            width: None,
            from: Some(d("2021-06-20")),
            to: Some(d("2021-07-01")),
            origin: "t".into(),
        };
        assert!(!c.shown_on(d("2021-06-19")));
        assert!(c.shown_on(d("2021-06-20")));
        assert!(c.shown_on(d("2021-07-01")));
        assert!(!c.shown_on(d("2021-07-02")));
        assert!(c.shown_on(Date::SNAPSHOT));
    }

    #[test]
    fn the_ring_starts_near_and_every_position_keeps_the_box_size() {
        let r = ring((100.0, 100.0), (50.0, 20.0), 1.0);
        assert_eq!(r.len(), 40);
        for b in &r {
            assert!(((b.2 - b.0) - 50.0).abs() < 1e-9 && ((b.3 - b.1) - 20.0).abs() < 1e-9);
        }
        let dist = |b: &Box| {
            let p = nearest_on(*b, (100.0, 100.0));
            (p.0 - 100.0).hypot(p.1 - 100.0)
        };
        assert!(dist(&r[0]) < dist(&r[39]));
    }
}
