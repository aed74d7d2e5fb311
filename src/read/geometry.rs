//! What every boundary reader does with a ring once it has its coordinates, in one place:
//! reproject to lon/lat (a `.prj`, a GeoJSON `crs`, `--source-crs`), refuse coordinates
//! that cannot be lon/lat, and repair or drop what real publishers' files hold (a ring of
//! two positions, a missing or repeated closing point, a spike, a zero-area sliver).
//!
//! Coordinates are checked here, in the reader, before any geometry work: a latitude of 95
//! or a longitude of 1e308 would otherwise reach the union and the projection, which may
//! spin or silently drop the district.

use std::fmt;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::ReadError;
use super::crs::{CrsOrigin, SourceCrs};

/// How readers treat geometry.
#[derive(Debug, Clone, Default)]
pub struct GeometryOptions {
    /// `--strict-geometry`: a ring that would be repaired or dropped is an error instead.
    pub strict: bool,
    /// `--source-crs`: the coordinates' CRS, overriding a `.prj` or a GeoJSON `crs` member.
    pub source_crs: Option<SourceCrs>,
}

/// What was repaired or dropped in one feature's geometry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GeometryRepair {
    /// The feature's index (as in [`super::Feature::index`]).
    pub feature: usize,
    /// The feature in the file's terms: `feature 12`, `record 3`,
    /// ``object `counties`, geometry 272``.
    pub place: String,
    /// Ring by ring, what was wrong and what was done: `polygon 5, ring 0: 2 positions
    /// (a ring needs at least 4), dropped`.
    pub fixes: Vec<String>,
}

impl fmt::Display for GeometryRepair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.fixes.join("; "))
    }
}

/// The largest |longitude| accepted: data unwrapped across the antimeridian may run past
/// ±180 (to 190, say), but nothing real goes around the world one and a half times.
pub const MAX_ABS_LON: f64 = 540.0;

/// Takes the rings of one file through the checks, collecting repairs.
pub(super) struct Rings<'a> {
    path: &'a Path,
    options: &'a GeometryOptions,
    /// The file's own CRS (`.prj`, `crs` member), if any; `--source-crs` wins over it.
    declared: Option<SourceCrs>,
    pub(super) repairs: Vec<GeometryRepair>,
    /// Whether every coordinate as written lies within ±180, ±90: a projected CRS with such
    /// coordinates contradicts its data.
    raw_all_degrees: bool,
    raw_count: usize,
}

/// A ring after the checks: kept (perhaps repaired) or dropped.
pub(super) type Checked = Option<Vec<Coord<f64>>>;

