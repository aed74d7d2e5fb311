//! The PDF writer: our SVG converted to vector PDF by svg2pdf, text set in the style's
//! typeface (the bundled DejaVu faces, or the user's font file) and embedded (subset), so
//! the PDF never depends on the fonts of the machine that makes it or opens it.
//!
//! svg2pdf 0.13 brings its own usvg (0.45, older than the 0.49 the PNG path uses), so the
//! SVG is parsed again with that usvg rather than shared as a tree. The page is the SVG's
//! page size (its `viewBox`) at one page pixel to one PDF point, so a 1600×1200 px map is a
//! 1600×1200 pt page and `--size print` an 8×6 in (576×432 pt) page: `--scale` sets the
//! pixels of raster output, and a vector page has none.
//!
//! A label's halo is the same `<text>` stroked under its fill (`paint-order="stroke"`);
//! svg2pdf would write it as a second, stroked copy of the text, and text extraction (copy,
//! search, screen readers) would read every label twice ("KabulKabul"). So before the
//! conversion each haloed `<text>` with an id loses its stroke, and the stroke is drawn
//! just before it as a path of the glyph outlines usvg laid out: the same picture, each
//! label's text once.

use std::sync::Arc;

use svg2pdf::usvg;

use super::RenderError;
use super::typeface::Typeface;

/// Parsing options whose font database holds `face` and the bundled faces only (no system
/// fonts), built once per typeface.
fn options(face: &Typeface) -> &usvg::Options<'static> {
    face.pdf_options.get_or_init(|| usvg::Options {
        font_family: face.family().to_string(),
        fontdb: Arc::new(super::typeface::font_database!(usvg::fontdb, face)),
        ..usvg::Options::default()
    })
}

/// Converts an SVG document whose `width`/`height` are its page size times `scale` to a
/// one-page vector PDF of the page size (1 page px = 1 pt), its text set in the bundled
/// faces.
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    render_with(svg, scale, &Typeface::bundled())
}

/// [`render`] with the text set in `face` (the style's typeface), embedded.
pub fn render_with(svg: &str, scale: f32, face: &Typeface) -> Result<Vec<u8>, RenderError> {
    let parse = |svg: &str| {
        usvg::Tree::from_str(svg, options(face)).map_err(|e| RenderError::Pdf(e.to_string()))
    };
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let tree = parse(svg)?;
    let mut halos = Vec::new();
    collect_halos(tree.root(), scale, &mut halos);
    let tree = if halos.is_empty() {
        tree
    } else {
        parse(&split_halos(svg, &halos))?
    };
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        // 72 dpi per output pixel: a page pixel (user unit) of the SVG becomes a point.
        svg2pdf::PageOptions { dpi: 72.0 * scale },
    )
    .map_err(|e| RenderError::Pdf(e.to_string()))
}

/// A haloed text: its id and its halo as an SVG path element.
struct Halo {
    id: String,
    path: String,
}

/// The haloed texts with an id under `group`. A halo path goes where its text was, so it
/// shares the text's coordinates only when nothing but the viewBox (a `scale`) transforms
/// the text: texts in a translated group (small-multiple panels) keep svg2pdf's rendering.
fn collect_halos(group: &usvg::Group, scale: f32, out: &mut Vec<Halo>) {
    use std::fmt::Write;
    use usvg::tiny_skia_path::PathSegment;
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect_halos(g, scale, out),
            usvg::Node::Text(t) if !t.id().is_empty() && only_scaled(t.abs_transform(), scale) => {
                let mut d = String::new();
                let mut stroke = None;
                for child in t.flattened().children() {
                    let usvg::Node::Path(p) = child else { continue };
                    let Some(s) = p.stroke() else { continue };
                    stroke.get_or_insert_with(|| s.clone());
                    for seg in p.data().segments() {
                        let _ = match seg {
                            PathSegment::MoveTo(a) => write!(d, "M{} {}", a.x, a.y),
                            PathSegment::LineTo(a) => write!(d, "L{} {}", a.x, a.y),
                            PathSegment::QuadTo(a, b) => {
                                write!(d, "Q{} {} {} {}", a.x, a.y, b.x, b.y)
                            }
                            PathSegment::CubicTo(a, b, c) => {
                                write!(d, "C{} {} {} {} {} {}", a.x, a.y, b.x, b.y, c.x, c.y)
                            }
                            PathSegment::Close => write!(d, "Z"),
                        };
                    }
                }
                let Some(stroke) = stroke else { continue };
                // Halos are plain colours; any other paint keeps svg2pdf's own rendering.
                let usvg::Paint::Color(c) = stroke.paint() else {
                    continue;
                };
                let join = match stroke.linejoin() {
                    usvg::LineJoin::Round => "round",
                    usvg::LineJoin::Bevel => "bevel",
                    _ => "miter",
                };
                out.push(Halo {
                    id: t.id().to_string(),
                    path: format!(
                        r##"<path d="{d}" fill="none" stroke="#{:02x}{:02x}{:02x}" stroke-opacity="{}" stroke-width="{}" stroke-linejoin="{join}"/>"##,
                        c.red,
                        c.green,
                        c.blue,
                        stroke.opacity().get(),
                        stroke.width().get()
                    ),
                });
            }
            _ => {}
        }
    }
}

