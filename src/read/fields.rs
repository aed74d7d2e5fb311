//! Choosing the id, name and province fields of a boundary layer.

use super::{Boundaries, Layer, ReadError};

/// Which fields to use; `None` means detect.
#[derive(Debug, Clone, Default)]
pub struct FieldOptions {
    /// The property holding the district id (`--id-field`).
    pub id_field: Option<String>,
    /// The property holding the district name (`--name-field`).
    pub name_field: Option<String>,
    /// The property holding the province name (`--province-field`).
    pub province_field: Option<String>,
    /// The TopoJSON object to read (`--layer`).
    pub layer: Option<String>,
}

/// The fields that were used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldChoice {
    /// Id field; `None` means ids are `#<feature index>`.
    pub id: Option<String>,
    /// Name field.
    pub name: String,
    /// Province field, if any.
    pub province: Option<String>,
}

pub(super) fn districts(layer: Layer, options: &FieldOptions) -> Result<Boundaries, ReadError> {
    todo!("{layer:?}{options:?}")
}
