use super::*;
use resvg::tiny_skia::{Color, Paint, PathBuilder, Rect, Transform};

const W: u32 = 64;
const H: u32 = 48;
const TIMING: Timing = Timing {
    frame_ms: 200,
    last_frame_ms: 1500,
};
/// Flat fills that must come back exactly, and where to find one pixel of each.
const RED: [u8; 3] = [200, 30, 40];
const GREEN: [u8; 3] = [40, 160, 70];
const BLUE: [u8; 3] = [30, 80, 210];
const LATE: [u8; 3] = [240, 200, 20];

fn fill(pixmap: &mut Pixmap, [r, g, b]: [u8; 3], x: f32, y: f32, w: f32, h: f32) {
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, 255);
    let rect = Rect::from_xywh(x, y, w, h).unwrap();
    pixmap.fill_rect(rect, &paint, Transform::identity(), None);
}

/// A small "map": white background, three fills, an anti-aliased circle; frame `i` moves
/// the circle and (from the third frame on) adds a colour the first frame lacks.
fn frame(i: usize) -> Pixmap {
    let mut pixmap = Pixmap::new(W, H).unwrap();
    pixmap.fill(Color::WHITE);
    fill(&mut pixmap, RED, 2.0, 2.0, 20.0, 20.0);
    fill(&mut pixmap, GREEN, 24.0, 2.0, 20.0, 20.0);
    fill(&mut pixmap, BLUE, 2.0, 24.0, 20.0, 20.0);
    if i >= 2 {
        fill(&mut pixmap, LATE, 46.0, 2.0, 16.0, 16.0);
    }
    let mut paint = Paint::default();
    paint.set_color_rgba8(20, 20, 20, 255);
    paint.anti_alias = true;
    let circle = PathBuilder::from_circle(34.0 + i as f32 * 3.3, 34.0, 9.7).unwrap();
    pixmap.fill_path(
        &circle,
        &paint,
        resvg::tiny_skia::FillRule::Winding,
        Transform::identity(),
        None,
    );
    pixmap
}

/// Like [`frame`], with a top band of 320 distinct colours, more than a GIF palette holds.
fn noisy_frame(i: usize) -> Pixmap {
    let mut pixmap = frame(i);
    let data = pixmap.data_mut();
    for (n, p) in data.chunks_exact_mut(4).take(5 * W as usize).enumerate() {
        let n = n as u32 * 97;
        p.copy_from_slice(&[
            (n % 251) as u8,
            (n / 7 % 253) as u8,
            (n / 3 % 255) as u8,
            255,
        ]);
    }
    pixmap
}

fn write(
    path: &Path,
    format: AnimationFormat,
    frames: Vec<Result<Pixmap, String>>,
    count: usize,
) -> Result<(), AnimationError<String>> {
    write_animation(path, format, W, H, count, frames.into_iter(), TIMING)
}

fn rgb_at(rgba: &[u8], x: u32, y: u32) -> [u8; 3] {
    let i = ((y * W + x) * 4) as usize;
    [rgba[i], rgba[i + 1], rgba[i + 2]]
}

fn assert_flat_colours(rgba: &[u8], index: usize) {
    assert_eq!(rgb_at(rgba, 10, 10), RED, "frame {index}");
    assert_eq!(rgb_at(rgba, 30, 8), GREEN, "frame {index}");
    assert_eq!(rgb_at(rgba, 10, 30), BLUE, "frame {index}");
    assert_eq!(rgb_at(rgba, 60, 46), [255, 255, 255], "frame {index}");
    if index >= 2 {
        assert_eq!(rgb_at(rgba, 54, 10), LATE, "frame {index}");
    }
}

/// Decodes a GIF: per frame, its delay (1/100 s) and RGBA pixels.
fn decode_gif(path: &Path) -> Vec<(u16, Vec<u8>)> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::fs::File::open(path).unwrap())
        .unwrap();
    assert_eq!((decoder.width(), decoder.height()), (W as u16, H as u16));
    let mut frames = Vec::new();
    while let Some(f) = decoder.read_next_frame().unwrap() {
        assert_eq!(
            (f.left, f.top, f.width, f.height),
            (0, 0, W as u16, H as u16)
        );
        frames.push((f.delay, f.buffer.to_vec()));
    }
    frames
}

