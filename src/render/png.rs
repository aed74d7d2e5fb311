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
    use std::io::Write;
    // tiny-skia keeps premultiplied alpha; PNG wants straight alpha. Opaque pixels are the
    // same in both. Dropping the alpha channel of an opaque map leaves a quarter less to
    // filter and compress: the file is ~7% smaller and encoding faster.
    let opaque = pixmap.data().chunks_exact(4).fold(255, |a, p| a & p[3]) == 255;
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut out = Vec::with_capacity(pixmap.data().len() / 16);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate with the Paeth filter on every row: on these maps (flat fills, thin lines)
    // it compresses within ~2% of the adaptive filter in about half its time
    // (benches/phases.rs measures both).
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Paeth);
    let png_error = |e: png::EncodingError| RenderError::Png(e.to_string());
    let io_error = |e: std::io::Error| RenderError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    {
        // The pixels go through a few rows at a time: a page-sized copy would be a fresh
        // mapping for the kernel to zero on every frame of a series.
        const ROWS: usize = 16;
        let row = 4 * width as usize;
        let mut stream = writer
            .stream_writer_with_size(64 * 1024)
            .map_err(png_error)?;
        let mut buffer = vec![0; ROWS * row];
        let pixels = pixmap.pixels();
        for (rows, colors) in pixmap
            .data()
            .chunks(ROWS * row)
            .zip(pixels.chunks(ROWS * row / 4))
        {
            let converted = &mut buffer[..colors.len() * if opaque { 3 } else { 4 }];
            if opaque {
                for (rgb, px) in converted.chunks_exact_mut(3).zip(rows.chunks_exact(4)) {
                    rgb.copy_from_slice(&px[..3]);
                }
            } else {
                for (rgba, px) in converted.chunks_exact_mut(4).zip(colors) {
                    let c = px.demultiply();
                    rgba.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
                }
            }
            stream.write_all(converted).map_err(io_error)?;
        }
        stream.finish().map_err(png_error)?;
    }
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// Rasterises and encodes an SVG document.
pub fn render(svg: &str, style: &Style) -> Result<Vec<u8>, RenderError> {
    encode(&rasterize(svg, style)?)
}
