//! The ranges of the numeric style options, in one place: the style file's reader checks
//! each key against them as it reads (so that its error names the file and the line), and
//! [`check_style`] checks the resolved [`Style`] against the same ranges before any
//! rendering, which catches values given by flags or set by a library caller. A value
//! outside its range would otherwise reach tiny-skia (a panic or a hang at 1e20 px, borders
//! silently dropped at NaN) or resvg (an "invalid size" at a scale of 1e-9).

use super::{RenderError, Style};

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

/// Checks every numeric option of a resolved style against its range. The error names
/// the command-line flag (when there is one) and the style-file key.
pub fn check_style(style: &Style) -> Result<(), RenderError> {
    // Through the shortest decimal form, so that `--border-width 1e20` is reported as the
    // 1e20 the user typed, not as the f64 nearest the f32 (100000002004087730000).
    let wide = |v: f32| v.to_string().parse::<f64>().unwrap_or(f64::NAN);
    let f = &style.fonts;
    let m = &style.margins;
    let checks: [(&str, f64, Limit); 18] = [
        (
            "--border-width ([lines.borders] width)",
            wide(style.border_width),
            LINE_WIDTH,
        ),
        (
            "--province-width ([lines.provinces] width)",
            wide(style.province_width),
            LINE_WIDTH,
        ),
        (
            "--outline-width ([lines.outline] width)",
            wide(style.outline_width),
            LINE_WIDTH,
        ),
        ("[halo] width", wide(style.halo_width), LINE_WIDTH),
        ("--simplify ([lines] simplify)", style.simplify, SIMPLIFY),
        ("--scale ([size] scale)", wide(style.scale), SCALE),
        ("--width ([size] width)", style.width.into(), PAGE),
        ("--height ([size] height)", style.height.into(), PAGE),
        ("[fonts.title] size", f.title.size, FONT_SIZE),
        ("[fonts.subtitle] size", f.subtitle.size, FONT_SIZE),
        ("[fonts.date] size", f.date.size, FONT_SIZE),
        ("[fonts.legend] size", f.legend.size, FONT_SIZE),
        ("[fonts.source] size", f.source.size, FONT_SIZE),
        ("[fonts.labels] size", f.labels.size, FONT_SIZE),
        ("[margins] top", m.top, MARGIN),
        ("[margins] right", m.right, MARGIN),
        ("[margins] bottom", m.bottom, MARGIN),
        ("[margins] left", m.left, MARGIN),
    ];
    for (option, value, limit) in checks {
        limit.check(value).map_err(|why| RenderError::Range {
            option: option.to_string(),
            why,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_style_is_within_every_range() {
        check_style(&Style::default()).unwrap();
    }

    #[test]
    fn out_of_range_values_name_the_flag_and_the_key() {
        for (set, named) in [
            (
                (|s: &mut Style| s.border_width = f32::NAN) as fn(&mut Style),
                "--border-width ([lines.borders] width): expected a line width in px from 0 to 100, found NaN",
            ),
            (|s| s.outline_width = 1e20, "--outline-width"),
            (
                |s| s.scale = 1e-9,
                "--scale ([size] scale): expected a scale from 0.1 to 16",
            ),
            (|s| s.simplify = f64::INFINITY, "--simplify"),
            (|s| s.width = 4_000_000, "--width"),
            (|s| s.fonts.labels.size = -1.0, "[fonts.labels] size"),
            (|s| s.margins.left = 1e9, "[margins] left"),
        ] {
            let mut style = Style::default();
            set(&mut style);
            let e = check_style(&style).unwrap_err().to_string();
            assert!(e.starts_with(named), "{e}");
        }
    }
}