/// Decodes an APNG: per frame, its delay (numerator, denominator) and RGBA pixels.
fn decode_apng(path: &Path) -> Vec<((u16, u16), Vec<u8>)> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let info = reader.info();
    assert_eq!((info.width, info.height), (W, H));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let actl = info.animation_control.unwrap();
    assert_eq!(actl.num_plays, 0, "loops forever");
    let mut frames = Vec::new();
    for _ in 0..actl.num_frames {
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        let fctl = reader.info().frame_control.unwrap();
        assert_eq!((fctl.width, fctl.height), (W, H));
        frames.push(((fctl.delay_num, fctl.delay_den), buf));
    }
    frames
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn gif_round_trip_keeps_frames_delays_and_flat_colours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anim.gif");
    let frames = (0..3).map(|i| Ok(frame(i))).collect();
    write(&path, AnimationFormat::Gif, frames, 3).unwrap();
    let decoded = decode_gif(&path);
    assert_eq!(decoded.len(), 3);
    let delays: Vec<u16> = decoded.iter().map(|f| f.0).collect();
    assert_eq!(delays, [20, 20, 150]);
    for (i, (_, rgba)) in decoded.iter().enumerate() {
        assert_flat_colours(rgba, i);
    }
    assert_eq!(files_in(dir.path()), 1);
}

#[test]
fn gif_keeps_flat_colours_exact_when_the_palette_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anim.gif");
    let frames = (0..3).map(|i| Ok(noisy_frame(i))).collect();
    write(&path, AnimationFormat::Gif, frames, 3).unwrap();
    let decoded = decode_gif(&path);
    assert_eq!(decoded.len(), 3);
    for (i, (_, rgba)) in decoded.iter().enumerate() {
        assert_flat_colours(rgba, i);
        // The noise band is approximated, not dropped: still mostly colourful.
        assert_ne!(rgb_at(rgba, 5, 1), [255, 255, 255]);
    }
}

/// A grey fill; from the second frame on, a fill of a new colour crossed by thin white
/// anti-aliased lines, whose edge colours the first frame's palette cannot know.
fn striped_frame(i: usize) -> Pixmap {
    let mut pixmap = Pixmap::new(W, H).unwrap();
    pixmap.fill(Color::WHITE);
    fill(&mut pixmap, [220, 222, 225], 2.0, 2.0, 60.0, 20.0);
    if i >= 1 {
        fill(&mut pixmap, RED, 2.0, 24.0, 60.0, 22.0);
        let mut paint = Paint::default();
        paint.set_color_rgba8(255, 255, 255, 255);
        paint.anti_alias = true;
        let stroke = resvg::tiny_skia::Stroke {
            width: 1.3,
            ..Default::default()
        };
        for k in 0..5 {
            let x = 4.0 + k as f32 * 12.7;
            let mut pb = PathBuilder::new();
            pb.move_to(x, 24.0);
            pb.line_to(x + 9.3, 46.0);
            let line = pb.finish().unwrap();
            pixmap.stroke_path(&line, &paint, &stroke, Transform::identity(), None);
        }
    }
    pixmap
}

#[test]
fn gif_palette_learns_the_edges_of_later_colours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anim.gif");
    let frames = (0..3).map(|i| Ok(striped_frame(i))).collect();
    write(&path, AnimationFormat::Gif, frames, 3).unwrap();
    for (i, (_, rgba)) in decode_gif(&path).iter().enumerate() {
        let source = striped_frame(i);
        assert_eq!(rgb_at(rgba, 3, 45), if i == 0 { [255; 3] } else { RED });
        let worst = rgba
            .chunks_exact(4)
            .zip(source.data().chunks_exact(4))
            .map(|(a, b)| (0..3).map(|k| a[k].abs_diff(b[k])).max().unwrap_or(0))
            .max()
            .unwrap();
        assert!(worst <= 32, "frame {i}: a channel off by {worst}");
    }
}

#[test]
fn apng_round_trip_keeps_frames_delays_and_colours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anim.png");
    let frames = (0..3).map(|i| Ok(frame(i))).collect();
    write(&path, AnimationFormat::Apng, frames, 3).unwrap();
    let decoded = decode_apng(&path);
    assert_eq!(decoded.len(), 3);
    let delays: Vec<(u16, u16)> = decoded.iter().map(|f| f.0).collect();
    assert_eq!(delays, [(200, 1000), (200, 1000), (1500, 1000)]);
    for (i, (_, rgba)) in decoded.iter().enumerate() {
        assert_flat_colours(rgba, i);
        assert_eq!(rgba.as_slice(), frame(i).data(), "opaque frames are exact");
    }
}

