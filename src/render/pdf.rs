//! The PDF writer: our SVG converted to vector PDF by svg2pdf, text set in the bundled
//! DejaVu faces and embedded (subset), so the PDF never depends on the fonts of the machine
//! that makes it or opens it.
//!
//! svg2pdf 0.13 brings its own usvg (0.45, older than the 0.49 the PNG path uses), so the
//! SVG is parsed again with that usvg rather than shared as a tree. The page is the SVG's
//! size at 72 dpi: one SVG pixel is one PDF point, so a 1600×1200 px map is a
//! 1600×1200 pt page (`--scale` multiplies both, as it does the SVG's `width`/`height`).

use std::sync::{Arc, OnceLock};

use svg2pdf::usvg;

use super::RenderError;
use super::text::{FONT_FAMILY, bold_font, regular_font};

/// Parsing options with a font database of the bundled faces only (no system fonts).
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(regular_font().to_vec());
        db.load_font_data(bold_font().to_vec());
        // Whatever family the SVG asks for, set it in the bundled face.
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Converts an SVG document to a one-page vector PDF of the SVG's size (1 px = 1 pt).
pub fn render(svg: &str) -> Result<Vec<u8>, RenderError> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| RenderError::Pdf(e.to_string()))?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        // 72 dpi: a user unit (px) of the SVG becomes a point.
        svg2pdf::PageOptions { dpi: 72.0 },
    )
    .map_err(|e| RenderError::Pdf(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn text_is_set_in_the_embedded_bundled_font() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-family="Helvetica"><rect width="200" height="100" fill="#eeeeee"/><text x="10" y="50" font-size="20">Kandahar</text><text x="10" y="80" font-size="20" font-weight="bold">Bold</text></svg>"##;
        let pdf = render(svg).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(contains(&pdf, b"/FontFile"));
        // Subset fonts are named ABCDEF+DejaVuSans; asking for Helvetica changes nothing.
        assert!(contains(&pdf, b"DejaVuSans"));
        assert!(contains(&pdf, b"DejaVuSans-Bold"));
        assert!(contains(&pdf, b"/MediaBox [0 0 200 100]"));
    }

    #[test]
    fn broken_svg_is_an_error_not_a_panic() {
        assert!(matches!(render("<svg"), Err(RenderError::Pdf(_))));
        assert!(matches!(render(""), Err(RenderError::Pdf(_))));
    }
}
