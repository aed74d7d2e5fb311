//! The library driven without the binary, as an embedding program would: a configuration
//! from a style file and overrides, the validation errors the command line gives (the
//! option and the kind as data), a real map drawn to bytes in memory, a small series.

mod common;
#[path = "common/golden.rs"]
#[allow(dead_code)] // Only the decoder is used here.
mod golden;

use std::sync::atomic::AtomicBool;

use common::{LWJ, OCHA, TAKEOVER, TOPO, controlmap, data};
use controlmap::config::commands::{OutputKind, RenderConfig, RenderSettings};
use controlmap::config::{
    ConfigError, ErrorKind, MapConfig, MapSettings, Notice, NoticeKind, When,
};
use controlmap::series::run::{SeriesConfig, SeriesSettings};

/// The README's takeover map: TopoJSON districts, the 37-date timeline, 1 and 2 taliban.
fn takeover() -> MapSettings {
    let mut s = MapSettings::default();
    s.data.boundaries = data(TOPO);
    s.data.status = vec![data(TAKEOVER)];
    s.data.maps = ["1=taliban", "2=taliban", "0=no-report"]
        .map(String::from)
        .to_vec();
    s.data.ambiguous = controlmap::join::Ambiguous::All;
    s
}

/// The OCHA districts with the LWJ 2018 snapshot.
fn lwj() -> MapSettings {
    let mut s = MapSettings::default();
    s.data.boundaries = data(OCHA);
    s.data.status = vec![data(LWJ)];
    s
}

fn district_statuses(svg: &str) -> Vec<&str> {
    svg.split("data-status=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .collect()
}

#[test]
fn a_style_file_and_overrides_resolve_in_that_order() {
    let mut s = takeover();
    s.data.style = Some("nyt".into());
    let styled = MapConfig::resolve(&s).unwrap();
    s.style.border_width = Some(2.5);
    s.style.width = Some(900);
    let overridden = MapConfig::resolve(&s).unwrap();
    assert_eq!(overridden.style().border_width, 2.5);
    assert_eq!(overridden.style().width, 900);
    // What the overrides leave alone is the style file's.
    assert_eq!(overridden.style().background, styled.style().background);
    assert_eq!(overridden.style().fonts, styled.style().fonts);
    let inputs: Vec<&str> = overridden.inputs().iter().map(|(o, _)| *o).collect();
    assert_eq!(inputs, ["--boundaries", "--status", "--style"]);
}

#[test]
fn a_bad_value_is_the_error_the_command_line_prints_with_its_exit_code() {
    for (set, flag, value, option) in [
        (
            (|s: &mut MapSettings| s.style.simplify = Some(500.0)) as fn(&mut MapSettings),
            "--simplify",
            "500",
            "--simplify",
        ),
        (
            |s| s.style.border_color = Some("teal".into()),
            "--border-color",
            "teal",
            "--border-color",
        ),
        (|s| s.data.fuzzy = Some(0.3), "--fuzzy", "0.3", "--fuzzy"),
        (|s| s.bbox = Some("1,2".into()), "--bbox", "1,2", "--bbox"),
        (
            |s| s.since = Some("July".into()),
            "--since",
            "July",
            "--since",
        ),
        (
            |s| s.text.title = Some("{nope".into()),
            "--title",
            "{nope",
            "--title",
        ),
    ] {
        let mut s = takeover();
        set(&mut s);
        let e: ConfigError = MapConfig::resolve(&s).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Usage, "{flag}: {e}");
        assert_eq!(e.option.as_deref(), Some(option), "{e}");
        let out = common::takeover("render")
            .args([
                "--date",
                "2021-07-01",
                "-o",
                "never-written.svg",
                flag,
                value,
            ])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).unwrap();
        assert!(
            stderr.contains(&format!("error: {e}")),
            "{flag}: {stderr} vs {e}"
        );
    }
    assert!(!std::path::Path::new("never-written.svg").exists());
}

#[test]
fn a_style_file_text_naming_a_missing_category_is_a_data_error_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("s.toml");
    std::fs::write(&style, "[text]\ntitle = \"{count.nope} districts\"\n").unwrap();
    let mut s = takeover();
    s.data.style = Some(style.display().to_string());
    let config = MapConfig::resolve(&s).unwrap();
    let e = config.load(When::Series, &[], &mut |_| {}).unwrap_err();
    assert_eq!(
        (e.kind, e.option.as_deref()),
        (ErrorKind::Data, Some("text.title"))
    );
    assert!(e.to_string().contains("text.title"), "{e}");
    // The binary gives the same message with exit code 1.
    let out = common::takeover("render")
        .args(["--date", "2021-07-01", "-o"])
        .arg(dir.path().join("m.svg"))
        .arg("--style")
        .arg(&style)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(out).unwrap().contains(&e.to_string()));
}