#[test]
fn transparency_is_demultiplied_for_apng_and_dropped_for_gif() {
    let mut pixmap = Pixmap::new(W, H).unwrap();
    fill(&mut pixmap, RED, 2.0, 2.0, 20.0, 20.0);
    let mut paint = Paint::default();
    paint.set_color_rgba8(40, 160, 70, 200);
    let rect = Rect::from_xywh(24.0, 2.0, 20.0, 20.0).unwrap();
    pixmap.fill_rect(rect, &paint, Transform::identity(), None);
    let dir = tempfile::tempdir().unwrap();

    let png_path = dir.path().join("anim.png");
    write(
        &png_path,
        AnimationFormat::Apng,
        vec![Ok(pixmap.clone())],
        1,
    )
    .unwrap();
    let (_, rgba) = &decode_apng(&png_path)[0];
    let at = |x: u32, y: u32| &rgba[((y * W + x) * 4) as usize..][..4];
    assert_eq!(at(10, 10), [200, 30, 40, 255]);
    // Premultiplying at alpha 200 loses a little precision.
    let near = |got: &[u8], want: [u8; 4]| got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 1);
    assert!(near(at(30, 8), [40, 160, 70, 200]), "{:?}", at(30, 8));
    assert_eq!(at(60, 46), [0, 0, 0, 0]);

    let gif_path = dir.path().join("anim.gif");
    write(&gif_path, AnimationFormat::Gif, vec![Ok(pixmap)], 1).unwrap();
    let (delay, rgba) = &decode_gif(&gif_path)[0];
    assert_eq!(*delay, 150, "a single frame is the last one");
    let at = |x: u32, y: u32| &rgba[((y * W + x) * 4) as usize..][..4];
    assert_eq!(at(10, 10), [200, 30, 40, 255]);
    assert!(near(at(30, 8), [40, 160, 70, 255]), "{:?}", at(30, 8));
    assert_eq!(at(60, 46)[3], 0);
}

#[test]
fn a_failing_frame_leaves_no_file() {
    for format in [AnimationFormat::Gif, AnimationFormat::Apng] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anim");
        let frames = vec![Ok(frame(0)), Err("boom".to_string()), Ok(frame(2))];
        let err = write(&path, format, frames, 3).unwrap_err();
        assert!(
            matches!(err, AnimationError::Frame(ref e) if e == "boom"),
            "{err:?}"
        );
        assert_eq!(files_in(dir.path()), 0, "{format:?}");
    }
}

#[test]
fn a_wrong_frame_count_leaves_no_file() {
    for format in [AnimationFormat::Gif, AnimationFormat::Apng] {
        for (given, announced) in [(2, 3), (4, 3), (0, 0)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("anim");
            let frames = (0..given).map(|i| Ok(frame(i))).collect();
            let err = write(&path, format, frames, announced).unwrap_err();
            assert!(matches!(err, AnimationError::Encode { .. }), "{err:?}");
            assert_eq!(files_in(dir.path()), 0, "{format:?} {given}/{announced}");
        }
    }
}

#[test]
fn a_frame_of_the_wrong_size_leaves_no_file() {
    for format in [AnimationFormat::Gif, AnimationFormat::Apng] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anim");
        let frames = vec![Ok(frame(0)), Ok(Pixmap::new(W, H + 1).unwrap())];
        let err = write(&path, format, frames, 2).unwrap_err();
        assert!(matches!(err, AnimationError::Encode { .. }), "{err:?}");
        assert_eq!(files_in(dir.path()), 0, "{format:?}");
    }
}

#[test]
fn gif_refuses_sizes_beyond_16_bits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anim.gif");
    let frames = std::iter::empty::<Result<Pixmap, String>>();
    let err = write_animation(&path, AnimationFormat::Gif, 70_000, 1, 1, frames, TIMING);
    assert!(matches!(err, Err(AnimationError::Encode { .. })));
    assert_eq!(files_in(dir.path()), 0);
}

#[test]
fn delays_fit_their_formats() {
    assert_eq!(apng_delay(250), (250, 1000));
    assert_eq!(apng_delay(65_535), (65_535, 1000));
    assert_eq!(apng_delay(70_004), (7000, 100));
    assert_eq!(apng_delay(u32::MAX), (u16::MAX, 1));
    assert_eq!(gif_delay(200), 20);
    assert_eq!(gif_delay(1504), 150);
    assert_eq!(gif_delay(1505), 151);
    assert_eq!(gif_delay(0), 2);
    assert_eq!(gif_delay(u32::MAX), u16::MAX);
}
