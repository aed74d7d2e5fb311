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

/// Encodes pixels as an 8-bit PNG: RGB when every pixel is opaque (a map on a background
/// colour), RGBA otherwise.
pub fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, RenderError> {
    // tiny-skia keeps premultiplied alpha; PNG wants straight alpha. Opaque pixels are the
    // same in both. Dropping the alpha channel of an opaque map leaves a quarter less to
    // filter and compress: the file is ~7% smaller and encoding faster.
    // (Read as words, the alpha bytes are ANDed eight times faster than one by one.)
    const ALPHA: u32 = u32::from_le_bytes([0, 0, 0, 255]);
    let opaque = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]]))
        .fold(ALPHA, |a, b| a & b)
        == ALPHA;
    let (width, height) = (pixmap.width(), pixmap.height());
    let pixels = pixmap.data();
    // The converted pixels go in a buffer kept by the thread: the frames of a series each
    // need one, and a fresh page-sized buffer is fresh memory for the kernel to zero.
    thread_local! {
        static IMAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut image = IMAGE.with(|b| std::mem::take(&mut *b.borrow_mut()));
    image.clear();
    if opaque {
        // Each pixel stored as 4 bytes 3 bytes apart, the next pixel overwriting the 4th:
        // one store per pixel, several times faster than copying 3 bytes (hence the spare
        // byte at the end).
        image.resize(pixels.len() / 4 * 3 + 1, 0);
        for (i, px) in pixels.chunks_exact(4).enumerate() {
            image[3 * i..3 * i + 4].copy_from_slice(px);
        }
        image.pop();
    } else {
        image.extend(pixmap.pixels().iter().flat_map(|px| {
            let c = px.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }));
    }
    let mut out = Vec::with_capacity(pixels.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate with the Paeth filter on every row: on these maps (flat fills, thin lines)
    // it compresses within ~2% of the adaptive filter in about half its time
    // (benches/phases.rs measures both). The whole image goes to the encoder at once: its
    // stream writer, fed a few rows at a time, took 1.5 ms more of a 1600×1200 map.
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Paeth);
    let png_error = |e: png::EncodingError| RenderError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&image).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    IMAGE.with(|b| *b.borrow_mut() = image);
    Ok(out)
}

/// Rasterises and encodes an SVG document.
pub fn render(svg: &str, style: &Style) -> Result<Vec<u8>, RenderError> {
    encode(&rasterize(svg, style)?)
}
