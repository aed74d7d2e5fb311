//! The small pieces every SVG writer shares: numbers as the documents print them, the
//! `<svg>` root, Inkscape layer attributes and which part of the furniture is written.
//!
//! They live apart from [`super::svg`] so that the writers of single layers (change marks,
//! labels, locator, scale bar) do not import the document writer that imports them.

use std::fmt::Write;

use super::text::escape;

/// Appends a fixed-point number (`v` / 10^`decimals`) with no trailing zeros.
pub(crate) fn push_number(out: &mut String, v: i64, decimals: usize) {
    let div = 10i64.pow(decimals as u32);
    if v < 0 {
        out.push('-');
    }
    let a = v.unsigned_abs();
    let (int, mut frac) = (a / div as u64, a % div as u64);
    let _ = write!(out, "{int}");
    if frac != 0 {
        let mut digits = decimals;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{frac:0digits$}");
    }
}

/// `v` in fixed point with `decimals` decimals, rounded.
pub(crate) fn fixed(v: f64, decimals: usize) -> i64 {
    (v * 10f64.powi(decimals as i32)).round() as i64
}

/// `v` rounded to at most `decimals` decimals, without trailing zeros.
pub(crate) fn num(v: f64, decimals: usize) -> String {
    let mut s = String::new();
    push_number(&mut s, fixed(v, decimals), decimals);
    s
}

/// The namespace of Inkscape's layer attributes, which Illustrator also reads as layers.
pub(crate) const INKSCAPE_NS: &str = "http://www.inkscape.org/namespaces/inkscape";

/// The attributes that make a `<g>` a layer in Inkscape and Illustrator, named `label`
/// (the root declares the `inkscape` namespace).
pub(crate) fn layer(label: &str) -> String {
    format!(
        r#" inkscape:groupmode="layer" inkscape:label="{}""#,
        escape(label)
    )
}

/// The `<svg>` root element of a page.
pub(crate) fn root(out: &mut String, style: &super::Style) {
    let scaled = |v: u32| num(f64::from(v) * f64::from(style.scale), 2);
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{INKSCAPE_NS}" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}">"#,
        scaled(style.width),
        scaled(style.height),
        style.width,
        style.height,
        style.typeface.svg_family()
    );
}

/// Which pieces of the furniture to write: the PNG renderer draws the pieces that stay the
/// same from frame to frame once per series, and the ones that change with every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Everything (an SVG document).
    Whole,
    /// Title, subtitle, source, and each category's swatch and label.
    Fixed,
    /// The date line, the counts, and the no-data entry (shown only when some district has
    /// no data).
    Changing,
    /// Small multiples: the fixed part alone, since counts differ from panel to panel.
    Unnumbered,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        let n = |v, d| {
            let mut s = String::new();
            push_number(&mut s, v, d);
            s
        };
        assert_eq!(n(12340, 1), "1234");
        assert_eq!(n(12345, 1), "1234.5");
        assert_eq!(n(-5, 1), "-0.5");
        assert_eq!(n(120, 2), "1.2");
        assert_eq!(n(0, 2), "0");
    }
}
