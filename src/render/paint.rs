//! Drawing the scene's typed page geometry with tiny-skia: the district fills of one frame,
//! the line layers, the typed [`draw`] layers, and (through resvg, for their text) the
//! places, labels and furniture.
//!
//! [`draw_once`] makes a frame's pixels directly, in the SVG's drawing order, as resvg draws
//! the SVG: the cheapest way to one map. It is resvg's pixels exactly on the real maps; a
//! long straight edge crossing the band seam moves by up to 3/255 (hand-made fixtures), and
//! a zoom's clip by up to 4/255 along the frame. A series prepares its pixels once instead
//! ([`super::raster`]) and shares the overlay functions here.

use resvg::tiny_skia::{
    FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::draw::{self, Item, Layer};
use super::{Frame, RenderError, Scene, png, svg};
use crate::status::Color;

/// A zoomed map's frame in device pixels `(x0, y0, x1, y1)`, whole by construction.
pub(crate) type Clip = (u32, u32, u32, u32);

/// Device pixels per page pixel, and the frame a zoomed map is clipped to.
pub(crate) fn scale_and_clip(scene: &Scene) -> (f64, Option<Clip>) {
    let (width, _) = png::pixel_size(&scene.style);
    let scale = f64::from(width) / f64::from(scene.style.width);
    let clip = scene.extras.clip.map(|c| {
        let px = |v: f64| (v * scale).round().max(0.0) as u32;
        (px(c.x), px(c.y), px(c.x + c.width), px(c.y + c.height))
    });
    (scale, clip)
}

/// A page-sized pixmap, transparent.
pub(crate) fn page_pixmap(scene: &Scene) -> Result<Pixmap, RenderError> {
    let style = &scene.style;
    let (width, height) = png::pixel_size(style);
    Pixmap::new(width, height).ok_or_else(|| too_large(scene))
}

/// The error of a page too large to allocate.
pub(crate) fn too_large(scene: &Scene) -> RenderError {
    RenderError::Size {
        width: scene.style.width,
        height: scene.style.height,
        scale: scene.style.scale,
        why: "cannot allocate the image".into(),
    }
}

/// The pixels of one frame, drawn straight onto one page: background, district fills
/// (clipped to a zoomed map's frame), the change hatch, then everything over the districts.
pub(crate) fn draw_once(scene: &Scene, frame: &Frame) -> Result<Pixmap, RenderError> {
    let (scale, clip) = scale_and_clip(scene);
    let mut pixmap = page_pixmap(scene)?;
    let hatching = scene.extras.hatch && frame.changed.contains(&true);
    if clip.is_none() && !hatching {
        // The bands cover every row, background included.
        draw_map_in_bands(&mut pixmap, scene, frame, scale)?;
    } else {
        if let Some(c) = page_color(scene) {
            pixmap.pixels_mut().fill(c);
        }
        draw_map(&mut pixmap, scene, frame, clip, scale, hatching)?;
    }
    draw_fixed(&mut pixmap, scene, scale)?;
    draw_changing(&mut pixmap, scene, frame, scale)?;
    Ok(pixmap)
}

/// The pixels of one frame as RGB, 3 bytes a pixel, drawn as [`draw_once`] draws them, when
/// nothing on the page needs an RGBA page of its own: the page is opaque, unclipped and
/// unhatched, every line thinner than a pixel, and no typed layer is drawn. `None`
/// otherwise. The PNG encoder takes an opaque page as RGB: written so directly, the page
/// is not drawn as RGBA first and then read again to drop the alpha bytes.
pub(crate) fn draw_once_rgb(scene: &Scene, frame: &Frame) -> Result<Option<Vec<u8>>, RenderError> {
    let (scale, clip) = scale_and_clip(scene);
    let hatching = scene.extras.hatch && frame.changed.contains(&true);
    if scene.style.background.is_none()
        || clip.is_some()
        || hatching
        || !scene.layers().is_empty()
        || !frame.layers.is_empty()
        || scene
            .line_layers()
            .iter()
            .any(|l| l.3 > 0.0 && !hairline(l.3, scale))
    {
        return Ok(None);
    }
    let (width, height) = png::pixel_size(&scene.style);
    let mut rgb = vec![0; 3 * width as usize * height as usize];
    draw_bands(
        &mut rgb,
        3,
        (width, height),
        page_color(scene),
        scene,
        frame,
        scale,
    )?;
    let style = &scene.style;
    if let Some(page) = fixed_page(scene) {
        png::rasterize_onto_rgb(&page, style, &mut rgb, width, height)?;
    }
    if let Some(svg) = svg::changing_overlay(scene, frame) {
        png::rasterize_onto_rgb(&svg, style, &mut rgb, width, height)?;
    }
    Ok(Some(rgb))
}

/// The fills and lines of an unclipped, unhatched map, on two cores.
fn draw_map_in_bands(
    pixmap: &mut Pixmap,
    scene: &Scene,
    frame: &Frame,
    scale: f64,
) -> Result<(), RenderError> {
    let transform = Transform::from_scale(scale as f32, scale as f32);
    let size = (pixmap.width(), pixmap.height());
    let wide = draw_bands(
        pixmap.data_mut(),
        4,
        size,
        page_color(scene),
        scene,
        frame,
        scale,
    )?;
    for (path, color, width) in &wide {
        pixmap.stroke_path(path, &paint(*color), &line_stroke(*width), transform, None);
    }
    Ok(())
}

/// A line `width` wide (in page units) is thinner than a pixel at `scale`: drawn in bands
/// with the fills, and as tiny-skia's hairline.
fn hairline(width: f32, scale: f64) -> bool {
    f64::from(width) * scale < 1.0
}

/// The page's background as a pixel; `None` for a transparent page.
fn page_color(scene: &Scene) -> Option<resvg::tiny_skia::PremultipliedColorU8> {
    let c = scene.style.background?;
    resvg::tiny_skia::PremultipliedColorU8::from_rgba(c.r, c.g, c.b, 255)
}

/// A line layer's path, colour and width.
type Lines = (resvg::tiny_skia::Path, Color, f32);

/// Draws the fills, and the thin lines that come before every wide one, into `out` (`bpp`
/// bytes a pixel: 4 for premultiplied RGBA, 3 for RGB of an opaque page) in horizontal
/// bands, one per core, over `background` (none: transparent); returns the lines left to
/// draw on the whole page.
fn draw_bands(
    out: &mut [u8],
    bpp: usize,
    (width, height): (u32, u32),
    background: Option<resvg::tiny_skia::PremultipliedColorU8>,
    scene: &Scene,
    frame: &Frame,
    scale: f64,
) -> Result<Vec<Lines>, RenderError> {
    use rayon::prelude::*;
    let transform = Transform::from_scale(scale as f32, scale as f32);
    // Fills and thin lines are drawn in horizontal bands, one per core, each on a page of
    // its own with `MARGIN` more rows on either side, of which only the band's rows are
    // kept: tiny-skia cuts a path at the edge of what it draws on, which moves the
    // anti-aliasing of the rows next to the cut (3 rows seen), so a band must not end at
    // its own rows. Cutting a wide stroke's outline also moves single pixels far from the
    // cut (by up to 11/255 seen), so lines of a pixel or more are drawn on the whole page
    // afterwards; hairlines (thinner) are drawn segment by segment and are not moved.
    const MARGIN: usize = 16;
    let paths: Vec<Option<resvg::tiny_skia::Path>> =
        scene.districts.par_iter().map(|d| d.path.skia()).collect();
    let mut lines: Vec<_> = scene
        .line_layers()
        .into_iter()
        .filter(|l| l.3 > 0.0)
        .filter_map(|(_, lines, color, width)| Some((lines.skia()?, color, width)))
        .collect();
    // The thin lines that come before every wide one keep their drawing order in bands.
    let thin = lines.iter().take_while(|l| hairline(l.2, scale)).count();
    let wide = lines.split_off(thin);
    let (width, height) = (width as usize, height as usize);
    let rows = height.div_ceil(rayon::current_num_threads().max(1)).max(1);
    out.par_chunks_mut(bpp * width * rows)
        .enumerate()
        .try_for_each(|(i, band)| {
            let first = i * rows;
            let y0 = first.saturating_sub(MARGIN);
            let y1 = (first + band.len() / (bpp * width) + MARGIN).min(height);
            let mut page =
                Pixmap::new(width as u32, (y1 - y0) as u32).ok_or_else(|| too_large(scene))?;
            if let Some(c) = background {
                page.pixels_mut().fill(c);
            }
            let transform = transform.post_translate(0.0, -(y0 as f32));
            for (path, (_, color)) in paths.iter().zip(&frame.fills) {
                if let Some(path) = path {
                    page.fill_path(path, &paint(*color), FillRule::EvenOdd, transform, None);
                }
            }
            for (path, color, width) in &lines {
                page.stroke_path(path, &paint(*color), &line_stroke(*width), transform, None);
            }
            let kept = &page.data()[4 * width * (first - y0)..];
            if bpp == 4 {
                band.copy_from_slice(&kept[..band.len()]);
            } else {
                // Opaque pixels are the same premultiplied or not.
                for (o, px) in band.chunks_exact_mut(3).zip(kept.chunks_exact(4)) {
                    o.copy_from_slice(&px[..3]);
                }
            }
            Ok::<(), RenderError>(())
        })?;
    Ok(wide)
}

/// The fills, the change hatch and the lines, on one page, clipped to a zoom's frame.
fn draw_map(
    pixmap: &mut Pixmap,
    scene: &Scene,
    frame: &Frame,
    clip: Option<Clip>,
    scale: f64,
    hatching: bool,
) -> Result<(), RenderError> {
    let transform = Transform::from_scale(scale as f32, scale as f32);
    let clip_mask = match clip {
        Some(c) => Some(clip_mask(pixmap, c).ok_or_else(|| too_large(scene))?),
        None => None,
    };
    for (district, (_, color)) in scene.districts.iter().zip(&frame.fills) {
        if let Some(path) = district.path.skia() {
            pixmap.fill_path(
                &path,
                &paint(*color),
                FillRule::EvenOdd,
                transform,
                clip_mask.as_ref(),
            );
        }
    }
    if hatching {
        hatch(pixmap, scene, frame, clip, scale)?;
    }
    draw_lines(pixmap, scene, clip, scale)?;
    Ok(())
}

/// A line layer's stroke, as resvg strokes the SVG's `stroke-linejoin="round"
/// stroke-linecap="round"`.
fn line_stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

/// A mask that is opaque inside the whole-pixel rectangle `clip` and empty outside.
fn clip_mask(pixmap: &Pixmap, (x0, y0, x1, y1): Clip) -> Option<Mask> {
    let mut mask = Mask::new(pixmap.width(), pixmap.height())?;
    let (x1, y1) = (x1.min(pixmap.width()), y1.min(pixmap.height()));
    let w = mask.width() as usize;
    let data = mask.data_mut();
    for y in y0..y1.max(y0) {
        let row = y as usize * w;
        data[row + x0 as usize..row + x1.max(x0) as usize].fill(255);
    }
    Some(mask)
}

/// Darkens the changed districts by the hatch pattern's alpha, as resvg fills them with it.
fn hatch(
    pixmap: &mut Pixmap,
    scene: &Scene,
    frame: &Frame,
    clip: Option<Clip>,
    scale: f64,
) -> Result<(), RenderError> {
    let page = png::rasterize(&super::change::hatch_svg(scene), &scene.style)?;
    let alpha: Vec<u8> = page.pixels().iter().map(|p| p.alpha()).collect();
    let (width, height) = (pixmap.width(), pixmap.height());
    let data = pixmap.data_mut();
    for (district, _) in scene
        .districts
        .iter()
        .zip(&frame.changed)
        .filter(|(_, changed)| **changed)
    {
        let Some(cover) = coverage(&district.path, scale, width, height) else {
            continue;
        };
        for (p, c) in covered(&cover, width, clip) {
            darken(
                &mut data[4 * p..4 * p + 4],
                u32::from(alpha[p]),
                u32::from(c),
            );
        }
    }
    Ok(())
}

/// The district, province and outline lines (see [`line_stroke`]), clipped to a zoomed
/// map's frame.
pub(crate) fn draw_lines(
    pixmap: &mut Pixmap,
    scene: &Scene,
    clip: Option<Clip>,
    scale: f64,
) -> Result<(), RenderError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    // A clipped map's lines are drawn as resvg draws a clipped group: into a layer of the
    // clip's pixels and 2 more on each side, then blended inside the clip. tiny-skia cuts a
    // line at the edge of what it draws on, and where it cuts moves the anti-aliasing of
    // the pixels near it by a sample: the same layer keeps them the SVG's pixels.
    let (ox, oy, lw, lh) = match clip {
        Some((x0, y0, x1, y1)) => {
            let (ox, oy) = (i64::from(x0) - 2, i64::from(y0) - 2);
            (ox, oy, x1.saturating_sub(x0) + 4, y1.saturating_sub(y0) + 4)
        }
        None => (0, 0, width, height),
    };
    let mut layer = match clip {
        Some(_) => Some(Pixmap::new(lw.max(1), lh.max(1)).ok_or_else(|| too_large(scene))?),
        None => None,
    };
    let target = layer.as_mut().unwrap_or(pixmap);
    let transform =
        Transform::from_scale(scale as f32, scale as f32).post_translate(-ox as f32, -oy as f32);
    for (_, lines, color, line_width) in scene.line_layers() {
        if line_width <= 0.0 {
            continue;
        }
        let Some(path) = lines.skia() else { continue };
        target.stroke_path(
            &path,
            &paint(color),
            &line_stroke(line_width),
            transform,
            None,
        );
    }
    // The lines are all that is clipped, and the clip is whole pixels.
    if let (Some((x0, y0, x1, y1)), Some(layer)) = (clip, &layer) {
        let (x1, y1) = (x1.min(width), y1.min(height));
        let src = layer.data();
        let dst = pixmap.data_mut();
        for y in y0..y1 {
            for x in x0..x1 {
                let (lx, ly) = ((i64::from(x) - ox) as usize, (i64::from(y) - oy) as usize);
                let s = &src[4 * (ly * lw as usize + lx)..][..4];
                let p = 4 * (y * width + x) as usize;
                over(&mut dst[p..p + 4], [s[0], s[1], s[2], s[3]]);
            }
        }
    }
    Ok(())
}

