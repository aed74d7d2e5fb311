//! The command line as a user runs it, on the real data in ../shared/data and on small
//! hand-made fixtures.

use std::ffi::OsString;
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

const OCHA: &str = "ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp";
const LWJ: &str = "lwj-control-2018/afg_districts.csv";
const TOPO: &str = "taliban-takeover-2021/combined.json";
const TAKEOVER: &str = "taliban-takeover-2021/taliban_takeover.csv";

fn controlmap() -> Command {
    Command::cargo_bin("controlmap").unwrap()
}

/// `render` of the 2021 takeover timeline on its TopoJSON, with the peer benchmark's mapping
/// (1 taliban, 2 contested, 0 government) and both polygons of a repeated name coloured.
fn takeover(date: &str, out: &Path) -> Command {
    let mut cmd = takeover_job("render");
    cmd.args(["--date", date, "-o"]).arg(out);
    cmd
}

/// `command` (render or series) on the takeover data with the peers' mapping, no date.
fn takeover_job(command: &str) -> Command {
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
            "2=contested",
            "--map",
            "0=government",
        ])
        .args(["--ambiguous", "all"]);
    cmd
}

/// Number of districts per `data-status` in an SVG we wrote.
fn status_counts(svg: &str) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for part in svg.split("data-status=\"").skip(1) {
        let status = part.split('"').next().unwrap().to_string();
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> std::collections::BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn lwj_snapshot_joins_all_399_ocha_districts() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, report) = (dir.path().join("lwj.svg"), dir.path().join("join.json"));
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(data(LWJ))
        .arg("--strict")
        .arg("--report")
        .arg(&report)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success()
        .stderr(predicate::str::contains("399"));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(
        status_counts(&svg),
        counts(&[("contested", 212), ("government", 138), ("taliban", 49)])
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["matched"].as_array().unwrap().len(), 399);
    for empty in ["ambiguous", "unmatched_timeline", "unmatched_districts"] {
        assert_eq!(report[empty].as_array().unwrap().len(), 0, "{empty}");
    }
    assert_eq!(report["mode"], "name_province");
    // The legend counts what the map shows.
    let entry = svg
        .lines()
        .find(|l| l.contains(r#"data-key="taliban""#))
        .expect("a legend entry for taliban");
    assert!(entry.contains(">Taliban control</text>") && entry.contains(">49</text>"));
}

#[test]
fn takeover_counts_follow_the_dates() {
    let dir = tempfile::tempdir().unwrap();
    // Expected counts are those of the peer benchmark's verification (shared/peers/README.md).
    for (date, expected) in [
        (
            "2021-06-20",
            counts(&[("government", 288), ("taliban", 41)]),
        ),
        (
            "2021-08-16",
            counts(&[("contested", 2), ("government", 179), ("taliban", 148)]),
        ),
        // Between two record dates: the 2021-06-30 rows hold.
        (
            "2021-07-01",
            counts(&[("government", 252), ("taliban", 77)]),
        ),
        // Before the first record: nothing is known.
        ("2021-05-01", counts(&[("no-data", 329)])),
    ] {
        let out = dir.path().join(format!("{date}.svg"));
        takeover(date, &out).assert().success();
        let svg = std::fs::read_to_string(&out).unwrap();
        assert_eq!(status_counts(&svg), expected, "{date}");
    }
}

#[test]
fn repeated_names_are_ambiguous_and_left_as_no_data_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, report) = (dir.path().join("map.svg"), dir.path().join("join.json"));
    controlmap()
        .arg("render")
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
        .args(["--date", "2021-08-16", "--report"])
        .arg(&report)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success()
        .stderr(predicate::str::contains("ambiguous"));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let mut names: Vec<&str> = report["ambiguous"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Arghandab",
            "Dawlatabad",
            "Fayzabad",
            "Kohistan",
            "Muqur",
            "Qarabagh",
            "Reg"
        ]
    );
    for m in report["ambiguous"].as_array().unwrap() {
        assert_eq!(m["districts"].as_array().unwrap().len(), 2);
    }
    let counts = status_counts(&std::fs::read_to_string(&svg).unwrap());
    assert_eq!(counts["no-data"], 14, "the 7 pairs stay uncoloured");

    // --strict refuses to draw such a map, and says why.
    let strict = dir.path().join("strict.svg");
    controlmap()
        .arg("render")
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
        .args(["--date", "2021-08-16", "--strict", "-o"])
        .arg(&strict)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--strict"));
    assert!(!strict.exists());
}

