//! The locator map of a region zoom: a small inset with the whole country's silhouette, the
//! zoomed districts filled, and the main map's frame as a red rectangle.
//!
//! It goes in the corner of the map frame that covers the least of the map: four corners are
//! sampled on a grid, a point on a zoomed district counting far more than a point on a
//! neighbour. If every corner would cover part of the zoomed region, the inset is made
//! smaller and the corners tried again. It never changes with the date, so the PNG renderer
//! draws it once per map.

use std::fmt::Write;

use geo::{BoundingRect, Contains, LineString, MultiPolygon, Point, Polygon, Rect, Simplify};

use super::geometry::polygon_path;
use super::labels::Box;
use super::markup::num;
use crate::project::{Area, PageTransform, bounds};

/// The locator, laid out on the page.
#[derive(Debug, Clone)]
pub(crate) struct Locator {
    /// The inset's box.
    pub(crate) area: Area,
    /// The country silhouette (path data, page px).
    country_d: String,
    /// The zoomed districts.
    focus_d: String,
    /// The main map's frame, inside the inset.
    frame: Box,
    u: f64,
}

/// Sample points per side of a corner box when scoring it.
const SAMPLES: usize = 12;

impl Locator {
    /// Lays out a locator for the map drawn with `page` in `map` (the map frame):
    /// `shapes` are the districts as drawn (map units), `outline` the country's rings,
    /// `focus` the zoomed districts (empty for a `--bbox` frame). `None` when there is
    /// nothing to draw.
    pub(crate) fn new(
        shapes: &[MultiPolygon<f64>],
        outline: &[LineString<f64>],
        focus: &[bool],
        page: &PageTransform,
        map: Area,
        u: f64,
        decimals: usize,
    ) -> Option<Locator> {
        let country = bounds(outline.iter().flat_map(|r| r.0.iter()).map(|c| (c.x, c.y)))?;
        let aspect = country.width() / country.height();
        if !(aspect.is_finite() && aspect > 0.0) {
            return None;
        }
        let boxes: Vec<Option<Rect<f64>>> = shapes.iter().map(|s| s.bounding_rect()).collect();
        let is_focus = |i: usize| focus.get(i).copied().unwrap_or(false);
        // How much of the map a box on the page would hide: zoomed districts weigh most.
        let score = |b: Area| -> (usize, usize) {
            let (mut on_focus, mut on_map) = (0, 0);
            for i in 0..SAMPLES {
                for j in 0..SAMPLES {
                    let px = b.x + (i as f64 + 0.5) * b.width / SAMPLES as f64;
                    let py = b.y + (j as f64 + 0.5) * b.height / SAMPLES as f64;
                    let (x, y) = page.invert(px, py);
                    let p = Point::new(x, y);
                    let hit = shapes
                        .iter()
                        .enumerate()
                        .find(|(k, s)| boxes[*k].is_some_and(|r| r.contains(&p)) && s.contains(&p));
                    if let Some((k, _)) = hit {
                        on_map += 1;
                        if is_focus(k) {
                            on_focus += 1;
                        }
                    }
                }
            }
            (on_focus, on_map)
        };
        let pad = 5.0 * u;
        let inset = 10.0 * u;
        let mut best: Option<((usize, usize), Area)> = None;
        for shrink in [1.0, 0.8, 0.6] {
            let w = (0.22 * map.width).min(0.32 * map.height * aspect) * shrink;
            let (bw, bh) = (w + 2.0 * pad, w / aspect + 2.0 * pad);
            if bw + 2.0 * inset > map.width || bh + 2.0 * inset > map.height {
                continue;
            }
            let (left, right) = (map.x + inset, map.x + map.width - inset - bw);
            let (top, bottom) = (map.y + inset, map.y + map.height - inset - bh);
            // Ties go to the bottom corners, where a locator is usually looked for.
            for (x, y) in [(left, bottom), (right, bottom), (left, top), (right, top)] {
                let area = Area {
                    x,
                    y,
                    width: bw,
                    height: bh,
                };
                let s = score(area);
                if best.as_ref().is_none_or(|(b, _)| s < *b) {
                    best = Some((s, area));
                }
            }
            if best.as_ref().is_some_and(|(s, _)| s.0 == 0) {
                break;
            }
        }
        let (_, area) = best?;
        let inner = Area {
            x: area.x + pad,
            y: area.y + pad,
            width: area.width - 2.0 * pad,
            height: area.height - 2.0 * pad,
        };
        let t = PageTransform::fit(country, inner, 0.0);
        // Half a pixel of the inset is as fine as it shows.
        let epsilon = 0.5 / t.scale();
        let silhouette = MultiPolygon::new(
            outline
                .iter()
                .map(|r| Polygon::new(r.clone(), vec![]))
                .collect(),
        )
        .simplify(epsilon);
        let zoomed: Vec<Polygon<f64>> = shapes
            .iter()
            .enumerate()
            .filter(|(i, _)| is_focus(*i))
            .flat_map(|(_, s)| s.0.iter().cloned())
            .collect();
        let focus_d = if zoomed.is_empty() {
            String::new()
        } else {
            polygon_path(&geo::unary_union(&zoomed).simplify(epsilon), &t, decimals)
        };
        // The main map's frame, in map units, then in the inset (kept inside it, and big
        // enough to see when the zoom is on one small district).
        let (x0, y0) = page.invert(map.x, map.y + map.height);
        let (x1, y1) = page.invert(map.x + map.width, map.y);
        let (a, b) = (t.apply(x0, y1), t.apply(x1, y0));
        let min = 4.0 * u;
        let (cx, cy) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (hw, hh) = (((b.0 - a.0) / 2.0).max(min), ((b.1 - a.1) / 2.0).max(min));
        let frame = (
            (cx - hw).max(area.x + 1.0 * u),
            (cy - hh).max(area.y + 1.0 * u),
            (cx + hw).min(area.x + area.width - 1.0 * u),
            (cy + hh).min(area.y + area.height - 1.0 * u),
        );
        Some(Locator {
            area,
            country_d: polygon_path(&silhouette, &t, decimals),
            focus_d,
            frame,
            u,
        })
    }