/// Blends a premultiplied pixel over another (source over), rounding as tiny-skia does.
pub(crate) fn over(out: &mut [u8], src: [u8; 4]) {
    let inv = 255 - u32::from(src[3]);
    // An RGB pixel (3 bytes) is opaque, and stays so.
    for (o, s) in out.iter_mut().zip(src) {
        *o = (u32::from(s) + div255(u32::from(*o) * inv)).min(255) as u8;
    }
}

/// What is drawn once over the lines, in the SVG's order: the places and labels, the
/// scene's extra layers, then the locator, scale bar and fixed texts.
pub(crate) fn draw_fixed(
    pixmap: &mut Pixmap,
    scene: &Scene,
    scale: f64,
) -> Result<(), RenderError> {
    let style = &scene.style;
    if scene.layers().is_empty() {
        if let Some(page) = fixed_page(scene) {
            png::rasterize_onto(&page, style, pixmap)?;
        }
        return Ok(());
    }
    if let Some(marks) = svg::fixed_marks(scene) {
        png::rasterize_onto(&marks, style, pixmap)?;
    }
    let layers: Vec<&Layer> = scene.layers().iter().collect();
    draw_layers(pixmap, &layers, scene, scale)?;
    if let Some(furniture) = svg::fixed_furniture(scene) {
        png::rasterize_onto(&furniture, style, pixmap)?;
    }
    Ok(())
}

