//! `controlmap stats` and the area shares of the series manifest, on the real data in
//! ../shared/data and on small hand-made inputs.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{LWJ, OCHA, TAKEOVER, TOPO, controlmap, data};

const OCHA_ADM0: &str = "ocha-adm1-2018/afg_admbnda_adm0_agcho_20180522.shp";

/// `command` with the LWJ snapshot on the OCHA districts.
fn lwj(command: &str) -> Command {
    let mut cmd = controlmap();
    cmd.arg(command)
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(data(LWJ));
    cmd
}

/// A CSV row of `stats`, typed.
#[derive(Debug)]
struct Row {
    date: String,
    scope: String,
    province: String,
    category: String,
    districts: usize,
    area_km2: f64,
    area_share: f64,
}

fn parse_csv(text: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "date",
            "scope",
            "province",
            "category",
            "label",
            "districts",
            "area_km2",
            "area_share"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                date: r[0].into(),
                scope: r[1].into(),
                province: r[2].into(),
                category: r[3].into(),
                districts: r[5].parse().unwrap(),
                area_km2: r[6].parse().unwrap(),
                area_share: r[7].parse().unwrap(),
            }
        })
        .collect()
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs())
}

#[test]
fn lwj_snapshot_stats_add_up_and_match_the_map() {
    let out = lwj("stats").assert().success();
    let rows = parse_csv(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    let national: Vec<&Row> = rows.iter().filter(|r| r.scope == "national").collect();
    let keys: Vec<&str> = national.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        keys,
        [
            "taliban",
            "contested",
            "unconfirmed",
            "government",
            "no-data"
        ]
    );
    assert!(
        rows.iter().all(|r| r.date.is_empty()),
        "a snapshot has no date"
    );

    // The same counts as the map's legend (see tests/cli.rs), 399 in all.
    let count = |key: &str| {
        national
            .iter()
            .find(|r| r.category == key)
            .unwrap()
            .districts
    };
    assert_eq!(
        (count("taliban"), count("contested"), count("government")),
        (49, 212, 138)
    );
    assert_eq!(national.iter().map(|r| r.districts).sum::<usize>(), 399);

    // The districts cover 641,959 km² on the WGS 84 ellipsoid (pyproj's Geod gives the same
    // to the m²). That is 1.6% under the 652,230 km² usually quoted for Afghanistan: the
    // OCHA/AGCHO outline itself measures 641,959 km² (checked below), so the gap is in the
    // boundaries, not in the measuring.
    let total: f64 = national.iter().map(|r| r.area_km2).sum();
    assert!((total - 641_959.07).abs() < 1.0, "{total}");
    assert!(close(total, 652_230.0, 0.02));
    let shares: f64 = national.iter().map(|r| r.area_share).sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");

    // 34 provinces, each adding up to 1, and together to the national rows.
    let mut provinces: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.scope == "province") {
        provinces.entry(&r.province).or_default().push(r);
    }
    assert_eq!(provinces.len(), 34);
    assert!(!provinces.contains_key("(none)"));
    for (name, rows) in &provinces {
        let shares: f64 = rows.iter().map(|r| r.area_share).sum();
        assert!((shares - 1.0).abs() < 1e-9, "{name}: {shares}");
    }
    for n in &national {
        let of = |r: &&&Row| r.category == n.category;
        let districts: usize = provinces
            .values()
            .flat_map(|rs| rs.iter().filter(of))
            .map(|r| r.districts)
            .sum();
        let area: f64 = provinces
            .values()
            .flat_map(|rs| rs.iter().filter(of))
            .map(|r| r.area_km2)
            .sum();
        assert_eq!(districts, n.districts, "{}", n.category);
        assert!(
            (area - n.area_km2).abs() <= 1e-9 * total,
            "{}: {area} vs {}",
            n.category,
            n.area_km2
        );
    }
}