#[test]
fn png_pixel_inside_each_district_has_its_category_colour() {
    use controlmap::{Map, MapOptions, read, status::*};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.png");
    takeover("2021-08-16", &out)
        .args(["--plain", "--width", "800", "--height", "600"])
        .assert()
        .success();

    // The same map through the library gives every district's interior point.
    let boundaries = read::read_boundaries(&data(TOPO), &Default::default()).unwrap();
    let timeline = read::read_timeline(&data(TAKEOVER), &Default::default()).unwrap();
    let categories = Categories::from_options(&CategoryOptions {
        maps: ["1=taliban", "2=contested", "0=government"]
            .iter()
            .map(|a| parse_assignment("--map", a).unwrap())
            .collect(),
        ..Default::default()
    })
    .unwrap();
    let mut options = MapOptions::default();
    options.join.ambiguous = controlmap::join::Ambiguous::All;
    options.style.plain = true;
    options.style.width = 800;
    options.style.height = 600;
    let map = Map::new(boundaries, timeline, categories, &options).unwrap();
    let date = controlmap::timeline::Date::parse_iso("2021-08-16").unwrap();
    let statuses = map.statuses(date);

    let (width, height, pixels) = decode(&out);
    assert_eq!((width, height), (800, 600));
    let mut checked = 0;
    for (point, status) in map.scene().interior_points().iter().zip(&statuses) {
        let (x, y) = point.expect("every district has a geometry");
        let i = 4 * (y as usize * 800 + x as usize);
        // The category whose colour is nearest the pixel: a border passing within a pixel of
        // a narrow district's interior point blends a little white in, never another colour.
        let distance = |c: &controlmap::status::Color| {
            [c.r, c.g, c.b]
                .iter()
                .zip(&pixels[i..i + 3])
                .map(|(&a, &b)| (i32::from(a) - i32::from(b)).pow(2))
                .sum::<i32>()
        };
        let nearest = map
            .categories()
            .list
            .iter()
            .chain([&map.categories().no_data])
            .min_by_key(|c| distance(&c.color))
            .unwrap();
        assert_eq!(nearest.key, *status, "{status} at ({x:.1}, {y:.1})");
        assert!(
            distance(&nearest.color) < 20 * 20,
            "{status} at ({x:.1}, {y:.1})"
        );
        checked += 1;
    }
    assert_eq!(checked, 329);
}

/// Decodes a PNG we wrote into RGBA bytes (an opaque map is written as RGB).
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    (info.width, info.height, pixels)
}

#[test]
fn png_is_the_svg_rasterised() {
    // One map is drawn directly, in the SVG's order: resvg drawing the SVG gives the same
    // pixels. A series frame is drawn from pixels prepared once per map (fast for series):
    // the same image up to the rounding of blended edge pixels.
    let dir = tempfile::tempdir().unwrap();
    let (svg, png) = (dir.path().join("m.svg"), dir.path().join("m.png"));
    let extra = [
        "--places",
        "assets/provincial-capitals.csv",
        "--title",
        "Σ <test> & \"x\"",
    ];
    for out in [&svg, &png] {
        takeover("2021-08-16", out).args(extra).assert().success();
    }
    // At half scale every line is thinner than a pixel, and all of them are drawn in bands.
    let half = dir.path().join("half.png");
    takeover("2021-08-16", &half)
        .args(extra)
        .args(["--scale", "0.5"])
        .assert()
        .success();
    let half_style = controlmap::render::Style {
        scale: 0.5,
        ..controlmap::render::Style::default()
    };
    let want_half =
        controlmap::render::png::rasterize(&std::fs::read_to_string(&svg).unwrap(), &half_style)
            .unwrap();
    assert!(
        want_half.data() == decode(&half).2.as_slice(),
        "the half-scale PNG differs from resvg's rendering of the SVG"
    );
    takeover_job("series")
        .args(["--dates", "2021-06-20,2021-08-16", "-q"])
        .args(extra)
        .arg("-o")
        .arg(dir.path().join("{date}.png"))
        .assert()
        .success();
    let style = controlmap::render::Style::default();
    let want = controlmap::render::png::rasterize(&std::fs::read_to_string(&svg).unwrap(), &style)
        .unwrap();
    for (file, bound) in [("m.png", 0), ("2021-08-16.png", 3)] {
        let (w, h, got) = decode(&dir.path().join(file));
        assert_eq!((w, h), (1600, 1200));
        let mut hist = [0usize; 256];
        for (a, b) in want.data().iter().zip(&got) {
            hist[usize::from(a.abs_diff(*b))] += 1;
        }
        let differing = got.len() - hist[0];
        assert!(
            hist[bound + 1..].iter().all(|n| *n == 0),
            "{file}: differences by 0, 1, 2…: {:?}",
            &hist[..12]
        );
        assert!(
            differing * 100 < got.len() * 2,
            "{file}: {differing} channels differ"
        );
    }
}

