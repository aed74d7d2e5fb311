//! Shared by the integration tests: where the real data and the fixtures are, and the binary.
#![allow(dead_code)] // Each test file uses its own subset.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The OCHA 2018 districts (Shapefile, 399).
pub const OCHA: &str = "ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp";
/// The LWJ 2018 snapshot (399 rows, ADM2_EN + ADM1_EN).
pub const LWJ: &str = "lwj-control-2018/afg_districts.csv";
/// The 2021 takeover TopoJSON (329 districts).
pub const TOPO: &str = "taliban-takeover-2021/combined.json";
/// The 2021 takeover timeline (322 names × 37 dates).
pub const TAKEOVER: &str = "taliban-takeover-2021/taliban_takeover.csv";

/// A file of `../shared/data`, read in place.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel)
}

/// A hand-made fixture in `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    repo("tests/fixtures").join(rel)
}

/// A file of this repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The `controlmap` binary.
pub fn controlmap() -> Command {
    Command::cargo_bin("controlmap").unwrap()
}

/// The README's takeover command (`--map 1=taliban --map 2=taliban --map 0=no-report
/// --ambiguous all` on the takeover TopoJSON and timeline), without a date or output.
pub fn takeover(command: &str) -> Command {
    let mut c = controlmap();
    c.arg(command)
        .arg("--boundaries")
        .arg(data(TOPO))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args([
            "--map",
            "1=taliban",
            "--map",
            "2=taliban",
            "--map",
            "0=no-report",
            "--ambiguous",
            "all",
        ]);
    c
}

/// The inflated content streams of a PDF.
pub fn content_streams(pdf: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = pdf;
    while let Some(i) = rest.windows(7).position(|w| w == b"stream\n") {
        rest = &rest[i + 7..];
        let end = rest
            .windows(9)
            .position(|w| w == b"endstream")
            .unwrap_or(rest.len());
        let mut s = Vec::new();
        if std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&rest[..end]), &mut s)
            .is_ok()
        {
            out.push_str(&String::from_utf8_lossy(&s));
        }
        rest = &rest[end..];
    }
    out
}

/// `pdftotext -raw` (poppler-utils) reads text in drawing order without merging overlapping
/// copies, as a copy-paste or a screen reader does.
pub fn pdftotext_raw(pdf: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A PNG file's width, height and pixels as RGBA (an opaque map is written as RGB).
pub fn decode_rgba(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}