    /// The box labels must keep clear of, with room for their halos.
    pub(crate) fn keep_clear(&self) -> Box {
        let m = 4.0 * self.u;
        (
            self.area.x - m,
            self.area.y - m,
            self.area.x + self.area.width + m,
            self.area.y + self.area.height + m,
        )
    }

    /// The `locator` layer.
    pub(crate) fn write(&self, out: &mut String) {
        let u = self.u;
        let a = self.area;
        let _ = writeln!(
            out,
            r##"<g id="locator"{}><rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" stroke="#666666" stroke-width="{}"/>"##,
            super::markup::layer("locator"),
            num(a.x, 2),
            num(a.y, 2),
            num(a.width, 2),
            num(a.height, 2),
            num(u, 2)
        );
        let _ = writeln!(
            out,
            r##"<path d="{}" fill="#e0e0e0" fill-rule="evenodd" stroke="#8c8c8c" stroke-width="{}" stroke-linejoin="round"/>"##,
            self.country_d,
            num(0.7 * u, 2)
        );
        if !self.focus_d.is_empty() {
            let _ = writeln!(
                out,
                r##"<path d="{}" fill="#555555" fill-rule="evenodd"/>"##,
                self.focus_d
            );
        }
        let f = self.frame;
        let _ = writeln!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#d62728" stroke-width="{}"/></g>"##,
            num(f.0, 2),
            num(f.1, 2),
            num(f.2 - f.0, 2),
            num(f.3 - f.1, 2),
            num(1.5 * u, 2)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)
        ]])
    }

    #[test]
    fn the_locator_takes_the_corner_away_from_the_zoomed_region() {
        // A 10×10 country; the zoomed district is its bottom-left quarter, and the frame
        // shows the whole country: the bottom-left corner is the one to avoid.
        let shapes = vec![
            square(0.0, 0.0, 5.0),
            square(5.0, 0.0, 5.0),
            square(0.0, 5.0, 5.0),
            square(5.0, 5.0, 5.0),
        ];
        let outline = vec![LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ])];
        let map = Area {
            x: 0.0,
            y: 0.0,
            width: 400.0,
            height: 400.0,
        };
        let page = PageTransform::fit(bounds([(0.0, 0.0), (10.0, 10.0)]).unwrap(), map, 0.0);
        let l = Locator::new(
            &shapes,
            &outline,
            &[true, false, false, false],
            &page,
            map,
            1.0,
            1,
        )
        .unwrap();
        // Not over the bottom-left quarter of the page.
        assert!(
            l.area.x > 100.0 || l.area.y + l.area.height < 200.0,
            "{:?}",
            l.area
        );
        // The frame is the whole country: it fills the inset.
        assert!(l.frame.2 - l.frame.0 > 0.8 * (l.area.width - 10.0));
        let mut svg = String::new();
        l.write(&mut svg);
        assert!(svg.starts_with(r#"<g id="locator" inkscape:groupmode="layer""#));
        assert_eq!(svg.matches("<path").count(), 2);
    }
}