#[test]
fn svg_of_the_fixture_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fixture.svg");
    controlmap()
        .arg("render")
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
        .args(["--date", "2021-06-20", "--width", "400", "--height", "300"])
        .args(["--title", "Fixture <&>", "--source", "Source: hand-made"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let got = std::fs::read_to_string(&out).unwrap();
    let golden = fixture("../golden/fixture.svg");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file; UPDATE_GOLDEN=1 writes it");
    assert!(
        got == want,
        "SVG differs from tests/golden/fixture.svg (UPDATE_GOLDEN=1 rewrites it after review)"
    );
    // The hostile district name is text, not markup.
    assert!(got.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
    assert!(!got.contains("<script>"));
}

#[test]
fn inspect_describes_the_ocha_districts() {
    controlmap()
        .arg("inspect")
        .arg(data(OCHA))
        .assert()
        .success()
        .stdout(predicate::str::contains("Shapefile"))
        .stdout(predicate::str::contains("features:  399"))
        .stdout(predicate::str::contains(
            "id=ADM2_PCODE name=ADM2_EN province=ADM1_EN",
        ));
    controlmap()
        .arg("inspect")
        .arg(data(TOPO))
        .assert()
        .success()
        .stdout(predicate::str::contains("TopoJSON"))
        .stdout(predicate::str::contains("layer:     districts"))
        .stdout(predicate::str::contains("features:  329"));
}

/// Runs a render that must fail with exit code `code` and a message containing `needles`,
/// and leave no output behind.
fn fails(args: &[OsString], code: i32, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.png");
    let mut cmd = controlmap();
    cmd.arg("render").args(args).arg("-o").arg(&out);
    let assert = cmd.assert().code(code);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr:?}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "an output was left behind");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Render arguments for the fixture's fields with these boundaries and timeline.
fn with(boundaries: &Path, status: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut v: Vec<OsString> = vec!["--boundaries".into(), boundaries.into()];
    v.extend(["--status".into(), status.into()]);
    for a in [
        "--date",
        "2021-06-20",
        "--name-field",
        "district",
        "--province-field",
        "prov",
    ] {
        v.push(a.into());
    }
    v.extend(extra.iter().map(OsString::from));
    v
}

#[test]
fn bad_inputs_get_clear_errors_and_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let geo = fixture("districts.geojson");
    let csv = fixture("timeline.csv");

    // Truncated GeoJSON: names the file and the place.
    let text = std::fs::read_to_string(&geo).unwrap();
    let truncated = write(tmp.path(), "truncated.geojson", &text[..text.len() / 2]);
    fails(
        &with(&truncated, &csv, &[]),
        1,
        &["truncated.geojson", "line"],
    );

    // A Shapefile without its .dbf.
    let shp = tmp.path().join("lonely.shp");
    std::fs::copy(data(OCHA), &shp).unwrap();
    let args: Vec<OsString> = vec![
        "--boundaries".into(),
        shp.into(),
        "--status".into(),
        data(LWJ).into(),
    ];
    fails(&args, 1, &["lonely", ".dbf"]);

    // An unknown status value: listed, with its line.
    let unknown = write(
        tmp.path(),
        "unknown.csv",
        "district,province,date,status\nAlpha,North,2021-05-01,Overrun\n",
    );
    fails(
        &with(&geo, &unknown, &[]),
        1,
        &["Overrun", "line 2", "--map"],
    );

    // A bad date: the line and the value.
    let bad_date = write(
        tmp.path(),
        "bad-date.csv",
        "district,province,date,status\nAlpha,North,2021-05-01,Contested\nAlpha,North,2021-13-40,Contested\n",
    );
    fails(
        &with(&geo, &bad_date, &[]),
        1,
        &["bad-date.csv", "line 3", "2021-13-40"],
    );

    // Two statuses for one district on one day: both rows named.
    let conflict = write(
        tmp.path(),
        "conflict.csv",
        "district,province,date,status\nAlpha,North,2021-05-01,Contested\nAlpha,North,2021-05-01,Government\n",
    );
    fails(
        &with(&geo, &conflict, &[]),
        1,
        &["conflict.csv", "line 2", "line 3"],
    );

    // A missing input file.
    fails(
        &with(&tmp.path().join("nope.geojson"), &csv, &[]),
        1,
        &["nope.geojson"],
    );

    // Usage problems exit with 2.
    fails(
        &with(&geo, &csv, &["--color", "taliban=red"]),
        2,
        &["--color"],
    );
    fails(&with(&geo, &csv, &["--bbox", "1,2,3"]), 2, &["--bbox"]);
    fails(
        &with(&geo, &csv, &["--width", "20000", "--height", "20000"]),
        2,
        &["--max-pixels"],
    );
}