impl<'a> Rings<'a> {
    pub(super) fn new(
        path: &'a Path,
        options: &'a GeometryOptions,
        declared: Option<SourceCrs>,
    ) -> Rings<'a> {
        Rings {
            path,
            options,
            declared,
            repairs: Vec::new(),
            raw_all_degrees: true,
            raw_count: 0,
        }
    }

    /// The file being read.
    pub(super) fn path(&self) -> &'a Path {
        self.path
    }

    /// The CRS coordinates are read in: `--source-crs`, else the file's own.
    fn crs(&self) -> Option<&SourceCrs> {
        self.options.source_crs.as_ref().or(self.declared.as_ref())
    }

    /// Takes one ring as written in the file. `feature` is the feature's index and `place`
    /// its name in the file's terms, `ring` the ring's (`polygon 2, ring 0`). Returns the
    /// ring in lon/lat, repaired, or `None` when it is dropped; an error for a coordinate
    /// that is not lon/lat, or for any repair under `--strict-geometry`.
    pub(super) fn ring(
        &mut self,
        feature: usize,
        place: &str,
        ring: &str,
        coords: Vec<Coord<f64>>,
    ) -> Result<Checked, ReadError> {
        let coords = self.read_lonlat(place, ring, coords)?;
        // Past ±180 is how data unwrapped across the antimeridian runs on (179 → 181); a
        // longitude past ±180 that jumps from its neighbour by more than half a turn is no
        // such thing (a 500 among values near 0), and no reading of it is safe.
        if let Some(k) = coords.iter().position(|c| c.x.abs() > 180.0) {
            let n = coords.len();
            let jump = |i: usize| {
                let (a, b) = (coords[i], coords[(i + 1) % n]);
                (b.x - a.x).abs() > 180.0
            };
            if let Some(j) = (0..n).find(|&i| jump(i)) {
                let bad = if coords[(j + 1) % n].x.abs() > 180.0 {
                    (j + 1) % n
                } else if coords[j].x.abs() > 180.0 {
                    j
                } else {
                    k
                };
                return Err(ReadError::invalid(
                    self.path,
                    format!("{place}, {ring}, position {bad}"),
                    format!(
                        "expected lon/lat degrees: longitude {} is past ±180 and more than 180° \
                         from its neighbour, so it is not a ring continued across the antimeridian",
                        coords[bad].x
                    ),
                ));
            }
        }
        let (kept, fixes) = repair(coords);
        if let Some(fix) = fixes {
            if self.options.strict {
                return Err(ReadError::invalid(
                    self.path,
                    format!("{place}, {ring}"),
                    format!("{fix} (refused: --strict-geometry)"),
                ));
            }
            self.note(feature, place, format!("{ring}: {fix}"));
        }
        Ok(kept.map(unwrap_antimeridian))
    }

    /// Records a repair the reader made itself (a polygon dropped with its outer ring).
    pub(super) fn note(&mut self, feature: usize, place: &str, fix: String) {
        match self.repairs.last_mut() {
            Some(last) if last.feature == feature => last.fixes.push(fix),
            _ => self.repairs.push(GeometryRepair {
                feature,
                place: place.to_string(),
                fixes: vec![fix],
            }),
        }
    }

    fn read_lonlat(
        &mut self,
        place: &str,
        ring: &str,
        coords: Vec<Coord<f64>>,
    ) -> Result<Vec<Coord<f64>>, ReadError> {
        let crs = self.crs().filter(|c| !c.is_identity()).cloned();
        let mut out = Vec::with_capacity(coords.len());
        for (k, c) in coords.into_iter().enumerate() {
            let at = || format!("{place}, {ring}, position {k}");
            if !c.x.is_finite() || !c.y.is_finite() {
                return Err(ReadError::invalid(
                    self.path,
                    at(),
                    format!("expected finite coordinates, found [{}, {}]", c.x, c.y),
                ));
            }
            self.raw_count += 1;
            self.raw_all_degrees &= c.x.abs() <= 180.0 && c.y.abs() <= 90.0;
            let lonlat = match &crs {
                None => c,
                Some(crs) => match crs.to_lonlat(c.x, c.y) {
                    Some((x, y)) => Coord { x, y },
                    None => {
                        return Err(ReadError::invalid(
                            self.path,
                            at(),
                            format!(
                                "[{}, {}] cannot be transformed from {crs} to lon/lat",
                                c.x, c.y
                            ),
                        ));
                    }
                },
            };
            if lonlat.y.abs() > 90.0 || lonlat.x.abs() > MAX_ABS_LON {
                return Err(ReadError::invalid(
                    self.path,
                    at(),
                    format!(
                        "expected lon/lat degrees (|lat| ≤ 90, |lon| ≤ 540), found [{}, {}]{}",
                        c.x,
                        c.y,
                        if c.x.abs().max(c.y.abs()) > 1000.0 || crs.is_some() {
                            self.hint(&crs)
                        } else {
                            String::new()
                        }
                    ),
                ));
            }
            out.push(lonlat);
        }
        Ok(out)
    }

    /// Why a coordinate may be out of range, given what was declared.
    fn hint(&self, transformed: &Option<SourceCrs>) -> String {
        match (self.crs(), transformed) {
            (_, Some(crs)) => format!(" (after reprojection from {crs})"),
            (Some(crs), None) => format!(
                "; {crs} declares lon/lat degrees, but numbers this large look like metres: \
                 give the real CRS with --source-crs (e.g. EPSG:32642)"
            ),
            (None, None) => " (numbers this large look like metres of a projected CRS: give it \
                 with --source-crs EPSG:NNNN, or put its .prj next to the .shp)"
                .to_string(),
        }
    }

    /// After the last ring: a projected CRS whose coordinates all look like degrees
    /// contradicts its data (a UTM `.prj` beside lon/lat coordinates, say).
    pub(super) fn finish(self) -> Result<Vec<GeometryRepair>, ReadError> {
        if let Some(crs) = self.crs()
            && !crs.is_geographic()
            && self.raw_count > 0
            && self.raw_all_degrees
        {
            let fix = if crs.origin == CrsOrigin::Flag {
                "drop --source-crs"
            } else {
                "override it with --source-crs EPSG:4326, or fix or remove the declaration"
            };
            return Err(ReadError::invalid(
                self.path,
                "coordinates",
                format!(
                    "{crs} declares a projected CRS (metres), but every coordinate lies within \
                     ±180, ±90, as lon/lat degrees do: {fix}"
                ),
            ));
        }
        Ok(self.repairs)
    }
}

