//! The ranges of the numeric style options, in one place: the style file's reader checks
//! each key against them as it reads (so that its error names the file and the line), and
//! [`check_style`] checks the resolved [`Style`] against the same ranges before any
//! rendering, which catches values given by flags or set by a library caller. A value
//! outside its range would otherwise reach tiny-skia (a panic or a hang at 1e20 px, borders
//! silently dropped at NaN) or resvg (an "invalid size" at a scale of 1e-9).

// The ranges themselves are part of the style model (the style-file reader checks against
// them and must not import render); re-exported so that `render::limits::FONT_SIZE` still
// names them.
pub use crate::style::limits::*;

use super::{RenderError, Style};

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
