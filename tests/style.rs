//! Style files and the shipped styles, through the command line: golden PNGs of the
//! hand-made fixture in each style, precedence (defaults < file < flags), templates
//! expanded per date, and errors that name the file and the place.

#[path = "common/golden.rs"]
mod golden;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn controlmap() -> Command {
    Command::cargo_bin("controlmap").unwrap()
}

/// `render` of the hand-made fixture on 2021-06-20, small, with `args` added.
fn fixture(out: &Path, args: &[&str]) -> Command {
    let mut cmd = controlmap();
    cmd.arg("render")
        .arg("--boundaries")
        .arg(root("tests/fixtures/districts.geojson"))
        .arg("--status")
        .arg(root("tests/fixtures/timeline.csv"))
        .args([
            "--name-field",
            "district",
            "--province-field",
            "prov",
            "--id-field",
            "code",
        ])
        .args(["--date", "2021-06-20", "--title", "Fixture districts"])
        .args(["--source", "Source: hand-made fixture"])
        .args(args)
        .arg("-o")
        .arg(out);
    cmd
}

/// Decodes a PNG file into its size and RGBA bytes.
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let image = golden::decode(&std::fs::read(path).unwrap());
    (image.width, image.height, image.rgba)
}

#[test]
fn shipped_styles_match_their_golden_pngs() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("style-lwj", &["--style", "lwj"][..]),
        ("style-nyt", &["--style", "nyt"]),
        (
            "style-lwj-bottom",
            &["--style", "lwj", "--legend-position", "bottom"],
        ),
        (
            "style-nyt-right",
            &[
                "--style",
                "assets/styles/nyt.toml",
                "--legend-position",
                "right",
            ],
        ),
    ] {
        let out = dir.path().join(format!("{name}.png"));
        fixture(&out, args)
            .args(["--width", "480", "--height", "360"])
            .current_dir(root(""))
            .assert()
            .success();
        golden::assert_png(name, &std::fs::read(&out).unwrap());
    }
}

