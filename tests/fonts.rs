//! A user font (`--font`, `[fonts] regular`), checked as a user sees it: the SVG names it,
//! the PNG draws it, the PDF embeds it, labels are laid out in its widths, and bad files are
//! refused. The font is DejaVu Serif from Debian's fonts-dejavu-extra (`.ci/run` installs it).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::repo;
use controlmap::render::typeface::Typeface;

const SERIF: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
const SERIF_BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf";

fn serif() -> &'static Path {
    let p = Path::new(SERIF);
    assert!(
        p.exists() && Path::new(SERIF_BOLD).exists(),
        "{SERIF} is missing: install fonts-dejavu-extra (.ci/run does)"
    );
    p
}

/// The takeover map on 2021-06-20 written to `name` in `dir`, with `extra` flags; its stderr.
fn render(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, String) {
    let out = dir.join(name);
    let mut cmd: Command = common::takeover("render");
    let assert = cmd
        .args(["--date", "2021-06-20"])
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    (out, stderr)
}

fn root(svg: &str) -> &str {
    let start = svg.find("<svg ").unwrap();
    &svg[start..start + svg[start..].find('>').unwrap()]
}

#[test]
fn the_svg_names_the_user_family_and_the_png_draws_it() {
    let font = serif().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (svg, _) = render(dir.path(), "map.svg", &["--font", font, "-q"]);
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(
        root(&svg).contains(r#"font-family="'DejaVu Serif', DejaVu Sans, sans-serif""#),
        "{}",
        root(&svg)
    );
    let (bundled, _) = render(dir.path(), "sans.svg", &["-q"]);
    let bundled = std::fs::read_to_string(bundled).unwrap();
    assert!(root(&bundled).contains(r#"font-family="DejaVu Sans, sans-serif""#));

    let (a, _) = render(dir.path(), "serif.png", &["--font", font, "-q"]);
    let (b, _) = render(dir.path(), "sans.png", &["-q"]);
    let decode = |p: &Path| {
        let (w, _, rgba) = common::decode_rgba(p);
        (w as usize, rgba)
    };
    let ((w, a), (_, b)) = (decode(&a), decode(&b));
    // The title band (the top 80 rows of a 1600×1200 page): the same words in other glyphs.
    let differ = (0..80 * w)
        .filter(|i| a[i * 4..i * 4 + 3] != b[i * 4..i * 4 + 3])
        .count();
    assert!(differ > 500, "{differ} title pixels differ");
}

#[test]
fn the_pdf_embeds_both_faces_and_reads_the_title_once() {
    let font = serif().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = render(
        dir.path(),
        "map.pdf",
        &[
            "--font",
            font,
            "--font-bold",
            SERIF_BOLD,
            "--title",
            "Serif takeover",
            "-q",
        ],
    );
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts (poppler-utils)");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("+DejaVuSerif "), "{fonts}");
    assert!(fonts.contains("+DejaVuSerif-Bold "), "{fonts}");
    assert!(!fonts.contains("DejaVuSans"), "{fonts}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.matches("Serif takeover").count(), 1, "{text}");
}

/// Every `label-…` text of an SVG with its box, measured in `face` as the renderer does.
fn label_boxes(svg: &str, face: &Typeface) -> Vec<(String, (f64, f64, f64, f64))> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        tag.split(&format!(r#" {name}=""#))
            .nth(1)
            .map(|v| v.split('"').next().unwrap().to_string())
    };
    svg.split("<text id=\"label-")
        .skip(1)
        .map(|rest| {
            let (tag, after) = rest.split_once('>').unwrap();
            let text = after.split('<').next().unwrap().replace("&amp;", "&");
            let n = |k: &str| attr(tag, k).unwrap().parse::<f64>().unwrap();
            let (x, y, size) = (n("x"), n("y"), n("font-size"));
            let bold = attr(tag, "font-weight").as_deref() == Some("bold");
            let w = f64::from(face.measure(&text, size as f32, bold));
            let left = match attr(tag, "text-anchor").as_deref() {
                Some("middle") => x - w / 2.0,
                Some("end") => x - w,
                _ => x,
            };
            (text, (left, y - 0.95 * size, left + w, y + 0.2 * size))
        })
        .collect()
}

#[test]
fn labels_are_laid_out_in_the_user_fonts_widths() {
    let face = Typeface::load((serif(), "--font"), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let capitals = repo("assets/provincial-capitals.csv");
    let (svg, _) = render(
        dir.path(),
        "map.svg",
        &[
            "--font",
            SERIF,
            "--places",
            capitals.to_str().unwrap(),
            "--size",
            "social",
            "-q",
        ],
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    let boxes = label_boxes(&svg, &face);
    assert!(boxes.len() > 20, "{} labels", boxes.len());
    // The serif is wider than the bundled sans: a layout measured in DejaVu Sans would
    // overlap here.
    let sans = Typeface::bundled();
    assert!(
        face.measure("Mazar-i-Sharif", 14.0, false) > sans.measure("Mazar-i-Sharif", 14.0, false)
    );
    for (i, (a, ba)) in boxes.iter().enumerate() {
        for (b, bb) in &boxes[..i] {
            let overlap = ba.0 < bb.2 && bb.0 < ba.2 && ba.1 < bb.3 && bb.1 < ba.3;
            assert!(!overlap, "`{a}` {ba:?} overlaps `{b}` {bb:?}");
        }
    }
}

#[test]
fn characters_the_font_lacks_are_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (_, stderr) = render(
        dir.path(),
        "map.svg",
        &["--font", serif().to_str().unwrap(), "--title", "کابل Kabul"],
    );
    assert!(
        stderr.contains("has no glyph for 4 character(s)")
            && stderr.contains("drawn in DejaVu Sans instead")
            && stderr.contains("ک U+06A9")
            && stderr.contains("DejaVuSerif.ttf (DejaVu Serif)"),
        "{stderr}"
    );
    let (_, clean) = render(dir.path(), "sans.svg", &["--title", "کابل Kabul"]);
    assert!(!clean.contains("glyph"), "{clean}");
}

#[test]
fn the_web_page_embeds_the_font() {
    let dir = tempfile::tempdir().unwrap();
    let (page, _) = render(
        dir.path(),
        "map.html",
        &["--font", serif().to_str().unwrap(), "-q"],
    );
    let page = std::fs::read_to_string(page).unwrap();
    assert!(page.contains(
        r#"@font-face{font-family:"DejaVu Serif";font-weight:1 1000;src:url(data:font/ttf;base64,"#
    ));
    assert!(page.contains(r#"--cm-font:"DejaVu Serif", "DejaVu Sans""#));
    assert!(page.contains("font-src data:"));
}

#[test]
fn bad_font_files_are_refused_naming_the_file_and_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.ttf");
    std::fs::write(&junk, "not a font at all, only words\n").unwrap();
    // The first kilobyte of a real font: its table directory points past the end.
    let cut = dir.path().join("cut.ttf");
    std::fs::write(&cut, &std::fs::read(serif()).unwrap()[..1024]).unwrap();
    let out = dir.path().join("map.svg");
    for (file, expect) in [
        (&junk, "not readable as a font"),
        (&cut, "expected a TrueType or OpenType font file"),
        (&dir.path().join("gone.otf"), "cannot read the font file"),
    ] {
        common::takeover("render")
            .args(["--date", "2021-06-20", "--font"])
            .arg(file)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(file.display().to_string()))
            .stderr(predicate::str::contains("--font"))
            .stderr(predicate::str::contains(expect));
        assert!(!out.exists());
    }
    // In a style file, relative to it, the key named.
    let style = dir.path().join("s.toml");
    std::fs::write(&style, "[fonts]\nregular = \"junk.ttf\"\n").unwrap();
    common::takeover("render")
        .args(["--date", "2021-06-20", "--style"])
        .arg(&style)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(junk.display().to_string()))
        .stderr(predicate::str::contains("fonts.regular"))
        .stderr(predicate::str::contains("not readable as a font"));
    std::fs::write(&style, "[fonts]\nbold = \"junk.ttf\"\n").unwrap();
    common::takeover("render")
        .args(["--date", "2021-06-20", "--style"])
        .arg(&style)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fonts.bold"))
        .stderr(predicate::str::contains("needs its regular face"));
    common::takeover("render")
        .args(["--date", "2021-06-20", "--font-bold", SERIF_BOLD])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--font-bold needs a regular face"));
    assert!(!out.exists());
}

#[test]
fn a_style_file_names_its_fonts_relative_to_itself() {
    let dir = tempfile::tempdir().unwrap();
    let styles = dir.path().join("styles");
    std::fs::create_dir(&styles).unwrap();
    // The font beside the style file, named by a path relative to it (not to the cwd).
    std::os::unix::fs::symlink(serif(), styles.join("body.ttf")).unwrap();
    std::fs::write(
        styles.join("serif.toml"),
        "[fonts]\nregular = \"body.ttf\"\n",
    )
    .unwrap();
    let style = styles.join("serif.toml");
    let (svg, _) = render(
        dir.path(),
        "map.svg",
        &["--style", style.to_str().unwrap(), "-q"],
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(root(&svg).contains("'DejaVu Serif'"));
}
