//! The PNG writer: our SVG rasterised by resvg, with the style's typeface (the bundled font,
//! or the user's font file) and no system fonts, so the same command gives the same pixels
//! on every machine.

use std::sync::Arc;

use super::{RenderError, Style};

/// The pixel size of the PNG for a style.
pub fn pixel_size(style: &Style) -> (u32, u32) {
    let px = |v: u32| (f64::from(v) * f64::from(style.scale)).round().max(1.0) as u32;
    (px(style.width), px(style.height))
}

/// Parsing options whose font database holds the style's typeface and the bundled face
/// only (see [`super::typeface`]), built once per typeface.
fn options(style: &Style) -> &resvg::usvg::Options<'static> {
    let face = &style.typeface;
    face.png_options.get_or_init(|| resvg::usvg::Options {
        font_family: face.family().to_string(),
        fontdb: Arc::new(super::typeface::font_database!(resvg::usvg::fontdb, face)),
        ..resvg::usvg::Options::default()
    })
}

/// Rasterises an SVG document of `style`'s page size into RGBA pixels (premultiplied).
pub fn rasterize(svg: &str, style: &Style) -> Result<resvg::tiny_skia::Pixmap, RenderError> {
    let (w, h) = pixel_size(style);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or_else(|| RenderError::Size {
        width: style.width,
        height: style.height,
        scale: style.scale,
        why: "cannot allocate the image".into(),
    })?;
    rasterize_onto(svg, style, &mut pixmap)?;
    Ok(pixmap)
}

/// Rasterises an SVG document of `style`'s page size over existing pixels.
pub fn rasterize_onto(
    svg: &str,
    style: &Style,
    pixmap: &mut resvg::tiny_skia::Pixmap,
) -> Result<(), RenderError> {
    let tree = resvg::usvg::Tree::from_str(svg, options(style))
        .map_err(|e| RenderError::Svg(e.to_string()))?;
    let (w, h) = pixel_size(style);
    let sx = w as f32 / tree.size().width();
    let sy = h as f32 / tree.size().height();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(sx, sy),
        &mut pixmap.as_mut(),
    );
    Ok(())
}

/// Encodes pixels as an 8-bit RGBA PNG.
pub fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, RenderError> {
    // tiny-skia keeps premultiplied alpha; PNG wants straight alpha. Opaque pixels are the
    // same in both, which is the common case (a background colour).
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let data: std::borrow::Cow<[u8]> = if opaque {
        pixmap.data().into()
    } else {
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect::<Vec<u8>>()
            .into()
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate with the adaptive filter: the Up filter alone (`Fastest`) is not reliably
    // faster on these maps and makes files ~8% larger (benches/phases.rs measures both).
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .map_err(|e| RenderError::Png(e.to_string()))?;
    writer
        .write_image_data(&data)
        .map_err(|e| RenderError::Png(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| RenderError::Png(e.to_string()))?;
    Ok(out)
}

/// Rasterises and encodes an SVG document.
pub fn render(svg: &str, style: &Style) -> Result<Vec<u8>, RenderError> {
    encode(&rasterize(svg, style)?)
}
