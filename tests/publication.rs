//! The publication features as a user runs them: change maps (`--since`), region zoom
//! (`--extent`) with its locator, district labels and captured capitals, on the hand-made
//! fixture and on the real data in ../shared/data; and golden PNGs of each.

#[path = "common/golden.rs"]
mod golden;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel)
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn asset(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const TOPO: &str = "taliban-takeover-2021/combined.json";
const TAKEOVER: &str = "taliban-takeover-2021/taliban_takeover.csv";

fn controlmap() -> Command {
    Command::cargo_bin("controlmap").unwrap()
}

/// `command` on the takeover timeline and its TopoJSON, mapped as the README maps it.
fn takeover(command: &str) -> Command {
    let mut cmd = controlmap();
    cmd.arg(command)
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
        ])
        .args(["--ambiguous", "all"]);
    cmd
}

/// `command` on the fixture (five districts in two provinces, North and South).
fn fixture_map(command: &str) -> Command {
    let mut cmd = controlmap();
    cmd.arg(command)
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--id-field", "code"]);
    cmd
}

/// Runs a command that writes `out`, returns its stderr.
fn run(mut cmd: Command, out: &Path) -> String {
    let assert = cmd.arg("-o").arg(out).assert().success();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn svg_of(cmd: Command) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let stderr = run(cmd, &out);
    (std::fs::read_to_string(&out).unwrap(), stderr)
}

