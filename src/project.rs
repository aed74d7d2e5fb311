//! Projection: lon/lat degrees → map units (PROJ strings through proj4rs) → page pixels.

use geo::{LineString, MultiPolygon, Polygon, Rect, coord};
use proj4rs::Proj;

/// A problem with the projection or the frame.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The PROJ string could not be used.
    #[error("--proj `{proj}`: {message}")]
    BadProj {
        /// The PROJ string.
        proj: String,
        /// What proj4rs said.
        message: String,
    },
    /// A `--bbox` that is not four numbers with min < max inside lon/lat range.
    #[error("--bbox `{0}`: expected minlon,minlat,maxlon,maxlat in degrees with min < max")]
    BadBbox(String),
    /// The projection the tool chose by itself could not be used (no `--proj` was given).
    #[error(
        "the automatic projection `{proj}` (chosen because {why}) failed: {message}; choose one with --proj"
    )]
    AutoProj {
        /// The PROJ string chosen.
        proj: String,
        /// Why it was chosen.
        why: String,
        /// What proj4rs said.
        message: String,
    },
    /// Nothing to draw: no district has coordinates the projection can take.
    #[error("no coordinates to draw: every district is empty or outside the projection's domain")]
    Empty,
}

/// A projection from lon/lat degrees to planar map units (y pointing north).
#[derive(Debug)]
pub struct Projection {
    definition: String,
    source: Proj,
    target: Proj,
    /// proj4rs answers lon/lat in radians; for `+proj=longlat` we keep degrees for readability
    /// of coordinates in messages. The fit to the page makes the unit irrelevant otherwise.
    latlong: bool,
    /// Why the tool chose this projection (`None`: the user gave it).
    reason: Option<String>,
}

impl Projection {
    /// A projection from a PROJ string, e.g. `+proj=lcc +lat_1=30 +lat_2=38 +lon_0=66`.
    ///
    /// ```
    /// use controlmap::project::Projection;
    /// let p = Projection::parse("+proj=longlat +datum=WGS84").unwrap();
    /// assert_eq!(p.forward(69.2, 34.5), Some((69.2, 34.5)));
    /// assert!(Projection::parse("+proj=nonsense").is_err());
    /// ```
    pub fn parse(definition: &str) -> Result<Projection, ProjectError> {
        let bad = |e: proj4rs::errors::Error| ProjectError::BadProj {
            proj: definition.to_string(),
            message: e.to_string(),
        };
        let target = Proj::from_proj_string(definition).map_err(bad)?;
        let source = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").map_err(bad)?;
        Ok(Projection {
            definition: definition.to_string(),
            latlong: target.is_latlong(),
            source,
            target,
            reason: None,
        })
    }

    /// The projection chosen for data (or a `--bbox`) whose lon/lat extent is `extent`
    /// (see [`LonLatExtent`] and [`choose`]). An error names the projection and why it was
    /// chosen, never a flag the user did not pass.
    pub fn automatic(extent: &LonLatExtent) -> Result<Projection, ProjectError> {
        let (definition, why) = choose(extent);
        let mut projection = Projection::parse(&definition).map_err(|e| match e {
            ProjectError::BadProj { proj, message } => ProjectError::AutoProj {
                proj,
                why: why.clone(),
                message,
            },
            other => other,
        })?;
        // A projection that takes the data's own corners is usable; one that cannot is
        // reported here rather than as an empty map.
        let probe = [
            (extent.west, extent.south),
            (extent.east, extent.north),
            (extent.centre_lon(), (extent.south + extent.north) / 2.0),
        ];
        if probe
            .iter()
            .any(|&(x, y)| projection.forward(x, y).is_none())
        {
            return Err(ProjectError::AutoProj {
                proj: definition,
                why,
                message: "it cannot project the data's corners".into(),
            });
        }
        projection.reason = Some(why);
        Ok(projection)
    }

    /// Why the tool chose this projection; `None` when it was given (`--proj`).
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The default: a Lambert conformal conic fitted to a lon/lat box, with standard parallels
    /// at 1/6 and 5/6 of its latitude span and the central meridian at its middle.
    pub fn fitted_lcc(bbox: Rect<f64>) -> Result<Projection, ProjectError> {
        let (min, max) = (bbox.min(), bbox.max());
        let span = max.y - min.y;
        let definition = format!(
            "+proj=lcc +lat_1={:.4} +lat_2={:.4} +lat_0={:.4} +lon_0={:.4} +datum=WGS84 +units=m +no_defs",
            min.y + span / 6.0,
            min.y + span * 5.0 / 6.0,
            (min.y + max.y) / 2.0,
            (min.x + max.x) / 2.0,
        );
        Projection::parse(&definition)
    }