#[test]
fn the_example_in_docs_style_md_is_valid_and_complete() {
    let doc = std::fs::read_to_string(root("docs/style.md")).unwrap();
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```toml block in docs/style.md");
    let file = controlmap::read::style::parse_style(Path::new("docs/style.md"), example)
        .unwrap_or_else(|e| panic!("{e}"));
    // Every section and every kind of key is there.
    assert!(file.categories.preset.is_some() && file.categories.category.len() >= 3);
    let s = &file.size;
    assert!(s.preset.is_some() && s.width.is_some() && s.height.is_some() && s.scale.is_some());
    for font in [
        &file.fonts.title,
        &file.fonts.subtitle,
        &file.fonts.date,
        &file.fonts.legend,
        &file.fonts.source,
        &file.fonts.labels,
    ] {
        assert!(font.size.is_some() && font.weight.is_some() && font.color.is_some());
    }
    let l = &file.lines;
    assert!(l.background.is_some() && l.simplify.is_some());
    assert!(l.borders.mode.is_some());
    for line in [&l.borders.line(), &l.provinces, &l.outline] {
        assert!(line.color.is_some() && line.width.is_some());
    }
    let t = &file.text;
    assert!(t.title.is_some() && t.subtitle.is_some() && t.date_line.is_some());
    assert!(t.source.is_some() && t.plain.is_some());
    let g = &file.legend;
    assert!(g.position.is_some() && g.order.is_some() && g.counts.is_some());
    assert!(g.no_data.is_some());
    let m = &file.margins;
    assert!(m.all.is_some() && m.top.is_some() && m.left.is_some());

    // And it draws the fixture (its categories include one the data lacks).
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("example.toml");
    std::fs::write(&style, example).unwrap();
    let out = dir.path().join("map.svg");
    fixture(&out, &["--style", style.to_str().unwrap()])
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    // The flag's title wins over the example's.
    assert_eq!(text_of(&svg, "title").as_deref(), Some("Fixture districts"));
    assert!(svg.contains(">2 districts under Taliban control, 2021-06-20</text>"));
    assert!(svg.contains(r#"data-key="isis""#));
}

/// The text of the element with this id in an SVG we wrote.
fn text_of(svg: &str, id: &str) -> Option<String> {
    let start = svg.find(&format!(r#"<text id="{id}""#))?;
    let rest = &svg[start..];
    let open = rest.find('>')? + 1;
    let close = rest.find("</text>")?;
    Some(rest[open..close].to_string())
}

#[test]
fn flags_win_over_the_file_and_the_file_over_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("house.toml");
    std::fs::write(
        &style,
        r##"
[[categories.category]]
key = "taliban"
color = "#123456"
label = "Taliban (house)"
[[categories.category]]
key = "contested"
color = "#abcdef"
[size]
preset = "social"
[lines]
borders = { color = "#ff0000", width = 2 }
[text]
title = "House title"
subtitle = "House subtitle"
"##,
    )
    .unwrap();
    let out = dir.path().join("map.svg");
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(root("tests/fixtures/districts.geojson"))
        .arg("--status")
        .arg(root("tests/fixtures/timeline.csv"))
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--date", "2021-06-20", "--style"])
        .arg(&style)
        .args(["--color", "contested=#000000", "--title", "Flag title"])
        .args(["--width", "1000"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    // The flags.
    assert_eq!(text_of(&svg, "title").as_deref(), Some("Flag title"));
    assert!(svg.contains(r##"data-status="contested" fill="#000000""##));
    assert!(
        svg.contains(r#"viewBox="0 0 1000 1080""#),
        "width from the flag, height from the file"
    );
    // The file.
    assert_eq!(text_of(&svg, "subtitle").as_deref(), Some("House subtitle"));
    assert!(svg.contains(r##"data-status="taliban" fill="#123456""##));
    assert!(svg.contains(">Taliban (house)</text>"));
    assert!(svg.contains(r##"<g id="borders" fill="none" stroke="#ff0000" stroke-width="2""##));
    // The defaults.
    assert!(svg.contains(r##"<g id="provinces" fill="none" stroke="#4d4d4d" stroke-width="1.2""##));
    assert!(text_of(&svg, "date").is_some_and(|d| d == "As of June 20, 2021"));
}

#[test]
fn a_style_file_can_define_the_categories() {
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("own.toml");
    std::fs::write(
        &style,
        r##"
[[categories.category]]
key = "held"
label = "Held by the Taliban"
color = "#aa0000"
values = ["Taliban", "Taliban-Controlled"]
[[categories.category]]
key = "other"
values = ["Government", "Contested"]
[legend]
order = ["other"]
"##,
    )
    .unwrap();
    let out = dir.path().join("map.svg");
    fixture(&out, &["--style", style.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains("other 3, held 2"));
    let svg = std::fs::read_to_string(&out).unwrap();
    let other = svg.find(r#"<g data-key="other">"#).unwrap();
    let held = svg.find(r#"<g data-key="held">"#).unwrap();
    assert!(other < held, "legend order");

    // --preset on the command line replaces the file's set.
    fixture(
        &out,
        &["--preset", "lwj", "--style", style.to_str().unwrap()],
    )
    .assert()
    .success()
    .stderr(predicate::str::contains("taliban 2, contested 2"));
}

#[test]
fn titles_follow_the_date_in_a_series() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("{date}.svg");
    controlmap()
        .arg("series")
        .arg("--boundaries")
        .arg(root("tests/fixtures/districts.geojson"))
        .arg("--status")
        .arg(root("tests/fixtures/timeline.csv"))
        .args(["--name-field", "district", "--province-field", "prov"])
        .args(["--dates", "2021-05-01,2021-07-01", "-q"])
        .args([
            "--title",
            "{count.taliban} of 5 under {label.taliban} on {date.iso}",
        ])
        .args(["--source", "{{literal}} braces"])
        .arg("-o")
        .arg(&template)
        .assert()
        .success();
    let title = |date: &str| {
        let svg = std::fs::read_to_string(dir.path().join(format!("{date}.svg"))).unwrap();
        (
            text_of(&svg, "title").unwrap(),
            text_of(&svg, "source").unwrap(),
        )
    };
    assert_eq!(
        title("2021-05-01"),
        (
            "0 of 5 under Taliban control on 2021-05-01".to_string(),
            "{literal} braces".to_string()
        )
    );
    assert_eq!(
        title("2021-07-01").0,
        "3 of 5 under Taliban control on 2021-07-01"
    );
}

#[test]
fn a_changing_title_is_drawn_in_the_png_of_each_frame() {
    // The PNG draws the texts that do not change once per map and the changing ones per
    // frame: two dates with a dated title must differ in the title's pixels, and each must
    // be what resvg draws from the frame's SVG.
    let dir = tempfile::tempdir().unwrap();
    let mut images = Vec::new();
    for date in ["2021-05-01", "2021-07-01"] {
        let (svg, png) = (
            dir.path().join(format!("{date}.svg")),
            dir.path().join(format!("{date}.png")),
        );
        for out in [&svg, &png] {
            controlmap()
                .arg("render")
                .arg("--boundaries")
                .arg(root("tests/fixtures/districts.geojson"))
                .arg("--status")
                .arg(root("tests/fixtures/timeline.csv"))
                .args(["--name-field", "district", "--province-field", "prov"])
                .args([
                    "--date",
                    date,
                    "--title",
                    "Control on {date}",
                    "--style",
                    "nyt",
                ])
                .args(["--width", "480", "--height", "360", "-q", "-o"])
                .arg(out)
                .assert()
                .success();
        }
        let style = controlmap::render::Style {
            width: 480,
            height: 360,
            ..Default::default()
        };
        let want =
            controlmap::render::png::rasterize(&std::fs::read_to_string(&svg).unwrap(), &style)
                .unwrap();
        let (_, _, got) = decode(&png);
        let worst = want
            .data()
            .iter()
            .zip(&got)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(worst <= 3, "{date}: {worst}");
        images.push(got);
    }
    // The title's band (the top 60 rows) differs between the dates.
    let band = 480 * 4 * 60;
    assert_ne!(images[0][..band], images[1][..band]);
}

#[test]
fn bad_style_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    for (text, expected) in [
        (
            "[lines]\nborders = { colour = \"#fff\" }\n",
            "bad.toml: line 2, column 13 (`borders = { colour = \"#fff\" }`): unknown field `colour`",
        ),
        (
            "[text]\ntitle = \"As of {dat}\"\n",
            "bad.toml: line 2, column 9 (`title = \"As of {dat}\"`): `{dat}`: unknown placeholder",
        ),
        (
            "[text]\nsubtitle = \"{count.isis} districts\"\n",
            "bad.toml: text.subtitle: `{count.isis}`: no category `isis` on this map; categories: taliban, contested, unconfirmed, government, no-data",
        ),
        (
            "[size]\nwidth = 1\n",
            "bad.toml: line 2, column 9 (`width = 1`): expected px",
        ),
    ] {
        let style = dir.path().join("bad.toml");
        std::fs::write(&style, text).unwrap();
        fixture(&out, &["--style", style.to_str().unwrap()])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
        assert!(!out.exists());
    }
    fixture(&out, &["--style", "nonesuch"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nonesuch: --style: no such file, and not a shipped style (lwj, nyt)",
        ));
    fixture(&out, &["--subtitle", "{count.isis}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--subtitle: `{count.isis}`: no category `isis`",
        ));
    fixture(&out, &["--date-line", "As of {date"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--date-line: `{date`"));
}

#[test]
fn named_sizes() {
    let dir = tempfile::tempdir().unwrap();
    for (size, want) in [("social", (1080, 1080)), ("print", (2400, 1800))] {
        let out = dir.path().join(format!("{size}.png"));
        fixture(&out, &["--size", size, "-q"]).assert().success();
        let (w, h, _) = decode(&out);
        assert_eq!((w, h), want, "{size}");
    }
}

#[test]
fn help_still_shows_the_defaults() {
    controlmap()
        .args(["render", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[default: #ffffff]"))
        .stdout(predicate::str::contains("[default: 1600]"))
        .stdout(predicate::str::contains("[default: \"As of {date}\"]"))
        .stdout(predicate::str::contains("--style <FILE|NAME>"))
        .stdout(predicate::str::contains("--size <SIZE>"));
}
