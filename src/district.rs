//! The unit a map colours: a district, as every boundary reader produces it and every later
//! layer (join, projection, render, stats) consumes it. A module of its own so that those
//! layers do not import the readers for the type alone.

use std::fmt;

use geo::{GeodesicArea, MultiPolygon, Orient, orient::Direction};
use rayon::prelude::*;

/// A stable identifier for a district: the id field's value, or `#<feature index>` when the
/// file has no id field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DistrictId(pub String);

impl fmt::Display for DistrictId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One district: the unit a map colours.
#[derive(Debug, Clone)]
pub struct District {
    /// Position of the feature in the boundary file (0-based).
    pub index: usize,
    /// Its identifier.
    pub id: DistrictId,
    /// Its name, as written in the file.
    pub name: String,
    /// Its province, when the file has a province field.
    pub province: Option<String>,
    /// Its geometry, lon/lat degrees.
    pub geometry: MultiPolygon<f64>,
}

/// The geodesic area of a lon/lat geometry in km².
///
/// ```
/// use controlmap::district::area_km2;
/// // One degree by one degree at the equator: 12,308.5 km² on the WGS 84 ellipsoid (a
/// // sphere of the mean radius would give 12,364 km²).
/// let cell = geo::MultiPolygon::new(vec![geo::Rect::new((0.0, 0.0), (1.0, 1.0)).to_polygon()]);
/// assert!((area_km2(&cell) - 12_308.5).abs() < 1.0);
/// ```
pub fn area_km2(geometry: &MultiPolygon<f64>) -> f64 {
    // geo's geodesic area expects counter-clockwise exteriors; a clockwise ring (the
    // Shapefile convention) would measure as the rest of the earth.
    let m2 = geometry.orient(Direction::Default).geodesic_area_unsigned();
    // `max` also turns the NaN of a degenerate ring into nothing.
    (m2 / 1e6).max(0.0)
}

/// Every district's geodesic area in km², in district order (in parallel: a full-resolution
/// district file has hundreds of thousands of vertices).
pub fn district_areas(districts: &[District]) -> Vec<f64> {
    districts
        .par_iter()
        .map(|d| area_km2(&d.geometry))
        .collect()
}