#[test]
fn the_districts_cover_the_national_outline() {
    let outline = controlmap::read::read_boundaries(
        &data(OCHA_ADM0),
        &controlmap::read::FieldOptions {
            name_field: Some("ADM0_EN".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let districts = controlmap::read::read_boundaries(&data(OCHA), &Default::default()).unwrap();
    let outline: f64 = controlmap::stats::district_areas(&outline.districts)
        .iter()
        .sum();
    let districts: f64 = controlmap::stats::district_areas(&districts.districts)
        .iter()
        .sum();
    assert!(close(districts, outline, 1e-6), "{districts} vs {outline}");
}

#[test]
fn json_holds_the_same_numbers_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (json, csv) = (dir.path().join("s.json"), dir.path().join("s.txt"));
    lwj("stats").arg("-o").arg(&json).assert().success();
    // Any other extension is CSV.
    lwj("stats")
        .arg("-o")
        .arg(&csv)
        .arg("-q")
        .assert()
        .success()
        .stderr("");
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(value["date"], serde_json::Value::Null);
    assert_eq!(value["national"]["districts"], 399);
    assert_eq!(value["provinces"].as_array().unwrap().len(), 34);
    let taliban = &value["national"]["categories"][0];
    assert_eq!(taliban["category"], "taliban");
    assert_eq!(taliban["label"], "Taliban control");
    assert_eq!(taliban["districts"], 49);
    assert_eq!(taliban["area_km2"].as_f64().unwrap(), rows[0].area_km2);
    assert_eq!(taliban["area_share"].as_f64().unwrap(), rows[0].area_share);
    // --format wins over the name.
    lwj("stats")
        .args(["--format", "json", "-q"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("{"));
}

#[test]
fn dated_timelines_need_a_date_and_count_what_the_render_shows() {
    let takeover = || {
        let mut cmd = controlmap();
        cmd.arg("stats")
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
            .arg("-q");
        cmd
    };
    takeover()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--date is required"));
    let out = takeover().args(["--date", "2021-08-16"]).assert().success();
    let rows = parse_csv(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    assert!(rows.iter().all(|r| r.date == "2021-08-16"));
    let national: Vec<&Row> = rows.iter().filter(|r| r.scope == "national").collect();
    // The 7 ambiguous names' 14 districts have no status by default: no-data.
    let count = |key: &str| {
        national
            .iter()
            .find(|r| r.category == key)
            .unwrap()
            .districts
    };
    assert_eq!(
        count("taliban") + count("no-report") + count("no-data"),
        329
    );
    assert_eq!(count("no-data"), 14);
}

#[test]
fn districts_without_a_province_are_listed_apart_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let geojson = dir.path().join("d.geojson");
    std::fs::write(
        &geojson,
        r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "A", "province": "P"},
   "geometry": {"type": "Polygon", "coordinates": [[[65,34],[66,34],[66,35],[65,35],[65,34]]]}},
  {"type": "Feature", "properties": {"name": "B", "province": ""},
   "geometry": {"type": "Polygon", "coordinates": [[[66,34],[67,34],[67,35],[66,35],[66,34]]]}}
]}"#,
    )
    .unwrap();
    let status = dir.path().join("s.csv");
    std::fs::write(&status, "district,status\nA,Taliban\nB,Government\n").unwrap();
    let out = controlmap()
        .arg("stats")
        .arg("--boundaries")
        .arg(&geojson)
        .arg("--status")
        .arg(&status)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 district(s) have no province; their rows are under province `(none)`",
        ));
    let rows = parse_csv(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    let provinces: Vec<&str> = rows
        .iter()
        .filter(|r| r.scope == "province" && r.category == "government")
        .map(|r| r.province.as_str())
        .collect();
    assert_eq!(provinces, ["P", "(none)"]);
    let none_gov = rows
        .iter()
        .find(|r| r.province == "(none)" && r.category == "government")
        .unwrap();
    assert_eq!((none_gov.districts, none_gov.area_share), (1, 1.0));
}

#[test]
fn stats_refuse_to_overwrite_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("afg_districts.csv");
    std::fs::copy(data(LWJ), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    controlmap()
        .arg("stats")
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn the_manifest_gives_each_frame_the_area_shares_of_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (json, csv) = (dir.path().join("m.json"), dir.path().join("m.csv"));
    let series = |manifest: &Path| {
        let mut cmd = controlmap();
        cmd.arg("series")
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
            .args(["--dates", "2021-05-11,2021-08-16", "-q", "--manifest"])
            .arg(manifest)
            .arg("-o")
            .arg(dir.path().join("f/{date}.svg"));
        cmd
    };
    series(&json).assert().success();
    series(&csv).assert().success();
    let frames: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let last = &frames[1]["area_share"];
    let sum: f64 = ["taliban", "no-report", "no-data"]
        .iter()
        .map(|k| last[k].as_f64().unwrap())
        .sum();
    assert!((sum - 1.0).abs() < 1e-9);
    // Before the first Taliban report, nothing is Taliban.
    assert_eq!(frames[0]["area_share"]["taliban"], 0.0);

    // The same number as `stats` for that date.
    let out = controlmap()
        .arg("stats")
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
        .args(["--date", "2021-08-16", "-q"])
        .assert()
        .success();
    let rows = parse_csv(&String::from_utf8(out.get_output().stdout.clone()).unwrap());
    let taliban = rows
        .iter()
        .find(|r| r.scope == "national" && r.category == "taliban")
        .unwrap();
    assert_eq!(last["taliban"].as_f64().unwrap(), taliban.area_share);

    // CSV: the older columns keep their places; the shares come last.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "index",
            "date",
            "file",
            "skipped",
            "taliban",
            "no-report",
            "no-data",
            "changed_count",
            "changed_ids",
            "area_share.taliban",
            "area_share.no-report",
            "area_share.no-data"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows[1][9].parse::<f64>().unwrap(),
        taliban.area_share,
        "full precision in the CSV too"
    );
}
