//! Text: XML escaping and width measurement with the bundled font.
//!
//! Layout (legend items side by side, label halos) needs text widths before the SVG exists;
//! measuring with the same DejaVu faces resvg draws with keeps the layout right in the PNG.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The bundled regular face (DejaVu Sans).
pub fn regular_font() -> &'static [u8] {
    dejavu::sans::regular()
}

/// The bundled bold face (DejaVu Sans Bold).
pub fn bold_font() -> &'static [u8] {
    dejavu::sans::bold()
}

/// The family name the SVG asks for; the PNG renderer knows only this family.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Advance widths of both faces in font units per em, looked up by char.
struct Metrics {
    upem: f32,
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn metrics() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| {
            let regular = FontRef::new(regular_font()).ok()?;
            let bold = FontRef::new(bold_font()).ok()?;
            let upem = regular
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em;
            Some(Metrics {
                upem: f32::from(upem),
                regular,
                bold,
            })
        })
        .as_ref()
}

/// The width in pixels of `text` set at `size` px, without kerning (a close upper bound).
///
/// ```
/// use controlmap::render::text::measure;
/// let narrow = measure("iii", 20.0, false);
/// let wide = measure("WWW", 20.0, false);
/// assert!(narrow > 0.0 && wide > 2.0 * narrow);
/// assert!(measure("WWW", 20.0, true) > wide);
/// ```
pub fn measure(text: &str, size: f32, bold: bool) -> f32 {
    let Some(m) = metrics() else {
        // The font is compiled in; this only guards against a corrupt build.
        return text.chars().count() as f32 * size * 0.6;
    };
    let font = if bold { &m.bold } else { &m.regular };
    let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let charmap = font.charmap();
    let units: f32 = text
        .chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| glyphs.advance_width(g))
                .unwrap_or(m.upem * 0.6)
        })
        .sum();
    units * size / m.upem
}

/// Breaks `text` into lines no wider than `width` px at `size`: at its explicit newlines,
/// then greedily at spaces. A word wider than `width` stays whole on a line of its own (the
/// caller warns about it: see [`overflowing`]).
///
/// ```
/// use controlmap::render::text::{measure, wrap};
/// let lines = wrap("Districts reported under Taliban control\nSource line", 200.0, 20.0, false);
/// assert!(lines.len() >= 3);
/// assert_eq!(lines.last().unwrap(), "Source line");
/// assert!(lines.iter().all(|l| measure(l, 20.0, false) <= 200.0));
/// assert_eq!(wrap("", 100.0, 20.0, false), vec![String::new()]);
/// ```
pub fn wrap(text: &str, width: f64, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            if line.is_empty() {
                line.push_str(word);
                continue;
            }
            let longer = format!("{line} {word}");
            if f64::from(measure(&longer, size, bold)) <= width {
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
pub fn overflowing(lines: &[String], width: f64, size: f32, bold: bool) -> Vec<&str> {
    lines
        .iter()
        .filter(|l| f64::from(measure(l, size, bold)) > width)
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