/// The fixed marks and the furniture as one SVG page, parsed once, for a scene with no
/// typed layer to go between them; `None` when there are neither.
fn fixed_page(scene: &Scene) -> Option<String> {
    let (marks, furniture) = (svg::fixed_marks(scene), svg::fixed_furniture(scene));
    let body: String = [&marks, &furniture]
        .into_iter()
        .flatten()
        .map(|page| svg_body(page))
        .collect();
    (!body.is_empty()).then(|| svg::page(scene, &body))
}

/// What changes with the frame over everything else: the capitals, the date line, counts
/// and legend notes (through resvg), then the frame's own layers.
pub(crate) fn draw_changing(
    pixmap: &mut Pixmap,
    scene: &Scene,
    frame: &Frame,
    scale: f64,
) -> Result<(), RenderError> {
    if let Some(svg) = svg::changing_overlay(scene, frame) {
        png::rasterize_onto(&svg, &scene.style, pixmap)?;
    }
    let layers: Vec<&Layer> = frame.layers.iter().collect();
    draw_layers(pixmap, &layers, scene, scale)
}

/// What lies between a page's `<svg …>` root and its end.
fn svg_body(page: &str) -> &str {
    let start = page
        .find("<svg ")
        .and_then(|i| page[i..].find('>').map(|j| i + j + 1));
    let end = page.rfind("</svg>");
    match (start, end) {
        (Some(a), Some(b)) if a <= b => &page[a..b],
        _ => "",
    }
}

