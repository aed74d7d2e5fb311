//! The PNG renderer for many frames of one map.
//!
//! Rasterising the whole SVG for every date (usvg parse + resvg) costs several times the PNG
//! encoding, yet from one date to the next only the district fills, the date line and the
//! legend counts change. So the pixels are prepared once per map:
//!
//! * which district covers each pixel, and by how much (tiny-skia masks of the same paths
//!   the SVG holds): most pixels lie inside one district and take its colour straight away;
//!   pixels on a border blend the colours of the districts that cover them, in drawing order;
//! * everything drawn over the districts that never changes, kept as the list of pixels it
//!   touches: the district, province and outline lines stroked here with tiny-skia from the
//!   scene's page geometry, the places, labels, locator, scale bar and fixed texts rendered
//!   by resvg from a small SVG of them alone (for their text), and the scene's extra
//!   [`draw`] layers ([`draw_layers`]: shapes here, text runs through resvg).
//!
//! A frame is then: fills from the coverage, that overlay blended on top, and the changing
//! text (date line, counts) rendered by resvg from a small SVG. The result is the SVG's map:
//! the same shapes at the same pixels. Blending in two layers rounds differently from
//! blending in one, so where anti-aliased edges meet a channel may differ from resvg's
//! rendering of the whole SVG by up to 3 (of 255); `tests/cli.rs` checks that bound.
//!
//! Two things of the publication overlays are drawn here too (see [`super::extras`]). A
//! zoomed map is clipped to its frame, which is whole pixels, so the coverage simply stops
//! there. The change hatch is the SVG pattern rasterised once over the whole page; on a
//! frame, a pixel of a changed district is darkened by the hatch's alpha there (times the
//! district's coverage on an edge), as resvg does when it fills the district with the
//! pattern. The hatch is black, so its alpha is all that is kept.

