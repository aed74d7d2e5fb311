//! Lines drawn over the districts: province borders and the country outline.
//!
//! The outline is the exterior of the union of all districts (geo's `unary_union`), which
//! holds even when neighbouring districts were digitised separately and do not share
//! vertices (the 2021 takeover TopoJSON, GADM, geoBoundaries). Holes in that union are gaps
//! between districts, not borders, and are left out.
//!
//! Province borders, when neighbours share their vertices (OCHA), are the district edges
//! whose two sides lie in different provinces, as topojson's `mesh` finds them: each drawn
//! once and exactly on the district edges. When they do not, that test would miss borders,
//! so each province is dissolved instead and its exterior drawn.

use rustc_hash::FxHashMap as HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Polylines (lon/lat) of the province borders and of the outline.
#[derive(Debug, Clone, Default)]
pub struct Mesh {
    /// Every district edge, each once (a border shared by two districts is drawn once).
    pub borders: Vec<LineString<f64>>,
    /// Province borders, as polylines.
    pub province_borders: Vec<LineString<f64>>,
    /// The exterior rings of the union of all districts.
    pub outline: Vec<LineString<f64>>,
    /// Share of district edges that no other district shares.
    pub unshared_share: f64,
    /// Whether neighbours share their vertices: the unshared edges are (about) as long as
    /// the union's rings, i.e. they are the outline and nothing else. `None` when neither
    /// the outline nor province borders were wanted, so no union was made to tell.
    pub clean: Option<bool>,
}

/// Vertex identity: neighbours in a clean coverage share bit-identical vertices, and so do
/// their projections and simplifications (see [`crate::simplify`]).
fn key(c: Coord<f64>) -> (u64, u64) {
    (c.x.to_bits(), c.y.to_bits())
}

type Edge = ((u64, u64), (u64, u64));

fn edge(a: Coord<f64>, b: Coord<f64>) -> Option<Edge> {
    let (ka, kb) = (key(a), key(b));
    match ka.cmp(&kb) {
        std::cmp::Ordering::Less => Some((ka, kb)),
        std::cmp::Ordering::Greater => Some((kb, ka)),
        std::cmp::Ordering::Equal => None,
    }
}

fn rings(g: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    g.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// The union of some polygons.
fn union<'a>(polygons: impl Iterator<Item = &'a Polygon<f64>>) -> MultiPolygon<f64> {
    let polygons: Vec<Polygon<f64>> = polygons.cloned().collect();
    geo::unary_union(&polygons)
}

fn exteriors(m: MultiPolygon<f64>) -> Vec<LineString<f64>> {
    m.0.into_iter().map(|p| p.into_inner().0).collect()
}

fn length(a: Coord<f64>, b: Coord<f64>) -> f64 {
    // Not `hypot`: its care against overflow costs 4x here, where lengths only go into the
    // 1% test of a clean mesh and coordinates are degrees or metres.
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    (dx * dx + dy * dy).sqrt()
}

/// Builds the lines of `geometries`. `provinces[i]` is the province of geometry `i`; `None`
/// when no province borders are wanted from the mesh. The union of all districts (the
/// costliest part) is only made when the outline or the province borders need it.
pub fn build(
    geometries: &[MultiPolygon<f64>],
    provinces: Option<&[Option<usize>]>,
    outline: bool,
) -> Mesh {
    let none = match provinces {
        Some(_) => Vec::new(),
        None => vec![None; geometries.len()],
    };
    let groups = provinces.unwrap_or(&none);
    let provinces = groups.iter().any(Option::is_some);
    let table = || {
        let edges = Edges::new(geometries, groups);
        let borders = edges.chains(geometries, |_| true);
        (edges, borders)
    };
    // The union and the edge table are independent: two cores. (Without the union, the
    // table alone is not worth waking the other core for.)
    let (all, (edges, borders)) = if outline || provinces {
        rayon::join(
            || Some(union(geometries.iter().flat_map(|g| g.0.iter()))),
            table,
        )
    } else {
        (None, table())
    };
    let total = edges.info.len().max(1);
    let unshared = edges.info.iter().filter(|e| e.count == 1).count();
    let unshared_length: f64 = edges
        .info
        .iter()
        .filter(|e| e.count == 1)
        .map(|e| e.length)
        .sum();
    let mut mesh = Mesh {
        unshared_share: unshared as f64 / total as f64,
        borders,
        ..Mesh::default()
    };
    let Some(all) = all else {
        return mesh;
    };
    let union_length: f64 = rings(&all)
        .flat_map(|r| r.0.windows(2))
        .map(|w| length(w[0], w[1]))
        .sum();
    let clean = unshared_length <= union_length * 1.01;
    mesh.clean = Some(clean);
    mesh.outline = exteriors(all);
    if !provinces {
        return mesh;
    }
    if clean {
        mesh.province_borders = edges.chains(geometries, |e| e.count > 1 && e.mixed);
    } else {
        use rayon::prelude::*;
        let mut ids: Vec<usize> = groups.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let dissolved: Vec<Vec<LineString<f64>>> = ids
            .par_iter()
            .map(|&id| {
                let members = geometries
                    .iter()
                    .zip(groups)
                    .filter(|(_, g)| **g == Some(id))
                    .flat_map(|(g, _)| g.0.iter());
                exteriors(union(members))
            })
            .collect();
        mesh.province_borders = dissolved.into_iter().flatten().collect();
    }
    mesh
}

