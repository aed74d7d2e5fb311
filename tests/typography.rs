//! Labels by hand, locale and type, checked as a user sees them: in the SVG's text and boxes.

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{controlmap, repo};

/// A width as the renderer measures it in the bundled face.
fn measure(text: &str, size: f32, bold: bool) -> f32 {
    controlmap::render::typeface::Typeface::bundled().measure(text, size, bold)
}

/// The 2021 takeover map on 2021-06-20 with the provincial capitals of `places`, as SVG,
/// and its stderr.
fn takeover_svg(places: &std::path::Path, extra: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let mut cmd: Command = common::takeover("render");
    let assert = cmd
        .args(["--date", "2021-06-20"])
        .arg("--places")
        .arg(places)
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    (std::fs::read_to_string(&out).unwrap(), stderr)
}

/// The start tag of the element with id `id`.
fn tag<'a>(svg: &'a str, id: &str) -> &'a str {
    svg.split(&format!(r#" id="{id}""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no #{id}"))
        .split('>')
        .next()
        .unwrap()
}

fn attr(tag: &str, name: &str) -> String {
    tag.split(&format!(r#" {name}=""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name).parse().unwrap()
}

/// The text of the element with id `id`.
fn text_of(svg: &str, id: &str) -> String {
    let after = svg.split(&format!(r#" id="{id}""#)).nth(1).unwrap();
    after
        .split_once('>')
        .unwrap()
        .1
        .split('<')
        .next()
        .unwrap()
        .to_string()
}

type Box = (f64, f64, f64, f64);

/// A label's box as the renderer measures it: the advance widths of the bundled face at its
/// size, ascenders 0.95 em above the baseline and descenders 0.2 em below.
fn label_box(svg: &str, id: &str) -> Box {
    let t = tag(svg, id);
    let (x, y, size) = (num(t, "x"), num(t, "y"), num(t, "font-size"));
    let bold = attr(t, "font-weight") == "bold";
    let w = f64::from(measure(&text_of(svg, id), size as f32, bold));
    let left = match attr(t, "text-anchor").as_str() {
        "start" => x,
        "middle" => x - w / 2.0,
        _ => x - w,
    };
    (left, y - 0.95 * size, left + w, y + 0.2 * size)
}

/// A place's marker box: the dot (or the captured ring) and its stroke.
fn marker_box(svg: &str, id: &str) -> Box {
    let group = svg.split(&format!(r#" id="{id}""#)).nth(1).unwrap();
    // A dot is the `<circle>` itself; a captured capital's ring is the first circle of its group.
    let circle = match group.starts_with(" cx") {
        true => group,
        false => group.split("<circle").nth(1).unwrap(),
    };
    let (cx, cy, r) = (num(circle, "cx"), num(circle, "cy"), num(circle, "r"));
    let r = r + num(circle, "stroke-width") / 2.0;
    (cx - r, cy - r, cx + r, cy + r)
}

/// Whether box `a`, grown by `pad`, overlaps `b`: a label within an em of a dot that is not
/// its own reads as that dot's label (its own dot is 3 px away).
fn near(a: Box, b: Box, pad: f64) -> bool {
    a.0 - pad < b.2 && b.0 < a.2 + pad && a.1 - pad < b.3 && b.1 < a.3 + pad
}

/// An em of the web page's labels.
const EM: f64 = 15.0;

#[test]
fn a_hand_offset_moves_mazars_label_off_the_kunduz_marker() {
    let capitals = repo("assets/provincial-capitals.csv");
    let (svg, _) = takeover_svg(&capitals, &["-q"]);
    let mazar = label_box(&svg, "label-mazar-i-sharif");
    let kunduz = marker_box(&svg, "place-kunduz");
    assert!(
        near(mazar, kunduz, EM),
        "the default map: Mazar's label {mazar:?} ends at the Kunduz marker {kunduz:?}"
    );

    // The same capitals with Mazar's label set by hand, above its dot and a little left.
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string(&capitals).unwrap();
    let mut lines = csv.lines();
    let mut moved = format!("{},dx,dy,anchor\n", lines.next().unwrap());
    for line in lines {
        let extra = if line.starts_with("Mazar-i-Sharif,") {
            ",-20,-2,middle"
        } else {
            ",,,"
        };
        moved.push_str(&format!("{line}{extra}\n"));
    }
    let places = dir.path().join("places.csv");
    std::fs::write(&places, moved).unwrap();
    let (svg, stderr) = takeover_svg(&places, &[]);
    assert!(!stderr.contains("placed by hand overlap"), "{stderr}");
    let mazar = label_box(&svg, "label-mazar-i-sharif");
    assert_eq!(
        attr(tag(&svg, "label-mazar-i-sharif"), "text-anchor"),
        "middle"
    );
    assert!(
        !near(mazar, marker_box(&svg, "place-kunduz"), EM),
        "moved: {mazar:?} is clear of Kunduz"
    );
    // Clear of every other label too.
    for id in svg
        .split(r#"<text id=""#)
        .skip(1)
        .map(|t| t.split('"').next().unwrap())
        .filter(|id| id.starts_with("label-") && *id != "label-mazar-i-sharif")
    {
        let other = label_box(&svg, id);
        assert!(
            !near(mazar, other, 0.0),
            "{id} {other:?} under Mazar {mazar:?}"
        );
    }
}

/// A places file of a few towns around Kabul, with these extra columns and cells.
fn towns(dir: &std::path::Path, header: &str, cells: &[&str]) -> std::path::PathBuf {
    let rows = [
        "Kabul,69.17,34.53,capital",
        "Charikar,69.17,35.01,capital",
        "Jalalabad,70.45,34.43,capital",
    ];
    let mut csv = format!("name,lon,lat,kind,{header}\n");
    for (row, cell) in rows.iter().zip(cells) {
        csv.push_str(&format!("{row},{cell}\n"));
    }
    let path = dir.join("towns.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn label_text_and_hide_label_change_what_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let places = towns(
        dir.path(),
        "label,hide_label",
        &["Kābul city,", ",yes", ",0"],
    );
    let (svg, stderr) = takeover_svg(&places, &[]);
    assert_eq!(text_of(&svg, "label-kabul"), "Kābul city");
    // The place is still Kabul for a reader of the SVG.
    assert!(svg.contains(r#"data-name="Kabul""#));
    // Charikar's dot, without a label, and no warning about it: it was asked for.
    assert!(svg.contains(r#"id="place-charikar""#));
    assert!(!svg.contains(r#"id="label-charikar""#));
    assert!(svg.contains(r#"id="label-jalalabad""#));
    assert!(
        !stderr
            .lines()
            .any(|l| l.contains("label") && l.contains("Charikar")),
        "{stderr}"
    );
}

#[test]
fn bad_hand_label_cells_name_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (header, cells, expected) in [
        (
            "dx",
            ["", "east", ""],
            "line 3, column `dx`: expected an offset in page px",
        ),
        (
            "dy",
            ["", "", "1e9"],
            "line 4, column `dy`: expected an offset in page px",
        ),
        (
            "anchor",
            ["left", "", ""],
            "line 2, column `anchor`: expected `start`, `middle` or `end`, found `left`",
        ),
        (
            "priority",
            ["", "1.5", ""],
            "line 3, column `priority`: expected a whole number",
        ),
        (
            "hide_label",
            ["", "", "maybe"],
            "line 4, column `hide_label`: expected true, false, 1, 0, yes or no, found `maybe`",
        ),
    ] {
        let places = towns(dir.path(), header, &cells);
        let out = dir.path().join("bad.svg");
        common::takeover("render")
            .args(["--date", "2021-06-20", "--places"])
            .arg(&places)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("towns.csv").and(predicate::str::contains(expected)));
        assert!(!out.exists(), "{header}: no map on bad input");
    }
}

#[test]
fn a_crowded_label_is_kept_with_a_warning_or_dropped_with_its_dot() {
    // Print size crowds the capitals around Kabul: some labels fit nowhere.
    let capitals = repo("assets/provincial-capitals.csv");
    let (svg, stderr) = takeover_svg(&capitals, &["--size", "print"]);
    let line = stderr
        .lines()
        .find(|l| l.contains("fit nowhere and are drawn over another"))
        .unwrap_or_else(|| panic!("a warning naming the crowded labels: {stderr}"));
    assert!(line.contains("Aybak"), "{line}");
    assert!(svg.contains(r#"id="label-aybak""#), "kept, not anonymous");

    let style = tempfile::tempdir().unwrap();
    let drop = style.path().join("drop.toml");
    std::fs::write(&drop, "[labels]\nunplaced = \"drop\"\n").unwrap();
    for extra in [
        vec!["--size", "print", "--unplaced-labels", "drop"],
        vec!["--size", "print", "--style", drop.to_str().unwrap()],
    ] {
        let (svg, stderr) = takeover_svg(&capitals, &extra);
        assert!(
            stderr.contains("dropped with their dot") && stderr.contains("Aybak"),
            "{stderr}"
        );
        assert!(!svg.contains(r#"id="place-aybak""#), "no anonymous dot");
        assert!(!svg.contains(r#"class="place" data-name="Aybak""#));
        // Every dot left has its label.
        let dots = svg.matches(r#"<g class="place""#).count();
        let labels = svg.matches(r#"<text id="label-"#).count();
        assert_eq!(dots, labels, "{extra:?}");
    }
    // A misspelt choice is refused.
    let bad = style.path().join("bad.toml");
    std::fs::write(&bad, "[labels]\nunplaced = \"hide\"\n").unwrap();
    controlmap()
        .args(["render", "--style"])
        .arg(&bad)
        .arg("--boundaries")
        .arg(common::data(common::TOPO))
        .arg("--status")
        .arg(common::data(common::TAKEOVER))
        .args(["-o", "x.svg"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.toml").and(predicate::str::contains("unplaced")));
}

/// The 2021 map on 2021-06-20 without places, as SVG.
fn plain_takeover_svg(extra: &[&str]) -> String {
    dated_takeover_svg("2021-06-20", extra)
}

/// The 2021 map on `date` without places, as SVG.
fn dated_takeover_svg(date: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    common::takeover("render")
        .args(["--date", date, "-q"])
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn a_french_date_line_names_the_day_in_french() {
    let svg = plain_takeover_svg(&[
        "--locale",
        "fr",
        "--date-line",
        "Au {date} : {count.taliban} districts",
    ]);
    assert_eq!(text_of(&svg, "date"), "Au 20 juin 2021 : 41 districts");
    // The style key does the same.
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("fr.toml");
    std::fs::write(
        &style,
        "[text]\nlocale = \"fr\"\ndate_line = \"Au {date}\"\n",
    )
    .unwrap();
    let svg = plain_takeover_svg(&["--style", style.to_str().unwrap()]);
    assert_eq!(text_of(&svg, "date"), "Au 20 juin 2021");
}

#[test]
fn dari_and_pashto_maps_read_right_to_left_in_their_digits() {
    for (locale, month) in [("fa", "جون"), ("ps", "جون")] {
        let svg = plain_takeover_svg(&[
            "--locale",
            locale,
            "--title",
            "ولسوالی‌های تحت کنترل طالبان",
            "--date-line",
            "{date}: {count.taliban}",
        ]);
        assert_eq!(text_of(&svg, "date"), format!("۲۰ {month} ۲۰۲۱: ۴۱"));
        // Every line of text ends at the right margin.
        let title = tag(&svg, "title");
        assert_eq!(attr(title, "text-anchor"), "end");
        // The legend: the swatch right of its label, the count left of it, in its digits.
        let entry = svg
            .split(r#"<g data-key="taliban">"#)
            .nth(1)
            .unwrap()
            .split("</g>")
            .next()
            .unwrap();
        let rect = entry.split("<rect").nth(1).unwrap();
        let label = entry.split("<text").nth(1).unwrap();
        let count = entry.split(r#"<text class="count""#).nth(1).unwrap();
        assert!(num(rect, "x") > num(label, "x"), "{entry}");
        assert_eq!(attr(label, "text-anchor"), "end");
        assert!(num(count, "x") < num(label, "x"));
        assert!(count.contains(">۴۱<"), "{count}");
    }
}

#[test]
fn an_unknown_locale_is_refused() {
    common::takeover("render")
        .args(["--date", "2021-06-20", "--locale", "de", "-o", "x.svg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--locale").and(predicate::str::contains("fr")));
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("de.toml");
    std::fs::write(&style, "[text]\nlocale = \"de\"\n").unwrap();
    common::takeover("render")
        .args(["--date", "2021-06-20", "--style"])
        .arg(&style)
        .arg("-o")
        .arg(dir.path().join("x.svg"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("de.toml").and(predicate::str::contains("locale")));
    assert!(!dir.path().join("x.svg").exists());
}

#[test]
fn each_small_multiple_counts_its_own_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.svg");
    common::takeover("series")
        .args([
            "--every",
            "2w",
            "--from",
            "2021-05-11",
            "--to",
            "2021-08-16",
        ])
        .args(["--grid", "4x2", "-q"])
        .args(["--date-line", "{date}: {count.taliban} taken"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let grid = std::fs::read_to_string(&out).unwrap();
    let mut counts = Vec::new();
    for (i, date) in ["2021-05-11", "2021-06-22", "2021-08-03"]
        .iter()
        .zip([0, 3, 6])
        .map(|(d, i)| (i, *d))
    {
        // The same date drawn alone: its districts coloured Taliban, counted in the SVG.
        let single = dated_takeover_svg(date, &[]);
        let drawn = single.matches(r#"data-status="taliban""#).count();
        let line = text_of(&grid, &format!("p{i}-date"));
        let long = date_long(date);
        assert_eq!(line, format!("{long}: {drawn} taken"), "panel {i}");
        counts.push(drawn);
    }
    assert!(counts[0] < counts[1] && counts[1] < counts[2], "{counts:?}");
}

/// "2021-06-22" → "June 22, 2021".
fn date_long(iso: &str) -> String {
    controlmap::timeline::Date::parse_iso(iso).unwrap().long()
}

#[test]
fn small_multiples_sit_under_their_date_with_thinner_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.svg");
    common::takeover("series")
        .args([
            "--every",
            "2w",
            "--from",
            "2021-05-11",
            "--to",
            "2021-08-16",
        ])
        .args(["--grid", "4x2", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    let grid = std::fs::read_to_string(&out).unwrap();
    // The outline of the whole page's map is 1.6 px; a quarter-width panel's is thinner.
    let outline = grid.split(r#"id="p0-outline""#).nth(1).unwrap();
    let width = num(outline.split('>').next().unwrap(), "stroke-width");
    assert!(width < 1.0, "{width}");
    // The map's top is right under the date line: in the pixels of the first panel, the
    // first row below the date's baseline with anything but the white page.
    let panel = grid.split(r#"<g id="panel-0""#).nth(1).unwrap();
    let (x0, date_y) = (num(panel, "x"), num(panel, "y"));
    let pixmap =
        controlmap::render::png::rasterize(&grid, &controlmap::render::Style::default()).unwrap();
    let row_has_ink = |y: u32| {
        (x0 as u32..x0 as u32 + 300).any(|x| {
            pixmap
                .pixel(x, y)
                .is_some_and(|p| p.red() < 235 || p.green() < 235 || p.blue() < 235)
        })
    };
    let below = date_y as u32 + 8;
    let top = (below..1200).find(|&y| row_has_ink(y)).unwrap();
    assert!(
        f64::from(top) - date_y < 24.0,
        "map top {top}, date line baseline {date_y}"
    );
}

#[test]
fn the_social_presets_smallest_text_is_legible_in_a_phone_feed() {
    let capitals = repo("assets/provincial-capitals.csv");
    let (svg, _) = takeover_svg(
        &capitals,
        &[
            "-q",
            "--size",
            "social",
            "--district-labels",
            "--scale-bar",
            "--since",
            "2021-05-01",
        ],
    );
    assert!(svg.contains(r#"viewBox="0 0 1080 1080""#));
    let mut smallest = f64::INFINITY;
    let mut legend = f64::INFINITY;
    let mut labels = f64::INFINITY;
    let mut in_legend = false;
    for (i, piece) in svg.split("<text").enumerate().skip(1) {
        let before = svg.split("<text").nth(i - 1).unwrap();
        if before.contains(r#"<g id="legend""#) {
            in_legend = true;
        }
        if before.contains(r#"<g id="district-labels""#) || before.contains(r#"<g id="labels""#) {
            in_legend = false;
        }
        let size = num(piece.split('>').next().unwrap(), "font-size");
        smallest = smallest.min(size);
        if in_legend {
            legend = legend.min(size);
        }
        if piece.starts_with(r#" id="label-"#) || piece.starts_with(r#" id="district-label-"#) {
            labels = labels.min(size);
        }
    }
    eprintln!("social: smallest {smallest} px, legend {legend} px, labels {labels} px");
    assert!(legend.is_finite() && labels.is_finite());
    assert!(legend >= 16.0, "legend text {legend} px");
    assert!(labels >= 14.0, "labels {labels} px");
    assert!(smallest >= 14.0, "smallest text {smallest} px");
}