    /// The PROJ string in use.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// Projects one lon/lat point; `None` when it lies outside the projection's domain.
    pub fn forward(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.source, &self.target, &mut p).ok()?;
        let (x, y) = if self.latlong {
            (p.0.to_degrees(), p.1.to_degrees())
        } else {
            (p.0, p.1)
        };
        (x.is_finite() && y.is_finite()).then_some((x, y))
    }

    /// Map units back to lon/lat degrees, undoing [`Projection::forward`]; `None` when the
    /// point has no lon/lat.
    ///
    /// ```
    /// use controlmap::project::Projection;
    /// let p = Projection::parse("+proj=lcc +lat_1=30 +lat_2=38 +lat_0=34 +lon_0=66").unwrap();
    /// let (x, y) = p.forward(69.2, 34.5).unwrap();
    /// let (lon, lat) = p.inverse(x, y).unwrap();
    /// assert!((lon - 69.2).abs() < 1e-9 && (lat - 34.5).abs() < 1e-9);
    /// ```
    pub fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        // `forward` hands out degrees for a lon/lat target; proj4rs wants radians.
        let mut p = if self.latlong {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(&self.target, &self.source, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }

    /// Projects a geometry; points the projection cannot take are dropped.
    pub fn forward_geometry(&self, geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        let ring = |ls: &LineString<f64>| {
            LineString::new(
                ls.0.iter()
                    .filter_map(|c| self.forward(c.x, c.y))
                    .map(|(x, y)| coord! { x: x, y: y })
                    .collect(),
            )
        };
        MultiPolygon::new(
            geometry
                .0
                .iter()
                .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
                .collect(),
        )
    }

    /// The projected bounds of a lon/lat box, its edges sampled so that curved parallels
    /// (conic projections) are covered.
    pub fn forward_box(&self, bbox: Rect<f64>) -> Option<Rect<f64>> {
        const STEPS: usize = 32;
        let (min, max) = (bbox.min(), bbox.max());
        let mut points = Vec::with_capacity(4 * STEPS);
        for i in 0..=STEPS {
            let t = i as f64 / STEPS as f64;
            let lon = min.x + t * (max.x - min.x);
            let lat = min.y + t * (max.y - min.y);
            points.extend([(lon, min.y), (lon, max.y), (min.x, lat), (max.x, lat)]);
        }
        bounds(points.into_iter().filter_map(|(x, y)| self.forward(x, y)))
    }
}

/// Parses `minlon,minlat,maxlon,maxlat`. A box across the antimeridian (at most 180° wide)
/// is written from its west edge to its east edge, `170,50,-170,60` (or `170,50,190,60`);
/// its east edge is then past 180 in the box returned.
///
/// ```
/// let b = controlmap::project::parse_bbox("60.36,28.42,75.04,39.43").unwrap();
/// assert_eq!(b.min().x, 60.36);
/// assert!(controlmap::project::parse_bbox("1,2,3").is_err());
/// let across = controlmap::project::parse_bbox("170,50,-170,60").unwrap();
/// assert_eq!((across.min().x, across.max().x), (170.0, 190.0));
/// ```
pub fn parse_bbox(text: &str) -> Result<Rect<f64>, ProjectError> {
    let bad = || ProjectError::BadBbox(text.to_string());
    let v: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [x0, y0, x1, y1] = v[..] else {
        return Err(bad());
    };
    // West edge east of the east edge: a box across the antimeridian, but only a plausible
    // one (a transposed `75,29,60,38` would otherwise be a 345°-wide frame).
    let wrapped = x0 > x1 && (-180.0..=180.0).contains(&x1);
    let x1 = if wrapped { x1 + 360.0 } else { x1 };
    let ok = v.iter().all(|c| c.is_finite())
        && x0 < x1
        && (!wrapped || x1 - x0 <= 180.0)
        && x1 - x0 <= 360.0
        && y0 < y1
        && (-180.0..=180.0).contains(&x0)
        && (-180.0..=540.0).contains(&x1)
        && (-90.0..=90.0).contains(&y0)
        && (-90.0..=90.0).contains(&y1);
    if !ok {
        return Err(bad());
    }
    Ok(Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }))
}