#[test]
fn a_real_map_renders_to_svg_and_png_in_memory() {
    let mut settings = RenderSettings {
        map: lwj(),
        output: "map.svg".into(),
        ..RenderSettings::default()
    };
    settings.map.style.plain = true;
    settings.map.style.width = Some(800);
    settings.map.style.height = Some(600);
    let config = RenderConfig::resolve(&settings).unwrap();
    assert_eq!(config.kind, OutputKind::Svg);
    let mut notices: Vec<Notice> = Vec::new();
    let map = config
        .map
        .load(When::Date(None), &[], &mut |n| notices.push(n))
        .unwrap();
    // The join summary comes as a notice, as the command line prints it.
    assert!(
        notices
            .iter()
            .any(|n| n.kind == NoticeKind::Summary && n.text().contains("399")),
        "{notices:?}"
    );
    let svg = String::from_utf8(config.bytes(&map, &mut |_| {}).unwrap()).unwrap();
    let statuses = district_statuses(&svg);
    assert_eq!(statuses.len(), 399);
    assert!(
        statuses.iter().all(|s| *s != "no-data"),
        "every LWJ row joins"
    );

    settings.output = "map.png".into();
    let config = RenderConfig::resolve(&settings).unwrap();
    assert_eq!(config.kind, OutputKind::Png);
    let png = golden::decode(&config.bytes(&map, &mut |_| {}).unwrap());
    assert_eq!((png.width, png.height), (800, 600));
    // The pixel at a district's interior point has its category's colour.
    let date = config.map.date(&map, None).unwrap();
    let categories = map.categories_on(date);
    let (i, (x, y)) = map
        .scene()
        .interior_points()
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, (*p)?)))
        .find(|(i, _)| categories[*i].is_some())
        .unwrap();
    let category = &map.categories().list[categories[i].unwrap().0];
    let at = 4 * (y as usize * 800 + x as usize);
    let c = category.color;
    let pixel = &png.rgba[at..at + 3];
    let near = [c.r, c.g, c.b]
        .iter()
        .zip(pixel)
        .all(|(a, b)| a.abs_diff(*b) <= 24);
    assert!(near, "{pixel:?} vs {c:?} for {}", category.key);
}

#[test]
fn a_small_series_writes_its_frames_and_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut map = takeover();
    map.style.width = Some(600);
    map.style.height = Some(450);
    let settings = SeriesSettings {
        map,
        dates: Some("2021-05-11,2021-06-20,2021-08-15".into()),
        output: dir.path().join("{date}.svg").display().to_string(),
        jobs: 1,
        ..SeriesSettings::default()
    };
    let config = SeriesConfig::resolve(&settings).unwrap();
    let mut notices = Vec::new();
    let records = config
        .run(&AtomicBool::new(false), &mut |n| notices.push(n))
        .unwrap();
    assert_eq!(records.len(), 3);
    let taliban = |r: &controlmap::series::FrameRecord| {
        r.counts.iter().find(|(k, _)| k == "taliban").unwrap().1
    };
    assert!(
        taliban(&records[0]) < taliban(&records[2]),
        "the takeover grows"
    );
    for r in &records {
        let svg = std::fs::read_to_string(r.file.as_ref().unwrap()).unwrap();
        let drawn = district_statuses(&svg)
            .iter()
            .filter(|s| **s == "taliban")
            .count();
        assert_eq!(drawn, taliban(r), "{}", r.date);
    }
    assert!(
        notices
            .iter()
            .any(|n| n.text().starts_with("series: 3 frames")),
        "{notices:?}"
    );

    // A shard of an animation is refused before anything is read.
    let e = SeriesConfig::resolve(&SeriesSettings {
        output: "a.gif".into(),
        shard: Some("0/2".into()),
        ..settings
    })
    .unwrap_err();
    assert_eq!(
        (e.kind, e.option.as_deref()),
        (ErrorKind::Usage, Some("--shard"))
    );
}

#[test]
fn a_missing_file_is_a_data_error_and_the_command_line_says_why_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = takeover();
    s.data.boundaries = dir.path().join("gone.json");
    let e = MapConfig::resolve(&s)
        .unwrap()
        .load(When::Series, &[], &mut |_| {})
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Data);
    assert!(e.to_string().contains("gone.json"), "{e}");
    let out = controlmap()
        .args(["render", "--boundaries"])
        .arg(dir.path().join("gone.json"))
        .arg("--status")
        .arg(data(TAKEOVER))
        .arg("-o")
        .arg(dir.path().join("m.svg"))
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(out).unwrap();
    assert!(stderr.contains(&format!("error: {e}")), "{stderr}");
    // The I/O error's text is in the message already; its cause is not printed again.
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    assert!(!dir.path().join("m.svg").exists());
}

