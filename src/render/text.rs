//! Text: XML escaping, and wrapping measured in the map's typeface.
//!
//! Layout (legend items side by side, label halos) needs text widths before the SVG exists;
//! measuring with the faces the writers draw with ([`Typeface`]) keeps the layout right.

use super::typeface::Typeface;

/// The bundled regular face (DejaVu Sans).
pub fn regular_font() -> &'static [u8] {
    dejavu::sans::regular()
}

/// The bundled bold face (DejaVu Sans Bold).
pub fn bold_font() -> &'static [u8] {
    dejavu::sans::bold()
}

/// The family name of the bundled face, the fallback of every typeface.
pub const FONT_FAMILY: &str = super::typeface::BUNDLED_FAMILY;

/// Breaks `text` into lines no wider than `width` px at `size`: at its explicit newlines,
/// then greedily at spaces. A word wider than `width` stays whole on a line of its own (the
/// caller warns about it: see [`overflowing`]).
///
/// ```
/// use controlmap::render::{text::wrap, typeface::Typeface};
/// let t = Typeface::bundled();
/// let lines = wrap(&t, "Districts reported under Taliban control\nSource line", 200.0, 20.0, false);
/// assert!(lines.len() >= 3);
/// assert_eq!(lines.last().unwrap(), "Source line");
/// assert!(lines.iter().all(|l| t.measure(l, 20.0, false) <= 200.0));
/// assert_eq!(wrap(&t, "", 100.0, 20.0, false), vec![String::new()]);
/// ```
pub fn wrap(face: &Typeface, text: &str, width: f64, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            if line.is_empty() {
                line.push_str(word);
                continue;
            }
            let longer = format!("{line} {word}");
            if f64::from(face.measure(&longer, size, bold)) <= width {
                line = longer;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        lines.push(line);
    }
    lines
}

/// The lines of [`wrap`] that are still wider than `width` (a single word too long).
pub fn overflowing<'a>(
    face: &Typeface,
    lines: &'a [String],
    width: f64,
    size: f32,
    bold: bool,
) -> Vec<&'a str> {
    lines
        .iter()
        .filter(|l| f64::from(face.measure(l, size, bold)) > width)
        .map(String::as_str)
        .collect()
}

/// Escapes text for XML content and attribute values.
///
/// ```
/// use controlmap::render::text::escape;
/// assert_eq!(escape("<script>alert(1)</script> & \"x\""),
///            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;");
/// assert_eq!(escape("a\u{fffe}\u{ffff}\u{1}b"), "a\u{fffd}\u{fffd}\u{fffd}b");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0's `Char` production leaves out the C0 controls (but tab, LF, CR) and
            // U+FFFE/U+FFFF (surrogates cannot be a `char`); C1 controls are allowed but
            // discouraged, and go too. A parser refuses the whole document for one of them.
            c if (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}