/// A solid, anti-aliased paint.
pub(crate) fn paint(color: Color) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(color.r, color.g, color.b, 255);
    paint.anti_alias = true;
    paint
}

/// Draws typed layers (see [`draw`]) over a pixmap, items in order: paths, circles and boxes
/// with tiny-skia, each run of consecutive text items through resvg (for the bundled font
/// and its shaping) from an SVG of those items alone.
pub(crate) fn draw_layers(
    pixmap: &mut Pixmap,
    layers: &[&Layer],
    scene: &Scene,
    scale: f64,
) -> Result<(), RenderError> {
    let transform = Transform::from_scale(scale as f32, scale as f32);
    let mut texts: Vec<Item> = Vec::new();
    for layer in layers {
        draw_items(pixmap, &layer.items, transform, scene, &mut texts)?;
    }
    flush_texts(pixmap, scene, &mut texts)
}

fn draw_items(
    pixmap: &mut Pixmap,
    items: &[Item],
    transform: Transform,
    scene: &Scene,
    texts: &mut Vec<Item>,
) -> Result<(), RenderError> {
    for item in items {
        match item {
            Item::Text(_) => texts.push(item.clone()),
            Item::Group(g) => draw_items(pixmap, &g.items, transform, scene, texts)?,
            shape => {
                flush_texts(pixmap, scene, texts)?;
                draw_shape(pixmap, shape, transform);
            }
        }
    }
    Ok(())
}