use resvg::tiny_skia::{
    FillRule, LineCap, LineJoin, Mask, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::draw::{self, Item, Layer};
pub(crate) use super::parts::Raster;
use super::{Frame, RenderError, Scene, png, svg};
use crate::status::Color;

/// A pixel outside every district.
const EMPTY: u32 = u32::MAX;
/// Marks a pixel that several districts (or a partial one) cover; the low bits index `edges`.
const EDGE: u32 = 1 << 31;

/// tiny-skia's rounding of x / 255 for x ≤ 255 × 255.
fn div255(x: u32) -> u32 {
    (x + 255) >> 8
}

impl Raster {
    pub(crate) fn new(scene: &Scene) -> Result<Raster, RenderError> {
        let (width, height) = png::pixel_size(&scene.style);
        let scale = f64::from(width) / f64::from(scene.style.width);
        // The frame a zoomed map is clipped to, in device pixels (whole by construction).
        let clip = scene.extras.clip.map(|c| {
            let px = |v: f64| (v * scale).round().max(0.0) as u32;
            (px(c.x), px(c.y), px(c.x + c.width), px(c.y + c.height))
        });
        // The coverage and the fixed overlay are independent: prepare them on two cores.
        let ((mut owner, mut partial), fixed) = rayon::join(
            || merge(scene, clip, scale, width, height),
            || fixed_overlay(scene, clip, scale),
        );
        let fixed = fixed?;
        let hatch = if scene.extras.hatch {
            let page = png::rasterize(&super::change::hatch_svg(scene), &scene.style)?;
            Some(page.pixels().iter().map(|p| p.alpha()).collect())
        } else {
            None
        };
        // Entries of pixels that a later district then covered fully are stale.
        partial.retain(|&(p, _, _)| owner[p as usize] & EDGE != 0);
        // Group the entries by pixel, keeping drawing order within a pixel.
        partial.sort_by_key(|&(p, d, _)| (p, d));
        let mut starts = Vec::new();
        let mut entries = Vec::with_capacity(partial.len());
        let mut last = u32::MAX;
        for (p, d, c) in partial {
            if p != last {
                owner[p as usize] = EDGE | starts.len() as u32;
                starts.push(entries.len() as u32);
                last = p;
            }
            entries.push((d, c));
        }
        starts.push(entries.len() as u32);

        let overlay: Vec<(u32, [u8; 4])> = fixed
            .pixels()
            .iter()
            .enumerate()
            .filter(|(_, px)| px.alpha() > 0)
            .map(|(i, px)| (i as u32, [px.red(), px.green(), px.blue(), px.alpha()]))
            .collect();
        // The overlay's page-sized buffer becomes the first frame's: its pages are mapped
        // already, and a frame writes every pixel.
        let spare = vec![fixed.take()];
        Ok(Raster {
            width,
            height,
            owner,
            starts,
            entries,
            overlay,
            hatch,
            spare: std::sync::Mutex::new(spare),
        })
    }

    /// The frame's pixels.
    pub(crate) fn compose(&self, scene: &Scene, frame: &Frame) -> Result<Pixmap, RenderError> {
        // Every pixel is written below, so a spare buffer needs no clearing.
        let spare = self.spare.lock().ok().and_then(|mut s| s.pop());
        let size = resvg::tiny_skia::IntSize::from_wh(self.width, self.height);
        let reused = spare
            .zip(size)
            .and_then(|(data, size)| Pixmap::from_vec(data, size));
        let fresh = || Pixmap::new(self.width, self.height);
        let mut pixmap = reused.or_else(fresh).ok_or_else(|| RenderError::Size {
            width: scene.style.width,
            height: scene.style.height,
            scale: scene.style.scale,
            why: "cannot allocate the image".into(),
        })?;
        let rgba = |c: Color| [u32::from(c.r), u32::from(c.g), u32::from(c.b), 255];
        let background = scene.style.background.map_or([0; 4], rgba);
        let fills: Vec<[u32; 4]> = frame.fills.iter().map(|(_, c)| rgba(*c)).collect();
        let bytes = |c: [u32; 4]| c.map(|v| v as u8);
        let (background_bytes, fill_bytes): ([u8; 4], Vec<[u8; 4]>) =
            (bytes(background), fills.iter().map(|&c| bytes(c)).collect());
        // The hatch, when some district is marked on this frame.
        let hatch = self
            .hatch
            .as_deref()
            .filter(|_| frame.changed.contains(&true));
        let changed = |d: u32| frame.changed.get(d as usize).copied().unwrap_or(false);
        let data = pixmap.data_mut();
        for (p, (out, &o)) in data.chunks_exact_mut(4).zip(&self.owner).enumerate() {
            if o == EMPTY {
                out.copy_from_slice(&background_bytes);
            } else if o & EDGE == 0 {
                out.copy_from_slice(&fill_bytes[o as usize]);
                if let Some(h) = hatch
                    && changed(o)
                {
                    darken(out, u32::from(h[p]), 255);
                }
            } else {
                let i = (o & !EDGE) as usize;
                let (a, b) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                let mut dst = background;
                for &(d, c) in &self.entries[a..b] {
                    let (src, c) = (fills[d as usize], u32::from(c));
                    for k in 0..4 {
                        dst[k] = div255(src[k] * c + dst[k] * (255 - c));
                    }
                }
                out.copy_from_slice(&bytes(dst));
                // The hatch layer comes after all fills, one changed district at a time.
                if let Some(h) = hatch {
                    for &(d, c) in &self.entries[a..b] {
                        if changed(d) {
                            darken(out, u32::from(h[p]), u32::from(c));
                        }
                    }
                }
            }
        }
        for &(p, src) in &self.overlay {
            let out = &mut data[4 * p as usize..4 * p as usize + 4];
            let inv = 255 - u32::from(src[3]);
            for k in 0..4 {
                out[k] = (u32::from(src[k]) + div255(u32::from(out[k]) * inv)).min(255) as u8;
            }
        }
        let changing = super::svg::changing_overlay(scene, frame);
        if let Some(svg) = changing {
            png::rasterize_onto(&svg, &scene.style, &mut pixmap)?;
        }
        let layers: Vec<&Layer> = frame.layers.iter().collect();
        draw_layers(&mut pixmap, &layers, scene, scale_of(scene, self.width))?;
        Ok(pixmap)
    }
}

/// Device pixels per page pixel.
fn scale_of(scene: &Scene, width: u32) -> f64 {
    f64::from(width) / f64::from(scene.style.width)
}

/// Everything drawn once over the fills, in the SVG's order: the line layers (clipped to the
/// map frame), the places and labels, the scene's extra layers, then the locator, scale bar
/// and fixed texts.
fn fixed_overlay(
    scene: &Scene,
    clip: Option<(u32, u32, u32, u32)>,
    scale: f64,
) -> Result<Pixmap, RenderError> {
    let style = &scene.style;
    let (width, height) = png::pixel_size(style);
    let mut pixmap = Pixmap::new(width, height).ok_or_else(|| RenderError::Size {
        width: style.width,
        height: style.height,
        scale: style.scale,
        why: "cannot allocate the image".into(),
    })?;
    // A clipped map's lines are drawn as resvg draws a clipped group: into a layer of the
    // clip's pixels and 2 more on each side, then copied inside the clip. tiny-skia cuts a
    // line at the edge of what it draws on, and where it cuts moves the anti-aliasing of
    // the pixels near it by a sample: the same layer keeps them the SVG's pixels.
    let (ox, oy, lw, lh) = match clip {
        Some((x0, y0, x1, y1)) => {
            let (ox, oy) = (i64::from(x0) - 2, i64::from(y0) - 2);
            (ox, oy, x1.saturating_sub(x0) + 4, y1.saturating_sub(y0) + 4)
        }
        None => (0, 0, width, height),
    };
    let mut lines_pixmap = match clip {
        Some(_) => Some(
            Pixmap::new(lw.max(1), lh.max(1)).ok_or_else(|| RenderError::Size {
                width: style.width,
                height: style.height,
                scale: style.scale,
                why: "cannot allocate the image".into(),
            })?,
        ),
        None => None,
    };
    let target = lines_pixmap.as_mut().unwrap_or(&mut pixmap);
    let transform =
        Transform::from_scale(scale as f32, scale as f32).post_translate(-ox as f32, -oy as f32);
    for (_, lines, color, line_width) in scene.line_layers() {
        if line_width <= 0.0 {
            continue;
        }
        let Some(path) = lines.skia() else { continue };
        // As resvg strokes the SVG's `stroke-linejoin="round" stroke-linecap="round"`.
        let stroke = Stroke {
            width: line_width,
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        target.stroke_path(&path, &paint(color), &stroke, transform, None);
    }
    // The lines are all that is clipped, and the clip is whole pixels.
    if let (Some((x0, y0, x1, y1)), Some(layer)) = (clip, &lines_pixmap) {
        let (x1, y1) = (x1.min(width), y1.min(height));
        let src = layer.pixels();
        let dst = pixmap.pixels_mut();
        for y in y0..y1 {
            for x in x0..x1 {
                let (lx, ly) = ((i64::from(x) - ox) as usize, (i64::from(y) - oy) as usize);
                dst[(y * width + x) as usize] = src[ly * lw as usize + lx];
            }
        }
    }
    let (marks, furniture) = (svg::fixed_marks(scene), svg::fixed_furniture(scene));
    if scene.layers().is_empty() {
        // Nothing goes between them: one SVG, parsed once.
        let body: String = [&marks, &furniture]
            .into_iter()
            .flatten()
            .map(|page| svg_body(page))
            .collect();
        if !body.is_empty() {
            png::rasterize_onto(&svg::page(scene, &body), style, &mut pixmap)?;
        }
    } else {
        if let Some(marks) = marks {
            png::rasterize_onto(&marks, style, &mut pixmap)?;
        }
        let layers: Vec<&Layer> = scene.layers().iter().collect();
        draw_layers(&mut pixmap, &layers, scene, scale)?;
        if let Some(furniture) = furniture {
            png::rasterize_onto(&furniture, style, &mut pixmap)?;
        }
    }
    Ok(pixmap)
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
fn paint(color: Color) -> Paint<'static> {
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

impl Raster {
    /// Keeps the buffer of a frame that has been encoded for a later frame (a few: series
    /// frames are drawn on several threads).
    pub(crate) fn recycle(&self, pixmap: Pixmap) {
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < 4
        {
            spare.push(pixmap.take());
        }
    }
}

/// Which district owns each pixel (see [`Raster::owner`]) and the partial coverage entries
/// `(pixel, district, coverage)` in drawing order.
fn merge(
    scene: &Scene,
    clip: Option<(u32, u32, u32, u32)>,
    scale: f64,
    width: u32,
    height: u32,
) -> (Vec<u32>, Vec<(u32, u32, u8)>) {
    let n = width as usize * height as usize;
    let mut owner = vec![EMPTY; n];
    // Partial or overlapping coverage: (pixel, district, coverage), in drawing order.
    let mut partial: Vec<(u32, u32, u8)> = Vec::new();
    // Masks are made in parallel a few at a time and merged in drawing order, so memory
    // holds a handful of masks, not one per district (400 overlapping districts, each
    // as large as the page, would be gigabytes).
    let batch = 2 * rayon::current_num_threads().max(1);
    let indices: Vec<usize> = (0..scene.districts.len()).collect();
    for chunk in indices.chunks(batch) {
        for (index, (mask, x0, y0)) in coverages(scene, chunk, scale, width, height) {
            let index = index as u32;
            let mw = mask.width() as usize;
            for (i, &c) in mask.data().iter().enumerate() {
                if c == 0 {
                    continue;
                }
                let (x, y) = (x0 + (i % mw) as u32, y0 + (i / mw) as u32);
                if clip
                    .is_some_and(|(cx0, cy0, cx1, cy1)| x < cx0 || y < cy0 || x >= cx1 || y >= cy1)
                {
                    continue;
                }
                let p = (y * width + x) as usize;
                match owner[p] {
                    // A district covering the pixel fully hides what was drawn before
                    // (a full-coverage blend replaces the colour exactly), so it owns
                    // the pixel again and overlapping districts cost nothing inside.
                    _ if c == 255 => owner[p] = index,
                    EMPTY => {
                        owner[p] = EDGE;
                        partial.push((p as u32, index, c));
                    }
                    o if o & EDGE == 0 => {
                        owner[p] = EDGE;
                        partial.push((p as u32, o, 255));
                        partial.push((p as u32, index, c));
                    }
                    _ => partial.push((p as u32, index, c)),
                }
            }
        }
    }
    (owner, partial)
}

/// Draws black with alpha `a` (0–255, times a coverage 0–255) over a premultiplied
/// pixel. tiny-skia fills with a pattern in floating point, rounding once at the end; so
/// does this, to stay within a unit of it.
fn darken(px: &mut [u8], a: u32, coverage: u32) {
    let a = (a * coverage) as f32 / (255.0 * 255.0);
    for v in &mut px[..3] {
        *v = (f32::from(*v) * (1.0 - a)).round() as u8;
    }
    px[3] = (255.0 * a + f32::from(px[3]) * (1.0 - a))
        .round()
        .min(255.0) as u8;
}

/// The coverage masks of the districts `indices` with their top-left pixels, computed in
/// parallel, in district order.
fn coverages(
    scene: &Scene,
    indices: &[usize],
    scale: f64,
    width: u32,
    height: u32,
) -> Vec<(usize, (Mask, u32, u32))> {
    use rayon::prelude::*;
    indices
        .par_iter()
        .filter_map(|&i| coverage(&scene.districts[i].path, scale, width, height).map(|m| (i, m)))
        .collect()
}

/// The anti-aliased coverage of a district's rings (page units, scaled to pixels), cropped
/// to its bounding box: the mask and its top-left pixel.
fn coverage(
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
