//! Boundaries as real publishers make them: degenerate rings, coordinates that are not
//! lon/lat, declared CRSs (a .prj, a GeoJSON `crs` member, --source-crs), data across the
//! antimeridian, the equator and near a pole, feature ids that are ids.

mod common;

use std::path::Path;

use common::{OCHA, TOPO, controlmap, data, fixture};
use predicates::prelude::*;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `data-status` of the district named `name` in an SVG we wrote.
fn status_of(svg: &str, name: &str) -> String {
    let marker = format!("data-name=\"{name}\"");
    let at = svg
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} not drawn"));
    let rest = &svg[at..];
    let s = rest.split("data-status=\"").nth(1).unwrap();
    s.split('"').next().unwrap().to_string()
}

fn render(boundaries: &Path, status: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    controlmap()
        .arg("render")
        .arg("--boundaries")
        .arg(boundaries)
        .arg("--status")
        .arg(status)
        .args(extra)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_two_position_ring_is_dropped_with_one_warning_and_fips_ids_join() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("counties.svg");
    let out = render(
        &fixture("counties.topojson"),
        &fixture("counties-status.csv"),
        &svg,
        &["--id-column", "fips", "--date", "2021-06-01"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let warning = "counties.topojson: object `counties`, geometry 1: polygon 1, ring 0: 2 positions (a ring needs at least 4), dropped";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert!(err.contains("4 matched"), "{err}");
    let svg = std::fs::read_to_string(&svg).unwrap();
    // The feature id is the district id (FIPS, leading zero kept), the name its property.
    assert!(
        svg.contains(r#"data-id="01003" data-name="Baldwin""#),
        "{svg}"
    );
    assert_eq!(status_of(&svg, "Baldwin"), "taliban");
    assert_eq!(status_of(&svg, "Barbour"), "contested");

    // Another object of the same file reads too.
    controlmap()
        .args(["inspect", "--layer", "states"])
        .arg(fixture("counties.topojson"))
        .assert()
        .success()
        .stdout(predicate::str::contains("features:  1"));

    // --strict-geometry refuses instead.
    let out = render(
        &fixture("counties.topojson"),
        &fixture("counties-status.csv"),
        &dir.path().join("strict.svg"),
        &["--id-column", "fips", "--strict-geometry"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("object `counties`, geometry 1, polygon 1, ring 0: 2 positions (a ring needs at least 4), dropped (refused: --strict-geometry)"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("strict.svg").exists());
}

#[test]
fn spikes_and_slivers_are_repaired_and_check_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("d.svg");
    let out = render(
        &fixture("degenerate.geojson"),
        &fixture("extent-status.csv"),
        &svg,
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("degenerate.geojson: feature 1: polygon 0, ring 0: 1 spike removed; polygon 1, ring 0: 2 positions (a ring needs at least 4), dropped"), "{err}");
    assert!(
        err.contains("degenerate.geojson: feature 2: ring 0: only a spike (no area), dropped"),
        "{err}"
    );
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(status_of(&svg, "Kohistan"), "taliban");
    assert_eq!(status_of(&svg, "Alpha"), "government");

    let check = |json: bool| {
        let mut cmd = controlmap();
        cmd.arg("check")
            .arg("--boundaries")
            .arg(fixture("degenerate.geojson"))
            .arg("--status")
            .arg(fixture("extent-status.csv"));
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = check(false);
    assert!(text.contains("1 empty, 0 invalid, 2 repaired"), "{text}");
    assert!(
        text.contains("    repaired: feature 1: polygon 0, ring 0: 1 spike removed"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&check(true)).unwrap();
    let repaired = &json["boundaries"]["repaired_geometries"];
    assert_eq!(repaired[1]["feature"], 2);
    assert_eq!(
        repaired[1]["fixes"][0],
        "ring 0: only a spike (no area), dropped"
    );
}

#[test]
fn coordinates_that_cannot_be_lon_lat_are_refused_naming_the_vertex() {
    let out = render(
        &fixture("out-of-range.geojson"),
        &fixture("extent-status.csv"),
        &std::env::temp_dir().join("controlmap-never-written.svg"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("out-of-range.geojson: feature 1, ring 0, position 2: expected lon/lat degrees (|lat| ≤ 90, |lon| ≤ 540), found [66, 95]"), "{}", stderr(&out));

    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(fixture("districts.geojson")).unwrap();
    for (bad, expected) in [
        (
            "1e308",
            "feature 1, ring 0, position 1: expected lon/lat degrees",
        ),
        ("500.0", "longitude 500 is past ±180"),
        ("-600", "found [-600, 34]"),
    ] {
        // Kohistan's second corner, (67, 34).
        let text = original.replacen("[67.0, 34.0]", &format!("[{bad}, 34.0]"), 1);
        assert_ne!(text, original);
        let path = dir.path().join("bad.geojson");
        std::fs::write(&path, text).unwrap();
        for command in ["check", "render"] {
            let out = controlmap()
                .arg(command)
                .arg("--boundaries")
                .arg(&path)
                .arg("--status")
                .arg(fixture("timeline.csv"))
                .args(["-o"])
                .arg(dir.path().join("x.svg"))
                .output()
                .unwrap();
            if command == "check" && out.status.code() == Some(2) {
                // `check` has no -o: run it without.
                let out = controlmap()
                    .arg("check")
                    .arg("--boundaries")
                    .arg(&path)
                    .arg("--status")
                    .arg(fixture("timeline.csv"))
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(1), "{bad}");
                assert!(stderr(&out).contains(expected), "{bad}: {}", stderr(&out));
                continue;
            }
            assert_eq!(out.status.code(), Some(1), "{bad} {command}");
            assert!(
                stderr(&out).contains("bad.geojson: feature 1, ring 0, position"),
                "{}",
                stderr(&out)
            );
            assert!(stderr(&out).contains(expected), "{bad}: {}", stderr(&out));
        }
    }
}

/// The area of a lon/lat box bounded by meridians and parallels on the WGS 84 ellipsoid, from
/// the authalic-latitude formula (independent of the geodesic code `stats` uses).
fn ellipsoidal_box_km2(dlon_deg: f64, lat0: f64, lat1: f64) -> f64 {
    let a: f64 = 6_378_137.0;
    let f: f64 = 1.0 / 298.257_223_563;
    let e2 = f * (2.0 - f);
    let e = e2.sqrt();
    let q = |lat: f64| {
        let s = lat.to_radians().sin();
        (1.0 - e2)
            * (s / (1.0 - e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
    };
    a * a / 2.0 * (q(lat1) - q(lat0)) * dlon_deg.to_radians() / 1e6
}

fn stats_json(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let out = controlmap()
        .arg("stats")
        .args(args)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn category_area(stats: &serde_json::Value, key: &str) -> f64 {
    stats["national"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == key)
        .unwrap()["area_km2"]
        .as_f64()
        .unwrap()
}

#[test]
fn areas_across_the_antimeridian_are_right() {
    let stats = stats_json(&[
        "--boundaries".as_ref(),
        fixture("antimeridian.geojson").as_os_str(),
        "--status".as_ref(),
        fixture("antimeridian-status.csv").as_os_str(),
    ]);
    // Dateline, written 179 → -179, 0..1°N, is the only `taliban` district.
    let measured = category_area(&stats, "taliban");
    let reference = ellipsoidal_box_km2(2.0, 0.0, 1.0);
    assert!((24_000.0..25_000.0).contains(&reference), "{reference}");
    assert!(
        (measured / reference - 1.0).abs() < 0.01,
        "{measured} km² vs {reference} km²"
    );
    // Northside, 178 → -178 at 1..2°N.
    let government = category_area(&stats, "government");
    let reference = ellipsoidal_box_km2(4.0, 1.0, 2.0) + ellipsoidal_box_km2(3.0, 0.0, 1.0);
    assert!(
        (government / reference - 1.0).abs() < 0.01,
        "{government} vs {reference}"
    );
}

/// The horizontal share of the PNG covered by the map (non-white pixels between 30 % and
/// 80 % of its height, below the legend and above the footer).
fn map_width_share(png: &Path) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let (mut left, mut right) = (w, 0);
    for y in h * 3 / 10..h * 8 / 10 {
        for x in 0..w {
            let p = &buf[y * info.line_size + x * channels..][..3];
            if p.iter().any(|&c| c < 200) {
                left = left.min(x);
                right = right.max(x);
            }
        }
    }
    right.saturating_sub(left) as f64 / w as f64
}

#[test]
fn a_map_across_the_antimeridian_fills_its_frame() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("am.png");
    let out = render(
        &fixture("antimeridian.geojson"),
        &fixture("antimeridian-status.csv"),
        &png,
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // 10° × 2° of data: as wide as the frame allows, not a sliver at each edge.
    let share = map_width_share(&png);
    assert!(share > 0.85, "{share}");
    // A --bbox across the antimeridian, written west edge first.
    let svg = dir.path().join("bbox.svg");
    let out = render(
        &fixture("antimeridian.geojson"),
        &fixture("antimeridian-status.csv"),
        &svg,
        &["--bbox", "177,-1,-177,3"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(status_of(&svg, "Dateline"), "taliban");
    assert_eq!(status_of(&svg, "Eastside"), "contested");
}

#[test]
fn the_automatic_projection_suits_the_equator_and_the_pole() {
    use controlmap::read::{FieldOptions, TimelineOptions, read_boundaries, read_timeline};
    let choose = |file: &str| {
        let b = read_boundaries(&fixture(file), &FieldOptions::default()).unwrap();
        let t = read_timeline(&fixture("extent-status.csv"), &TimelineOptions::default()).unwrap();
        let map = controlmap::Map::new(
            b,
            t,
            controlmap::status::Categories::preset("lwj").unwrap(),
            &controlmap::MapOptions::default(),
        )
        .unwrap();
        map.projection().definition().to_string()
    };
    let equator = choose("equator.geojson");
    assert!(
        equator.starts_with("+proj=laea +lat_0=0.0000 +lon_0=38.0000"),
        "{equator}"
    );
    let pole = choose("pole.geojson");
    assert!(
        pole.starts_with("+proj=laea +lat_0=90 +lon_0=20.0000"),
        "{pole}"
    );
    let across = choose("antimeridian.geojson");
    assert!(
        across.contains("+lon_0=-180.0000") || across.contains("+lon_0=180.0000"),
        "{across}"
    );

    // Rendered, both give a map whose districts carry their statuses.
    let dir = tempfile::tempdir().unwrap();
    for (file, extra, name, status) in [
        ("equator.geojson", &[][..], "Northern", "taliban"),
        (
            "equator.geojson",
            &["--bbox", "30,-6,46,6"][..],
            "Southern",
            "government",
        ),
        ("pole.geojson", &[][..], "Westfjord", "contested"),
    ] {
        let svg = dir.path().join("m.svg");
        let out = render(&fixture(file), &fixture("extent-status.csv"), &svg, extra);
        assert!(out.status.success(), "{file}: {}", stderr(&out));
        assert!(!stderr(&out).contains("ProjErr"), "{}", stderr(&out));
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert_eq!(status_of(&svg, name), status);
    }
}

#[test]
fn a_utm_shapefile_is_reprojected_through_its_prj() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("utm.svg");
    let out = render(
        &fixture("utm42n.shp"),
        &fixture("extent-status.csv"),
        &svg,
        &["--strict-geometry"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    // GDAL's null date (zeros) in a field the map does not use: one warning, not an error.
    assert_eq!(
        err.matches("utm42n.dbf: field `VALID`: 1 value(s) cannot be read (first: record 1: Invalid date: Month must be 1..=12, got 0); read as empty").count(),
        1,
        "{err}"
    );
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(status_of(&svg, "Bravo"), "taliban");
    assert_eq!(status_of(&svg, "Charlie"), "contested");

    // Each square is 20 km × 20 km in UTM metres: 400 km², less the zone's scale (0.9996).
    let stats = stats_json(&[
        "--boundaries".as_ref(),
        fixture("utm42n.shp").as_os_str(),
        "--status".as_ref(),
        fixture("extent-status.csv").as_os_str(),
    ]);
    let taliban = category_area(&stats, "taliban");
    assert!(
        (taliban - 400.0 / 0.9996_f64.powi(2)).abs() < 2.0,
        "{taliban}"
    );

    // The same squares as GeoJSON with a `crs` member read the same.
    let svg2 = dir.path().join("crs.svg");
    let out = render(
        &fixture("crs-utm.geojson"),
        &fixture("extent-status.csv"),
        &svg2,
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let svg2 = std::fs::read_to_string(&svg2).unwrap();
    assert_eq!(status_of(&svg2, "Bravo"), "taliban");

    // Without the .prj the metres are refused, with a hint; --source-crs supplies the CRS.
    for ext in ["shp", "shx", "dbf", "cpg"] {
        std::fs::copy(
            fixture(&format!("utm42n.{ext}")),
            dir.path().join(format!("bare.{ext}")),
        )
        .unwrap();
    }
    let bare = dir.path().join("bare.shp");
    let out = render(
        &bare,
        &fixture("extent-status.csv"),
        &dir.path().join("b.svg"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bare.shp: record 0, ring 0, position 0: expected lon/lat degrees"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--source-crs"), "{}", stderr(&out));
    let out = render(
        &bare,
        &fixture("extent-status.csv"),
        &dir.path().join("b.svg"),
        &["--source-crs", "EPSG:32642"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = render(
        &bare,
        &fixture("extent-status.csv"),
        &dir.path().join("c.svg"),
        &["--source-crs", "EPSG:99999"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--source-crs EPSG:99999 is not in the EPSG registry"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_prj_that_contradicts_the_coordinates_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    // OCHA's lon/lat districts with a UTM .prj beside them.
    let stem = data(OCHA);
    for ext in ["shp", "shx", "dbf", "cpg"] {
        std::fs::copy(
            stem.with_extension(ext),
            dir.path().join(format!("o.{ext}")),
        )
        .unwrap();
    }
    std::fs::copy(fixture("utm42n.prj"), dir.path().join("o.prj")).unwrap();
    let out = controlmap()
        .arg("inspect")
        .arg(dir.path().join("o.shp"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("o.shp: coordinates: WGS_1984_UTM_Zone_42N (the .prj) declares a projected CRS (metres), but every coordinate lies within ±180, ±90"), "{}", stderr(&out));
    // And the UTM squares with a lon/lat .prj.
    for ext in ["shp", "shx", "dbf", "cpg"] {
        std::fs::copy(
            fixture(&format!("utm42n.{ext}")),
            dir.path().join(format!("u.{ext}")),
        )
        .unwrap();
    }
    std::fs::copy(stem.with_extension("prj"), dir.path().join("u.prj")).unwrap();
    let out = controlmap()
        .arg("inspect")
        .arg(dir.path().join("u.shp"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("GCS_WGS_1984 (the .prj) declares lon/lat degrees, but numbers this large look like metres"), "{}", stderr(&out));
}

/// OCHA's districts reprojected to UTM 42N, as many national shapefiles come, with a .prj:
/// the same counts and areas as the lon/lat original.
#[test]
fn ocha_in_utm_gives_the_same_stats_as_ocha_in_lon_lat() {
    use shapefile::{Point, Polygon, PolygonRing, Shape};
    let dir = tempfile::tempdir().unwrap();
    let utm = dir.path().join("ocha-utm.shp");
    let wgs84 = proj4rs::Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").unwrap();
    let zone = proj4rs::Proj::from_proj_string("+proj=utm +zone=42 +datum=WGS84 +units=m +no_defs")
        .unwrap();
    let to_utm = |p: &Point| {
        let mut xy = (p.x.to_radians(), p.y.to_radians(), 0.0);
        proj4rs::transform::transform(&wgs84, &zone, &mut xy).unwrap();
        Point::new(xy.0, xy.1)
    };
    let shapes = shapefile::read_shapes(data(OCHA)).unwrap();
    let mut writer = shapefile::ShapeWriter::from_path(&utm).unwrap();
    for shape in shapes {
        let Shape::Polygon(p) = shape else {
            panic!("not a polygon")
        };
        let rings = p
            .into_inner()
            .into_iter()
            .map(|r| match r {
                PolygonRing::Outer(points) => {
                    PolygonRing::Outer(points.iter().map(to_utm).collect())
                }
                PolygonRing::Inner(points) => {
                    PolygonRing::Inner(points.iter().map(to_utm).collect())
                }
            })
            .collect();
        writer.write_shape(&Polygon::with_rings(rings)).unwrap();
    }
    drop(writer);
    let stem = data(OCHA);
    for ext in ["dbf", "cpg"] {
        std::fs::copy(stem.with_extension(ext), utm.with_extension(ext)).unwrap();
    }
    std::fs::copy(fixture("utm42n.prj"), utm.with_extension("prj")).unwrap();

    let lwj = data(common::LWJ);
    let run = |shp: &Path| {
        stats_json(&[
            "--boundaries".as_ref(),
            shp.as_os_str(),
            "--status".as_ref(),
            lwj.as_os_str(),
            "--strict".as_ref(),
        ])
    };
    let (a, b) = (run(&data(OCHA)), run(&utm));
    let cats = |s: &serde_json::Value| -> Vec<(String, u64, f64)> {
        s["national"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["category"].as_str().unwrap().to_string(),
                    c["districts"].as_u64().unwrap(),
                    c["area_km2"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    for ((ka, na, aa), (kb, nb, ab)) in cats(&a).into_iter().zip(cats(&b)) {
        assert_eq!((&ka, na), (&kb, nb));
        assert!((aa - ab).abs() <= 1e-6 * aa.max(1.0), "{ka}: {aa} vs {ab}");
    }
}

#[test]
fn an_empty_feature_collection_says_no_features() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, r#"{"type": "FeatureCollection", "features": []}"#).unwrap();
    let out = render(
        &empty,
        &fixture("timeline.csv"),
        &dir.path().join("e.svg"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("empty.geojson: features: no features: the file holds no district to draw"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_takeover_topojson_still_names_districts_by_their_id() {
    // No name property: the feature id is the name, and ids stay the feature index.
    controlmap()
        .arg("inspect")
        .arg(data(TOPO))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "detected:  id=(feature index) name=id province=province",
        ));
}
