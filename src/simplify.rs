//! Simplification that keeps neighbours together.
//!
//! Simplifying each polygon on its own (geo's `Simplify`) moves a shared border differently
//! on its two sides and opens slivers between districts. Here every ring is cut at its
//! *junctions* (vertices with other than two distinct neighbours, where borders meet) and
//! each piece between two junctions is simplified with Ramer–Douglas–Peucker, which keeps
//! its end points. Each piece is simplified walked in one canonical direction, whichever
//! way its ring walks it, so both sides of a shared border get the same vertices, bit for
//! bit, even where two points are equally far from a chord.

use rustc_hash::FxHashMap as HashMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};

type Key = (u64, u64);

fn key(c: Coord<f64>) -> Key {
    (c.x.to_bits(), c.y.to_bits())
}

const NONE: u32 = u32::MAX;

/// Up to two distinct neighbours of a vertex (by vertex number), and whether there were
/// more.
#[derive(Clone, Copy)]
struct Neighbours {
    first: u32,
    second: u32,
    more: bool,
}

impl Neighbours {
    const EMPTY: Neighbours = Neighbours {
        first: NONE,
        second: NONE,
        more: false,
    };

    fn add(&mut self, k: u32) {
        if self.first == NONE || self.first == k {
            self.first = k;
        } else if self.second == NONE || self.second == k {
            self.second = k;
        } else {
            self.more = true;
        }
    }

    fn is_junction(&self) -> bool {
        self.more || self.second == NONE
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
    // Every distinct vertex gets a number once, so that finding the junctions and then
    // walking the rings need no hashing of coordinates: one small table per vertex.
    let sizes: Vec<usize> = geometries
        .iter()
        .map(|g| rings(g).map(|r| r.0.len()).sum())
        .collect();
    let vertices: usize = sizes.iter().sum();
    let mut numbers: HashMap<Key, u32> =
        HashMap::with_capacity_and_hasher(vertices, Default::default());
    let mut ids: Vec<u32> = Vec::with_capacity(vertices);
    let mut table: Vec<Neighbours> = Vec::new();
    for g in geometries {
        for ring in rings(g) {
            let from = ids.len();
            for c in &ring.0 {
                let next = numbers.len() as u32;
                let id = *numbers.entry(key(*c)).or_insert(next);
                if id == next {
                    table.push(Neighbours::EMPTY);
                }
                ids.push(id);
            }
            for w in ids[from..].windows(2) {
                if w[0] != w[1] {
                    table[w[0] as usize].add(w[1]);
                    table[w[1] as usize].add(w[0]);
                }
            }
        }
    }
    drop(numbers);
    let junction: Vec<bool> = table.iter().map(Neighbours::is_junction).collect();
    let starts: Vec<usize> = sizes
        .iter()
        .scan(0, |at, n| {
            let start = *at;
            *at += n;
            Some(start)
        })
        .collect();
    // The pieces of each ring are simplified on their own: geometries in parallel.
    use rayon::prelude::*;
    geometries
        .par_iter()
        .zip(starts)
        .map(|(g, mut at)| {
            let mut ring = |ls: &LineString<f64>| {
                let ring_ids = &ids[at..at + ls.0.len()];
                at += ls.0.len();
                simplify_ring(ls, ring_ids, &junction, epsilon)
            };
            MultiPolygon::new(
                g.0.iter()
                    .map(|p| {
                        let exterior = ring(p.exterior());
                        Polygon::new(exterior, p.interiors().iter().map(&mut ring).collect())
                    })
                    .collect(),
            )
        })
        .collect()
}

/// One ring cut at its junctions (`ids` numbers its vertices), each piece simplified.
fn simplify_ring(
    ring: &LineString<f64>,
    ids: &[u32],
    junction: &[bool],
    epsilon: f64,
) -> LineString<f64> {
    // The vertices, repeats merged and the closing point dropped.
    let mut pts: Vec<(Coord<f64>, u32)> = Vec::with_capacity(ring.0.len());
    for (c, &id) in ring.0.iter().zip(ids) {
        if pts.last().is_none_or(|last| last.1 != id) {
            pts.push((*c, id));
        }
    }
    if pts.len() > 1 && pts[0].1 == pts[pts.len() - 1].1 {
        pts.pop();
    }
    if pts.len() < 4 {
        return ring.clone();
    }
    let is_junction = |p: &(Coord<f64>, u32)| junction[p.1 as usize];
    // Start at a junction; a ring without one (an island, or an enclave and the hole around
    // it) starts at its smallest vertex, which both sides agree on.
    let start = pts.iter().position(is_junction).unwrap_or_else(|| {
        (0..pts.len())
            .min_by(|&i, &j| {
                (pts[i].0.x, pts[i].0.y)
                    .partial_cmp(&(pts[j].0.x, pts[j].0.y))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(0)
    });
    pts.rotate_left(start);
    pts.push(pts[0]);

    let mut out: Vec<Coord<f64>> = Vec::with_capacity(pts.len());
    out.push(pts[0].0);
    let mut keep = Vec::new();
    let mut from = 0;
    for i in 1..pts.len() {
        if i == pts.len() - 1 || is_junction(&pts[i]) {
            let piece = &pts[from..=i];
            rdp(piece, epsilon * epsilon, &mut keep);
            out.extend(
                piece
                    .iter()
                    .zip(&keep)
                    .skip(1)
                    .filter(|(_, k)| **k)
                    .map(|(p, _)| p.0),
            );
            from = i;
        }
    }
    if out.len() < 4 {
        return ring.clone();
    }
    LineString::new(out)
}

/// Ramer–Douglas–Peucker on one piece: `keep[i]` says whether point `i` stays (the ends
/// always do). Written here rather than taken from geo's `Simplify` because the piece must
/// be walked in the same direction from both sides of a border (a distance computed from
/// the other end can differ in its last bit, and ties are broken by position), and because
/// geo's recursion copies the kept points at every level: on the OCHA districts (277,000
/// vertices) this is 10× faster.
fn rdp(piece: &[(Coord<f64>, u32)], epsilon2: f64, keep: &mut Vec<bool>) {
    let n = piece.len();
    keep.clear();
    keep.resize(n, false);
    keep[0] = true;
    keep[n - 1] = true;
    // The canonical direction: from the end with the smaller vertex number; a closed piece
    // (one junction) from the side whose second point has the smaller number.
    let reversed = match piece[0].1.cmp(&piece[n - 1].1) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => n > 2 && piece[1].1 > piece[n - 2].1,
    };
    let at = |i: usize| if reversed { n - 1 - i } else { i };
    let point = |i: usize| piece[at(i)].0;
    let mut stack = vec![(0, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (point(a), point(b));
        let (mut far, mut max) = (a, 0.0);
        for i in a + 1..b {
            let d = segment_distance2(point(i), pa, pb);
            if d >= max {
                (far, max) = (i, d);
            }
        }
        if max > epsilon2 {
            keep[at(far)] = true;
            stack.push((a, far));
            stack.push((far, b));
        }
    }
}

/// The squared distance from `p` to the segment `a`–`b`.
fn segment_distance2(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / length2).clamp(0.0, 1.0)
    };
    let (ex, ey) = (p.x - (a.x + t * dx), p.y - (a.y + t * dy));
    ex * ex + ey * ey
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
