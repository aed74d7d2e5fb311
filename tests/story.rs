//! The story map: place states by date (`--place-status`) and annotations
//! (`--annotations`) on the real 2021 takeover data, in SVG, PNG, PDF and the web page; their
//! bad inputs; and the goldens of the 2021-06-20 story map.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{content_streams, fixture, pdftotext_raw, repo};
#[path = "common/golden.rs"]
mod golden;

/// The README's takeover command with the capitals, the story's place states and callouts.
fn story(date: &str) -> Command {
    let mut cmd = common::takeover("render");
    cmd.args(["--date", date, "-q", "--scale-bar", "--places"])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--place-status")
        .arg(fixture("story-place-status.csv"))
        .arg("--annotations")
        .arg(fixture("story-annotations.csv"));
    cmd
}

fn render(mut cmd: Command, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    cmd.arg("-o").arg(&out).assert().success();
    out
}

fn svg_of(date: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::read_to_string(render(story(date), dir.path(), "map.svg")).unwrap()
}

/// The start tag of the place-state group of `place` (`data-name`).
fn state_group<'a>(svg: &'a str, place: &str) -> &'a str {
    let layer = layer(svg, "place-states");
    let at = layer
        .find(&format!(r#"class="place" data-name="{place}""#))
        .unwrap_or_else(|| panic!("no place-state group for {place}"));
    let start = layer[..at].rfind("<g ").unwrap();
    &layer[start..start + layer[start..].find('>').unwrap()]
}

fn state_of(svg: &str, place: &str) -> Option<String> {
    let tag = state_group(svg, place);
    tag.split(r#"data-state=""#)
        .nth(1)
        .map(|v| v.split('"').next().unwrap().to_string())
}

/// The content of the layer with id `id`, up to the start of the next layer.
fn layer<'a>(svg: &'a str, id: &str) -> &'a str {
    let rest = svg
        .split(&format!(r#"<g id="{id}""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no layer {id}"));
    let rest = &rest[rest.find('>').unwrap()..];
    match rest.find(r#"inkscape:groupmode="layer""#) {
        Some(end) => &rest[..end],
        None => rest,
    }
}

/// The centre of the first marker (a path's points) in the place-state group of `place`.
fn marker_centre(svg: &str, place: &str) -> (f64, f64) {
    let layer = layer(svg, "place-states");
    path_centre(&layer[layer.find(&format!(r#"data-name="{place}""#)).unwrap()..])
}

/// The centre of the points of the first path in `group`.
fn path_centre(group: &str) -> (f64, f64) {
    let d = group
        .split(r#" d="M"#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let points: Vec<(f64, f64)> = d
        .trim_end_matches('Z')
        .split('L')
        .map(|p| {
            let mut xy = p.split(' ').map(|v| v.parse::<f64>().unwrap());
            (xy.next().unwrap(), xy.next().unwrap())
        })
        .collect();
    let n = points.len() as f64;
    (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

/// `#rrggbb` as its three channels.
fn rgb(hex: &str) -> [u8; 3] {
    let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [v(1), v(3), v(5)]
}

/// The fill of the first marker item of a place-state group.
fn marker_fill(svg: &str, place: &str) -> String {
    let layer = layer(svg, "place-states");
    let group = &layer[layer.find(&format!(r#"data-name="{place}""#)).unwrap()..];
    group
        .split(r#" fill=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn kunduz_and_maimana_entered_and_taloqan_besieged_on_june_20_in_svg_png_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let svg = std::fs::read_to_string(render(story("2021-06-20"), dir.path(), "map.svg")).unwrap();
    assert_eq!(state_of(&svg, "Kunduz").as_deref(), Some("entered"));
    assert_eq!(state_of(&svg, "Maimana").as_deref(), Some("entered"));
    assert_eq!(state_of(&svg, "Taloqan").as_deref(), Some("besieged"));
    // The record's note and source travel with the marker.
    assert!(
        state_group(&svg, "Kunduz").ends_with(
            r#"data-state="entered" data-note="Taliban fighters entered the city" data-source="Editorial example for the story map""#
        ),
        "{}",
        state_group(&svg, "Kunduz")
    );
    // Only places with records are in the layer; the legend lists the two states shown.
    assert!(!layer(&svg, "place-states").contains(r#"data-name="Kabul""#));
    let legend = layer(&svg, "legend-place-states");
    assert!(legend.contains(">Taliban entered the city</text>"));
    assert!(legend.contains(r#"data-state="besieged""#));
    assert!(!legend.contains(r#"data-state="contested""#));

    // The PNG: at each marker's centre, the state's colour.
    let png =
        golden::decode(&std::fs::read(render(story("2021-06-20"), dir.path(), "map.png")).unwrap());
    for place in ["Kunduz", "Maimana", "Taloqan"] {
        let (x, y) = marker_centre(&svg, place);
        let want = rgb(&marker_fill(&svg, place));
        let i = 4 * (y.round() as usize * png.width as usize + x.round() as usize);
        let got = &png.rgba[i..i + 3];
        assert!(
            got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 2),
            "{place} at ({x}, {y}): {got:?}, want {want:?}"
        );
    }

    // The PDF: the markers' colours are painted and the legend line is text, once.
    let pdf_path = render(story("2021-06-20"), dir.path(), "map.pdf");
    let content = content_streams(&std::fs::read(&pdf_path).unwrap());
    let painted = |hex: &str| {
        let c = rgb(hex).map(|v| f32::from(v) / 255.0);
        content.lines().any(|l| {
            let v: Vec<f32> = l
                .split(' ')
                .take(3)
                .filter_map(|n| n.parse().ok())
                .collect();
            l.ends_with(" scn")
                && v.len() == 3
                && v.iter().zip(c).all(|(a, b)| (a - b).abs() < 0.002)
        })
    };
    assert!(painted(&marker_fill(&svg, "Kunduz")), "entered's colour");
    assert!(painted(&marker_fill(&svg, "Taloqan")), "besieged's colour");
    if let Some(text) = pdftotext_raw(&pdf_path) {
        for line in [
            "Taliban entered the city",
            "Taliban fighters entered",
            "Kunduz on June 20",
        ] {
            assert_eq!(text.matches(line).count(), 1, "{line} in:\n{text}");
        }
    }
}

#[test]
fn an_earlier_date_shows_the_earlier_states_and_only_their_legend_lines() {
    let svg = svg_of("2021-06-18");
    assert_eq!(state_of(&svg, "Kunduz").as_deref(), Some("contested"));
    assert_eq!(state_of(&svg, "Maimana").as_deref(), Some("contested"));
    assert_eq!(state_of(&svg, "Taloqan").as_deref(), Some("contested"));
    let legend = layer(&svg, "legend-place-states");
    assert!(legend.contains(">Fighting near the city</text>"));
    assert!(!legend.contains("entered"));
    // Before any record: the places are there, in no state, and the legend is empty.
    let svg = svg_of("2021-06-10");
    assert_eq!(state_of(&svg, "Kunduz"), None);
    assert!(!layer(&svg, "legend-place-states").contains("<text"));
    // The callouts start on June 20.
    assert!(!layer(&svg, "annotations").contains("class=\"annotation\""));
}

#[test]
fn a_place_state_wins_over_the_captured_marking() {
    // On August 16 every capital's district is Taliban; Kunduz's record (entered) wins.
    let svg = svg_of("2021-08-16");
    let capitals = layer(&svg, "capitals");
    let captured = |place: &str| {
        let tag = capitals
            .split(&format!(r#"data-name="{place}""#))
            .nth(1)
            .unwrap();
        tag.split(r#"data-captured=""#)
            .nth(1)
            .unwrap()
            .starts_with("true")
    };
    assert!(!captured("Kunduz"));
    assert!(captured("Sheberghan"));
    assert_eq!(state_of(&svg, "Kunduz").as_deref(), Some("entered"));
}

/// A box of page px: left, top, right, bottom.
type Box = (f64, f64, f64, f64);

fn overlaps(a: Box, b: Box) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn attr(tag: &str, name: &str) -> Option<f64> {
    tag.split(&format!(r#" {name}=""#))
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()
}

/// The box of every `<text>` of `part` (from its x, y, anchor, size and measured width).
fn text_boxes(part: &str) -> Vec<(String, Box)> {
    part.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let tag = &format!(" {tag}");
            let text = rest.split('<').next()?.replace("&apos;", "'");
            let (x, y, size) = (attr(tag, "x")?, attr(tag, "y")?, attr(tag, "font-size")?);
            let bold = tag.contains(r#"font-weight="bold""#);
            let w = f64::from(controlmap::render::typeface::Typeface::bundled().measure(
                &text,
                size as f32,
                bold,
            ));
            let left = if tag.contains(r#"text-anchor="end""#) {
                x - w
            } else if tag.contains(r#"text-anchor="middle""#) {
                x - w / 2.0
            } else {
                x
            };
            Some((text, (left, y - 0.8 * size, left + w, y + 0.25 * size)))
        })
        .collect()
}

fn annotation_boxes(svg: &str) -> Vec<Box> {
    layer(svg, "annotations")
        .split(r#"data-box=""#)
        .skip(1)
        .map(|b| {
            let v: Vec<f64> = b
                .split('"')
                .next()
                .unwrap()
                .split(' ')
                .map(|n| n.parse().unwrap())
                .collect();
            (v[0], v[1], v[2], v[3])
        })
        .collect()
}

#[test]
fn each_callout_is_in_the_annotations_layer_clear_of_labels_legend_and_locator() {
    for extra in [
        &[][..],
        &["--district-labels"][..],
        &["--size", "social"][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = story("2021-06-20");
        cmd.args(extra);
        let svg = std::fs::read_to_string(render(cmd, dir.path(), "map.svg")).unwrap();
        let boxes = annotation_boxes(&svg);
        assert_eq!(boxes.len(), 2, "{extra:?}");
        let notes = layer(&svg, "annotations");
        assert!(notes.contains(">Taliban fighters"), "{extra:?}");
        assert!(notes.contains(r#"data-target="Maimana""#));
        // Every label, legend text and title: measured, and clear of both boxes.
        let mut others = Vec::new();
        for id in [
            "labels",
            "capitals",
            "district-labels",
            "legend",
            "text",
            "scale-bar",
        ] {
            if svg.contains(&format!(r#"<g id="{id}""#)) {
                others.extend(text_boxes(layer(&svg, id)));
            }
        }
        others.extend(text_boxes(layer(&svg, "legend-place-states")));
        assert!(others.len() > 30, "{} texts measured", others.len());
        for b in &boxes {
            for (text, o) in &others {
                assert!(
                    !overlaps(*b, *o),
                    "{extra:?}: a callout {b:?} over `{text}` {o:?}"
                );
            }
        }
        assert!(!overlaps(boxes[0], boxes[1]));
    }
    // With a zoom, the locator is kept clear too.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = story("2021-06-20");
    cmd.args(["--extent", "province=Kunduz"]);
    let out = dir.path().join("zoom.svg");
    cmd.arg("-o").arg(&out).assert().success();
    let svg = std::fs::read_to_string(&out).unwrap();
    let locator = svg.split(r#"<g id="locator""#).nth(1).expect("a locator");
    let rect = format!(" {}", locator.split("<rect ").nth(1).unwrap());
    let rect = rect.as_str();
    let (x, y) = (attr(rect, "x").unwrap(), attr(rect, "y").unwrap());
    let (w, h) = (attr(rect, "width").unwrap(), attr(rect, "height").unwrap());
    // Maimana is off the zoomed frame: only Kunduz's callout is drawn.
    let boxes = annotation_boxes(&svg);
    assert_eq!(boxes.len(), 1);
    for b in boxes {
        assert!(!overlaps(b, (x, y, x + w, y + h)), "{b:?} over the locator");
    }
}

#[test]
fn the_place_states_example_of_docs_style_md_restyles_adds_states_and_a_callout() {
    let doc = std::fs::read_to_string(repo("docs/style.md")).unwrap();
    let example = doc
        .split("```toml\n")
        .find(|b| b.starts_with("[place_states.besieged]"))
        .and_then(|b| b.split("```").next())
        .expect("the place states example in docs/style.md");
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("story.toml");
    std::fs::write(&style, example).unwrap();
    let states = dir.path().join("states.csv");
    std::fs::write(
        &states,
        "place,date,state\nKunduz,2021-06-20,Entered\nTaloqan,2021-06-20,besieged\nKabul,2021-06-19,SURRENDERED\n",
    )
    .unwrap();
    let mut cmd = common::takeover("render");
    cmd.args(["--date", "2021-06-20", "-q", "--places"])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--place-status")
        .arg(&states)
        .arg("--style")
        .arg(&style);
    let svg = std::fs::read_to_string(render(cmd, dir.path(), "map.svg")).unwrap();
    assert_eq!(marker_fill(&svg, "Taloqan"), "#cc4c02");
    assert_eq!(
        marker_fill(&svg, "Kunduz"),
        "#a50f15",
        "a default left alone"
    );
    assert_eq!(state_of(&svg, "Kabul").as_deref(), Some("surrendered"));
    let legend = layer(&svg, "legend-place-states");
    let order: Vec<&str> = [
        "Besieged by the Taliban",
        "Taliban entered the city",
        "Surrendered without a fight",
    ]
    .into_iter()
    .inspect(|l| assert!(legend.contains(&format!(">{l}</text>")), "{l}"))
    .collect();
    let at = |l: &str| legend.find(l).unwrap();
    assert!(
        at(order[0]) < at(order[1]) && at(order[1]) < at(order[2]),
        "legend order"
    );
    let notes = layer(&svg, "annotations");
    assert!(notes.contains(r#"data-target="Kunduz""#));
    assert!(notes.contains(">Taliban fighters entered the"), "{notes}");
    // A new state without its marker is refused, naming the key.
    std::fs::write(
        &style,
        "[place_states.overrun]\ncolor = \"#000000\"\nlabel = \"Overrun\"\n",
    )
    .unwrap();
    common::takeover("render")
        .args(["--date", "2021-06-20", "--style"])
        .arg(&style)
        .arg("-o")
        .arg(dir.path().join("x.svg"))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("place_states.overrun")
                .and(predicate::str::contains("a new state needs marker")),
        );
}

#[test]
fn the_web_page_switches_place_states_and_callouts_with_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::takeover("series");
    cmd.args(["--dates", "2021-06-18,2021-06-20", "-q", "--places"])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--place-status")
        .arg(fixture("story-place-status.csv"))
        .arg("--annotations")
        .arg(fixture("story-annotations.csv"));
    let page = std::fs::read_to_string(render(cmd, dir.path(), "page.html")).unwrap();
    // Without JavaScript: the last date's map.
    assert!(page.contains(r#"data-name="Kunduz" data-district="Kunduz" data-state="entered""#));
    assert!(page.contains(">Taliban fighters entered</text>"));
    // With it: each layer's content per date, the earlier states among them.
    let data = page
        .split(r#"<script type="application/json" id="cm-data">"#)
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    let ed = json["ed"].as_array().expect("the editorial layers");
    let ids: Vec<&str> = ed.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["place-states", "legend-place-states", "annotations"]);
    let states = &ed[0];
    let dates = json["dates"].as_array().unwrap().len();
    assert_eq!(states["at"].as_array().unwrap().len(), dates);
    let first = states["at"][0].as_u64().unwrap() as usize;
    let markup = states["v"][first].as_str().unwrap();
    assert!(markup.contains(r#"data-name="Kunduz" data-district="Kunduz" data-state="contested""#));
}

#[test]
fn series_frames_follow_the_place_states_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = common::takeover("series");
    cmd.args([
        "--from",
        "2021-06-12",
        "--to",
        "2021-06-22",
        "--dates",
        "changes",
        "-q",
    ])
    .arg("--places")
    .arg(repo("assets/provincial-capitals.csv"))
    .arg("--place-status")
    .arg(fixture("story-place-status.csv"))
    .arg("-o")
    .arg(dir.path().join("{date}.svg"))
    .assert()
    .success();
    // June 14 and 18 change no district, only place states: they are frames of `changes`.
    for (date, kunduz, taloqan) in [
        ("2021-06-14", None, Some("contested")),
        ("2021-06-18", Some("contested"), Some("contested")),
        ("2021-06-20", Some("entered"), Some("besieged")),
    ] {
        let svg = std::fs::read_to_string(dir.path().join(format!("{date}.svg")))
            .unwrap_or_else(|_| panic!("no frame for {date}"));
        assert_eq!(state_of(&svg, "Kunduz").as_deref(), kunduz, "{date}");
        assert_eq!(state_of(&svg, "Taloqan").as_deref(), taloqan, "{date}");
    }
}

#[test]
fn small_multiples_mark_each_panel_and_list_every_state_used() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.svg");
    common::takeover("series")
        .args(["--dates", "2021-06-18,2021-06-20", "--grid", "2x1", "-q"])
        .arg("--places")
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--place-status")
        .arg(fixture("story-place-status.csv"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(r#"<g id="p0-state-kunduz" class="place" data-name="Kunduz" data-district="Kunduz" data-state="contested" "#));
    assert!(svg.contains(r#"<g id="p1-state-kunduz" class="place" data-name="Kunduz" data-district="Kunduz" data-state="entered" "#));
    // Each panel's marker sits on that panel's dot, laid out for the panel, not the page.
    for panel in ["p0", "p1"] {
        let dot = &svg[svg
            .find(&format!(r#"<circle id="place-{panel}-kunduz""#))
            .unwrap()..];
        let dot = &dot[..dot.find("/>").unwrap()];
        let (x, y) = (attr(dot, "cx").unwrap(), attr(dot, "cy").unwrap());
        let group = &svg[svg
            .find(&format!(r#"<g id="{panel}-state-kunduz""#))
            .unwrap()..];
        let (mx, my) = path_centre(group);
        assert!(
            (mx - x).hypot(my - y) < 1.0,
            "{panel}: marker at ({mx}, {my}), dot at ({x}, {y})"
        );
    }
    let legend = layer(&svg, "legend-place-states");
    for state in ["contested", "besieged", "entered"] {
        assert!(
            legend.contains(&format!(r#"data-state="{state}""#)),
            "{state}"
        );
    }
}

#[test]
fn every_state_shown_gets_its_legend_line_whether_or_not_no_data_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let states = dir.path().join("states.csv");
    std::fs::write(
        &states,
        "place,date,state\nKunduz,2021-06-20,entered\nTaloqan,2021-06-20,besieged\nMaimana,2021-06-20,contested\nKabul,2021-06-20,captured\n",
    )
    .unwrap();
    for no_data in ["never", "always", "auto"] {
        let style = dir.path().join("s.toml");
        std::fs::write(&style, format!("[legend]\nno_data = \"{no_data}\"\n")).unwrap();
        let mut cmd = common::takeover("render");
        cmd.args([
            "--date",
            "2021-06-20",
            "-q",
            "--since",
            "2021-06-01",
            "--places",
        ])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--place-status")
        .arg(&states)
        .arg("--style")
        .arg(&style);
        let svg = std::fs::read_to_string(render(cmd, dir.path(), "map.svg")).unwrap();
        let legend = layer(&svg, "legend-place-states");
        let boxes = text_boxes(legend);
        assert_eq!(boxes.len(), 4, "{no_data}: {legend}");
        // The notes before them are all there too (the captured one was once dropped).
        assert!(
            svg.contains(r#"<g id="legend-changed-since">"#),
            "{no_data}"
        );
        assert!(svg.contains(r#"<g id="legend-captured">"#), "{no_data}");
        // Clear of each other and of the other legend lines, on the page.
        let mut all = boxes.clone();
        all.extend(text_boxes(layer(&svg, "legend")));
        for (i, (a, ba)) in all.iter().enumerate() {
            assert!(
                ba.0 >= 0.0 && ba.2 <= 1600.0,
                "{no_data}: `{a}` off the page"
            );
            for (b, bb) in &all[i + 1..] {
                assert!(!overlaps(*ba, *bb), "{no_data}: `{a}` over `{b}`");
            }
        }
    }
}

#[test]
fn bad_place_status_rows_name_the_file_the_line_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let run = |csv: &str| {
        let path = dir.path().join("states.csv");
        std::fs::write(&path, csv).unwrap();
        let mut cmd = common::takeover("render");
        cmd.args(["--date", "2021-06-20", "--places"])
            .arg(repo("assets/provincial-capitals.csv"))
            .arg("--place-status")
            .arg(&path)
            .arg("-o")
            .arg(dir.path().join("map.svg"))
            .assert()
            .code(1)
    };
    run("place,date,state\nKunduz,2021-06-20,entered\nKundus,2021-06-20,entered\n").stderr(
        predicate::str::contains(
            "states.csv: line 3, column `place`: a place of the places file, found `Kundus`; nearest: Kunduz",
        ),
    );
    run("place,date,state\nKunduz,2021-06-20,stormed\n").stderr(predicate::str::contains(
        "line 2, column `state`: a state the style defines (contested, besieged, entered, captured), found `stormed`",
    ));
    run("place,date,state\r\nKunduz,20/6/2021,entered\r\nTaloqan,6/20/2021,besieged\r\n").stderr(
        predicate::str::contains("one date order for the whole file"),
    );
    assert!(!dir.path().join("map.svg").exists(), "no partial output");
    // Without --places there is nothing to put a state on: a usage error.
    common::takeover("render")
        .args(["--date", "2021-06-20", "--place-status"])
        .arg(fixture("story-place-status.csv"))
        .arg("-o")
        .arg(dir.path().join("map.svg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--places"));
}

#[test]
fn bad_annotation_rows_name_the_file_the_line_the_column_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let head = "text,place,lon,lat,district,dx,dy,anchor,width,from,to\n";
    let cases = [
        (
            "Entered,Kundus,,,,,,,,,\n",
            "notes.csv: line 2, column `place`: a place of the places file, found `Kundus`; nearest: Kunduz",
        ),
        (
            "Here,,66.5,95,,,,,,,\n",
            "notes.csv: line 2, column `lat`: a latitude in degrees (-90 to 90), found `95`",
        ),
        (
            "Here,Kunduz,,,,,,upper,,,\n",
            "notes.csv: line 2, column `anchor`: an anchor: start, middle or end, found `upper`",
        ),
        (
            "Here,Kunduz,,,,,,,,2021-07-01,2021-06-01\n",
            "notes.csv: line 2, column `to`: a date on or after `from` (2021-07-01), found 2021-06-01",
        ),
        (
            "Here,,,,Atlantis,,,,,,\n",
            "notes.csv: line 2, column `district`: a district of the boundaries, found `Atlantis`",
        ),
    ];
    for (row, want) in cases {
        let path = dir.path().join("notes.csv");
        std::fs::write(&path, format!("{head}{row}")).unwrap();
        let mut cmd = common::takeover("render");
        cmd.args(["--date", "2021-06-20", "--places"])
            .arg(repo("assets/provincial-capitals.csv"))
            .arg("--annotations")
            .arg(&path)
            .arg("-o")
            .arg(dir.path().join("map.svg"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(want));
    }
    assert!(!dir.path().join("map.svg").exists());
    // A name two places share is not guessed at.
    let places = dir.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lon,lat\nKunduz,68.86,36.73\nkunduz,68.9,36.7\n",
    )
    .unwrap();
    let notes = dir.path().join("notes.csv");
    std::fs::write(&notes, "text,place\nEntered,Kunduz\n").unwrap();
    common::takeover("render")
        .args(["--date", "2021-06-20", "--places"])
        .arg(&places)
        .arg("--annotations")
        .arg(&notes)
        .arg("-o")
        .arg(dir.path().join("map.svg"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "notes.csv: line 2, column `place`: one place, but `Kunduz` names 2 places of the places file (lines 2, 3)",
        ));
}

#[test]
fn a_callout_that_finds_no_room_is_drawn_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.csv");
    // Pushed onto the title by its offset.
    std::fs::write(
        &notes,
        "text,place,lon,lat,dx,dy\nOver the top,Kabul,,,0,-2000\nOn the legend,Kabul,,,-800,-700\n",
    )
    .unwrap();
    let mut cmd = common::takeover("render");
    cmd.args(["--date", "2021-06-20", "--places"])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--annotations")
        .arg(&notes)
        .arg("-o")
        .arg(dir.path().join("map.svg"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 2, column `dy`: an offset in px (-1600 to 1600), found `-2000`",
        ));
    // The second is wider than the map: no position is clear.
    std::fs::write(
        &notes,
        format!(
            "text,place,lon,lat,dx,dy,width\nOn the legend,Kabul,,,-800,-700,\n{},Kabul,,,,,1600\n",
            "A note far too long for any page ".repeat(8)
        ),
    )
    .unwrap();
    let mut cmd = common::takeover("render");
    cmd.args(["--date", "2021-06-20", "--places"])
        .arg(repo("assets/provincial-capitals.csv"))
        .arg("--annotations")
        .arg(&notes)
        .arg("-o")
        .arg(dir.path().join("map.svg"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "notes.csv: line 2: the box at the dx/dy given would cover a label, the legend or leave the frame; moved to the nearest clear position",
        ))
        .stderr(predicate::str::contains(
            "notes.csv: line 3: no room clear of the labels, the legend and the frame; drawn at its best position",
        ));
}

/// The story map of the README: 2021-06-20 with place states, two callouts and a scale
/// bar, as a golden picture at web and social size (half scale, to keep the files small).
fn story_map(size: &str) -> Command {
    let mut cmd = story("2021-06-20");
    cmd.args([
        "--size",
        size,
        "--scale",
        "0.5",
        "--title",
        "The Taliban enter Kunduz and Maimana",
        "--subtitle",
        "Fighting near Taloqan; districts reported under Taliban control",
        "--captured-category",
        "none",
    ]);
    cmd
}

#[test]
fn golden_story_map_at_web_and_social_size() {
    for size in ["web", "social"] {
        let dir = tempfile::tempdir().unwrap();
        let png = render(story_map(size), dir.path(), "story.png");
        golden::assert_png(&format!("story-{size}"), &std::fs::read(png).unwrap());
    }
}

#[test]
fn the_readme_picture_is_the_story_map_the_tool_makes() {
    // The README shows docs/story-map.png and the command that made it.
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    assert!(readme.contains("docs/story-map.png"));
    assert!(readme.contains("--place-status tests/fixtures/story-place-status.csv"));
    assert!(readme.contains("--annotations tests/fixtures/story-annotations.csv"));
    let dir = tempfile::tempdir().unwrap();
    let png = render(story_map("web"), dir.path(), "story.png");
    let got = golden::decode(&std::fs::read(png).unwrap());
    let want = golden::decode(&std::fs::read(repo("docs/story-map.png")).unwrap());
    assert_eq!((got.width, got.height), (want.width, want.height));
    let differing = got
        .rgba
        .chunks_exact(4)
        .zip(want.rgba.chunks_exact(4))
        .filter(|(a, b)| {
            a.iter()
                .zip(*b)
                .any(|(x, y)| x.abs_diff(*y) > golden::TOLERANCE)
        })
        .count();
    assert_eq!(differing, 0, "docs/story-map.png is out of date");
}
