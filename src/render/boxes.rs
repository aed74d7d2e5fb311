//! Boxes on the page, as the label, callout and locator placement compare them.

/// A box on the page: left, top, right, bottom.
pub(crate) type Box = (f64, f64, f64, f64);

pub(crate) fn overlaps(a: Box, b: Box) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}