/// The bounding box of some points, `None` when there are none.
pub fn bounds(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Rect<f64>> {
    let mut it = points.into_iter();
    let (x, y) = it.next()?;
    let (mut x0, mut y0, mut x1, mut y1) = (x, y, x, y);
    for (x, y) in it {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    Some(Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 }))
}

/// The bounding box of polygons (their exterior rings), if there is any point.
pub fn polygon_bounds<'a>(
    geometries: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
) -> Option<Rect<f64>> {
    bounds(
        geometries
            .into_iter()
            .flat_map(|g| g.0.iter())
            .flat_map(|p| p.exterior().0.iter())
            .map(|c| (c.x, c.y)),
    )
}

/// Where data lie in lon/lat, for choosing a projection: `west` to `east` eastwards (so
/// `east` may pass 180 when the data cross the antimeridian), `south` to `north`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatExtent {
    /// The western edge, -180 ≤ west < 180.
    pub west: f64,
    /// The eastern edge, west < east ≤ west + 360.
    pub east: f64,
    /// The southern edge.
    pub south: f64,
    /// The northern edge.
    pub north: f64,
}

impl LonLatExtent {
    /// A `--bbox` (as [`parse_bbox`] returns it).
    pub fn from_bbox(b: Rect<f64>) -> LonLatExtent {
        LonLatExtent {
            west: b.min().x,
            east: b.max().x,
            south: b.min().y,
            north: b.max().y,
        }
    }

    /// Where polygons lie: each outer ring covers its own span of longitude, and the
    /// extent runs from the east end of the widest longitude nobody covers round to its
    /// west end. Data that do not cross the antimeridian get exactly their bounding box;
    /// Alaska with the Aleutians gets 172°E … 130°W rather than the whole world. `None`
    /// without any point.
    ///
    /// ```
    /// use controlmap::project::LonLatExtent;
    /// use geo::{polygon, MultiPolygon};
    /// let east = polygon![(x: 172.0, y: 52.0), (x: 179.0, y: 52.0), (x: 179.0, y: 53.0), (x: 172.0, y: 52.0)];
    /// let west = polygon![(x: -170.0, y: 55.0), (x: -130.0, y: 55.0), (x: -130.0, y: 70.0), (x: -170.0, y: 55.0)];
    /// let data = [MultiPolygon::new(vec![east, west])];
    /// let e = LonLatExtent::of(data.iter()).unwrap();
    /// assert_eq!((e.west, e.east), (172.0, 230.0));
    /// ```
    pub fn of<'a>(geometries: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Option<Self> {
        let mut spans: Vec<(f64, f64)> = Vec::new();
        let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
        for polygon in geometries.into_iter().flat_map(|g| g.0.iter()) {
            let ring = &polygon.exterior().0;
            let Some(b) = bounds(ring.iter().map(|c| (c.x, c.y))) else {
                continue;
            };
            south = south.min(b.min().y);
            north = north.max(b.max().y);
            // Rings unwrapped across the antimeridian may start past ±180.
            let turns = ((b.min().x + 180.0) / 360.0).floor();
            let west = b.min().x - 360.0 * turns;
            let east = if b.width() >= 360.0 {
                west + 360.0
            } else {
                b.max().x - 360.0 * turns
            };
            spans.push((west, east));
        }
        if spans.is_empty() {
            return None;
        }
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut merged: Vec<(f64, f64)> = Vec::new();
        for (w, e) in spans {
            match merged.last_mut() {
                Some(last) if w <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((w, e)),
            }
        }
        let reach = merged.iter().map(|m| m.1).fold(f64::NEG_INFINITY, f64::max);
        // What runs past the first span's west edge a turn later covers the start again.
        let wrapped = reach - 360.0;
        // The widest uncovered stretch, as (width, the data's west edge, east edge).
        let mut best = (merged[0].0 + 360.0 - reach, merged[0].0, reach);
        for pair in merged.windows(2) {
            let start = pair[0].1.max(wrapped);
            let width = pair[1].0 - start;
            if width > best.0 {
                best = (width, pair[1].0, start + 360.0);
            }
        }
        let (west, east) = if best.0 > 0.0 {
            (best.1, best.2)
        } else {
            // Nothing uncovered: the whole world.
            (-180.0, 180.0)
        };
        let west_norm = west - 360.0 * ((west + 180.0) / 360.0).floor();
        Some(LonLatExtent {
            west: west_norm,
            east: east - (west - west_norm),
            south,
            north,
        })
    }

    /// The degrees of longitude covered.
    pub fn lon_span(&self) -> f64 {
        self.east - self.west
    }

    /// The middle meridian, -180 ≤ lon < 180.
    pub fn centre_lon(&self) -> f64 {
        let c = (self.west + self.east) / 2.0;
        c - 360.0 * ((c + 180.0) / 360.0).floor()
    }

    /// Whether the extent crosses the antimeridian.
    pub fn crosses_antimeridian(&self) -> bool {
        self.east > 180.0
    }
}