fn flush_texts(
    pixmap: &mut Pixmap,
    scene: &Scene,
    texts: &mut Vec<Item>,
) -> Result<(), RenderError> {
    if texts.is_empty() {
        return Ok(());
    }
    let mut body = String::new();
    svg::write_items(&mut body, texts, "");
    texts.clear();
    png::rasterize_onto(&svg::page(scene, &body), &scene.style, pixmap)
}

/// One path, circle or box, filled then stroked, as the SVG writer's element draws.
fn draw_shape(pixmap: &mut Pixmap, item: &Item, transform: Transform) {
    let (path, fill, stroke) = match item {
        Item::Path {
            subpaths,
            closed,
            fill,
            stroke,
        } => {
            let mut pb = PathBuilder::new();
            for sub in subpaths.iter().filter(|s| !s.is_empty()) {
                pb.move_to(sub[0].0 as f32, sub[0].1 as f32);
                for &(x, y) in &sub[1..] {
                    pb.line_to(x as f32, y as f32);
                }
                if *closed {
                    pb.close();
                }
            }
            (pb.finish(), fill, stroke)
        }
        Item::Circle {
            center,
            radius,
            fill,
            stroke,
        } => (
            PathBuilder::from_circle(center.0 as f32, center.1 as f32, *radius as f32),
            fill,
            stroke,
        ),
        Item::Rect {
            origin,
            size,
            corner,
            fill,
            stroke,
        } => (rounded_rect(*origin, *size, *corner), fill, stroke),
        Item::Text(_) | Item::Group(_) => return,
    };
    let Some(path) = path else { return };
    if let Some(color) = fill {
        pixmap.fill_path(&path, &paint(*color), FillRule::Winding, transform, None);
    }
    if let Some(s) = stroke {
        let stroke = Stroke {
            width: s.width as f32,
            // A dash that tiny-skia refuses (all zero, odd junk) draws solid, as resvg does.
            dash: StrokeDash::new(s.dash.iter().map(|&d| d as f32).collect(), 0.0),
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, &paint(s.color), &stroke, transform, None);
    }
}

/// A box with corners rounded by `r` (SVG `rx`), as cubic quarter circles.
fn rounded_rect(
    (x, y): draw::PagePoint,
    (w, h): (f64, f64),
    r: f64,
) -> Option<resvg::tiny_skia::Path> {
    let (x, y, w, h) = (x as f32, y as f32, w as f32, h as f32);
    let r = (r as f32).clamp(0.0, w.min(h) / 2.0);
    if r <= 0.0 {
        return resvg::tiny_skia::Rect::from_xywh(x, y, w, h).map(PathBuilder::from_rect);
    }
    // The control-point distance that makes a cubic the closest to a quarter circle.
    let k = r * 0.552_284_8;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    pb.finish()
}

/// tiny-skia's rounding of x / 255 for x ≤ 255 × 255.
pub(crate) fn div255(x: u32) -> u32 {
    (x + 255) >> 8
}

