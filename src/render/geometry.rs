//! Page-space geometry: the district rings and the border lines of a scene, projected,
//! simplified and rounded once, in the decimals the SVG prints.
//!
//! Every writer draws the same points: the SVG writer prints them as path data, the PNG
//! writer fills and strokes them with tiny-skia, and [`super::draw`] items can be made from
//! them. Keeping the rounded fixed-point values (rather than the path text) is what lets
//! the raster skip parsing the SVG back, while drawing exactly the outline the SVG holds.

use geo::{LineString, MultiPolygon};
use resvg::tiny_skia;

use super::markup::push_number;
use crate::project::PageTransform;

/// Rings or lines in page pixels, each point rounded to `decimals` decimals (fixed point).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PagePath {
    decimals: usize,
    closed: bool,
    /// Where each subpath starts in `points`.
    starts: Vec<usize>,
    points: Vec<(i64, i64)>,
}

impl PagePath {
    /// The rings of a polygon geometry in map units.
    pub(crate) fn polygons(g: &MultiPolygon<f64>, page: &PageTransform, decimals: usize) -> Self {
        let rings =
            g.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        Self::build(rings, page, decimals, true)
    }

    /// Polylines (or rings drawn as lines) in map units.
    pub(crate) fn lines(lines: &[LineString<f64>], page: &PageTransform, decimals: usize) -> Self {
        Self::build(lines.iter(), page, decimals, false)
    }

    fn build<'a>(
        parts: impl Iterator<Item = &'a LineString<f64>>,
        page: &PageTransform,
        decimals: usize,
        closed: bool,
    ) -> Self {
        let mut path = PagePath {
            decimals,
            closed,
            starts: Vec::new(),
            points: Vec::new(),
        };
        let scale = 10f64.powi(decimals as i32);
        for part in parts {
            let start = path.points.len();
            for c in &part.0 {
                let (px, py) = page.apply(c.x, c.y);
                let p = ((px * scale).round() as i64, (py * scale).round() as i64);
                // Points that round onto the previous one say nothing more.
                if path.points.len() == start || path.points.last() != Some(&p) {
                    path.points.push(p);
                }
            }
            let n = path.points.len() - start;
            if closed && n > 1 && path.points[start] == path.points[path.points.len() - 1] {
                path.points.pop();
            }
            if path.points.len() - start < if closed { 3 } else { 2 } {
                path.points.truncate(start);
            } else {
                path.starts.push(start);
            }
        }
        path
    }

    /// Whether there is nothing to draw.
    pub(crate) fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Each subpath's fixed-point points.
    fn subpaths(&self) -> impl Iterator<Item = &[(i64, i64)]> {
        let ends = self
            .starts
            .iter()
            .skip(1)
            .copied()
            .chain([self.points.len()]);
        self.starts
            .iter()
            .zip(ends)
            .map(|(&a, b)| &self.points[a..b])
    }

    /// About how many bytes the path data takes, for sizing the document.
    pub(crate) fn len_hint(&self) -> usize {
        self.points.len() * 8 + self.starts.len() * 4
    }

    /// The SVG path data: per subpath `M x y l dx dy dx dy …` (`Z` when closed).
    pub(crate) fn d(&self) -> String {
        let mut out = String::with_capacity(self.len_hint());
        self.write_d(&mut out);
        out
    }

    /// Appends the SVG path data (see [`PagePath::d`]).
    pub(crate) fn write_d(&self, out: &mut String) {
        let decimals = self.decimals;
        for pts in self.subpaths() {
            // The first point absolute, the rest as relative `l` steps: the steps between
            // rounded points are exact in the same decimals, so the geometry is unchanged,
            // and short deltas ("-3.2 2.5") take a third fewer bytes than page coordinates.
            let (x0, y0) = pts[0];
            out.push('M');
            push_number(out, x0, decimals);
            out.push(' ');
            push_number(out, y0, decimals);
            out.push('l');
            let mut first = true;
            for w in pts.windows(2) {
                for delta in [w[1].0 - w[0].0, w[1].1 - w[0].1] {
                    // A minus sign separates numbers by itself.
                    if !first && delta >= 0 {
                        out.push(' ');
                    }
                    let at = out.len();
                    push_number(out, delta, decimals);
                    // "0.6" → ".6", "-0.6" → "-.6": valid SVG numbers, a byte less.
                    let digits = if delta < 0 { at + 1 } else { at };
                    if out[digits..].starts_with("0.") {
                        out.remove(digits);
                    }
                    first = false;
                }
            }
            if self.closed {
                out.push('Z');
            }
        }
    }

    /// The path for tiny-skia, in page pixels; `None` when empty.
    pub(crate) fn skia(&self) -> Option<tiny_skia::Path> {
        let scale = 10f64.powi(self.decimals as i32);
        let mut pb = tiny_skia::PathBuilder::with_capacity(
            self.points.len() + self.starts.len(),
            self.points.len(),
        );
        for s in self.subpaths() {
            let at = |p: (i64, i64)| ((p.0 as f64 / scale) as f32, (p.1 as f64 / scale) as f32);
            let (x, y) = at(s[0]);
            pb.move_to(x, y);
            for &p in &s[1..] {
                let (x, y) = at(p);
                pb.line_to(x, y);
            }
            if self.closed {
                pb.close();
            }
        }
        pb.finish()
    }
}

/// Path data for a polygon geometry in map units.
pub(crate) fn polygon_path(g: &MultiPolygon<f64>, page: &PageTransform, decimals: usize) -> String {
    PagePath::polygons(g, page, decimals).d()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, Rect, coord};

    fn page() -> PageTransform {
        let extent = Rect::new(coord! {x: 0.0, y: 0.0}, coord! {x: 100.0, y: 100.0});
        let area = crate::project::Area {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 100.0,
        };
        PageTransform::fit(extent, area, 0.0)
    }

    #[test]
    fn rings_are_written_as_relative_steps_without_repeated_points() {
        let ring = LineString::from(vec![
            (10.0, 10.0),
            (20.0, 10.0),
            (20.01, 10.0),
            (20.0, 20.0),
            (10.0, 10.0),
        ]);
        let g = MultiPolygon(vec![Polygon::new(ring, vec![])]);
        let path = PagePath::polygons(&g, &page(), 1);
        let d = path.d();
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        // Four distinct points less the closing one: three, i.e. two relative steps.
        assert_eq!(d.matches(' ').count() + d.matches('-').count(), 4, "{d}");
        assert!(path.skia().is_some());
    }

    #[test]
    fn degenerate_parts_are_dropped() {
        let line = LineString::from(vec![(10.0, 10.0), (10.001, 10.0)]);
        let path = PagePath::lines(&[line], &page(), 1);
        assert!(path.is_empty());
        assert_eq!(path.d(), "");
        assert!(path.skia().is_none());
    }
}