/// The automatic projection for an extent, as a PROJ string, and why (for messages):
///
/// - near a pole (north of 45° all the way and reaching 80°, or going more than half way
///   round; south likewise): a polar Lambert azimuthal equal-area;
/// - the world, or more than 270° of longitude or 150° of latitude: Equal Earth (equal-area,
///   central meridian 0 unless the data leave a wide gap);
/// - a continent (more than 120° of longitude or 60° of latitude): a Lambert azimuthal
///   equal-area at the centre;
/// - across or near the equator (both hemispheres, or within 10° of it): a Lambert azimuthal
///   equal-area at the centre, since a conic's standard parallels would be symmetric about
///   the equator (a cone of zero angle) or nearly so;
/// - otherwise a Lambert conformal conic fitted to the latitudes, as before: standard
///   parallels at 1/6 and 5/6 of the latitude span, the central meridian in the middle.
///
/// The central meridian is always the middle of the longitudes the data cover, which for
/// data across the antimeridian lies opposite the widest gap between them.
pub fn choose(e: &LonLatExtent) -> (String, String) {
    let lon_span = e.lon_span();
    let lat_span = e.north - e.south;
    let lon_0 = e.centre_lon();
    let lat_c = (e.south + e.north) / 2.0;
    let tail = "+datum=WGS84 +units=m +no_defs";
    let across = if e.crosses_antimeridian() {
        " across the antimeridian"
    } else {
        ""
    };
    if e.south >= 45.0 && (e.north >= 80.0 || lon_span > 180.0) {
        return (
            format!("+proj=laea +lat_0=90 +lon_0={lon_0:.4} {tail}"),
            format!(
                "the data lie north of {:.0}°N and near the pole (a polar Lambert azimuthal equal-area)",
                e.south
            ),
        );
    }
    if e.north <= -45.0 && (e.south <= -80.0 || lon_span > 180.0) {
        return (
            format!("+proj=laea +lat_0=-90 +lon_0={lon_0:.4} {tail}"),
            format!(
                "the data lie south of {:.0}°S and near the pole (a polar Lambert azimuthal equal-area)",
                -e.north
            ),
        );
    }
    if lon_span > 270.0 || lat_span > 150.0 {
        // Whole-world data leave only narrow gaps, wherever they fall: the usual meridian.
        let lon_0 = if lon_span >= 330.0 { 0.0 } else { lon_0 };
        return (
            format!("+proj=eqearth +lon_0={lon_0:.4} {tail} +over"),
            format!(
                "the data span {lon_span:.0}° of longitude and {lat_span:.0}° of latitude: a world map (Equal Earth, equal-area)"
            ),
        );
    }
    if lon_span > 120.0 || lat_span > 60.0 {
        return (
            format!("+proj=laea +lat_0={lat_c:.4} +lon_0={lon_0:.4} {tail}"),
            format!(
                "the data span {lon_span:.0}° × {lat_span:.0}°{across}, a continent (a Lambert azimuthal equal-area at their centre)"
            ),
        );
    }
    if (e.south < 0.0 && e.north > 0.0) || e.south.abs().max(e.north.abs()) < 10.0 {
        return (
            format!("+proj=laea +lat_0={lat_c:.4} +lon_0={lon_0:.4} {tail}"),
            format!(
                "the data lie at {:.1}°..{:.1}° latitude, across or near the equator, where a conic degenerates (a Lambert azimuthal equal-area at their centre)",
                e.south, e.north
            ),
        );
    }
    let definition = format!(
        "+proj=lcc +lat_1={:.4} +lat_2={:.4} +lat_0={:.4} +lon_0={:.4} {tail}",
        e.south + lat_span / 6.0,
        e.south + lat_span * 5.0 / 6.0,
        lat_c,
        if e.crosses_antimeridian() {
            lon_0
        } else {
            (e.west + e.east) / 2.0
        },
    );
    (
        definition,
        format!(
            "a Lambert conformal conic fitted to the data's latitudes ({:.1}°..{:.1}°){across}",
            e.south, e.north
        ),
    )
}

