//! Animated outputs: GIF and APNG, written frame by frame as they come, in order.
//!
//! Only one frame is held at a time, so memory does not grow with the number of frames, and
//! everything goes through an [`AtomicWriter`]: a failed or interrupted animation leaves no
//! partial file behind.

use std::borrow::Cow;
use std::path::Path;

use resvg::tiny_skia::Pixmap;
use rustc_hash::FxHashMap;

use crate::output::{AtomicWriter, OutputError};

/// Animated file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnimationFormat {
    /// GIF (256 colours, palette shared by all frames).
    Gif,
    /// Animated PNG (full colour).
    Apng,
}

/// Frame timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// How long each frame shows, in milliseconds.
    pub frame_ms: u32,
    /// How long the last frame shows (a hold before the loop restarts), in milliseconds.
    pub last_frame_ms: u32,
}

/// Writes `count` frames, all `width`×`height`, to an animated file at `path`, atomically.
/// `frames` yields them in order; an error from it aborts the file (nothing is left behind).
///
/// Frames are encoded one at a time as they arrive, and the animation loops forever. A
/// different number of frames than `count`, or a frame of another size, is an
/// [`AnimationError::Encode`]. GIF delays are whole hundredths of a second, at least two
/// (browsers slow shorter delays down to a tenth of a second); GIF keeps pixels with alpha
/// ≥ 128 (opaque) and drops the rest (transparent).
pub fn write_animation<E>(
    path: &Path,
    format: AnimationFormat,
    width: u32,
    height: u32,
    count: usize,
    frames: impl Iterator<Item = Result<Pixmap, E>>,
    timing: Timing,
) -> Result<(), AnimationError<E>> {
    if count == 0 {
        return Err(encode_error(path, "an animation needs at least one frame"));
    }
    let mut frames = Frames {
        iter: frames,
        path,
        width,
        height,
        count,
        timing,
        index: 0,
    };
    let mut out = AtomicWriter::create(path)?;
    match format {
        AnimationFormat::Gif => write_gif(&mut out, &mut frames)?,
        AnimationFormat::Apng => write_apng(&mut out, &mut frames)?,
    }
    out.commit()?;
    Ok(())
}

/// A problem writing an animation.
#[derive(Debug, thiserror::Error)]
pub enum AnimationError<E> {
    /// Producing a frame failed.
    #[error(transparent)]
    Frame(E),
    /// Writing the file failed.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// The encoder refused the frames.
    #[error("{path}: {message}")]
    Encode {
        /// The output.
        path: String,
        /// What the encoder said.
        message: String,
    },
}

