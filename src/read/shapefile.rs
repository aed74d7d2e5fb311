//! The shapefile reader.

use std::path::Path;

use super::{Layer, ReadError};

pub(super) fn read(path: &Path) -> Result<Layer, ReadError> {
    todo!("{path:?}")
}
