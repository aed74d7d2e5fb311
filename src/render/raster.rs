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
//! text (date line, counts) rendered by resvg from a small SVG. An opaque page (a map on a
//! background colour, as PNGs of series are) is composed as RGB, the 3 bytes a pixel the
//! encoder takes, with the same arithmetic: its alpha would be 255 everywhere. The result
//! is the SVG's map: the same shapes at the same pixels. Blending in two layers rounds differently from
//! blending in one, so where anti-aliased edges meet a channel may differ from resvg's
//! rendering of the whole SVG (which a single map's PNG is, [`super::paint`]) by a few units
//! of 255: up to 3 on the default 1600×1200 page, 5 seen on a 400×300 one (`tests/cli.rs`
//! and `tests/series.rs` check those bounds).
//!
//! Two things of the publication overlays are drawn here too (see [`super::extras`]). A
//! zoomed map is clipped to its frame, which is whole pixels, so the coverage simply stops
//! there. The change hatch is the SVG pattern rasterised once over the whole page; on a
//! frame, a pixel of a changed district is darkened by the hatch's alpha there (times the
//! district's coverage on an edge), as resvg does when it fills the district with the
//! pattern. The hatch is black, so its alpha is all that is kept.

use resvg::tiny_skia::{Mask, Pixmap};

use super::paint::{self, Clip, coverage, darken, div255};
pub(crate) use super::parts::{Raster, Run};
use super::{Frame, RenderError, Scene, png};
use crate::status::Color;

/// A pixel outside every district.
const EMPTY: u32 = u32::MAX;
/// Marks a pixel that several districts (or a partial one) cover; the low bits index `edges`.
const EDGE: u32 = 1 << 31;

impl Raster {
    pub(crate) fn new(scene: &Scene) -> Result<Raster, RenderError> {
        let (width, height) = png::pixel_size(&scene.style);
        let (scale, clip) = paint::scale_and_clip(scene);
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
        // Group the entries by pixel, in drawing order within a pixel. A district's mask
        // covers a pixel once, so no two entries have the same key: an unstable sort (much
        // the cheaper) gives the same order.
        partial.sort_unstable_by_key(|&(p, d, _)| (p, d));
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
        let runs = runs(&owner);

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
            runs,
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
        let size = resvg::tiny_skia::IntSize::from_wh(self.width, self.height);
        let n = self.width as usize * self.height as usize * 4;
        let reused = self
            .spare_buffer(n)
            .zip(size)
            .and_then(|(data, size)| Pixmap::from_vec(data, size));
        let fresh = || Pixmap::new(self.width, self.height);
        let mut pixmap = reused
            .or_else(fresh)
            .ok_or_else(|| paint::too_large(scene))?;
        self.paint::<4>(pixmap.data_mut(), scene, frame);
        paint::draw_changing(&mut pixmap, scene, frame, scale_of(scene, self.width))?;
        Ok(pixmap)
    }

    /// The frame's pixels as RGB, 3 bytes a pixel, when the page is opaque and the frame has
    /// no layers of its own (whose shapes are drawn on a [`Pixmap`]); `None` otherwise.
    /// Opaque frames go to the PNG encoder as RGB anyway: written so directly, a page-sized
    /// buffer is neither written nor read once more to drop the alpha bytes.
    pub(crate) fn compose_rgb(
        &self,
        scene: &Scene,
        frame: &Frame,
    ) -> Result<Option<Vec<u8>>, RenderError> {
        if scene.style.background.is_none() || !frame.layers.is_empty() {
            return Ok(None);
        }
        let n = self.width as usize * self.height as usize * 3;
        let mut data = self.spare_buffer(n).unwrap_or_else(|| vec![0; n]);
        self.paint::<3>(&mut data, scene, frame);
        if let Some(svg) = super::svg::changing_overlay(scene, frame) {
            png::rasterize_onto_rgb(&svg, &scene.style, &mut data, self.width, self.height)?;
        }
        Ok(Some(data))
    }

    /// A recycled buffer (see [`Raster::recycle`]) of `len` bytes, contents undefined.
    fn spare_buffer(&self, len: usize) -> Option<Vec<u8>> {
        let mut data = self.spare.lock().ok().and_then(|mut s| s.pop())?;
        data.resize(len, 0);
        Some(data)
    }