/// One distinct edge: how many rings use it, whether the users disagree on the province.
struct EdgeInfo {
    count: u32,
    group: Option<usize>,
    mixed: bool,
    length: f64,
}

const NO_EDGE: u32 = u32::MAX;

/// Every distinct edge once, and which edge each step of each ring is (in the order
/// [`rings`] walks them), so that chaining needs no second lookup by coordinates.
struct Edges {
    info: Vec<EdgeInfo>,
    steps: Vec<u32>,
}

impl Edges {
    fn new(geometries: &[MultiPolygon<f64>], groups: &[Option<usize>]) -> Edges {
        let vertices: usize = geometries.iter().flat_map(rings).map(|r| r.0.len()).sum();
        let mut numbers: HashMap<Edge, u32> =
            HashMap::with_capacity_and_hasher(vertices, Default::default());
        let mut info: Vec<EdgeInfo> = Vec::with_capacity(vertices);
        let mut steps = Vec::with_capacity(vertices);
        for (g, group) in geometries.iter().zip(groups) {
            for ring in rings(g) {
                for w in ring.0.windows(2) {
                    let Some(e) = edge(w[0], w[1]) else {
                        steps.push(NO_EDGE);
                        continue;
                    };
                    let next = info.len() as u32;
                    let n = *numbers.entry(e).or_insert(next);
                    if n == next {
                        info.push(EdgeInfo {
                            count: 0,
                            group: *group,
                            mixed: false,
                            length: length(w[0], w[1]),
                        });
                    }
                    let entry = &mut info[n as usize];
                    entry.count += 1;
                    if entry.group != *group {
                        entry.mixed = true;
                    }
                    steps.push(n);
                }
            }
        }
        Edges { info, steps }
    }

    /// The edges `keep` accepts, each once, chained into polylines. Rings are walked in
    /// file order so that consecutive kept edges make long lines; an edge is emitted by the
    /// first ring that reaches it.
    fn chains(
        &self,
        geometries: &[MultiPolygon<f64>],
        keep: impl Fn(&EdgeInfo) -> bool,
    ) -> Vec<LineString<f64>> {
        let mut lines = Vec::new();
        let mut emitted = vec![false; self.info.len()];
        let mut steps = self.steps.iter();
        for g in geometries {
            for ring in rings(g) {
                let mut current: Vec<Coord<f64>> = Vec::new();
                for (w, &n) in ring.0.windows(2).zip(&mut steps) {
                    let kept = n != NO_EDGE
                        && keep(&self.info[n as usize])
                        && !std::mem::replace(&mut emitted[n as usize], true);
                    if kept && current.last() == Some(&w[0]) {
                        current.push(w[1]);
                    } else {
                        if current.len() > 1 {
                            lines.push(LineString::new(std::mem::take(&mut current)));
                        }
                        current.clear();
                        if kept {
                            current.extend([w[0], w[1]]);
                        }
                    }
                }
                if current.len() > 1 {
                    lines.push(LineString::new(current));
                }
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)
        ]])
    }

    fn edges(lines: &[LineString<f64>]) -> usize {
        lines.iter().map(|l| l.0.len() - 1).sum()
    }

    #[test]
    fn border_between_provinces_is_kept_once() {
        // Three squares in a row: A and B in province 0, C in province 1.
        let (a, b, c) = (square(0.0, 0.0), square(1.0, 0.0), square(2.0, 0.0));
        let mesh = build(&[a, b, c], Some(&[Some(0), Some(0), Some(1)]), true);
        assert_eq!(mesh.clean, Some(true));
        assert_eq!(edges(&mesh.province_borders), 1, "only the B|C edge");
        assert_eq!(edges(&mesh.borders), 10, "12 ring edges, 2 of them shared");
        assert_eq!(mesh.outline.len(), 1);
        let outline = geo::Polygon::new(mesh.outline[0].clone(), vec![]);
        assert_eq!(geo::Area::unsigned_area(&outline), 3.0);
    }

    #[test]
    fn without_provinces_only_the_outline_is_found() {
        let (a, b) = (square(0.0, 0.0), square(1.0, 0.0));
        let mesh = build(&[a, b], None, true);
        assert!(mesh.province_borders.is_empty());
        assert_eq!(mesh.outline.len(), 1);
        assert!((mesh.unshared_share - 6.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn without_outline_or_provinces_no_union_is_made() {
        let (a, b) = (square(0.0, 0.0), square(1.0, 0.0));
        let mesh = build(&[a, b], None, false);
        assert!(mesh.outline.is_empty());
        assert_eq!(mesh.clean, None);
        assert_eq!(
            edges(&mesh.borders),
            7,
            "the borders are still every edge once"
        );
    }

    #[test]
    fn provinces_of_a_sloppy_coverage_are_dissolved() {
        // B overlaps A by a hair, so A and B share no vertex: the edge test finds nothing.
        let (a, b, c) = (square(0.0, 0.0), square(0.9999, 0.0), square(0.0, 1.0));
        let mesh = build(&[a, b, c], Some(&[Some(0), Some(1), Some(1)]), true);
        assert_eq!(mesh.clean, Some(false));
        // One ring for province 0 (A), one for province 1 (B and C touch along a short edge).
        assert_eq!(mesh.province_borders.len(), 2);
    }
}