/// An area of the page in pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Maps projected map units onto page pixels: uniform scale, y flipped, centred in an area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageTransform {
    scale: f64,
    x0: f64,
    y0: f64,
    page_x: f64,
    page_y: f64,
}

impl PageTransform {
    /// Fits `extent` (map units) into `area`, centred, keeping the aspect ratio.
    /// `margin` is a fraction of the area left free on every side (0 for an exact `--bbox`).
    ///
    /// ```
    /// use controlmap::project::{bounds, Area, PageTransform};
    /// let extent = bounds([(0.0, 0.0), (10.0, 5.0)]).unwrap();
    /// let t = PageTransform::fit(extent, Area { x: 0.0, y: 0.0, width: 200.0, height: 200.0 }, 0.0);
    /// assert_eq!(t.apply(0.0, 5.0), (0.0, 50.0)); // top-left corner, centred vertically
    /// assert_eq!(t.apply(10.0, 0.0), (200.0, 150.0));
    /// ```
    pub fn fit(extent: Rect<f64>, area: Area, margin: f64) -> PageTransform {
        let w = area.width * (1.0 - 2.0 * margin);
        let h = area.height * (1.0 - 2.0 * margin);
        let (ew, eh) = (
            extent.width().max(f64::EPSILON),
            extent.height().max(f64::EPSILON),
        );
        let scale = (w / ew).min(h / eh);
        let c = extent.center();
        PageTransform {
            scale,
            x0: c.x,
            y0: c.y,
            page_x: area.x + area.width / 2.0,
            page_y: area.y + area.height / 2.0,
        }
    }

