//! The join on the real Afghan data in ../shared/data, as a user runs it: `controlmap check
//! --json`. The counts here are the ones in the README's data section.

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{data, repo};

const TAKEOVER: &str = "taliban-takeover-2021/taliban_takeover.csv";
const LWJ: &str = "lwj-control-2018/afg_districts.csv";
const GADM: &str = "gadm-districts/AFG_districts.json";
const GEOBOUNDARIES: &str = "geoboundaries-adm2/geoBoundaries-AFG-ADM2_simplified.geojson";
const OCHA: &str = "ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp";
const KEYFILE: &str = "afg-district-code-crosswalk/district_code_keyfile_2019.csv";
const ALIASES: &str = "assets/aliases/afghanistan.csv";
/// The crosswalk's older name columns, newest scheme first.
const OLD_NAMES: &str = "2012_AGCHO_district_name_eng,2014_IEC_district_name_eng,2018_IEC_district_name_eng,2019_IEC_district_name_eng,2010_IEC_district_name_eng,2009_IEC_district_name_eng";

/// `check --json` of `status` on `boundaries` with extra flags; the takeover timeline gets its
/// binary mapping.
fn check(boundaries: &str, status: &str, extra: &[&str]) -> Value {
    let mut cmd = Command::cargo_bin("controlmap").unwrap();
    cmd.arg("check")
        .arg("--boundaries")
        .arg(data(boundaries))
        .arg("--status")
        .arg(data(status))
        .arg("--json");
    if status == TAKEOVER {
        cmd.args(["--preset", "binary", "--map", "2=taliban"]);
    }
    for arg in extra {
        match *arg {
            ALIASES => cmd.arg(repo(ALIASES)),
            KEYFILE => cmd.arg(data(KEYFILE)),
            a => cmd.arg(a),
        };
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (matched, by alias, fuzzy, ambiguous, unmatched names, districts without a record).
fn counts(check: &Value) -> (usize, usize, usize, usize, usize, usize) {
    let join = &check["join"];
    let len = |k: &str| join[k].as_array().unwrap().len();
    let by = |method: &str| {
        join["matched"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["method"] == method)
            .count()
    };
    (
        len("matched"),
        by("alias"),
        by("fuzzy"),
        len("ambiguous"),
        len("unmatched_timeline"),
        len("unmatched_districts"),
    )
}

fn fuzzy_pairs(check: &Value) -> Vec<(String, String)> {
    check["join"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["method"] == "fuzzy")
        .map(|m| {
            assert!(m["score"].as_f64().unwrap() >= 0.9);
            (
                m["key"]["name"].as_str().unwrap().to_string(),
                m["districts"][0]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn takeover_on_gadm_normalised_aliased_and_fuzzy() {
    // 322 names, 328 districts; 7 names (Arghandab, Dawlatabad, ...) are in two provinces.
    assert_eq!(counts(&check(GADM, TAKEOVER, &[])), (281, 0, 0, 7, 34, 33));
    let aliased = check(GADM, TAKEOVER, &["--aliases", ALIASES]);
    assert_eq!(counts(&aliased), (314, 33, 0, 7, 1, 0));
    // Only Wardak's Jaghatu, which GADM does not have, is left.
    assert_eq!(
        aliased["join"]["unmatched_timeline"][0]["key"]["name"],
        "Bahrami Shahid (Jaghatu)"
    );
    let fuzzy = check(GADM, TAKEOVER, &["--aliases", ALIASES, "--fuzzy", "0.9"]);
    assert_eq!(counts(&fuzzy), (314, 33, 0, 7, 1, 0));
}

#[test]
fn takeover_on_geoboundaries_normalised_aliased_and_fuzzy() {
    assert_eq!(
        counts(&check(GEOBOUNDARIES, TAKEOVER, &[])),
        (264, 0, 0, 7, 51, 120)
    );
    let aliased = check(GEOBOUNDARIES, TAKEOVER, &["--aliases", ALIASES]);
    // Reg is ambiguous now: the aliases find both Reg(Khanshin) and Registan.
    assert_eq!(counts(&aliased), (310, 46, 0, 8, 4, 72));
    let fuzzy = check(
        GEOBOUNDARIES,
        TAKEOVER,
        &["--aliases", ALIASES, "--fuzzy", "0.9"],
    );
    assert_eq!(counts(&fuzzy), (310, 46, 0, 8, 4, 72));
}

/// Every fuzzy match at the recommended threshold, without the alias file, on both boundary
/// sets: 52 pairs, each checked by hand against the district lists (same district, another
/// transliteration or a dropped suffix).
#[test]
fn fuzzy_matches_at_the_recommended_threshold_are_all_right() {
    let gadm = fuzzy_pairs(&check(GADM, TAKEOVER, &["--fuzzy", "0.9"]));
    let geob = fuzzy_pairs(&check(GEOBOUNDARIES, TAKEOVER, &["--fuzzy", "0.9"]));
    let checked: &[(&str, &str)] = &[
        // GADM: provincial centres are "X City" there.
        ("Baghlan", "Baghlan City"),
        ("Bamyan", "Bamyan City"),
        ("Farah", "Farah City"),
        ("Hirat", "Hirat City"),
        ("Kabul", "Kabul City"),
        ("Kandahar", "Kandahar City"),
        ("Baghran", "Bughran"),
        ("Chahar Bolak", "Char Bolak"),
        ("Chahar Kint", "Charkint"),
        ("Dishu", "Disho"),
        ("Dushi", "Doshi"),
        ("Khaki Jabbar", "Khaki Jabar"),
        ("Khani Chahar Bagh", "Khan Char Bagh"),
        ("Khwaja Sabz", "Khwaja Sabz Posh"),
        ("Kohsan", "Kuhsan"),
        ("Marawara", "Marwara"),
        ("Mazari Shari", "Mazar-i-Sharif"),
        ("Ruyi Du Ab", "Royi Du Ab"),
        ("Saydabad", "Sayid Abad"),
        ("Shahidi Hassas", "Shahidi Hasas"),
        ("Shamal", "Shamul"),
        ("Wor Mamay", "Wolmamay"),
        ("Sari Pul", "Sar-i-Pul City"),
        // geoBoundaries.
        ("Achin", "Acheen"),
        ("Chahar Burja", "Chahar Burjak"),
        ("Dahana-I-Ghori", "Dahana-I- Ghuri"),
        ("Dand Wa Patan", "Dand Patan"),
        ("Dawlat Shah", "Daulatshahi"),
        ("Dih Bala", "Deh Bala"),
        ("Gardez", "Gardiz"),
        ("Hisarak", "Hesarak"),
        ("Ishkashim", "Ishkashiem"),
        ("Jaji Maydan", "Jaji Maidan"),
        ("Kalafgan", "Kalfagan"),
        ("Khamyab", "Kham Ab"),
        ("Khogyani", "Khogayani"),
        ("Khushi", "Khoshi"),
        ("Kijran", "Kajran"),
        ("Kushk", "Koshk"),
        ("Kushki Kuhna", "Koshki Kohna"),
        ("Lal Pur", "Lal Por"),
        ("Mahmud Raqi", "Mahmudi Raqi"),
        ("Mazari Shari", "Mazari Sharif"),
        ("Muhammad Agha", "Mohammad Agha"),
        ("Musa Khel", "Mosa Khail"),
        ("Pachir Wa Agam", "Pachier Agam"),
        ("Qala-I-Kah", "Qala Ka"),
        ("Qala-I-Zal", "Qalay-I- Zal"),
        ("Sabari", "Sabri"),
        ("Sayid Karam", "Sayed Karam"),
        ("Sherzad", "Shirzad"),
        ("Spera", "Spira"),
        ("Wor Mamay", "Wor Mayi"),
    ];
    let mut found: Vec<(String, String)> = gadm.into_iter().chain(geob).collect();
    found.sort();
    let mut expected: Vec<(String, String)> = checked
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    expected.sort();
    expected.dedup();
    // Any pair not in the hand-checked list is a new, unchecked guess: fail loudly.
    let unchecked: Vec<_> = found.iter().filter(|p| !expected.contains(p)).collect();
    assert!(
        unchecked.is_empty(),
        "unchecked fuzzy matches: {unchecked:?}"
    );
    assert!(found.len() >= 30, "{}", found.len());
    // The first wrong candidate stays below the threshold.
    assert!(!found.iter().any(|(a, _)| a == "Hisa-I-Awali Panjsher"));
}

#[test]
fn lwj_snapshot_on_geoboundaries_and_gadm() {
    // geoBoundaries has no province: names alone, so same-name districts are ambiguous.
    let geob = check(GEOBOUNDARIES, LWJ, &[]);
    assert_eq!(geob["join"]["mode"], "name");
    assert_eq!(counts(&geob), (279, 0, 0, 14, 106, 109));
    assert_eq!(
        counts(&check(
            GEOBOUNDARIES,
            LWJ,
            &["--aliases", ALIASES, "--fuzzy", "0.9"]
        )),
        (373, 71, 23, 15, 11, 13)
    );
    // GADM (328 districts) predates 71 of OCHA's 399: those cannot match.
    let gadm = check(GADM, LWJ, &[]);
    assert_eq!(gadm["join"]["mode"], "name_province");
    assert_eq!(counts(&gadm), (233, 0, 0, 0, 166, 95));
    assert_eq!(
        counts(&check(GADM, LWJ, &["--aliases", ALIASES, "--fuzzy", "0.9"])),
        (316, 75, 8, 0, 83, 12)
    );
}

/// The 2021 timeline (old AIMS names) moved onto the OCHA 399 districts through the
/// crosswalk's older name columns, then the alias file.
#[test]
fn takeover_through_the_crosswalk_onto_ocha() {
    let crosswalk = [
        "--crosswalk",
        KEYFILE,
        "--crosswalk-from",
        OLD_NAMES,
        "--crosswalk-to",
        "2018_UNOCHA_district_code",
    ];
    let c = check(OCHA, TAKEOVER, &crosswalk);
    let by_crosswalk = c["join"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["method"] == "crosswalk")
        .count();
    assert_eq!(by_crosswalk, 247);
    let mut all = crosswalk.to_vec();
    all.extend(["--aliases", ALIASES]);
    let c = check(OCHA, TAKEOVER, &all);
    let (matched, _, _, ambiguous, unmatched, without) = counts(&c);
    assert_eq!((matched, ambiguous, unmatched, without), (309, 9, 4, 72));
    // The alias file settles Jaghatu (Ghazni's; Wardak's is "Bahrami Shahid").
    let jaghatu = c["join"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"]["name"] == "Jaghatu")
        .unwrap();
    assert_eq!(jaghatu["districts"][0]["province"], "Ghazni");
    // Every crosswalk match says which row re-keyed it.
    let taluqan = c["join"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"]["name"] == "Taluqan")
        .unwrap();
    assert_eq!(taluqan["method"], "crosswalk");
    assert_eq!(taluqan["districts"][0]["name"], "Taloqan");
    assert!(
        taluqan["via"].as_str().unwrap().contains("AF1801"),
        "{taluqan}"
    );
}

#[test]
fn check_json_is_the_documented_shape() {
    let c = check(GADM, TAKEOVER, &[]);
    assert_eq!(c["schema_version"], 1);
    for key in ["boundaries", "timeline", "join"] {
        assert!(c[key].is_object(), "{key}");
    }
    let b = &c["boundaries"];
    assert_eq!(b["format"], "geojson");
    assert_eq!(b["features"], 328);
    assert_eq!(b["name_field"], "NAME");
    assert_eq!(b["invalid_geometries"].as_array().unwrap().len(), 0);
    let t = &c["timeline"];
    assert_eq!(t["rows"], 11951);
    assert_eq!(
        (t["first_date"].as_str(), t["last_date"].as_str()),
        (Some("2021-05-11"), Some("2021-08-16"))
    );
    assert_eq!(t["dates"], 37);
    assert_eq!(t["districts"], 322);
    // 37 rows repeat another row exactly (one name twice on every date).
    assert_eq!(t["duplicate_rows"], 37);
    let last = t["per_date"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["counts"][0],
        serde_json::json!({"category": "taliban", "districts": 145})
    );
    let values: Vec<(&str, &str)> = t["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["value"].as_str().unwrap(),
                v["category"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [("0", "no-report"), ("1", "taliban"), ("2", "taliban")]
    );
    let unmatched = &c["join"]["unmatched_timeline"][0];
    assert!(unmatched["candidates"].as_array().unwrap().len() == 3);
    assert!(unmatched["candidates"][0]["score"].as_f64().unwrap() > 0.0);
    // The documented example is this document's shape: every key it shows exists here.
    let doc = std::fs::read_to_string(repo("docs/check-json.md")).unwrap();
    for key in [
        "schema_version",
        "invalid_geometries",
        "repaired_geometries",
        "unreadable_fields",
        "crs",
        "per_date",
        "reversals",
        "candidates",
        "fuzzy_threshold",
        "overridden",
    ] {
        assert!(
            doc.contains(&format!("\"{key}\"")),
            "docs/check-json.md lacks {key}"
        );
    }
}

#[test]
fn check_strict_fails_on_an_imperfect_join_but_still_reports() {
    let out = Command::cargo_bin("controlmap")
        .unwrap()
        .arg("check")
        .arg("--boundaries")
        .arg(data(GADM))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args(["--preset", "binary", "--map", "2=taliban", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Boundaries") && text.contains("7 ambiguous"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--strict"));
}

/// The documented example: geometry problems, a reversal, a repeated row, a fuzzy match and
/// an unmatched name with suggestions. A self-intersecting district is still drawn.
#[test]
fn check_names_geometry_problems_and_reversals() {
    let out = Command::cargo_bin("controlmap")
        .unwrap()
        .arg("check")
        .arg("--boundaries")
        .arg(repo("tests/fixtures/bowtie.geojson"))
        .arg("--status")
        .arg(repo("tests/fixtures/reversal.csv"))
        .args(["--fuzzy", "0.9", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &c["boundaries"];
    assert_eq!(b["empty_geometries"][0]["name"], "Empty");
    assert_eq!(b["invalid_geometries"][0]["district"]["name"], "Bowtie");
    assert!(
        b["invalid_geometries"][0]["problem"]
            .as_str()
            .unwrap()
            .contains("self-intersection")
    );
    let t = &c["timeline"];
    assert_eq!(t["duplicate_rows"], 1);
    let changes: Vec<&str> = t["reversals"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["government", "taliban", "government"]);
    assert_eq!(c["join"]["matched"][1]["method"], "fuzzy");
    assert_eq!(c["join"]["matched"][1]["districts"][0]["name"], "Square");
    assert_eq!(
        c["join"]["matched"][0]["key"]["sources"],
        serde_json::json!(["UN OCHA", "Tolo News"])
    );

    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("bowtie.svg");
    Command::cargo_bin("controlmap")
        .unwrap()
        .arg("render")
        .arg("--boundaries")
        .arg(repo("tests/fixtures/bowtie.geojson"))
        .arg("--status")
        .arg(repo("tests/fixtures/reversal.csv"))
        .args(["--date", "2021-06-15", "-o"])
        .arg(&svg)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains(r#"data-name="Bowtie" data-province="North" data-source="Tolo News" data-status="taliban""#), "{svg}");
}

/// Two status files that disagree: the later wins on the same district and date, the report
/// lists the replacement, and the SVG names the file each district's status came from.
#[test]
fn a_later_status_file_wins_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("map.svg");
    let report = dir.path().join("join.json");
    Command::cargo_bin("controlmap")
        .unwrap()
        .arg("render")
        .arg("--boundaries")
        .arg(repo("tests/fixtures/districts.geojson"))
        .arg("--status")
        .arg(repo("tests/fixtures/timeline.csv"))
        .arg("--status")
        .arg(repo("tests/fixtures/timeline-update.csv"))
        .args(["--date", "2021-06-15", "--report"])
        .arg(&report)
        .arg("-o")
        .arg(&svg)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "1 statuses replaced by a later file",
        ));
    let svg = std::fs::read_to_string(&svg).unwrap();
    let alpha = svg
        .lines()
        .find(|l| l.contains(r#"data-name="Alpha""#))
        .unwrap();
    assert!(
        alpha.contains(r#"data-source="timeline-update.csv" data-status="government""#),
        "{alpha}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let replaced = &report["overridden"][0];
    assert_eq!(replaced["district"], "Alpha (North)");
    assert_eq!(replaced["date"], "2021-06-01");
    assert_eq!(replaced["later"][2], "Government");
    assert_eq!(report["timeline"].as_array().unwrap().len(), 2);
}

/// Bad join inputs: each names the file and the place, and nothing is drawn.
#[test]
fn bad_alias_crosswalk_and_fuzzy_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let aliases = dir.path().join("aliases.csv");
    std::fs::write(&aliases, "alias,name\nTaluqan,\n").unwrap();
    let crosswalk = dir.path().join("crosswalk.csv");
    std::fs::write(&crosswalk, "old,code\nTALUQAN,AF1801\n").unwrap();
    let out = dir.path().join("map.svg");
    let run = |extra: &[&std::ffi::OsStr]| {
        let mut cmd = Command::cargo_bin("controlmap").unwrap();
        cmd.arg("render")
            .arg("--boundaries")
            .arg(repo("tests/fixtures/districts.geojson"))
            .arg("--status")
            .arg(repo("tests/fixtures/timeline.csv"))
            .args(["--date", "2021-06-15", "-o"])
            .arg(&out)
            .args(extra);
        cmd.assert()
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    run(&[os("--aliases"), aliases.as_os_str()])
        .code(1)
        .stderr(predicates::str::contains(
            "aliases.csv: line 2, column `name`: a name; the cell is empty",
        ));
    run(&[
        os("--crosswalk"),
        crosswalk.as_os_str(),
        os("--crosswalk-from"),
        os("older"),
        os("--crosswalk-to"),
        os("code"),
    ])
    .code(1)
    .stderr(predicates::str::contains(
        "crosswalk.csv: no crosswalk-from field `older`; available: old, code",
    ));
    run(&[os("--crosswalk"), crosswalk.as_os_str()]).code(2);
    run(&[os("--fuzzy"), os("1.5")])
        .code(2)
        .stderr(predicates::str::contains(
            "--fuzzy 1.5: expected a similarity threshold between 0.5 and 1",
        ));
    assert!(!out.exists());
}