/// Repairs one ring: closes it, drops a repeated closing point, removes spikes (a vertex
/// where the ring turns straight back), and drops it when fewer than 4 positions or no area
/// remain. Returns the ring (`None`: dropped) and what was done, if anything.
fn repair(mut coords: Vec<Coord<f64>>) -> (Checked, Option<String>) {
    let mut fixes: Vec<String> = Vec::new();
    let written = coords.len();
    if written == 0 {
        return (None, Some("no positions, dropped".into()));
    }
    if coords.first() != coords.last() {
        coords.push(coords[0]);
        if written >= 3 {
            fixes.push("not closed (closed)".into());
        }
    } else {
        let mut repeated = 0;
        while coords.len() >= 3 && coords[coords.len() - 2] == coords[coords.len() - 1] {
            coords.pop();
            repeated += 1;
        }
        if repeated > 0 {
            fixes.push("closing point repeated (removed)".into());
        }
    }
    // The distinct vertices in order, without the closing point: spikes and degeneracy are
    // judged on these.
    let mut ring: Vec<Coord<f64>> = Vec::with_capacity(coords.len());
    for &c in &coords[..coords.len() - 1] {
        if ring.last() != Some(&c) {
            ring.push(c);
        }
    }
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        let fix = format!("{written} positions (a ring needs at least 4), dropped");
        return (None, Some(join_fixes(fixes, fix)));
    }
    let spikes = remove_spikes(&mut ring);
    if ring.len() < 3 {
        let fix = "only a spike (no area), dropped".to_string();
        return (None, Some(join_fixes(fixes, fix)));
    }
    if spikes > 0 {
        fixes.push(format!(
            "{spikes} spike{} removed",
            if spikes == 1 { "" } else { "s" }
        ));
        ring.push(ring[0]);
        coords = ring;
    } else if collinear(&ring) {
        let fix = "zero area (a sliver), dropped".to_string();
        return (None, Some(join_fixes(fixes, fix)));
    }
    if spikes > 0 && collinear(&coords) {
        return (
            None,
            Some(join_fixes(fixes, "zero area (a sliver), dropped".into())),
        );
    }
    let fix = (!fixes.is_empty()).then(|| fixes.join(", "));
    (Some(coords), fix)
}

fn join_fixes(mut fixes: Vec<String>, last: String) -> String {
    fixes.push(last);
    fixes.join(", ")
}

/// Removes, in a ring of distinct consecutive vertices (not closed), every vertex where the
/// ring turns straight back on itself. Returns how many were removed.
fn remove_spikes(ring: &mut Vec<Coord<f64>>) -> usize {
    let mut removed = 0;
    let mut i = 0;
    // Each removal shortens the ring, so this ends after at most 2 × len steps.
    let mut budget = 2 * ring.len() + 2;
    while ring.len() >= 3 && budget > 0 {
        budget -= 1;
        let n = ring.len();
        let (a, b, c) = (ring[(i + n - 1) % n], ring[i % n], ring[(i + 1) % n]);
        if is_spike(a, b, c) {
            ring.remove(i % n);
            removed += 1;
            // The neighbours may now be equal, or form a spike themselves.
            let n = ring.len();
            if n >= 2 {
                let j = (i + n - 1) % n;
                if ring[j] == ring[i % n] {
                    ring.remove(i % n);
                }
            }
            i = i.saturating_sub(1);
            budget += 2;
        } else {
            i += 1;
            if i > ring.len() {
                break;
            }
        }
    }
    removed
}

