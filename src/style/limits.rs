//! The ranges of the numeric style options, in one place: the style file's reader checks
//! each key against them as it reads (so that its error names the file and the line), and
//! [`crate::render::limits::check_style`] checks the resolved [`super::Style`] against the same ranges before any
//! rendering, which catches values given by flags or set by a library caller. A value
//! outside its range would otherwise reach tiny-skia (a panic or a hang at 1e20 px, borders
//! silently dropped at NaN) or resvg (an "invalid size" at a scale of 1e-9).

/// The accepted range of one kind of number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// What the number is, for the message ("a line width in px").
    pub what: &'static str,
    /// The smallest value accepted.
    pub lo: f64,
    /// The largest value accepted.
    pub hi: f64,
}

impl Limit {
    /// `Ok(v)` when `v` is finite and within the range, otherwise what was expected and
    /// what was found.
    pub fn check(&self, v: f64) -> Result<f64, String> {
        if v.is_finite() && (self.lo..=self.hi).contains(&v) {
            Ok(v)
        } else {
            Err(format!(
                "expected {} from {} to {}, found {v}",
                self.what, self.lo, self.hi
            ))
        }
    }
}

/// A border, outline or halo width.
pub const LINE_WIDTH: Limit = Limit {
    what: "a line width in px",
    lo: 0.0,
    hi: 100.0,
};
/// A font size.
pub const FONT_SIZE: Limit = Limit {
    what: "a font size in px",
    lo: 1.0,
    hi: 400.0,
};
/// A page margin.
pub const MARGIN: Limit = Limit {
    what: "a margin in px",
    lo: 0.0,
    hi: 2000.0,
};
/// Output pixels per page pixel. The floor keeps the smallest page (16 px) at least one
/// output pixel wide, and is below the scale of the lowest dpi (10 dpi = 0.139).
pub const SCALE: Limit = Limit {
    what: "a scale",
    lo: 0.1,
    hi: 16.0,
};
/// Dots per inch of a page measured in in or mm: up to the largest scale, 16 output px
/// per point.
pub const DPI: Limit = Limit {
    what: "dots per inch",
    lo: 10.0,
    hi: 1152.0,
};
/// The simplification tolerance.
pub const SIMPLIFY: Limit = Limit {
    what: "a tolerance in px",
    lo: 0.0,
    hi: 100.0,
};
/// A page width or height in px.
pub const PAGE: Limit = Limit {
    what: "a page length in px",
    lo: 16.0,
    hi: 100_000.0,
};