#[test]
fn unwritable_output_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let blocker = write(tmp.path(), "file.txt", "not a directory");
    let out = blocker.join("map.png");
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--date", "2021-06-20", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn refuses_to_overwrite_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("timeline.csv");
    std::fs::copy(fixture("timeline.csv"), &csv).unwrap();
    let before = std::fs::read(&csv).unwrap();
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(&csv)
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--date", "2021-06-20", "--format", "svg", "-o"])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overwrite"));
    assert_eq!(std::fs::read(&csv).unwrap(), before);
}

#[test]
fn province_borders_can_come_from_another_layer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.svg");
    takeover("2021-08-16", &out)
        .arg("--provinces")
        .arg(data(TOPO))
        .args(["--provinces-layer", "provinces"])
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    let provinces = svg
        .lines()
        .find(|l| l.starts_with(r#"<g id="provinces""#))
        .expect("a provinces layer");
    // 32 provinces, each drawn as at least one ring.
    assert!(provinces.matches('M').count() >= 32);
    // A layer that is not there is named with the ones that are.
    takeover("2021-08-16", &dir.path().join("q.svg"))
        .arg("--provinces")
        .arg(data(TOPO))
        .args(["--provinces-layer", "states"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("provinces"));
}

#[test]
fn places_off_the_map_or_without_room_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let places = write(
        dir.path(),
        "places.csv",
        "name,lon,lat,kind\nKabul,69.17,34.53,capital\nParis,2.35,48.85,capital\n",
    );
    let out = dir.path().join("m.svg");
    takeover("2021-08-16", &out)
        .arg("--places")
        .arg(&places)
        .assert()
        .success()
        .stderr(predicate::str::contains("not drawn").and(predicate::str::contains("Paris")));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(">Kabul</text>"));
    assert!(!svg.contains("Paris"));
}

/// `(data-id, data-status, fill)` of every district path in an SVG we wrote.
fn fills(svg: &str) -> Vec<(String, String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    svg.split("<path ")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            Some((
                attr(tag, "data-id")?,
                attr(tag, "data-status")?,
                attr(tag, "fill")?,
            ))
        })
        .collect()
}

fn fills_of(pairs: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    pairs
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// Renders the fixture districts with these status files (and extra arguments) as SVG.
fn render_fixture(statuses: &[PathBuf], date: &str, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let mut cmd = controlmap();
    cmd.arg("render")
        .arg("--boundaries")
        .arg(fixture("districts.geojson"));
    for status in statuses {
        cmd.arg("--status").arg(status);
    }
    let assert = cmd
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--id-field", "code", "--date", date])
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    (std::fs::read_to_string(&out).unwrap(), stderr)
}

const TALIBAN: &str = "#c0392b";
const CONTESTED: &str = "#f5b041";
const GOVERNMENT: &str = "#aab7b8";
const NO_DATA: &str = "#f0f0f0";

#[test]
fn wide_csv_timeline_colours_each_district_as_of_the_date() {
    let wide = fixture("timeline_wide.csv");
    let (svg, _) = render_fixture(std::slice::from_ref(&wide), "2021-06-20", &[]);
    assert_eq!(
        fills(&svg),
        fills_of(&[
            ("N1", "taliban", TALIBAN),
            ("N2", "contested", CONTESTED),
            // No cell for this district at all: no data.
            ("S1", "no-data", NO_DATA),
            ("S2", "government", GOVERNMENT),
            // Its empty 2021-05-01 cell is no record; the 2021-06-01 one holds.
            ("N3", "contested", CONTESTED),
        ])
    );
    let (svg, _) = render_fixture(&[wide], "2021-07-01", &[]);
    assert!(fills(&svg).contains(&("S2".into(), "taliban".into(), TALIBAN.into())));
}

#[test]
fn json_feature_collection_timeline_renders() {
    let maps = ["--map", "1=taliban", "--map", "0=government"];
    let (svg, stderr) = render_fixture(
        &[fixture("timeline.json")],
        "2021-06-20",
        &[&maps[..], &["--map", "2=contested"]].concat(),
    );
    assert_eq!(
        fills(&svg),
        fills_of(&[
            ("N1", "taliban", TALIBAN),
            ("N2", "government", GOVERNMENT),
            ("S1", "taliban", TALIBAN),
            ("S2", "contested", CONTESTED),
            ("N3", "no-data", NO_DATA),
        ])
    );
    assert!(stderr.contains("4 matched"), "{stderr}");
    assert!(svg.contains("Data: timeline.json. Boundaries: districts.geojson."));
}

#[test]
fn json_errors_name_the_record_and_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let geo = fixture("districts.geojson");
    let nested = write(
        tmp.path(),
        "nested.json",
        "[\n  {\"district\": \"Alpha\", \"date\": \"2021-05-01\", \"status\": \"Contested\"},\n  {\"district\": \"Alpha\", \"date\": \"2021-06-01\",\n   \"status\": {\"value\": 1}}\n]\n",
    );
    fails(
        &with(&geo, &nested, &[]),
        1,
        &[
            "nested.json",
            "record 2 (line 3), key `status`",
            "an object",
        ],
    );
    let deep = write(tmp.path(), "deep.json", &"[".repeat(100_000));
    fails(
        &with(&geo, &deep, &[]),
        1,
        &["deep.json", "recursion limit"],
    );
}