/// Whether `t` is a scale by `scale` and nothing else.
fn only_scaled(t: usvg::Transform, scale: f32) -> bool {
    let near = |a: f32, b: f32| (a - b).abs() <= 1e-4 * b.abs().max(1.0);
    near(t.sx, scale) && near(t.sy, scale) && [t.kx, t.ky, t.tx, t.ty].iter().all(|v| near(*v, 0.0))
}

/// `svg` with each halo's path before its text, and the text's own stroke removed.
fn split_halos(svg: &str, halos: &[Halo]) -> String {
    let mut out = svg.to_string();
    for h in halos {
        let tag = format!(r#"<text id="{}""#, super::text::escape(&h.id));
        let Some(start) = out.find(&tag) else {
            continue;
        };
        let Some(len) = out[start..].find('>') else {
            continue;
        };
        // Our writer puts ` stroke="…"` once in a label's start tag; renaming it keeps
        // the tag valid and the fill alone.
        let head = out[start..start + len].replacen(" stroke=\"", " data-halo=\"", 1);
        out.replace_range(start..start + len, &head);
        out.insert_str(start, &h.path);
    }
    out
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
        let pdf = render(svg, 1.0).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(contains(&pdf, b"/FontFile"));
        // Subset fonts are named ABCDEF+DejaVuSans; asking for Helvetica changes nothing.
        assert!(contains(&pdf, b"DejaVuSans"));
        assert!(contains(&pdf, b"DejaVuSans-Bold"));
        assert!(contains(&pdf, b"/MediaBox [0 0 200 100]"));
    }

    #[test]
    fn a_haloed_label_is_one_text_and_a_stroked_outline() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 200 100"><text id="label-kabul" x="10" y="50" font-size="20" fill="#111111" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">Kabul</text></svg>"##;
        let tree = usvg::Tree::from_str(svg, options(&Typeface::bundled())).unwrap();
        let mut halos = Vec::new();
        collect_halos(tree.root(), 2.0, &mut halos);
        assert_eq!(halos.len(), 1);
        let split = split_halos(svg, &halos);
        assert!(split.contains(r##"stroke="#ffffff" stroke-opacity="1" stroke-width="3""##));
        assert!(split.contains(r##"<text id="label-kabul" x="10" y="50" font-size="20" fill="#111111" data-halo="#ffffff""##));
        let pdf = render(svg, 2.0).unwrap();
        // One text object, filled; none stroked (text render mode 1); the page is the
        // viewBox at 1 px = 1 pt whatever the scale.
        assert!(contains(&pdf, b"/MediaBox [0 0 200 100]"));
        let content = pdf_content(&pdf);
        assert!(content.contains("Tj"), "{content}");
        assert!(!content.contains("1 Tr"), "{content}");
    }

    /// The decompressed content streams of a PDF.
    fn pdf_content(pdf: &[u8]) -> String {
        let mut out = String::new();
        let mut rest = pdf;
        while let Some(i) = rest.windows(7).position(|w| w == b"stream\n") {
            rest = &rest[i + 7..];
            let end = rest
                .windows(9)
                .position(|w| w == b"endstream")
                .unwrap_or(rest.len());
            let mut z = flate2::read::ZlibDecoder::new(&rest[..end]);
            let mut s = Vec::new();
            if std::io::Read::read_to_end(&mut z, &mut s).is_ok() {
                out.push_str(&String::from_utf8_lossy(&s));
            }
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn broken_svg_is_an_error_not_a_panic() {
        assert!(matches!(render("<svg", 1.0), Err(RenderError::Pdf(_))));
        assert!(matches!(render("", 1.0), Err(RenderError::Pdf(_))));
    }
}