/// The `data-id` of every district path marked `data-changed`.
fn changed_ids(svg: &str) -> Vec<String> {
    svg.split("<path ")
        .skip(1)
        .map(|tag| tag.split('>').next().unwrap())
        .filter(|tag| tag.contains(r#"data-changed="true""#))
        .map(|tag| {
            tag.split(r#"data-id=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The paths in the `changed-since` layer.
fn hatched(svg: &str) -> usize {
    svg.split(r#"<g id="changed-since""#)
        .nth(1)
        .map_or(0, |layer| {
            layer
                .split("</g>")
                .next()
                .unwrap()
                .matches("<path ")
                .count()
        })
}

/// The text of the change legend line, tags removed.
fn change_note(svg: &str) -> String {
    let line = svg
        .lines()
        .find(|l| l.starts_with(r#"<g id="legend-changed-since">"#))
        .expect("a change legend line");
    let text = line.split("<text").nth(1).unwrap();
    let mut plain = String::new();
    let mut in_tag = true;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
}

/// The takeover CSV read without controlmap: per district name, its value as of a date
/// (M/D/YYYY rows, the latest on or before the date).
fn takeover_as_of(date: (u32, u32)) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(data(TAKEOVER)).unwrap();
    let mut latest: BTreeMap<String, ((u32, u32), String)> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let mdy: Vec<u32> = cells[1].split('/').map(|v| v.parse().unwrap()).collect();
        let when = (mdy[0], mdy[1]);
        if when > date {
            continue;
        }
        let entry = latest
            .entry(cells[0].to_string())
            .or_insert((when, cells[2].to_string()));
        if when >= entry.0 {
            *entry = (when, cells[2].to_string());
        }
    }
    latest.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// How many polygons of the TopoJSON carry each name (seven names occur twice).
fn polygons_per_name() -> BTreeMap<String, usize> {
    let topo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data(TOPO)).unwrap()).unwrap();
    let mut n = BTreeMap::new();
    for g in topo["objects"]["districts"]["geometries"]
        .as_array()
        .unwrap()
    {
        *n.entry(g["id"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    n
}

/// Districts whose category moved between the two dates, counted from the CSV alone:
/// 1 and 2 are taliban, 0 no report; `into_taliban` counts only moves into taliban.
fn independent_change_count(before: (u32, u32), now: (u32, u32), into_taliban: bool) -> usize {
    let taliban = |v: &str| v == "1" || v == "2";
    let (before, now) = (takeover_as_of(before), takeover_as_of(now));
    let polygons = polygons_per_name();
    now.iter()
        .filter(|(name, v)| {
            let b = &before[*name];
            taliban(b) != taliban(v) && (!into_taliban || taliban(v))
        })
        .map(|(name, _)| polygons[name])
        .sum()
}

#[test]
fn since_count_on_the_takeover_data_is_what_the_map_shows() {
    let expected = independent_change_count((7, 1), (8, 16), true);
    let mut cmd = takeover("render");
    cmd.args(["--date", "2021-08-16", "--since", "2021-07-01"])
        .args([
            "--since-only",
            "taliban",
            "--since-label",
            "Taken since {date}: {count}",
        ]);
    let (svg, _) = svg_of(cmd);
    // The marked paths, the hatched paths and the legend line agree, and agree with the CSV.
    assert_eq!(changed_ids(&svg).len(), expected);
    assert_eq!(hatched(&svg), expected);
    assert_eq!(
        change_note(&svg),
        format!("Taken since July 1, 2021: {expected}")
    );
    assert_eq!(
        expected, 73,
        "taliban 77 on July 1, 150 on August 16, none lost"
    );

    // Without --since-only, any change counts; here too only moves into taliban happened
    // between these dates, so the count is the same, but the default line says "Changed".
    let any = independent_change_count((6, 7), (8, 16), false);
    let mut cmd = takeover("render");
    cmd.args(["--date", "2021-08-16", "--since", "2021-06-07"]);
    let (svg, _) = svg_of(cmd);
    assert_eq!(changed_ids(&svg).len(), any);
    assert_eq!(
        change_note(&svg),
        format!("Changed since June 7, 2021: {any}")
    );
}

#[test]
fn a_change_that_reverses_is_counted_without_since_only() {
    // Between two dates, districts lost by the Taliban count as changes too (the CSV has a
    // few reversals in June); --since-only taliban leaves them out.
    let any = independent_change_count((6, 20), (6, 30), false);
    let into = independent_change_count((6, 20), (6, 30), true);
    for (only, expected) in [(false, any), (true, into)] {
        let mut cmd = takeover("render");
        cmd.args(["--date", "2021-06-30", "--since", "2021-06-20"]);
        if only {
            cmd.args(["--since-only", "Taliban"]);
        }
        let (svg, _) = svg_of(cmd);
        assert_eq!(changed_ids(&svg).len(), expected, "only: {only}");
    }
}

#[test]
fn since_on_the_fixture_marks_changed_districts_only() {
    // On 2021-07-01 against 2021-05-15: Alpha went government → taliban (N1), South's
    // Kohistan too (S2); Qala-i-Naw (N3) had no record on 2021-05-15, so it was no data
    // then and is marked for moving into taliban.
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-07-01", "--since", "2021-05-15"]);
    let (svg, _) = svg_of(cmd);
    assert_eq!(changed_ids(&svg), ["N1", "S2", "N3"]);
    assert!(svg.contains(r#"<pattern id="hatch""#));
    assert_eq!(change_note(&svg), "Changed since May 15, 2021: 3");

    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-07-01", "--since", "2021-05-15"])
        .args([
            "--since-only",
            "contested",
            "--since-label",
            "{count} to {label}",
        ]);
    let (svg, _) = svg_of(cmd);
    assert!(changed_ids(&svg).is_empty());
    assert_eq!(change_note(&svg), "0 to Contested");
    assert_eq!(hatched(&svg), 0);
}

#[test]
fn since_mistakes_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.svg");
    for (args, needle) in [
        (
            vec!["--date", "2021-06-01", "--since", "2021-07-01"],
            "is after --date",
        ),
        (
            vec![
                "--date",
                "2021-07-01",
                "--since",
                "2021-05-01",
                "--since-only",
                "rebels",
            ],
            "unknown category `rebels` in --since-only",
        ),
        (
            vec!["--date", "2021-07-01", "--since", "July"],
            "--since `July`",
        ),
        (
            vec!["--date", "2021-07-01", "--since-only", "taliban"],
            "--since",
        ),
    ] {
        let mut cmd = fixture_map("render");
        cmd.args(&args)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
        assert!(!out.exists());
    }
    // Before the first record every district was no data: each one with a status now has
    // changed. Said, not an error, and the legend names the first record.
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-07-01", "--since", "2021-04-01"]);
    let (svg, stderr) = svg_of(cmd);
    assert!(stderr.contains("before the first record"), "{stderr}");
    assert_eq!(changed_ids(&svg), ["N1", "N2", "S1", "S2", "N3"]);
    assert_eq!(
        change_note(&svg),
        "Changed since April 1, 2021 (first record May 1): 5"
    );
}

#[test]
fn series_with_since_counts_each_frame() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = fixture_map("series");
    cmd.args([
        "--dates",
        "2021-05-15,2021-06-20,2021-07-01",
        "--since",
        "2021-05-15",
    ])
    .arg("-q")
    .arg("-o")
    .arg(dir.path().join("{date}.svg"))
    .assert()
    .success();
    // Qala-i-Naw (N3) has no record on 2021-05-15: from its first record on, it counts.
    for (date, n) in [("2021-05-15", 0), ("2021-06-20", 2), ("2021-07-01", 3)] {
        let svg = std::fs::read_to_string(dir.path().join(format!("{date}.svg"))).unwrap();
        assert_eq!(changed_ids(&svg).len(), n, "{date}");
        assert_eq!(
            change_note(&svg),
            format!("Changed since May 15, 2021: {n}")
        );
    }
    // The PNG frames agree with the SVG ones (one frame is checked in full below).
    let mut cmd = fixture_map("series");
    cmd.args(["--dates", "2021-06-20", "--since", "2021-06-01", "-q", "-o"])
        .arg(dir.path().join("{date}.png"))
        .assert()
        .success();
    // --since after the first frame is refused.
    let mut cmd = fixture_map("series");
    cmd.args([
        "--dates",
        "2021-05-15,2021-07-01",
        "--since",
        "2021-06-01",
        "-o",
    ])
    .arg(dir.path().join("x/{date}.svg"))
    .assert()
    .code(2)
    .stderr(predicate::str::contains("first frame"));
}

/// Decoded PNG written by `cmd`, and the SVG the same command writes, rasterised by resvg.
fn png_and_svg(
    cmd: impl Fn() -> Command,
    width: u32,
    height: u32,
    scale: f32,
) -> (golden::Image, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let (png, svg) = (dir.path().join("m.png"), dir.path().join("m.svg"));
    run(cmd(), &png);
    run(cmd(), &svg);
    let style = controlmap::render::Style {
        width,
        height,
        scale,
        ..Default::default()
    };
    let want = controlmap::render::png::rasterize(&std::fs::read_to_string(&svg).unwrap(), &style)
        .unwrap();
    (
        golden::decode(&std::fs::read(&png).unwrap()),
        want.data().to_vec(),
    )
}

/// The PNG must be the SVG rasterised: no channel off by more than 4/255, few off at all.
/// (One more than a plain map allows: the hatch and the clip are blended as extra layers,
/// and each rounds its edge pixels once more.)
fn assert_same_picture(got: &golden::Image, want: &[u8]) {
    let mut hist = [0usize; 256];
    for (a, b) in want.iter().zip(&got.rgba) {
        hist[usize::from(a.abs_diff(*b))] += 1;
    }
    let differing = got.rgba.len() - hist[0];
    assert!(
        hist[5..].iter().all(|n| *n == 0),
        "differences by 0, 1, 2…: {:?}",
        &hist[..12]
    );
    assert!(
        differing * 100 < got.rgba.len() * 2,
        "{differing} channels differ"
    );
}

#[test]
fn png_of_a_change_map_with_capitals_is_its_svg_rasterised() {
    let cmd = || {
        let mut cmd = takeover("render");
        cmd.args(["--date", "2021-08-16", "--since", "2021-07-01", "-q"])
            .arg("--places")
            .arg(asset("assets/provincial-capitals.csv"));
        cmd
    };
    let (got, want) = png_and_svg(cmd, 1600, 1200, 1.0);
    assert_same_picture(&got, &want);
}

#[test]
fn png_of_a_zoom_is_its_svg_rasterised() {
    let zoom = |size: &'static [&'static str]| {
        move || {
            let mut cmd = takeover("render");
            cmd.args(["--date", "2021-08-08", "--since", "2021-07-01", "-q"])
                .args(["--extent", "province=Kunduz"])
                .args(size)
                .arg("--places")
                .arg(asset("assets/provincial-capitals.csv"));
            cmd
        }
    };
    let (got, want) = png_and_svg(zoom(&["--width", "800", "--height", "600"]), 800, 600, 1.0);
    assert_same_picture(&got, &want);
    // At a high-DPI scale the frame and the hatch tile are still whole output pixels.
    let hidpi = zoom(&["--width", "400", "--height", "300", "--scale", "2"]);
    let (got, want) = png_and_svg(hidpi, 400, 300, 2.0);
    assert_eq!((got.width, got.height), (800, 600));
    assert_same_picture(&got, &want);
}

#[test]
fn a_bbox_map_can_have_a_locator_and_a_zoom_can_go_without_labels() {
    let mut cmd = fixture_map("render");
    cmd.args([
        "--date",
        "2021-06-20",
        "--bbox",
        "65,33,66.2,34.2",
        "--locator",
    ]);
    let (svg, _) = svg_of(cmd);
    assert!(svg.contains(r#"<g id="locator""#));
    assert!(svg.contains(r#"<g id="map" clip-path="url(#frame)""#));
    // No zoom: no district is context.
    assert!(!svg.contains("data-context"));
    let mut cmd = takeover("render");
    cmd.args([
        "--date",
        "2021-08-08",
        "--extent",
        "province=Kunduz",
        "--no-district-labels",
    ]);
    let (svg, stderr) = svg_of(cmd);
    assert!(!svg.contains("district-labels"));
    assert!(!stderr.contains("district labels"), "{stderr}");
}

/// `(x, y, width, height)` of the `n`th rect of the locator layer.
fn locator_rect(svg: &str, n: usize) -> (f64, f64, f64, f64) {
    let layer = svg
        .split(r#"<g id="locator""#)
        .nth(1)
        .expect("a locator")
        .split("</g>")
        .next()
        .unwrap();
    let rect = layer.split("<rect ").nth(n + 1).unwrap();
    let attr = |name: &str| -> f64 {
        rect.split(&format!(" {name}=\""))
            .nth(1)
            .or_else(|| rect.strip_prefix(&format!("{name}=\"")))
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (attr("x"), attr("y"), attr("width"), attr("height"))
}

#[test]
fn zoom_on_kunduz_frames_its_districts_with_a_locator_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let base = || {
        let mut cmd = takeover("render");
        cmd.args(["--date", "2021-08-08", "--extent", "province=Qunduz"]);
        cmd
    };
    let (svg_path, png_path, pdf_path) = (
        dir.path().join("k.svg"),
        dir.path().join("k.png"),
        dir.path().join("k.pdf"),
    );
    let stderr = run(base(), &svg_path);
    run(base(), &png_path);
    run(base(), &pdf_path);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    // Kunduz has seven districts in the AIMS set; everything else is faded context.
    let paths: Vec<&str> = svg
        .split("<path ")
        .skip(1)
        .map(|t| t.split('>').next().unwrap())
        .filter(|t| t.contains("data-status"))
        .collect();
    let focus: BTreeSet<&str> = paths
        .iter()
        .filter(|t| !t.contains("data-context"))
        .map(|t| {
            t.split(r#"data-name=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        focus,
        BTreeSet::from([
            "Aliabad",
            "Archi",
            "Chahar Dara",
            "Imam Sahib",
            "Khan Abad",
            "Kunduz",
            "Qala-I-Zal"
        ])
    );
    assert_eq!(paths.len(), 329);
    // The legend counts the zoomed province, the map is clipped to its frame.
    assert!(svg.contains(r#"<g id="map" clip-path="url(#frame)""#));
    let legend_total: usize = svg
        .lines()
        .filter(|l| l.starts_with("<g data-key="))
        .filter_map(|l| l.split(r#"class="count""#).nth(1))
        .map(|c| {
            c.split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(legend_total, 7);
    // District labels are on by default for the zoomed province.
    assert!(
        stderr.contains("district labels: 7 drawn, 0 dropped"),
        "{stderr}"
    );
    assert_eq!(
        svg.split(r#"<g id="district-labels""#)
            .nth(1)
            .unwrap()
            .split("</g>")
            .next()
            .unwrap()
            .matches("<text")
            .count(),
        7
    );
    // The locator: in the PNG, its frame rectangle is drawn in red.
    let pixel = |png: &golden::Image, x: f64, y: f64| {
        let i = 4 * (y as usize * png.width as usize + x as usize);
        [png.rgba[i], png.rgba[i + 1], png.rgba[i + 2]]
    };
    let (x, y, w, _) = locator_rect(&svg, 1);
    let png = golden::decode(&std::fs::read(&png_path).unwrap());
    let reddest = (-2..=2)
        .map(|dy| pixel(&png, x + w / 2.0, y + f64::from(dy)))
        .min_by_key(|p| p[1])
        .unwrap();
    assert!(reddest[0] > 200 && reddest[1] < 110, "{reddest:?}");
    // And the locator's box hides no part of Kunduz: without it, no pixel there has the
    // colour of a Kunduz district (neighbours are faded, so their colours differ).
    let bare = dir.path().join("bare.png");
    let mut cmd = base();
    cmd.arg("--no-locator");
    run(cmd, &bare);
    let bare = golden::decode(&std::fs::read(&bare).unwrap());
    let (bx, by, bw, bh) = locator_rect(&svg, 0);
    for i in 0..=20 {
        for j in 0..=20 {
            let p = pixel(
                &bare,
                bx + bw * f64::from(i) / 20.0,
                by + bh * f64::from(j) / 20.0,
            );
            assert!(
                p != [0xc0, 0x39, 0x2b] && p != [0xdd, 0xe1, 0xe4],
                "the locator covers a Kunduz district"
            );
        }
    }
    // The PDF is the same SVG: it differs from one drawn without the locator.
    let plain_pdf = dir.path().join("no-locator.pdf");
    let mut cmd = base();
    cmd.arg("--no-locator");
    run(cmd, &plain_pdf);
    let (pdf, plain) = (
        std::fs::read(&pdf_path).unwrap(),
        std::fs::read(&plain_pdf).unwrap(),
    );
    assert!(pdf.starts_with(b"%PDF-") && plain.starts_with(b"%PDF-"));
    assert!(
        pdf.len() > plain.len() + 500,
        "{} vs {}",
        pdf.len(),
        plain.len()
    );
}

#[test]
fn extent_on_the_fixture_and_its_errors() {
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-06-20", "--extent", "province=north"]);
    let (svg, stderr) = svg_of(cmd);
    assert_eq!(
        svg.matches(r#"data-context="true""#).count(),
        2,
        "S1 and S2"
    );
    assert!(svg.contains(r#"<g id="locator""#));
    assert!(stderr.contains("district labels: "), "{stderr}");

    // A district, told apart by its province; and without a locator.
    let mut cmd = fixture_map("render");
    cmd.args([
        "--date",
        "2021-06-20",
        "--extent",
        "district=Kohistan,South",
        "--no-locator",
    ]);
    let (svg, _) = svg_of(cmd);
    assert_eq!(svg.matches(r#"data-context="true""#).count(), 4);
    assert!(!svg.contains("locator"));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.svg");
    for (extent, needle) in [
        ("province=Nort", "no such province; closest: North, South"),
        (
            "district=Kohistan",
            "2 districts have this name: Kohistan (North), Kohistan (South)",
        ),
        ("district=Alfa", "closest: Alpha (North)"),
        ("Kunduz", "expected province=NAME or district=NAME"),
    ] {
        let mut cmd = fixture_map("render");
        cmd.args(["--date", "2021-06-20", "--extent", extent, "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
        assert!(!out.exists());
    }
    // --extent and --bbox are two ways to frame the map: one at a time.
    let mut cmd = fixture_map("render");
    cmd.args(["--extent", "province=North", "--bbox", "65,33,67,35", "-o"])
        .arg(&out)
        .assert()
        .code(2);
}

#[test]
fn district_labels_are_drawn_or_counted_as_dropped() {
    let mut cmd = takeover("render");
    cmd.args(["--date", "2021-08-16", "--district-labels"])
        .arg("--places")
        .arg(asset("assets/provincial-capitals.csv"));
    let (svg, stderr) = svg_of(cmd);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("district labels:"))
        .expect("a district label summary");
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let (drawn, dropped) = (numbers[0], numbers[1]);
    assert_eq!(drawn + dropped, 329, "{line}");
    assert!(drawn > 50 && dropped > 0, "{line}");
    let layer = svg
        .split(r#"<g id="district-labels""#)
        .nth(1)
        .unwrap()
        .split("</g>")
        .next()
        .unwrap();
    assert_eq!(layer.matches("<text").count(), drawn);
    // The fixture, with every district labelled on a roomy page.
    let mut cmd = fixture_map("render");
    cmd.args([
        "--date",
        "2021-06-20",
        "--district-labels",
        "--width",
        "800",
        "--height",
        "600",
    ]);
    let (svg, stderr) = svg_of(cmd);
    assert!(
        stderr.contains("district labels: 5 drawn, 0 dropped"),
        "{stderr}"
    );
    assert!(svg.contains(">Qala-i-Naw</text>"));
    // Hostile names stay text.
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</text>"));
}

#[test]
fn captured_capitals_follow_the_date_and_the_category() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lon,lat,kind\nAlpha City,65.2,34.8,capital\nSouth Town,65.5,33.5,capital\nHamlet,66.5,34.5,village\n",
    )
    .unwrap();
    let map = |date: &str, extra: &[&str]| {
        let mut cmd = fixture_map("render");
        cmd.args(["--date", date, "--width", "800", "--height", "600"])
            .arg("--places")
            .arg(&places)
            .args(extra);
        svg_of(cmd).0
    };
    let captured = |svg: &str| svg.matches(r#"data-captured="true""#).count();
    // Alpha (N1) is taliban from 2021-06-01: its capital is captured then, not before.
    let svg = map("2021-06-20", &[]);
    assert_eq!(captured(&svg), 1);
    assert!(svg.contains(r#"<g id="capitals""#));
    assert!(
        svg.contains(
            "Capitals in Taliban control districts: <tspan font-weight=\"bold\">1</tspan>"
        )
    );
    assert_eq!(captured(&map("2021-05-20", &[])), 0);
    // S1 is contested on both dates.
    let svg = map(
        "2021-06-20",
        &[
            "--captured-category",
            "contested",
            "--captured-label",
            "Contested capitals: {count}",
        ],
    );
    assert_eq!(captured(&svg), 1);
    assert!(svg.contains(">South Town</text>") && svg.contains("Contested capitals: "));
    // Off: capitals are ordinary places.
    let svg = map("2021-06-20", &["--captured-category", "none"]);
    assert_eq!(captured(&svg), 0);
    assert!(!svg.contains("capitals"));
    let out = dir.path().join("m.svg");
    let mut cmd = fixture_map("render");
    cmd.args([
        "--date",
        "2021-06-20",
        "--captured-category",
        "rebels",
        "-o",
    ])
    .arg(&out)
    .assert()
    .code(2)
    .stderr(predicate::str::contains("--captured-category"));
}

/// Golden pictures: a small PNG of each feature.
fn golden_png(name: &str, mut cmd: Command) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.png");
    cmd.args(["--width", "480", "--height", "360", "-q"]);
    run(cmd, &out);
    golden::assert_png(name, &std::fs::read(&out).unwrap());
}

#[test]
fn golden_change_since() {
    let mut cmd = fixture_map("render");
    cmd.args([
        "--date",
        "2021-07-01",
        "--since",
        "2021-05-15",
        "--title",
        "Change",
    ]);
    golden_png("change-since", cmd);
    let mut cmd = takeover("render");
    cmd.args([
        "--date",
        "2021-08-16",
        "--since",
        "2021-07-01",
        "--since-only",
        "taliban",
    ]);
    golden_png("change-since-takeover", cmd);
}

#[test]
fn golden_zoom_with_locator_and_labels() {
    let mut cmd = takeover("render");
    cmd.args([
        "--date",
        "2021-08-08",
        "--extent",
        "province=Kunduz",
        "--title",
        "Kunduz",
    ]);
    golden_png("zoom-kunduz", cmd);
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-06-20", "--extent", "province=South"]);
    golden_png("zoom-fixture", cmd);
}

#[test]
fn golden_district_labels() {
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-06-20", "--district-labels"]);
    golden_png("district-labels", cmd);
}

#[test]
fn golden_captured_capitals() {
    let mut cmd = takeover("render");
    cmd.args([
        "--date",
        "2021-08-16",
        "--extent",
        "province=Kunduz",
        "--no-district-labels",
    ])
    .arg("--places")
    .arg(asset("assets/provincial-capitals.csv"));
    golden_png("captured-capitals", cmd);
}

#[test]
fn golden_diff_marks_changed_pixels_in_red() {
    let want = golden::Image {
        width: 2,
        height: 1,
        rgba: vec![10, 10, 10, 255, 200, 200, 200, 255],
    };
    let got = golden::Image {
        width: 2,
        height: 1,
        rgba: vec![12, 10, 10, 255, 0, 200, 200, 255],
    };
    let (diff, n) = golden::diff_image(&want, &got);
    assert_eq!(n, 1, "2/255 is within the tolerance");
    assert_eq!(&diff.rgba[4..], [255, 0, 0, 255]);
    let round = golden::decode(&golden::encode(&diff));
    assert_eq!(round.rgba, diff.rgba);
}

#[test]
fn small_multiples_explain_the_marks_without_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.svg");
    let mut cmd = takeover("series");
    cmd.args(["--dates", "2021-07-25,2021-08-16", "--grid", "2x1", "-q"])
        .args(["--since", "2021-07-01", "--extent", "province=Kunduz"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    // Each panel has its own hatch pattern and clip, the legend one uncounted line.
    assert!(svg.contains(r#"<pattern id="p0-hatch""#) && svg.contains(r#"<pattern id="p1-hatch""#));
    assert!(svg.contains(r#"clip-path="url(#p1-frame)""#));
    assert!(svg.contains(">Changed since July 1, 2021</text>"));
    assert!(!svg.contains("<tspan"));
}

/// The layers an Inkscape or Illustrator user sees, in document order.
fn layer_labels(svg: &str) -> Vec<String> {
    svg.split(r#"inkscape:groupmode="layer" inkscape:label=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn an_inkscape_layered_svg_still_matches_its_golden_pixels() {
    let mut cmd = fixture_map("render");
    cmd.args(["--date", "2021-06-20", "--extent", "province=South"])
        .args(["--width", "480", "--height", "360", "-q"]);
    let (svg, _) = svg_of(cmd);
    assert!(svg.contains(r#"xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape""#));
    let layers = layer_labels(&svg);
    for layer in [
        "map",
        "districts",
        "outline",
        "district-labels",
        "locator",
        "text",
        "legend",
    ] {
        assert!(layers.iter().any(|l| l == layer), "{layer} in {layers:?}");
    }
    // The layered SVG, rasterised, is still the golden picture of the same map.
    let style = controlmap::render::Style {
        width: 480,
        height: 360,
        ..Default::default()
    };
    let pixmap = controlmap::render::png::rasterize(&svg, &style).unwrap();
    let png = golden::encode(&golden::Image {
        width: pixmap.width(),
        height: pixmap.height(),
        rgba: pixmap.data().to_vec(),
    });
    golden::assert_png("zoom-fixture", &png);
}

#[test]
fn places_and_labels_have_stable_unique_ids_from_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lon,lat,kind\nAlpha City,65.2,34.8,capital\nHamlet,66.5,34.5,village\nHamlet,65.5,33.6,village\n",
    )
    .unwrap();
    let map = || {
        let mut cmd = fixture_map("render");
        cmd.args(["--date", "2021-06-20", "--width", "800", "--height", "600"])
            .arg("--places")
            .arg(&places)
            .args(["--district-labels", "-q"]);
        svg_of(cmd).0
    };
    let svg = map();
    // The captured capital's marker, the ordinary places' dots and their labels.
    assert!(svg.contains(r#"<g id="place-alpha-city">"#));
    assert!(svg.contains(r#"<text id="label-alpha-city" "#));
    assert!(svg.contains(r#"<circle id="place-hamlet" "#));
    assert!(svg.contains(r#"<circle id="place-hamlet-2" "#));
    assert!(svg.contains(r#"<text id="district-label-d-N3" "#));
    let ids: Vec<&str> = svg
        .split(" id=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids.len() > 15);
    // The same input gives the same ids.
    assert_eq!(svg, map());
}
