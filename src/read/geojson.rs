//! The geojson reader.

use std::path::Path;

use super::{Layer, ReadError};

pub(super) fn read(path: &Path, text: &str) -> Result<Layer, ReadError> {
    todo!("{path:?}")
}
