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
    let (w, h) = pixel_size(style);
    let (tree, scale) = parse(svg, style, w, h)?;
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    Ok(())
}

/// The document's tree, and the scale from its size to `width` × `height` pixels.
fn parse(
    svg: &str,
    style: &Style,
    width: u32,
    height: u32,
) -> Result<(resvg::usvg::Tree, resvg::tiny_skia::Transform), RenderError> {
    let tree = resvg::usvg::Tree::from_str(svg, options(style))
        .map_err(|e| RenderError::Svg(e.to_string()))?;
    let sx = width as f32 / tree.size().width();
    let sy = height as f32 / tree.size().height();
    Ok((tree, resvg::tiny_skia::Transform::from_scale(sx, sy)))
}

/// Rasterises an SVG document of `style`'s page size over opaque RGB pixels (3 bytes a
/// pixel, `width` × `height`). Only the part of the page the document draws on goes
/// through an RGBA pixmap and back; the pixels are those [`rasterize_onto`] gives, as resvg
/// draws each pixel from the same path at the same whole-pixel offset.
pub fn rasterize_onto_rgb(
    svg: &str,
    style: &Style,
    rgb: &mut [u8],
    width: u32,
    height: u32,
) -> Result<(), RenderError> {
    let (tree, scale) = parse(svg, style, width, height)?;
    if !tree.root().has_children() {
        return Ok(());
    }
    // The drawn area in pixels, with room for anti-aliasing.
    let b = tree.root().abs_layer_bounding_box();
    let (sx, sy) = (scale.sx, scale.sy);
    let pad = 2.0;
    let x0 = ((b.left() * sx - pad).floor().max(0.0) as u32).min(width);
    let y0 = ((b.top() * sy - pad).floor().max(0.0) as u32).min(height);
    let x1 = ((b.right() * sx + pad).ceil().max(0.0) as u32).min(width);
    let y1 = ((b.bottom() * sy + pad).ceil().max(0.0) as u32).min(height);
    let Some(mut crop) =
        resvg::tiny_skia::Pixmap::new(x1.saturating_sub(x0), y1.saturating_sub(y0))
    else {
        return Ok(());
    };
    let cw = crop.width() as usize;
    let row = |y: u32| {
        let start = 3 * (y as usize * width as usize + x0 as usize);
        start..start + 3 * cw
    };
    let cw = 4 * cw;
    for (y, out) in (y0..y1).zip(crop.data_mut().chunks_exact_mut(cw)) {
        for (o, i) in out.chunks_exact_mut(4).zip(rgb[row(y)].chunks_exact(3)) {
            o.copy_from_slice(&[i[0], i[1], i[2], 255]);
        }
    }
    resvg::render(
        &tree,
        scale.post_translate(-(x0 as f32), -(y0 as f32)),
        &mut crop.as_mut(),
    );
    for (y, from) in (y0..y1).zip(crop.data().chunks_exact(cw)) {
        let range = row(y);
        for (o, i) in rgb[range].chunks_exact_mut(3).zip(from.chunks_exact(4)) {
            o.copy_from_slice(&i[..3]);
        }
    }
    Ok(())
}

/// Encodes pixels as an 8-bit PNG: RGB when every pixel is opaque (a map on a background
/// colour), RGBA otherwise.
pub fn encode(pixmap: &resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, RenderError> {
    // tiny-skia keeps premultiplied alpha; PNG wants straight alpha. Opaque pixels are the
    // same in both. Dropping the alpha channel of an opaque map leaves a quarter less to
    // filter and compress: the file is ~7% smaller and encoding faster.
    let (width, height) = (pixmap.width(), pixmap.height());
    let pixels = pixmap.data();
    // The converted pixels go in a buffer kept by the thread: the frames of a series each
    // need one, and a fresh page-sized buffer is fresh memory for the kernel to zero (and
    // one of the same size is not cleared, as every byte is written again).
    thread_local! {
        static IMAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut image = IMAGE.with(|b| std::mem::take(&mut *b.borrow_mut()));
    // Converted to RGB while the alpha bytes are ANDed, in one pass over the page (a
    // separate check first read it twice from memory): each pixel stored as 4 bytes 3 bytes
    // apart, the next pixel overwriting the 4th, one store per pixel, several times faster
    // than copying 3 bytes (hence the spare byte at the end).
    const ALPHA: u32 = u32::from_le_bytes([0, 0, 0, 255]);
    let mut alpha = ALPHA;
    image.resize(pixels.len() / 4 * 3 + 1, 0);
    let rgb = &mut image[..];
    for (i, px) in pixels.chunks_exact(4).enumerate() {
        let px: [u8; 4] = [px[0], px[1], px[2], px[3]];
        alpha &= u32::from_le_bytes(px);
        rgb[3 * i..3 * i + 4].copy_from_slice(&px);
    }
    image.pop();
    let opaque = alpha == ALPHA;
    if !opaque {
        image.clear();
        image.extend(pixmap.pixels().iter().flat_map(|px| {
            let c = px.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }));
    }
    let color = match opaque {
        true => png::ColorType::Rgb,
        false => png::ColorType::Rgba,
    };
    let out = write(width, height, color, &image);
    IMAGE.with(|b| *b.borrow_mut() = image);
    out
}

/// Encodes opaque pixels given as RGB, 3 bytes a pixel, row by row.
pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, RenderError> {
    write(width, height, png::ColorType::Rgb, rgb)
}

fn write(
    width: u32,
    height: u32,
    color: png::ColorType,
    image: &[u8],
) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::with_capacity(image.len() / 12);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate with the Paeth filter on every row: on these maps (flat fills, thin lines)
    // it compresses within ~2% of the adaptive filter in about half its time
    // (benches/phases.rs measures both), and faster than with any other filter. The whole
    // image goes to the encoder at once: its stream writer, fed a few rows at a time, took
    // 1.5 ms more of a 1600×1200 map.
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Paeth);
    let png_error = |e: png::EncodingError| RenderError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(image).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

/// Rasterises and encodes an SVG document.
pub fn render(svg: &str, style: &Style) -> Result<Vec<u8>, RenderError> {
    encode(&rasterize(svg, style)?)
}