fn encode_error<E>(path: &Path, message: impl Into<String>) -> AnimationError<E> {
    AnimationError::Encode {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn write_error<E>(path: &Path, source: std::io::Error) -> AnimationError<E> {
    AnimationError::Output(OutputError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// The incoming frames, checked against what the caller announced.
struct Frames<'a, I> {
    iter: I,
    path: &'a Path,
    width: u32,
    height: u32,
    count: usize,
    timing: Timing,
    index: usize,
}

impl<I, E> Frames<'_, I>
where
    I: Iterator<Item = Result<Pixmap, E>>,
{
    /// The next frame and its delay in milliseconds; `None` after exactly `count` frames.
    fn next(&mut self) -> Result<Option<(Pixmap, u32)>, AnimationError<E>> {
        let (index, count) = (self.index, self.count);
        if index == count {
            // Pulling one more is the only way to notice a producer that runs long.
            return match self.iter.next() {
                None => Ok(None),
                Some(_) => Err(encode_error(
                    self.path,
                    format!("more frames than the {count} announced"),
                )),
            };
        }
        let pixmap = match self.iter.next() {
            None => {
                return Err(encode_error(
                    self.path,
                    format!("only {index} of the {count} announced frames"),
                ));
            }
            Some(Err(e)) => return Err(AnimationError::Frame(e)),
            Some(Ok(p)) => p,
        };
        if (pixmap.width(), pixmap.height()) != (self.width, self.height) {
            return Err(encode_error(
                self.path,
                format!(
                    "frame {} is {}×{}, not {}×{}",
                    index + 1,
                    pixmap.width(),
                    pixmap.height(),
                    self.width,
                    self.height
                ),
            ));
        }
        self.index += 1;
        let ms = if self.index == count {
            self.timing.last_frame_ms
        } else {
            self.timing.frame_ms
        };
        Ok(Some((pixmap, ms)))
    }
}

// ---- APNG ----

fn write_apng<I, E>(
    out: &mut AtomicWriter,
    frames: &mut Frames<'_, I>,
) -> Result<(), AnimationError<E>>
where
    I: Iterator<Item = Result<Pixmap, E>>,
{
    let path = frames.path;
    let fail = |e: png::EncodingError| match e {
        png::EncodingError::IoError(source) => write_error(path, source),
        other => encode_error(path, other.to_string()),
    };
    let count = u32::try_from(frames.count)
        .map_err(|_| encode_error(path, "too many frames for an APNG"))?;
    let mut encoder = png::Encoder::new(&mut *out, frames.width, frames.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_animated(count, 0).map_err(fail)?;
    let mut writer = encoder.write_header().map_err(fail)?;
    let mut straight = Vec::new();
    while let Some((pixmap, ms)) = frames.next()? {
        let (num, den) = apng_delay(ms);
        writer.set_frame_delay(num, den).map_err(fail)?;
        writer
            .write_image_data(straight_rgba(&pixmap, &mut straight))
            .map_err(fail)?;
    }
    writer.finish().map_err(fail)
}

/// An APNG frame delay as a fraction of a second: milliseconds when they fit in 16 bits.
fn apng_delay(ms: u32) -> (u16, u16) {
    let fit = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
    if let Ok(ms) = u16::try_from(ms) {
        (ms, 1000)
    } else if ms < 655_350 {
        (fit(ms.saturating_add(5) / 10), 100)
    } else {
        (fit(ms.saturating_add(500) / 1000), 1)
    }
}

/// The pixels with straight alpha, as PNG wants: opaque pixels are the same as premultiplied
/// ones (the usual case, a white background), so only a frame with transparency is copied.
fn straight_rgba<'a>(pixmap: &'a Pixmap, buf: &'a mut Vec<u8>) -> &'a [u8] {
    if pixmap.data().chunks_exact(4).all(|p| p[3] == 255) {
        return pixmap.data();
    }
    buf.clear();
    buf.extend(pixmap.pixels().iter().flat_map(|p| {
        let c = p.demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    }));
    buf
}

// ---- GIF ----

/// The palette index of transparent pixels, never used for a colour.
const TRANSPARENT: u8 = 255;
/// Colours a GIF palette can hold besides the transparent entry.
const MAX_COLOURS: usize = 255;
/// At most this many palette entries come from the first frame; the rest are kept for
/// colours that only appear later (a status first reached halfway through the series, and
/// the anti-aliased edges it brings).
const FIRST_COLOURS: usize = 192;
/// The last entries go only to flat colours: edges cannot crowd out a category.
const FLAT_ONLY: usize = 16;
/// At most this many first-frame entries go to flat colours; the rest are for edges and text.
const MAX_FLAT: usize = 128;
/// A colour is flat (a fill, a legend swatch) when at least this many of its pixels have all
/// four neighbours the same colour; anti-aliased edges and text have next to none.
const MIN_FLAT_PIXELS: u32 = 16;
/// A nearest match this far off (squared RGB distance) is poor: a new kind of edge.
const POOR_MATCH: u32 = 24 * 24;
/// A frame adds entries for its poorly matched colours once they cover this many pixels...
const MIN_POOR_PIXELS: u64 = 64;
/// ...and at most this many at a time, so one frame does not use up the room.
const POOR_STEP: usize = 8;
/// Cache flags: mapped to the nearest palette colour, not the colour itself; and poorly.
const INEXACT: u16 = 0x100;
const POOR: u16 = 0x200;
/// Past this many cached colours the cache is dropped, so memory stays bounded.
const MAX_CACHE: usize = 1 << 20;

fn write_gif<I, E>(
    out: &mut AtomicWriter,
    frames: &mut Frames<'_, I>,
) -> Result<(), AnimationError<E>>
where
    I: Iterator<Item = Result<Pixmap, E>>,
{
    let path = frames.path;
    let fail = |e: gif::EncodingError| match e {
        gif::EncodingError::Io(source) => write_error(path, source),
        other => encode_error(path, other.to_string()),
    };
    let (Ok(width), Ok(height)) = (u16::try_from(frames.width), u16::try_from(frames.height))
    else {
        return Err(encode_error(
            path,
            format!(
                "{}×{} is too large for a GIF (at most 65535 pixels a side)",
                frames.width, frames.height
            ),
        ));
    };
    let Some((first, mut ms)) = frames.next()? else {
        return Err(encode_error(path, "an animation needs at least one frame"));
    };
    let mut quantizer = Quantizer::new(&first);
    let mut indices = vec![0; usize::from(width) * usize::from(height)];
    quantizer.map_frame(&first, &mut indices);
    drop(first);
    // The header's palette is whatever the first frame settled on, additions included.
    quantizer.global_len = quantizer.palette.len();
    let mut encoder =
        gif::Encoder::new(&mut *out, width, height, &quantizer.palette_bytes()).map_err(fail)?;
    encoder.set_repeat(gif::Repeat::Infinite).map_err(fail)?;
    loop {
        let frame = gif::Frame {
            delay: gif_delay(ms),
            // Whole frames replace each other; clearing first lets transparent pixels show
            // through instead of the previous frame.
            dispose: gif::DisposalMethod::Background,
            transparent: Some(TRANSPARENT),
            width,
            height,
            palette: quantizer.grown().then(|| quantizer.palette_bytes()),
            buffer: Cow::Borrowed(&indices),
            ..gif::Frame::default()
        };
        encoder.write_frame(&frame).map_err(fail)?;
        let Some((pixmap, next_ms)) = frames.next()? else {
            break;
        };
        quantizer.map_frame(&pixmap, &mut indices);
        ms = next_ms;
    }
    encoder.into_inner().map_err(fail)?;
    Ok(())
}

/// A GIF delay in hundredths of a second, at least two: browsers show anything shorter for
/// a tenth of a second.
fn gif_delay(ms: u32) -> u16 {
    u16::try_from(ms.saturating_add(5) / 10)
        .unwrap_or(u16::MAX)
        .max(2)
}

/// Maps frames to one palette for the whole animation, so colours do not flicker.
struct Quantizer {
    /// At most [`MAX_COLOURS`]; entries are only appended, so an index keeps its colour.
    palette: Vec<[u8; 3]>,
    /// How many colours the GIF header's global palette has (set once the first frame is
    /// mapped); frames after the palette grew past it carry their own copy.
    global_len: usize,
    /// Premultiplied RGBA (as read) → palette index, with [`INEXACT`] and [`POOR`] flags.
    cache: FxHashMap<u32, u16>,
    /// For the frame being mapped, colours not in the palette: (pixels, flat pixels).
    missing: FxHashMap<u32, (u32, u32)>,
}

impl Quantizer {
    /// Builds the palette from the first frame: its flat colours exactly (fills must keep
    /// their exact category colours), then a median cut of everything else.
    fn new(first: &Pixmap) -> Quantizer {
        let mut stats: FxHashMap<[u8; 3], (u64, u64)> = FxHashMap::default();
        for_each_run(first, |key, pixels, flat| {
            if let Some(rgb) = opaque_rgb(key) {
                let s = stats.entry(rgb).or_default();
                s.0 += u64::from(pixels);
                s.1 += u64::from(flat);
            }
        });
        let mut colours: Vec<([u8; 3], u64, u64)> =
            stats.into_iter().map(|(c, (n, f))| (c, n, f)).collect();
        let palette = if colours.len() <= FIRST_COLOURS {
            colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            colours.into_iter().map(|c| c.0).collect()
        } else {
            colours.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
            let flat = colours
                .iter()
                .take(MAX_FLAT)
                .take_while(|c| c.2 >= u64::from(MIN_FLAT_PIXELS))
                .count();
            let rest: Vec<([u8; 3], u64)> = colours[flat..].iter().map(|c| (c.0, c.1)).collect();
            let mut palette: Vec<[u8; 3]> = colours[..flat].iter().map(|c| c.0).collect();
            for c in median_cut(rest, FIRST_COLOURS - flat) {
                if !palette.contains(&c) {
                    palette.push(c);
                }
            }
            palette
        };
        Quantizer {
            global_len: 0,
            palette,
            cache: FxHashMap::default(),
            missing: FxHashMap::default(),
        }
    }

    /// Whether the palette has grown past the header's global palette.
    fn grown(&self) -> bool {
        self.palette.len() != self.global_len
    }

    /// The palette as GIF wants it: 256 RGB triples, the last one for transparency.
    fn palette_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![0; 256 * 3];
        for (slot, c) in bytes.chunks_exact_mut(3).zip(&self.palette) {
            slot.copy_from_slice(c);
        }
        bytes
    }

    /// Maps `pixmap` to palette indices in `out` (one per pixel), first adding what the
    /// palette lacks for it while there is room.
    fn map_frame(&mut self, pixmap: &Pixmap, out: &mut [u8]) {
        if self.cache.len() > MAX_CACHE {
            self.cache.clear();
        }
        self.map_pixels(pixmap, out);
        if self.grow() {
            // Nearest matches made before may now have a closer (or exact) entry.
            self.cache.retain(|_, v| *v & INEXACT == 0);
            self.map_pixels(pixmap, out);
        }
    }

    /// Adds the missing flat colours of the frame just mapped, exactly, and a few entries
    /// for its poorly matched ones; returns whether the palette changed. Entries are only
    /// ever appended, so indices already used keep their colour.
    fn grow(&mut self) -> bool {
        let before = self.palette.len();
        let (mut flat, mut poor) = (Vec::new(), Vec::new());
        for (&key, &(pixels, flat_pixels)) in &self.missing {
            let Some(rgb) = opaque_rgb(key) else { continue };
            if flat_pixels >= MIN_FLAT_PIXELS {
                flat.push((rgb, flat_pixels));
            } else if self.cache.get(&key).is_some_and(|v| v & POOR != 0) {
                poor.push((rgb, u64::from(pixels)));
            }
        }
        // Sorted, so the result does not depend on the hash map's order.
        flat.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (c, _) in flat {
            self.add(c, MAX_COLOURS);
        }
        if poor.iter().map(|c| c.1).sum::<u64>() >= MIN_POOR_PIXELS {
            let limit = MAX_COLOURS - FLAT_ONLY;
            let room = limit.saturating_sub(self.palette.len()).min(POOR_STEP);
            poor.sort_unstable();
            for c in median_cut(poor, room) {
                self.add(c, limit);
            }
        }
        self.palette.len() != before
    }

    fn add(&mut self, c: [u8; 3], limit: usize) {
        if self.palette.len() < limit && !self.palette.contains(&c) {
            self.palette.push(c);
        }
    }

    fn map_pixels(&mut self, pixmap: &Pixmap, out: &mut [u8]) {
        self.missing.clear();
        let width = (pixmap.width() as usize).max(1);
        let rows: Vec<&[u8]> = pixmap.data().chunks_exact(width * 4).collect();
        let (mut last_key, mut last) = (None, 0u16);
        for (y, (row, out)) in rows.iter().zip(out.chunks_exact_mut(width)).enumerate() {
            let above = y.checked_sub(1).and_then(|y| rows.get(y));
            let below = rows.get(y + 1);
            for (x, (p, o)) in row.chunks_exact(4).zip(out.iter_mut()).enumerate() {
                let key = u32::from_ne_bytes([p[0], p[1], p[2], p[3]]);
                // Flat areas are long runs of one colour: most pixels skip the cache.
                if last_key != Some(key) {
                    last_key = Some(key);
                    last = match self.cache.get(&key) {
                        Some(&v) => v,
                        None => {
                            let v = self.index_of(key);
                            self.cache.insert(key, v);
                            v
                        }
                    };
                }
                *o = last as u8; // the low byte is the index, the flags above it
                if last & INEXACT != 0 {
                    let m = self.missing.entry(key).or_default();
                    m.0 += 1;
                    m.1 += u32::from(is_flat(key, x, row, above, below));
                }
            }
        }
    }

    /// The palette index for a pixel, with its [`INEXACT`] and [`POOR`] flags.
    fn index_of(&self, key: u32) -> u16 {
        let Some(c) = opaque_rgb(key) else {
            return u16::from(TRANSPARENT);
        };
        let mut best = (0, u32::MAX);
        for (i, p) in self.palette.iter().enumerate() {
            let d: u32 = (0..3)
                .map(|k| (i32::from(p[k]) - i32::from(c[k])).pow(2) as u32)
                .sum();
            if d < best.1 {
                best = (i as u16, d);
                if d == 0 {
                    return best.0;
                }
            }
        }
        let poor = if best.1 > POOR_MATCH { POOR } else { 0 };
        best.0 | INEXACT | poor
    }
}

/// Calls `f(key, pixels, flat)` for each horizontal run of one colour (premultiplied RGBA as
/// read), with how many of its pixels are flat (see [`MIN_FLAT_PIXELS`]).
fn for_each_run(pixmap: &Pixmap, mut f: impl FnMut(u32, u32, u32)) {
    let width = (pixmap.width() as usize).max(1);
    let rows: Vec<&[u8]> = pixmap.data().chunks_exact(width * 4).collect();
    let mut run: Option<(u32, u32, u32)> = None;
    for (y, row) in rows.iter().enumerate() {
        let above = y.checked_sub(1).and_then(|y| rows.get(y));
        let below = rows.get(y + 1);
        for (x, p) in row.chunks_exact(4).enumerate() {
            let key = u32::from_ne_bytes([p[0], p[1], p[2], p[3]]);
            let flat = u32::from(is_flat(key, x, row, above, below));
            match &mut run {
                Some((k, n, fl)) if *k == key => {
                    *n += 1;
                    *fl += flat;
                }
                _ => {
                    if let Some((k, n, fl)) = run {
                        f(k, n, fl);
                    }
                    run = Some((key, 1, flat));
                }
            }
        }
    }
    if let Some((k, n, fl)) = run {
        f(k, n, fl);
    }
}

/// Whether the pixel at `x` in `row` has its four neighbours the same colour.
fn is_flat(key: u32, x: usize, row: &[u8], above: Option<&&[u8]>, below: Option<&&[u8]>) -> bool {
    let at = |r: &[u8], x: usize| {
        r.get(x * 4..x * 4 + 4)
            .map(|p| u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
    };
    x > 0
        && at(row, x - 1) == Some(key)
        && at(row, x + 1) == Some(key)
        && above.is_some_and(|r| at(r, x) == Some(key))
        && below.is_some_and(|r| at(r, x) == Some(key))
}

/// The straight colour of a premultiplied pixel, or `None` if GIF shows it transparent.
fn opaque_rgb(key: u32) -> Option<[u8; 3]> {
    let [r, g, b, a] = key.to_ne_bytes();
    if a < 128 {
        return None;
    }
    if a == 255 {
        return Some([r, g, b]);
    }
    // The same rounding as tiny-skia's `demultiply`, so GIF and PNG agree.
    let a = f64::from(a) / 255.0;
    let d = |c: u8| (f64::from(c) / a + 0.5) as u8;
    Some([d(r), d(g), d(b)])
}

/// Splits `colours` (with pixel counts) into at most `n` boxes, each becoming its weighted
/// mean: the box with the widest spread (times its pixels) is cut at its weighted median.
fn median_cut(mut colours: Vec<([u8; 3], u64)>, n: usize) -> Vec<[u8; 3]> {
    if n == 0 {
        return Vec::new();
    }
    let mut boxes = vec![colours.as_mut_slice()];
    while boxes.len() < n {
        let widest = boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| b.len() > 1)
            .map(|(i, b)| {
                let (axis, spread) = spread(b);
                let pixels: u64 = b.iter().map(|c| c.1).sum();
                (u64::from(spread) * pixels, i, axis)
            })
            .max();
        let Some((1.., i, axis)) = widest else {
            break; // nothing left to split
        };
        let b = boxes.swap_remove(i);
        b.sort_unstable_by_key(|c| (c.0[axis], c.0));
        let total: u64 = b.iter().map(|c| c.1).sum();
        let mut seen = 0;
        let half = b
            .iter()
            .position(|c| {
                seen += c.1;
                seen * 2 >= total
            })
            .map_or(1, |p| p + 1)
            .clamp(1, b.len() - 1);
        let (low, high) = b.split_at_mut(half);
        boxes.push(low);
        boxes.push(high);
    }
    boxes
        .into_iter()
        .filter(|b| !b.is_empty())
        .map(|b| {
            let total: u64 = b.iter().map(|c| c.1).sum::<u64>().max(1);
            let mean = |k: usize| {
                let sum: u64 = b.iter().map(|c| u64::from(c.0[k]) * c.1).sum();
                ((sum + total / 2) / total).min(255) as u8
            };
            [mean(0), mean(1), mean(2)]
        })
        .collect()
}

/// The channel with the largest range of values, and that range.
fn spread(colours: &[([u8; 3], u64)]) -> (usize, u8) {
    (0..3)
        .map(|k| {
            let lo = colours.iter().map(|c| c.0[k]).min().unwrap_or(0);
            let hi = colours.iter().map(|c| c.0[k]).max().unwrap_or(0);
            (k, hi - lo)
        })
        .max_by_key(|&(k, r)| (r, std::cmp::Reverse(k)))
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests;