#[test]
fn several_status_files_are_merged_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let later = write(
        tmp.path(),
        "later.json",
        r#"[
  {"district": "Qala i Naw", "province": "North", "date": "2021-06-18", "status": "Government"},
  {"district": "<script>alert(1)</script> & \"x\"", "province": "South", "date": "2021-06-19", "status": "Taliban"},
  {"district": "Alpha", "province": "North", "date": "2021-06-01", "status": "Taliban-Controlled"}
]"#,
    );
    let statuses = [fixture("timeline.csv"), later.clone()];
    let (svg, stderr) = render_fixture(&statuses, "2021-06-20", &[]);
    assert_eq!(
        fills(&svg),
        fills_of(&[
            ("N1", "taliban", TALIBAN),
            ("N2", "contested", CONTESTED),
            ("S1", "taliban", TALIBAN),
            ("S2", "government", GOVERNMENT),
            ("N3", "government", GOVERNMENT),
        ])
    );
    assert!(stderr.contains("5 matched"), "{stderr}");
    // The default source line names every status file.
    assert!(svg.contains("Data: timeline.csv, later.json. Boundaries: districts.geojson."));
    // Every status file is an input that an output may not overwrite.
    let mut args = with(&fixture("districts.geojson"), &fixture("timeline.csv"), &[]);
    args.extend(["--status".into(), later.clone().into_os_string()]);
    controlmap()
        .arg("render")
        .args(&args)
        .args(["--format", "svg", "-o"])
        .arg(&later)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("overwrite"));
}

/// Inputs above `--max-input-mb` are refused before they are read, naming the file.
#[test]
fn an_input_above_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(data(LWJ))
        .args(["--max-input-mb", "1", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "afg_admbnda_adm2_agcho_20180522.shp: 5 MB is more than the input limit of 1 MB; raise it with --max-input-mb",
        ));
    assert!(!out.exists());
}

/// What mapshaper 0.7.70 writes for the OCHA 399-district map at 1600×1200 (no simplification,
/// its default), measured on this data: `mapshaper -i afg_admbnda_adm2_agcho_20180522.shp -o
/// ocha.svg width=1600 height=1200`.
const MAPSHAPER_OCHA_SVG_BYTES: u64 = 3_913_687;

/// The default simplification keeps the OCHA SVG under half mapshaper's size while under 0.5%
/// of pixels differ visibly (by more than 8/255 in a channel, i.e. beyond anti-aliasing
/// jitter) from the unsimplified render.
#[test]
fn default_simplification_is_small_and_invisible() {
    let dir = tempfile::tempdir().unwrap();
    let render = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        controlmap()
            .arg("render")
            .arg("--boundaries")
            .arg(data(OCHA))
            .arg("--status")
            .arg(data(LWJ))
            .args(extra)
            .arg("-q")
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        out
    };
    let svg = render("map.svg", &[]);
    let size = std::fs::metadata(&svg).unwrap().len();
    assert!(size * 2 <= MAPSHAPER_OCHA_SVG_BYTES, "{size} bytes");
    let (w, h, simplified) = decode(&render("map.png", &[]));
    let (_, _, exact) = decode(&render("exact.png", &["--simplify", "0"]));
    let differing = simplified
        .chunks(4)
        .zip(exact.chunks(4))
        .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 8))
        .count();
    let share = differing as f64 / f64::from(w * h);
    assert!(share <= 0.005, "{:.3}% of pixels differ", 100.0 * share);
}
