//! The editorial layer: the scale bar and north arrow, checked on the real 2021 data.

use assert_cmd::Command;
use geo::{Distance, Geodesic, Point};

mod common;
use common::{controlmap, repo};

fn takeover_svg(extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let mut cmd: Command = common::takeover("render");
    cmd.args(["--date", "2021-06-20", "-q"])
        .args(extra)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    std::fs::read_to_string(&out).unwrap()
}

/// The value of attribute `name` in the start tag of the element with id `id`.
fn attr(svg: &str, id: &str, name: &str) -> Option<String> {
    let tag = svg
        .split(&format!(r#" id="{id}""#))
        .nth(1)?
        .split('>')
        .next()?;
    let value = tag.split(&format!(r#" {name}=""#)).nth(1)?;
    Some(value.split('"').next()?.to_string())
}

fn number(svg: &str, id: &str, name: &str) -> f64 {
    attr(svg, id, name)
        .unwrap_or_else(|| panic!("no {name} on #{id}"))
        .parse()
        .unwrap()
}

#[test]
fn the_scale_bar_claims_the_geodesic_length_at_the_centre_within_1_percent() {
    for proj in [
        None,
        Some("+proj=longlat +datum=WGS84"),
        Some("+proj=merc +lon_0=66 +datum=WGS84"),
    ] {
        let mut args = vec!["--scale-bar"];
        if let Some(p) = proj {
            args.extend(["--proj", p]);
        }
        let svg = takeover_svg(&args);
        let km = number(&svg, "scale-bar", "data-km");
        // A round length: 1, 2 or 5 × 10ⁿ km.
        let mantissa = km / 10f64.powf(km.log10().floor());
        assert!(
            [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
            "{proj:?}: {km} km"
        );
        let end = |i| {
            Point::new(
                number(&svg, "scale-bar", &format!("data-lon{i}")),
                number(&svg, "scale-bar", &format!("data-lat{i}")),
            )
        };
        let geodesic = Geodesic.distance(end(1), end(2)) / 1000.0;
        let error = (geodesic - km).abs() / geodesic;
        eprintln!(
            "{proj:?}: bar {km} km, geodesic {geodesic:.3} km, error {:.4}%",
            error * 100.0
        );
        assert!(
            error < 0.01,
            "{proj:?}: {km} km claimed, {geodesic} km measured"
        );
        // The drawn bar is as long as the claim says.
        let px = number(&svg, "scale-bar", "data-px");
        let bar = svg.split(r#"<g id="scale-bar""#).nth(1).unwrap();
        let drawn: f64 = bar
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('h')
            .nth(1)
            .unwrap()
            .split('v')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((drawn - px).abs() < 0.01, "{drawn} vs {px}");
        assert!(bar.contains(&format!(">{km} km</text>")));
    }
}

#[test]
fn no_scale_bar_unless_asked() {
    let svg = takeover_svg(&[]);
    assert!(!svg.contains("scale-bar"));
    assert!(!svg.contains("north-arrow"));
}

#[test]
fn the_scale_bar_example_of_docs_style_md_draws_a_bar_and_a_north_arrow() {
    let doc = std::fs::read_to_string(repo("docs/style.md")).unwrap();
    let example = doc
        .split("```toml\n")
        .find(|b| b.starts_with("[scale_bar]\nshow = true"))
        .and_then(|b| b.split("```").next())
        .expect("the scale bar example in docs/style.md");
    let dir = tempfile::tempdir().unwrap();
    let style = dir.path().join("bar.toml");
    std::fs::write(&style, example).unwrap();
    let svg = takeover_svg(&["--style", style.to_str().unwrap()]);
    assert!(svg.contains(r#"inkscape:label="scale-bar""#));
    // North is up, give or take the conic's convergence at the centre.
    let angle = number(&svg, "north-arrow", "data-angle");
    assert!(angle.abs() < 5.0, "{angle}");
}

#[test]
fn halo_colour_and_width_come_from_the_style() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lon,lat,kind\nAlpha City,65.2,34.8,capital\nHamlet,66.5,34.5,village\n",
    )
    .unwrap();
    let style = dir.path().join("dark.toml");
    std::fs::write(
        &style,
        "[lines]\nbackground = \"#111111\"\n[halo]\ncolor = \"#202020\"\nwidth = 4\n",
    )
    .unwrap();
    let map = |extra: &[&str]| {
        let out = dir.path().join("map.svg");
        controlmap()
            .arg("render")
            .arg("--boundaries")
            .arg(common::fixture("districts.geojson"))
            .arg("--status")
            .arg(common::fixture("timeline.csv"))
            .args(["--name-field", "district", "--province-field", "prov"])
            .args(["--id-field", "code", "--date", "2021-06-20", "-q"])
            .args(["--district-labels", "--scale-bar", "--places"])
            .arg(&places)
            .args(extra)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(&out).unwrap()
    };
    let dark = map(&["--style", style.to_str().unwrap()]);
    // Page 1600 px wide: a halo of 4 is 4 px; a captured capital's is 1.5 times that.
    assert_eq!(
        attr(&dark, "label-hamlet", "stroke").as_deref(),
        Some("#202020")
    );
    assert_eq!(
        attr(&dark, "label-hamlet", "stroke-width").as_deref(),
        Some("4")
    );
    assert_eq!(
        attr(&dark, "label-alpha-city", "stroke-width").as_deref(),
        Some("6")
    );
    assert_eq!(
        attr(&dark, "district-label-d-N3", "stroke").as_deref(),
        Some("#202020")
    );
    assert_eq!(
        attr(&dark, "scale-bar-label", "stroke").as_deref(),
        Some("#202020")
    );
    assert!(!dark.contains(r##"stroke="#ffffff" stroke-width="3""##));
    // Without the style: white halos of 3 px, as always.
    let light = map(&[]);
    assert_eq!(
        attr(&light, "label-hamlet", "stroke").as_deref(),
        Some("#ffffff")
    );
    assert_eq!(
        attr(&light, "label-hamlet", "stroke-width").as_deref(),
        Some("3")
    );
}

/// Every `font-size` of a document, with the element's id or class when it has one.
fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split(r#"font-size=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn the_social_preset_draws_no_text_below_14_px_and_no_legend_below_16() {
    let svg = takeover_svg(&[
        "--size",
        "social",
        "--since",
        "2021-05-15",
        "--district-labels",
        "--scale-bar",
        "--places",
        repo("assets/provincial-capitals.csv").to_str().unwrap(),
    ]);
    assert!(svg.contains(r#"width="1080" height="1080""#));
    let sizes = font_sizes(&svg);
    assert!(sizes.len() > 20, "{} texts", sizes.len());
    let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    eprintln!(
        "social: smallest text {smallest} px of {} texts",
        sizes.len()
    );
    assert!(smallest >= 14.0, "a text of {smallest} px");
    let legend = svg.split(r#"<g id="legend""#).nth(1).unwrap();
    let legend = legend.split("</g>\n</g>").next().unwrap();
    let smallest_legend = font_sizes(legend).into_iter().fold(f64::INFINITY, f64::min);
    assert!(
        smallest_legend >= 16.0,
        "a legend text of {smallest_legend} px"
    );
    assert!(svg.contains("district-label-"), "district labels drawn");
    // The web page keeps its own type scale: its place labels stay 15 px.
    let web = takeover_svg(&[
        "--places",
        repo("assets/provincial-capitals.csv").to_str().unwrap(),
    ]);
    assert!(web.contains(r#"font-size="15" font-weight="bold""#));
}
