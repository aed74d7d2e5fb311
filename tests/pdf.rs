//! PDF output: `render -o map.pdf` (or `--format pdf`) and `series -o '{date}.pdf'`, checked
//! by reading the PDF's structure (no PDF tools needed).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{content_streams, controlmap, data, fixture, pdftotext_raw};

/// `command` on the hand-made fixture, a 400×300 page.
fn fixture_map(command: &str) -> Command {
    let mut cmd = controlmap();
    cmd.arg(command)
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args([
            "--name-field",
            "district",
            "--province-field",
            "prov",
            "--id-field",
            "code",
        ])
        .args(["--width", "400", "--height", "300", "-q"]);
    cmd
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Checks what every map PDF must be: a complete file of one page of `width`×`height` pt,
/// with the bundled faces embedded.
fn assert_map_pdf(pdf: &[u8], width: u32, height: u32) {
    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"), "no %%EOF trailer");
    assert_eq!(
        count(pdf, b"/Type /Page\n") + count(pdf, b"/Type /Page "),
        1
    );
    assert_eq!(count(pdf, b"/Count 1"), 1, "one page");
    let media_box = format!("/MediaBox [0 0 {width} {height}]");
    assert_eq!(count(pdf, media_box.as_bytes()), 1, "{media_box}");
    assert!(count(pdf, b"/FontFile") >= 2, "both faces embedded");
    assert!(count(pdf, b"+DejaVuSans\n") + count(pdf, b"+DejaVuSans ") > 0);
    assert!(count(pdf, b"+DejaVuSans-Bold") > 0);
}

#[test]
fn fixture_renders_to_a_one_page_pdf_with_the_font_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.pdf");
    fixture_map("render")
        .args(["--date", "2021-06-20", "--title", "Fixture <&>", "-o"])
        .arg(&out)
        .assert()
        .success();
    let pdf = std::fs::read(&out).unwrap();
    assert_map_pdf(&pdf, 400, 300);
    // Only the finished file is left.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn format_flag_makes_a_pdf_whatever_the_name_and_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.bin");
    fixture_map("render")
        .args(["--date", "2021-06-20", "--format", "pdf", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_map_pdf(&std::fs::read(&out).unwrap(), 400, 300);
    let piped = fixture_map("render")
        .args(["--date", "2021-06-20", "--format", "pdf", "-o", "-"])
        .assert()
        .success();
    assert_map_pdf(&piped.get_output().stdout, 400, 300);
}

#[test]
fn ocha_map_pdf_is_a_vector_page_of_the_svg_size() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf_path, svg_path) = (dir.path().join("lwj.pdf"), dir.path().join("lwj.svg"));
    for out in [&pdf_path, &svg_path] {
        controlmap()
            .arg("render")
            .arg("--boundaries")
            .arg(data("ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp"))
            .arg("--status")
            .arg(data("lwj-control-2018/afg_districts.csv"))
            .arg("--places")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/provincial-capitals.csv"))
            .args(["-q", "-o"])
            .arg(out)
            .assert()
            .success();
    }
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert_map_pdf(&pdf, 1600, 1200);
    // Vector, not an image of the map; and smaller than the SVG (compressed streams,
    // subset fonts). 313 KB when this test was written, against 783 KB of SVG.
    assert_eq!(count(&pdf, b"/Subtype /Image"), 0);
    let svg = std::fs::metadata(&svg_path).unwrap().len();
    assert!((pdf.len() as u64) < svg, "{} vs {svg}", pdf.len());
}

#[test]
fn series_writes_a_pdf_per_date() {
    let dir = tempfile::tempdir().unwrap();
    fixture_map("series")
        .args(["--dates", "2021-05-01,2021-07-01", "-o"])
        .arg(dir.path().join("f/{date}.pdf"))
        .assert()
        .success();
    for date in ["2021-05-01", "2021-07-01"] {
        let pdf = std::fs::read(dir.path().join(format!("f/{date}.pdf"))).unwrap();
        assert_map_pdf(&pdf, 400, 300);
    }
}

#[test]
fn pdf_output_refuses_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("timeline.csv");
    std::fs::copy(fixture("timeline.csv"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(&copy)
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--date", "2021-06-20", "--format", "pdf", "-o"])
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn print_size_is_an_8_by_6_inch_page_with_no_other_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("print.pdf");
    let mut cmd = controlmap();
    cmd.arg("render")
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--date", "2021-06-20", "--size", "print", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    // 8×6 in at 72 pt per inch; the PNG of the same flags is 2400×1800 px.
    assert_map_pdf(&std::fs::read(&out).unwrap(), 576, 432);
}

#[test]
fn each_label_is_extracted_once_from_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lon,lat,kind\nAlpha City,65.2,34.8,capital\nHamlet,66.5,34.5,village\n",
    )
    .unwrap();
    let out = dir.path().join("labels.pdf");
    fixture_map("render")
        .args(["--date", "2021-06-20", "--places"])
        .arg(&places)
        .args(["--district-labels", "-o"])
        .arg(&out)
        .assert()
        .success();
    let pdf = std::fs::read(&out).unwrap();
    assert_map_pdf(&pdf, 400, 300);
    // No text is drawn in stroke mode (a halo as a second copy of the text).
    let content = content_streams(&pdf);
    assert!(content.contains("Tj"), "no text in the content streams");
    assert!(
        !content.contains("1 Tr"),
        "a label's halo is written as text"
    );
    match pdftotext_raw(&out) {
        Some(text) => {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for label in ["Alpha City", "Hamlet", "Qala-i-Naw", "Alpha"] {
                assert_eq!(
                    lines.iter().filter(|l| **l == label).count(),
                    1,
                    "{label} in:\n{text}"
                );
            }
        }
        None => eprintln!("pdftotext not installed: checked the content streams only"),
    }
}
