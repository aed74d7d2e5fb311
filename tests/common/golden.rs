//! Golden PNG files: a rendered PNG is compared with `tests/golden/<name>.png`, channel by
//! channel, within a tolerance of 2/255 (rounding where anti-aliased edges blend).
//!
//! `UPDATE_GOLDEN=1 cargo test` rewrites the golden files; review the new pictures before
//! committing them. On a mismatch, `target/golden-diff/<name>.png` shows what changed: the
//! differing pixels in red over a faded copy of the golden image.

use std::path::{Path, PathBuf};

/// The largest difference of a channel that still counts as the same picture.
pub const TOLERANCE: u8 = 2;

/// An RGBA image: width, height, pixels.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Decodes an 8-bit RGB or RGBA PNG.
pub fn decode(bytes: &[u8]) -> Image {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    Image {
        width: info.width,
        height: info.height,
        rgba,
    }
}

/// Encodes an RGBA image as PNG.
pub fn encode(image: &Image) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    // Golden files live in git: small beats fast.
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&image.rgba).unwrap();
    writer.finish().unwrap();
    out
}

/// The differing pixels of `got` in red over a faded copy of `want` (same size).
pub fn diff_image(want: &Image, got: &Image) -> (Image, usize) {
    let mut rgba = Vec::with_capacity(want.rgba.len());
    let mut differing = 0;
    for (a, b) in want.rgba.chunks_exact(4).zip(got.rgba.chunks_exact(4)) {
        if a.iter().zip(b).any(|(x, y)| x.abs_diff(*y) > TOLERANCE) {
            differing += 1;
            rgba.extend([255, 0, 0, 255]);
        } else {
            let fade = |v: u8| 255 - (255 - v) / 4;
            rgba.extend([fade(a[0]), fade(a[1]), fade(a[2]), 255]);
        }
    }
    (
        Image {
            width: want.width,
            height: want.height,
            rgba,
        },
        differing,
    )
}

/// Compares a rendered PNG with `tests/golden/<name>.png` (or writes it with
/// `UPDATE_GOLDEN=1`). Panics with the number of differing pixels and the diff image's path.
pub fn assert_png(name: &str, png: &[u8]) {
    let golden = root().join("tests/golden").join(format!("{name}.png"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, encode(&decode(png))).unwrap();
    }
    let want = std::fs::read(&golden).unwrap_or_else(|_| {
        panic!(
            "no golden file {}; UPDATE_GOLDEN=1 cargo test writes it",
            golden.display()
        )
    });
    let (want, got) = (decode(&want), decode(png));
    let diff_path = root()
        .join("target/golden-diff")
        .join(format!("{name}.png"));
    assert_eq!(
        (got.width, got.height),
        (want.width, want.height),
        "{name}: size differs from the golden file"
    );
    let (diff, differing) = diff_image(&want, &got);
    if differing > 0 {
        write_diff(&diff_path, &diff);
        panic!(
            "{name}: {differing} pixels differ from {} by more than {TOLERANCE}/255; see {} (UPDATE_GOLDEN=1 rewrites the golden file after review)",
            golden.display(),
            diff_path.display()
        );
    }
    // A diff from an earlier failure would mislead.
    let _ = std::fs::remove_file(&diff_path);
}

fn write_diff(path: &Path, image: &Image) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, encode(image)).unwrap();
}