#[test]
fn a_frame_drawn_into_a_recycled_buffer_is_the_frame_drawn_into_a_fresh_one() {
    // The first frame is drawn into the fixed overlay's old buffer, and later frames into
    // the buffers of frames already encoded: stale pixels must never show through.
    let config = MapConfig::resolve(&takeover()).unwrap();
    let map = config.load(When::Series, &[], &mut |_| {}).unwrap();
    let dates = map.change_dates();
    let (first, last) = (dates[0], *dates.last().unwrap());
    let recycled_overlay = map.frame_pixmap(last).unwrap();
    // No spare buffer is left now: this one is freshly allocated (zeroed).
    let fresh = map.frame_pixmap(last).unwrap();
    assert!(
        recycled_overlay.data() == fresh.data(),
        "first frame differs"
    );
    // An encoded frame of another date gives its buffer back for the next frame.
    map.frame_png(first).unwrap();
    let recycled_frame = map.frame_pixmap(last).unwrap();
    assert!(
        recycled_frame.data() == fresh.data(),
        "recycled frame differs"
    );
    assert!(map.frame_pixmap(first).unwrap().data() != fresh.data());
}

#[test]
fn a_series_png_is_its_frame_pixmap_exactly() {
    // An opaque frame is composed straight into RGB for the encoder; it must be the very
    // pixels of the RGBA frame, texts, hatch, zoom, labels and all.
    let zoomed = {
        let mut s = takeover();
        s.extent = Some("province=Kunduz".into());
        s.locator = Some(true);
        s.district_labels = Some(true);
        s.since = Some("2021-06-01".into());
        s.style.scale_bar = true;
        s
    };
    let dari = {
        let mut s = lwj();
        s.style.locale = Some(controlmap::render::locale::Locale::Fa);
        s
    };
    let plain = {
        let mut s = takeover();
        s.style.plain = true;
        s
    };
    for (name, settings) in [
        ("takeover", takeover()),
        ("zoomed", zoomed),
        ("dari", dari),
        ("plain", plain),
    ] {
        let config = MapConfig::resolve(&settings).unwrap();
        let map = config.load(When::Series, &[], &mut |_| {}).unwrap();
        let dates = map.change_dates();
        let dates = match dates.len() {
            // A snapshot (the LWJ file) holds on any date.
            0 => vec![controlmap::timeline::Date::parse_iso("2021-07-20").unwrap()],
            _ => vec![dates[0], dates[dates.len() / 2], *dates.last().unwrap()],
        };
        for date in dates {
            let (png, pixmap) = (map.frame_png(date), map.frame_pixmap(date));
            assert_same_pixels(
                &png.unwrap(),
                &pixmap.unwrap(),
                &format!("{name} on {date}"),
            );
        }
    }
}

#[test]
fn a_single_png_is_its_pixmap_exactly() {
    // An opaque page whose lines are all thinner than a pixel is drawn straight into RGB
    // for the encoder; it must be the very pixels of the RGBA page, furniture and all. The
    // default style (wider province lines) keeps the RGBA page.
    let thin = |mut s: MapSettings| {
        s.style.border_width = Some(0.5);
        s.style.province_width = Some(0.8);
        s.style.outline_width = Some(0.9);
        s
    };
    let peer_job = {
        let mut s = takeover();
        s.style.plain = true;
        s.style.province_width = Some(0.0);
        s.style.outline_width = Some(0.0);
        s.style.borders = Some(controlmap::style::BorderMode::Each);
        s
    };
    let dari = {
        let mut s = thin(lwj());
        s.style.locale = Some(controlmap::render::locale::Locale::Fa);
        s
    };
    for (name, settings) in [
        ("thin lines", thin(takeover())),
        ("peer job", peer_job),
        ("dari", dari),
        ("default", takeover()),
    ] {
        let config = MapConfig::resolve(&settings).unwrap();
        let map = config.load(When::Series, &[], &mut |_| {}).unwrap();
        // A snapshot (the LWJ file) holds on any date.
        let date = controlmap::timeline::Date::parse_iso("2021-07-20").unwrap();
        let (png, pixmap) = (map.render_png(date), map.render_pixmap(date));
        assert_same_pixels(
            &png.unwrap(),
            &pixmap.unwrap(),
            &format!("{name} on {date}"),
        );
    }
}

/// The PNG file holds the pixmap's very pixels.
fn assert_same_pixels(png: &[u8], pixmap: &resvg::tiny_skia::Pixmap, what: &str) {
    let png = golden::decode(png);
    assert_eq!((png.width, png.height), (pixmap.width(), pixmap.height()));
    let differing = png
        .rgba
        .iter()
        .zip(pixmap.data())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, 0, "{what}: channels differ");
}