    /// Fills, hatch and the fixed overlay into `data`, `N` bytes a pixel: RGBA, or RGB when
    /// the page is opaque (the alpha channel would be 255 everywhere).
    fn paint<const N: usize>(&self, data: &mut [u8], scene: &Scene, frame: &Frame) {
        let rgba = |c: Color| [u32::from(c.r), u32::from(c.g), u32::from(c.b), 255];
        let background = scene.style.background.map_or([0; 4], rgba);
        let fills: Vec<[u32; 4]> = frame.fills.iter().map(|(_, c)| rgba(*c)).collect();
        let bytes = |c: [u32; 4]| c.map(|v| v as u8);
        let (background_fill, fill_patterns): ([u8; 64], Vec<[u8; 64]>) = (
            pattern::<N>(bytes(background)),
            fills.iter().map(|&c| pattern::<N>(bytes(c))).collect(),
        );
        // The hatch, when some district is marked on this frame.
        let hatch = self
            .hatch
            .as_deref()
            .filter(|_| frame.changed.contains(&true));
        let changed = |d: u32| frame.changed.get(d as usize).copied().unwrap_or(false);
        let pixel = |q: usize| N * q..N * q + N;
        let mut p = 0;
        // The overlay is blended run by run, while the run's pixels are still in the cache
        // (after all runs, each of its pixels was a load from memory: a third of the time).
        let mut overlay = self.overlay.iter().peekable();
        for run in &self.runs {
            let (start, len) = (p, run.len as usize);
            p += len;
            // The previous run's overlay pixels.
            while let Some(&(q, src)) = overlay.next_if(|&&(q, _)| (q as usize) < start) {
                paint::over(&mut data[pixel(q as usize)], src);
            }
            match run.owner {
                EMPTY => fill::<N>(data, start..p, &background_fill),
                o if o & EDGE == 0 => {
                    fill::<N>(data, start..p, &fill_patterns[o as usize]);
                    if let Some(h) = hatch
                        && changed(o)
                    {
                        let out = &mut data[N * start..N * p];
                        for (px, &a) in out.chunks_exact_mut(N).zip(&h[start..p]) {
                            darken(px, u32::from(a), 255);
                        }
                    }
                }
                o => {
                    // A run of edge pixels: their indices into `starts` follow each other.
                    let first = (o & !EDGE) as usize;
                    let out = &mut data[N * start..N * p];
                    for (k, px) in out.chunks_exact_mut(N).enumerate() {
                        let i = first + k;
                        let (a, b) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                        let mut dst = background;
                        for &(d, c) in &self.entries[a..b] {
                            let (src, c) = (fills[d as usize], u32::from(c));
                            for k in 0..4 {
                                dst[k] = div255(src[k] * c + dst[k] * (255 - c));
                            }
                        }
                        px.copy_from_slice(&bytes(dst)[..N]);
                        // The hatch layer comes after all fills, one changed district at a time.
                        if let Some(h) = hatch {
                            for &(d, c) in &self.entries[a..b] {
                                if changed(d) {
                                    darken(px, u32::from(h[start + k]), u32::from(c));
                                }
                            }
                        }
                    }
                }
            }
        }
        for &(q, src) in overlay {
            paint::over(&mut data[pixel(q as usize)], src);
        }
    }
}

/// A colour repeated for 16 pixels of `N` bytes (the first `16 * N` bytes), for [`fill`].
fn pattern<const N: usize>(color: [u8; 4]) -> [u8; 64] {
    std::array::from_fn(|i| color[i % N])
}

/// Sets the pixels `pixels` of `data` (`N` bytes each) to the colour of `pattern`, 16
/// pixels a copy (a few wide stores rather than one or two per pixel).
fn fill<const N: usize>(data: &mut [u8], pixels: std::ops::Range<usize>, pattern: &[u8; 64]) {
    let mut chunks = data[N * pixels.start..N * pixels.end].chunks_exact_mut(16 * N);
    for chunk in &mut chunks {
        chunk.copy_from_slice(&pattern[..16 * N]);
    }
    let rest = chunks.into_remainder();
    // The pattern starts on a pixel, so its first bytes are whole pixels too.
    let len = rest.len();
    rest.copy_from_slice(&pattern[..len]);
}

/// The pixel map as runs of pixels in page order: each run one district's, the
/// background's, or consecutive edge pixels (whose indices follow each other, as `new`
/// numbers them in pixel order).
fn runs(owner: &[u32]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < owner.len() {
        let o = owner[i];
        let edge = o != EMPTY && o & EDGE != 0;
        let mut j = i + 1;
        while j < owner.len()
            && if edge {
                owner[j] == owner[j - 1].wrapping_add(1) && owner[j] != EMPTY
            } else {
                owner[j] == o
            }
        {
            j += 1;
        }
        runs.push(Run {
            len: (j - i) as u32,
            owner: o,
        });
        i = j;
    }
    runs
}

/// Everything drawn once over the fills, in the SVG's order (see [`paint::draw_lines`]
/// and [`paint::draw_fixed`]), on a transparent page.
fn fixed_overlay(scene: &Scene, clip: Option<Clip>, scale: f64) -> Result<Pixmap, RenderError> {
    let mut pixmap = paint::page_pixmap(scene)?;
    paint::draw_lines(&mut pixmap, scene, clip, scale)?;
    paint::draw_fixed(&mut pixmap, scene, scale)?;
    Ok(pixmap)
}

/// Device pixels per page pixel.
fn scale_of(scene: &Scene, width: u32) -> f64 {
    f64::from(width) / f64::from(scene.style.width)
}

impl Raster {
    /// Keeps the buffer of a frame that has been encoded for a later frame (a few: series
    /// frames are drawn on several threads).
    pub(crate) fn recycle(&self, pixmap: Pixmap) {
        self.recycle_buffer(pixmap.take());
    }

    /// [`Raster::recycle`] for the buffer of [`Raster::compose_rgb`].
    pub(crate) fn recycle_buffer(&self, data: Vec<u8>) {
        if let Ok(mut spare) = self.spare.lock()
            && spare.len() < 4
        {
            spare.push(data);
        }
    }
}

/// Which district owns each pixel (see [`Raster::owner`]) and the partial coverage entries
/// `(pixel, district, coverage)` in drawing order.
fn merge(
    scene: &Scene,
    clip: Option<Clip>,
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
        for (index, cover) in coverages(scene, chunk, scale, width, height) {
            let index = index as u32;
            for (p, c) in paint::covered(&cover, width, clip) {
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