/// `b` is the tip of a spike: the ring goes a → b and comes straight back towards a.
fn is_spike(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> bool {
    let (u, v) = (b - a, c - b);
    let cross = u.x * v.y - u.y * v.x;
    let dot = u.x * v.x + u.y * v.y;
    // Most vertices turn by less than a right angle: their lengths are not needed.
    let scale = || (u.x.hypot(u.y)) * (v.x.hypot(v.y));
    dot < 0.0 && cross.abs() <= 1e-12 * scale()
}

/// Twice the signed planar area of a ring (closed or not).
#[cfg(test)]
fn shoelace(ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum()
}

/// Whether every vertex lies on one line: a ring without area. (A signed area of zero is
/// not enough: a bow-tie's two lobes cancel, yet it covers ground.)
fn collinear(ring: &[Coord<f64>]) -> bool {
    let Some(&p0) = ring.first() else {
        return true;
    };
    let d2 = |c: &Coord<f64>| (c.x - p0.x).powi(2) + (c.y - p0.y).powi(2);
    let Some(&far) = ring.iter().max_by(|a, b| d2(a).total_cmp(&d2(b))) else {
        return true;
    };
    let (ux, uy) = (far.x - p0.x, far.y - p0.y);
    let len2 = ux * ux + uy * uy;
    ring.iter().all(|c| {
        let cross = ux * (c.y - p0.y) - uy * (c.x - p0.x);
        // The distance from the line, relative to the ring's size, at most 1e-14: only rings
        // truly on one line (to rounding) go; a needle of real width stays.
        cross * cross <= 1e-28 * len2 * len2
    })
}

/// A ring that crosses the antimeridian as written (a step of more than 180° of longitude,
/// from 179.5 to -179.5) is made continuous (179.5 to 180.5), so that its area, orientation
/// and drawing are those of the small ring meant, not of one around the world. A ring
/// around a pole (whose longitudes do not come back once made continuous) stays as it is.
fn unwrap_antimeridian(coords: Vec<Coord<f64>>) -> Vec<Coord<f64>> {
    if !coords.windows(2).any(|w| (w[1].x - w[0].x).abs() > 180.0) {
        return coords;
    }
    let mut out = Vec::with_capacity(coords.len());
    let mut shift = 0.0;
    let mut previous = coords[0].x;
    for c in &coords {
        let step = c.x - previous;
        if step > 180.0 {
            shift -= 360.0;
        } else if step < -180.0 {
            shift += 360.0;
        }
        previous = c.x;
        out.push(Coord {
            x: c.x + shift,
            y: c.y,
        });
    }
    let closes = out.first().zip(out.last()).is_some_and(|(a, b)| a == b);
    if !closes {
        return coords;
    }
    // Keep the ring's middle within ±180 where it can be, so that a ring mostly east of the
    // antimeridian reads 179.5..180.5 and one mostly west -180.5..-179.5.
    let mid = mean_lon(&out);
    let k = if mid > 180.0 {
        -360.0
    } else if mid < -180.0 {
        360.0
    } else {
        0.0
    };
    if k != 0.0 {
        for c in &mut out {
            c.x += k;
        }
    }
    out
}

fn mean_lon(coords: &[Coord<f64>]) -> f64 {
    coords.iter().map(|c| c.x).sum::<f64>() / coords.len().max(1) as f64
}

/// Builds a polygon from its outer ring and holes, moving a hole written on the other side
/// of the antimeridian (by a whole turn) next to its outer ring.
pub(super) fn polygon(exterior: Vec<Coord<f64>>, holes: Vec<Vec<Coord<f64>>>) -> Polygon<f64> {
    let centre = mean_lon(&exterior);
    let holes = holes
        .into_iter()
        .map(|mut hole| {
            let turns = ((centre - mean_lon(&hole)) / 360.0).round();
            if turns != 0.0 {
                for c in &mut hole {
                    c.x += turns * 360.0;
                }
            }
            LineString::new(hole)
        })
        .collect();
    Polygon::new(LineString::new(exterior), holes)
}

/// Builds the polygons of a feature from rings already checked with [`Rings::ring`]
/// (GeoJSON and TopoJSON order: outer ring first, then its holes). A polygon whose outer
/// ring was dropped is dropped with its holes, and noted.
pub(super) fn polygon_from_rings(
    rings: Vec<Checked>,
    feature: usize,
    place: &str,
    polygon_place: &str,
    checker: &mut Rings<'_>,
) -> Option<Polygon<f64>> {
    let mut rings = rings.into_iter();
    let exterior = rings.next()?;
    let holes: Vec<Vec<Coord<f64>>> = rings.flatten().collect();
    match exterior {
        Some(exterior) => Some(polygon(exterior, holes)),
        None => {
            if !holes.is_empty() {
                checker.note(
                    feature,
                    place,
                    format!(
                        "{polygon_place}: its {} hole(s) dropped with its outer ring",
                        holes.len()
                    ),
                );
            }
            None
        }
    }
}

/// A multipolygon from polygons, for readers that build them one by one.
pub(super) fn multi(polygons: impl IntoIterator<Item = Option<Polygon<f64>>>) -> MultiPolygon<f64> {
    MultiPolygon::new(polygons.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    fn square() -> Vec<Coord<f64>> {
        ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)])
    }

    #[test]
    fn good_rings_pass_untouched() {
        assert_eq!(repair(square()), (Some(square()), None));
        // Repeated points inside a ring are harmless and kept as written.
        let dup = ring(&[(0., 0.), (1., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]);
        assert_eq!(repair(dup.clone()), (Some(dup), None));
    }

    #[test]
    fn closing_points() {
        let open = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)]);
        assert_eq!(
            repair(open),
            (Some(square()), Some("not closed (closed)".into()))
        );
        let mut twice = square();
        twice.push(Coord { x: 0., y: 0. });
        assert_eq!(
            repair(twice),
            (
                Some(square()),
                Some("closing point repeated (removed)".into())
            )
        );
    }

    #[test]
    fn degenerate_rings_are_dropped() {
        let two = ring(&[(0., 0.), (1., 1.)]);
        assert_eq!(
            repair(two).1.as_deref(),
            Some("2 positions (a ring needs at least 4), dropped")
        );
        let sliver = ring(&[(0., 0.), (1., 1.), (2., 2.), (0., 0.)]);
        let (kept, fix) = repair(sliver);
        assert_eq!(kept, None);
        assert!(fix.unwrap().contains("dropped"));
        let line = ring(&[(0., 0.), (0.5, 0.), (1., 0.), (0., 0.)]);
        assert_eq!(repair(line).0, None);
        assert_eq!(repair(Vec::new()).0, None);
    }

    #[test]
    fn spikes_are_removed() {
        // A square with a spike out to (3, 0.5) and back.
        let spiky = ring(&[
            (0., 0.),
            (1., 0.),
            (1., 0.5),
            (3., 0.5),
            (1., 0.5),
            (1., 1.),
            (0., 1.),
            (0., 0.),
        ]);
        let (kept, fix) = repair(spiky);
        assert_eq!(fix.as_deref(), Some("1 spike removed"));
        let kept = kept.unwrap();
        assert!(!kept.contains(&Coord { x: 3., y: 0.5 }), "{kept:?}");
        assert!((shoelace(&kept) / 2.0 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn antimeridian_rings_are_made_continuous() {
        let across = ring(&[(179., 0.), (-179., 0.), (-179., 1.), (179., 1.), (179., 0.)]);
        let out = unwrap_antimeridian(across);
        assert_eq!(
            out.iter().map(|c| c.x).collect::<Vec<_>>(),
            [179., 181., 181., 179., 179.]
        );
        // Mostly west of it: shifted to run past -180 instead.
        let west = ring(&[
            (179.9, 0.),
            (-178., 0.),
            (-178., 1.),
            (179.9, 1.),
            (179.9, 0.),
        ]);
        let out = unwrap_antimeridian(west);
        assert!((out[0].x + 180.1).abs() < 1e-9, "{out:?}");
        // A ring around the pole does not come back: left as written.
        let polar = ring(&[
            (-180., -80.),
            (0., -80.),
            (180., -80.),
            (180., -90.),
            (-180., -90.),
            (-180., -80.),
        ]);
        assert_eq!(unwrap_antimeridian(polar.clone()), polar);
    }

    fn checker(options: &GeometryOptions) -> Rings<'_> {
        Rings::new(Path::new("t.geojson"), options, None)
    }

    #[test]
    fn out_of_range_coordinates_name_the_vertex() {
        let options = GeometryOptions::default();
        for (bad, found) in [
            ((0.5, 95.0), "[0.5, 95]"),
            ((541.0, 1.0), "[541, 1]"),
            ((500.0, 1.0), "longitude 500 is past ±180"),
        ] {
            let mut r = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 0.)]);
            r[2] = Coord { x: bad.0, y: bad.1 };
            let mut rings = checker(&options);
            let e = rings
                .ring(3, "feature 3", "ring 0", r)
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("t.geojson: feature 3, ring 0, position 2: expected lon/lat"),
                "{e}"
            );
            assert!(e.contains(found), "{e}");
        }
        let mut r = square();
        r[1].x = 1e308;
        let e = checker(&options)
            .ring(0, "feature 0", "ring 0", r)
            .unwrap_err()
            .to_string();
        assert!(e.contains("look like metres"), "{e}");
        let mut r = square();
        r[1].y = f64::NAN;
        let e = checker(&options)
            .ring(0, "feature 0", "ring 0", r)
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected finite coordinates"), "{e}");
        // Past 180 but within 540: unwrapped data is accepted.
        let r = ring(&[(179., 0.), (181., 0.), (181., 1.), (179., 0.)]);
        assert!(
            checker(&options)
                .ring(0, "feature 0", "ring 0", r)
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn repairs_are_one_line_per_feature_and_strict_refuses() {
        let options = GeometryOptions::default();
        let mut rings = checker(&options);
        let two = ring(&[(0., 0.), (1., 1.)]);
        assert_eq!(
            rings
                .ring(4, "feature 4", "polygon 0, ring 0", two.clone())
                .unwrap(),
            None
        );
        assert!(
            rings
                .ring(4, "feature 4", "polygon 1, ring 0", square())
                .unwrap()
                .is_some()
        );
        let open = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)]);
        rings
            .ring(4, "feature 4", "polygon 2, ring 0", open)
            .unwrap();
        rings.ring(5, "feature 5", "ring 1", two.clone()).unwrap();
        let repairs = rings.finish().unwrap();
        assert_eq!(repairs.len(), 2);
        assert_eq!(
            repairs[0].to_string(),
            "feature 4: polygon 0, ring 0: 2 positions (a ring needs at least 4), dropped; polygon 2, ring 0: not closed (closed)"
        );
        let strict = GeometryOptions {
            strict: true,
            ..GeometryOptions::default()
        };
        let e = checker(&strict)
            .ring(4, "feature 4", "ring 0", two)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("feature 4, ring 0: 2 positions (a ring needs at least 4), dropped (refused: --strict-geometry)"), "{e}");
    }

    #[test]
    fn projected_crs_beside_degrees_is_a_contradiction() {
        let options = GeometryOptions::default();
        let utm = SourceCrs::parse("EPSG:32642", CrsOrigin::Prj).unwrap();
        let mut rings = Rings::new(Path::new("t.shp"), &options, Some(utm.clone()));
        let degrees = ring(&[(65., 34.), (66., 34.), (66., 35.), (65., 34.)]);
        rings.ring(0, "record 0", "ring 0", degrees).unwrap();
        let e = rings.finish().unwrap_err().to_string();
        assert!(e.contains("EPSG:32642 (the .prj) declares a projected CRS (metres), but every coordinate lies within"), "{e}");
        let mut rings = Rings::new(Path::new("t.shp"), &options, Some(utm));
        let metres = ring(&[
            (500_000., 3_800_000.),
            (510_000., 3_800_000.),
            (510_000., 3_810_000.),
            (500_000., 3_800_000.),
        ]);
        let lonlat = rings
            .ring(0, "record 0", "ring 0", metres)
            .unwrap()
            .unwrap();
        assert!((lonlat[0].x - 69.0).abs() < 1e-9, "{lonlat:?}");
        assert!(rings.finish().unwrap().is_empty());
        // Metres under a lon/lat .prj.
        let wgs = SourceCrs::parse("EPSG:4326", CrsOrigin::Prj).unwrap();
        let mut rings = Rings::new(Path::new("t.shp"), &options, Some(wgs));
        let metres = ring(&[
            (500_000., 3_800_000.),
            (510_000., 3_800_000.),
            (510_000., 3_810_000.),
            (500_000., 3_800_000.),
        ]);
        let e = rings
            .ring(0, "record 0", "ring 0", metres)
            .unwrap_err()
            .to_string();
        assert!(e.contains("EPSG:4326 (the .prj) declares lon/lat degrees, but numbers this large look like metres"), "{e}");
    }
}
