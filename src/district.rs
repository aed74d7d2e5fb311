//! The unit a map colours: a district, as every boundary reader produces it and every later
//! layer (join, projection, render, stats) consumes it. A module of its own so that those
//! layers do not import the readers for the type alone.

use std::fmt;

use geo::MultiPolygon;

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