    /// Page pixels per map unit.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Map units → page pixels (y down).
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.page_x + (x - self.x0) * self.scale,
            self.page_y - (y - self.y0) * self.scale,
        )
    }

    /// Page pixels → map units, undoing [`PageTransform::apply`].
    ///
    /// ```
    /// use controlmap::project::{bounds, Area, PageTransform};
    /// let extent = bounds([(0.0, 0.0), (10.0, 5.0)]).unwrap();
    /// let t = PageTransform::fit(extent, Area { x: 0.0, y: 0.0, width: 200.0, height: 200.0 }, 0.0);
    /// assert_eq!(t.invert(200.0, 150.0), (10.0, 0.0));
    /// ```
    pub fn invert(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.x0 + (x - self.page_x) / self.scale,
            self.y0 - (y - self.page_y) / self.scale,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcc_round_trips_through_its_inverse() {
        let p = Projection::parse("+proj=lcc +lat_1=30 +lat_2=38 +lat_0=34 +lon_0=66 +datum=WGS84")
            .unwrap();
        let (x, y) = p.forward(69.1723, 34.5281).unwrap();
        // Kabul is ~290 km east of the central meridian and ~60 km north of lat_0.
        assert!(
            (280e3..300e3).contains(&x) && (50e3..75e3).contains(&y),
            "{x} {y}"
        );
        let mut back = (x, y, 0.0);
        proj4rs::transform::transform(&p.target, &p.source, &mut back).unwrap();
        assert!((back.0.to_degrees() - 69.1723).abs() < 1e-9);
        assert!((back.1.to_degrees() - 34.5281).abs() < 1e-9);
    }

    #[test]
    fn fitted_lcc_puts_centre_at_origin() {
        let b = parse_bbox("60,29,75,39").unwrap();
        let p = Projection::fitted_lcc(b).unwrap();
        let (x, y) = p.forward(67.5, 34.0).unwrap();
        assert!(x.abs() < 1e-6 && y.abs() < 1.0, "{x} {y}");
        assert!(p.definition().contains("+lat_1=30.6667"));
    }

    fn extent(west: f64, south: f64, east: f64, north: f64) -> LonLatExtent {
        LonLatExtent {
            west,
            east,
            south,
            north,
        }
    }

    #[test]
    fn every_extent_gets_a_usable_projection() {
        let cases = [
            // Afghanistan: the conic as before, exactly.
            (
                extent(60.47, 29.37, 74.89, 38.49),
                "+proj=lcc +lat_1=30.8900",
            ),
            // Kenya-like and any box centred on the equator: no conic (lat_1 = -lat_2).
            (extent(34.0, -4.7, 42.0, 4.7), "+proj=laea +lat_0=0.0000"),
            (extent(-10.0, -6.6667, 10.0, 6.6667), "+proj=laea"),
            (extent(10.0, 76.0, 30.0, 81.0), "+proj=laea +lat_0=90"),
            (extent(-180.0, -90.0, 180.0, -60.0), "+proj=laea +lat_0=-90"),
            (
                extent(-20.0, -35.0, 52.0, 37.0),
                "+proj=laea +lat_0=1.0000 +lon_0=16.0000",
            ),
            (
                extent(-180.0, -90.0, 180.0, 90.0),
                "+proj=eqearth +lon_0=0.0000",
            ),
            // Alaska with the Aleutians: 172°E round to 130°W.
            (extent(172.0, 51.0, 230.0, 71.0), "+proj=lcc"),
        ];
        for (e, start) in cases {
            let p = Projection::automatic(&e).unwrap();
            assert!(
                p.definition().starts_with(start),
                "{e:?}: {}",
                p.definition()
            );
            assert!(p.reason().is_some());
            let (x, y) = p
                .forward(e.centre_lon(), (e.south + e.north) / 2.0)
                .unwrap();
            assert!(x.is_finite() && y.is_finite());
        }
        let alaska = Projection::automatic(&extent(172.0, 51.0, 230.0, 71.0)).unwrap();
        assert!(
            alaska.definition().contains("+lon_0=-159.0000"),
            "{}",
            alaska.definition()
        );
        // Both ends of the Aleutians project to either side of the centre, not wrapped.
        let (west, _) = alaska.forward(172.5, 52.0).unwrap();
        let (east, _) = alaska.forward(-130.0, 55.0).unwrap();
        assert!(west < 0.0 && east > 0.0, "{west} {east}");
    }

    #[test]
    fn an_automatic_projection_error_names_the_choice() {
        let e = ProjectError::AutoProj {
            proj: "+proj=laea".into(),
            why: "the data straddle the equator".into(),
            message: "x".into(),
        }
        .to_string();
        assert!(e.starts_with("the automatic projection `+proj=laea` (chosen because the data straddle the equator) failed"), "{e}");
        assert!(!e.starts_with("--proj"));
    }

    #[test]
    fn extents_find_the_gap_across_the_antimeridian() {
        use geo::polygon;
        let p = |w: f64, e: f64| {
            MultiPolygon::new(vec![
                polygon![(x: w, y: 0.0), (x: e, y: 0.0), (x: e, y: 1.0), (x: w, y: 0.0)],
            ])
        };
        let plain = [p(60.0, 70.0), p(65.0, 75.0)];
        let e = LonLatExtent::of(plain.iter()).unwrap();
        assert_eq!((e.west, e.east), (60.0, 75.0));
        let across = [p(176.0, 179.0), p(179.0, 181.0), p(-179.0, -176.0)];
        let e = LonLatExtent::of(across.iter()).unwrap();
        assert_eq!((e.west, e.east), (176.0, 184.0));
        assert!(e.crosses_antimeridian());
        assert_eq!(e.centre_lon(), -180.0);
        let world = [p(-180.0, 0.0), p(0.0, 180.0)];
        let e = LonLatExtent::of(world.iter()).unwrap();
        assert_eq!(e.lon_span(), 360.0);
    }

    #[test]
    fn bad_bboxes_are_refused() {
        for bad in [
            "",
            "a,b,c,d",
            "1,2,3",
            "5,0,5,1",
            "5,0,1,1",
            "0,0,1,100",
            "0,0,nan,1",
            "0,0,600,1",
        ] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }
}
