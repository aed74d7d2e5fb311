//! Simplification that keeps neighbours together.
//!
//! Simplifying each polygon on its own (geo's `Simplify`) moves a shared border differently
//! on its two sides and opens slivers between districts. Here every ring is cut at its
//! *junctions* (vertices with other than two distinct neighbours, where borders meet) and
//! each piece between two junctions is simplified with Ramer–Douglas–Peucker, which keeps
//! its end points and gives the same result whichever way the piece is walked. Both sides
//! of a shared border therefore get the same vertices.

use rustc_hash::FxHashMap as HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon, Simplify};

type Key = (u64, u64);

fn key(c: Coord<f64>) -> Key {
    (c.x.to_bits(), c.y.to_bits())
}

/// Up to two distinct neighbours of a vertex, and whether there were more.
#[derive(Default, Clone, Copy)]
struct Neighbours {
    first: Option<Key>,
    second: Option<Key>,
    more: bool,
}

impl Neighbours {
    fn add(&mut self, k: Key) {
        if self.first.is_none_or(|f| f == k) {
            self.first = Some(k);
        } else if self.second.is_none_or(|s| s == k) {
            self.second = Some(k);
        } else {
            self.more = true;
        }
    }

    fn is_junction(&self) -> bool {
        self.more || self.second.is_none()
    }
}

fn rings(g: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    g.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// Simplifies all geometries together with tolerance `epsilon` (in their own units).
pub fn simplify_shared(geometries: &[MultiPolygon<f64>], epsilon: f64) -> Vec<MultiPolygon<f64>> {
    if epsilon <= 0.0 {
        return geometries.to_vec();
    }
    let vertices: usize = geometries.iter().flat_map(rings).map(|r| r.0.len()).sum();
    let mut neighbours: HashMap<Key, Neighbours> =
        HashMap::with_capacity_and_hasher(vertices, Default::default());
    for g in geometries {
        for ring in rings(g) {
            for w in ring.0.windows(2) {
                let (a, b) = (key(w[0]), key(w[1]));
                if a != b {
                    neighbours.entry(a).or_default().add(b);
                    neighbours.entry(b).or_default().add(a);
                }
            }
        }
    }
    let ring = |ls: &LineString<f64>| simplify_ring(ls, &neighbours, epsilon);
    // The pieces of each ring are simplified on their own: rings in parallel.
    use rayon::prelude::*;
    geometries
        .par_iter()
        .map(|g| {
            MultiPolygon::new(
                g.0.iter()
                    .map(|p| {
                        Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())
                    })
                    .collect(),
            )
        })
        .collect()
}

fn simplify_ring(
    ring: &LineString<f64>,
    neighbours: &HashMap<Key, Neighbours>,
    epsilon: f64,
) -> LineString<f64> {
    let mut pts: Vec<Coord<f64>> = ring.0.clone();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    pts.dedup();
    if pts.len() < 4 {
        return ring.clone();
    }
    let is_junction = |c: &Coord<f64>| neighbours.get(&key(*c)).is_none_or(Neighbours::is_junction);
    // Start at a junction; a ring without one (an island, or an enclave and the hole around
    // it) starts at its smallest vertex, which both sides agree on.
    let start = pts.iter().position(is_junction).unwrap_or_else(|| {
        (0..pts.len())
            .min_by(|&i, &j| {
                (pts[i].x, pts[i].y)
                    .partial_cmp(&(pts[j].x, pts[j].y))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(0)
    });
    pts.rotate_left(start);
    pts.push(pts[0]);

    let mut out: Vec<Coord<f64>> = vec![pts[0]];
    let mut from = 0;
    for i in 1..pts.len() {
        if i == pts.len() - 1 || is_junction(&pts[i]) {
            let piece = LineString::new(pts[from..=i].to_vec()).simplify(epsilon);
            out.extend(piece.0.into_iter().skip(1));
            from = i;
        }
    }
    if out.len() < 4 {
        return ring.clone();
    }
    LineString::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// Two unit squares sharing a wiggly border x ≈ 1.
    fn pair(wiggle: f64) -> Vec<MultiPolygon<f64>> {
        let border: Vec<(f64, f64)> = (0..=10)
            .map(|i| (1.0 + if i % 2 == 1 { wiggle } else { 0.0 }, i as f64 / 10.0))
            .collect();
        let mut left: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        left.extend(border.iter().copied());
        left.extend([(0.0, 1.0), (0.0, 0.0)]);
        let mut right: Vec<(f64, f64)> = border.iter().rev().copied().collect();
        right.extend([(2.0, 0.0), (2.0, 1.0), (1.0, 1.0)]);
        right.rotate_right(3);
        right.push(right[0]);
        [left, right]
            .into_iter()
            .map(|r| MultiPolygon::new(vec![Polygon::new(LineString::from(r), vec![])]))
            .collect()
    }

    fn shared_vertices(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Vec<Key> {
        let kb: Vec<Key> = rings(b).flat_map(|r| r.0.iter().map(|c| key(*c))).collect();
        let mut shared: Vec<Key> = rings(a)
            .flat_map(|r| r.0.iter().map(|c| key(*c)))
            .filter(|k| kb.contains(k))
            .collect();
        shared.sort_unstable();
        shared.dedup();
        shared
    }

    #[test]
    fn shared_border_is_simplified_identically_on_both_sides() {
        let input = pair(0.001);
        let out = simplify_shared(&input, 0.01);
        let before = rings(&input[0]).map(|r| r.0.len()).sum::<usize>();
        let after = rings(&out[0]).map(|r| r.0.len()).sum::<usize>();
        assert!(after < before, "{after} !< {before}");
        // Both sides keep exactly the same border vertices: no gap, no overlap.
        let border_left: Vec<Key> = rings(&out[0])
            .flat_map(|r| r.0.iter())
            .filter(|c| c.x >= 0.999)
            .map(|c| key(*c))
            .collect();
        let border_right: Vec<Key> = rings(&out[1])
            .flat_map(|r| r.0.iter())
            .filter(|c| c.x <= 1.001)
            .map(|c| key(*c))
            .collect();
        let mut l = border_left.clone();
        let mut r = border_right.clone();
        l.sort_unstable();
        l.dedup();
        r.sort_unstable();
        r.dedup();
        assert_eq!(l, r);
        assert_eq!(shared_vertices(&out[0], &out[1]), l);
    }

    #[test]
    fn zero_tolerance_changes_nothing() {
        let input = pair(0.1);
        assert_eq!(simplify_shared(&input, 0.0), input);
    }

    #[test]
    fn a_tiny_island_survives() {
        let island = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 0.001, y: 0.0), (x: 0.001, y: 0.001), (x: 0.0, y: 0.0)
        ]]);
        let out = simplify_shared(std::slice::from_ref(&island), 1.0);
        assert!(out[0].0[0].exterior().0.len() >= 4);
    }
}
