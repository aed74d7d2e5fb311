//! Projection: lon/lat → page coordinates.
