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
        })
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

/// Parses `minlon,minlat,maxlon,maxlat`.
///
/// ```
/// let b = controlmap::project::parse_bbox("60.36,28.42,75.04,39.43").unwrap();
/// assert_eq!(b.min().x, 60.36);
/// assert!(controlmap::project::parse_bbox("1,2,3").is_err());
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
    let ok = v.iter().all(|c| c.is_finite())
        && x0 < x1
        && y0 < y1
        && (-180.0..=180.0).contains(&x0)
        && (-180.0..=180.0).contains(&x1)
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

    #[test]
    fn bad_bboxes_are_refused() {
        for bad in ["", "a,b,c,d", "1,2,3", "5,0,1,1", "0,0,1,100", "0,0,nan,1"] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }
}