/// Draws black with alpha `a` (0–255, times a coverage 0–255) over a premultiplied
/// pixel. tiny-skia fills with a pattern in floating point, rounding once at the end; so
/// does this, to stay within a unit of it.
pub(crate) fn darken(px: &mut [u8], a: u32, coverage: u32) {
    let a = (a * coverage) as f32 / (255.0 * 255.0);
    for v in &mut px[..3] {
        *v = (f32::from(*v) * (1.0 - a)).round() as u8;
    }
    // An RGB pixel (3 bytes) is opaque, and stays so.
    if let Some(alpha) = px.get_mut(3) {
        *alpha = (255.0 * a + f32::from(*alpha) * (1.0 - a))
            .round()
            .min(255.0) as u8;
    }
}

/// The pixels a [`coverage`] mask covers at all, inside `clip` when there is one: (index of
/// the pixel in a page `width` pixels wide, coverage). Clipped by whole rows and columns,
/// so that no pixel is tested on its own.
pub(crate) fn covered(
    (mask, x0, y0): &(Mask, u32, u32),
    width: u32,
    clip: Option<Clip>,
) -> impl Iterator<Item = (usize, u8)> + '_ {
    let (x0, y0, mw) = (*x0, *y0, mask.width());
    let (cx0, cy0, cx1, cy1) = clip.unwrap_or((0, 0, u32::MAX, u32::MAX));
    let end = cx1.saturating_sub(x0).min(mw) as usize;
    let start = (cx0.saturating_sub(x0).min(mw) as usize).min(end);
    mask.data()
        .chunks_exact(mw as usize)
        .zip(y0..)
        .filter(move |(_, y)| (cy0..cy1).contains(y))
        .flat_map(move |(row, y)| {
            let first = (y * width + x0) as usize + start;
            row[start..end]
                .iter()
                .enumerate()
                .filter(|(_, c)| **c != 0)
                .map(move |(i, &c)| (first + i, c))
        })
}

/// The anti-aliased coverage of a district's rings (page units, scaled to pixels), cropped
/// to its bounding box: the mask and its top-left pixel.
pub(crate) fn coverage(
    rings: &super::geometry::PagePath,
    scale: f64,
    width: u32,
    height: u32,
) -> Option<(Mask, u32, u32)> {
    let path = rings.skia()?;
    let b = path.bounds();
    let s = scale as f32;
    let x0 = ((b.left() * s).floor().max(0.0) as u32).min(width);
    let y0 = ((b.top() * s).floor().max(0.0) as u32).min(height);
    let x1 = ((b.right() * s).ceil().max(0.0) as u32 + 1).min(width);
    let y1 = ((b.bottom() * s).ceil().max(0.0) as u32 + 1).min(height);
    let mut mask = Mask::new(x1.checked_sub(x0)?.max(1), y1.checked_sub(y0)?.max(1))?;
    let transform = Transform::from_scale(s, s).post_translate(-(x0 as f32), -(y0 as f32));
    mask.fill_path(&path, FillRule::EvenOdd, true, transform);
    Some((mask, x0, y0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 mask at (2, 1) of a 6-pixel-wide page, coverage 1..=6 row by row, one zero.
    fn mask() -> (Mask, u32, u32) {
        let mut m = Mask::new(3, 2).unwrap();
        m.data_mut().copy_from_slice(&[1, 0, 3, 4, 5, 6]);
        (m, 2, 1)
    }

    #[test]
    fn covered_walks_the_mask_on_the_page_and_skips_empty_pixels() {
        let all: Vec<(usize, u8)> = covered(&mask(), 6, None).collect();
        assert_eq!(all, [(8, 1), (10, 3), (14, 4), (15, 5), (16, 6)]);
    }

    #[test]
    fn covered_keeps_only_the_pixels_inside_the_clip() {
        // Columns 3..6, rows 2..4: the mask's second row without its first pixel.
        let kept: Vec<(usize, u8)> = covered(&mask(), 6, Some((3, 2, 6, 4))).collect();
        assert_eq!(kept, [(15, 5), (16, 6)]);
        // A clip beside the mask, and one that ends before it starts.
        assert_eq!(covered(&mask(), 6, Some((5, 0, 6, 9))).count(), 0);
        assert_eq!(covered(&mask(), 6, Some((0, 0, 1, 9))).count(), 0);
    }
}
