use super::*;
use crate::read::{BoundaryFormat, DistrictId, FieldChoice};
use crate::status::Categories;
use crate::timeline::TimelineColumns;
use std::path::Path;

const GOV: CategoryId = CategoryId(0);
const TAL: CategoryId = CategoryId(1);

fn district(index: usize, id: &str, name: &str, province: Option<&str>) -> District {
    District {
        index,
        id: DistrictId(id.to_string()),
        name: name.to_string(),
        province: province.map(str::to_string),
        geometry: geo::MultiPolygon(vec![]),
    }
}

/// Districts as `(id, name, province)`; the layer has a province field if any has one.
fn boundaries(list: &[(&str, &str, Option<&str>)]) -> Boundaries {
    Boundaries {
        path: "districts.geojson".into(),
        format: BoundaryFormat::GeoJson,
        layer: None,
        fields: FieldChoice {
            id: Some("id".into()),
            name: "name".into(),
            province: list
                .iter()
                .any(|d| d.2.is_some())
                .then(|| "province".into()),
        },
        available: vec!["id".into(), "name".into(), "province".into()],
        notes: Default::default(),
        districts: list
            .iter()
            .enumerate()
            .map(|(i, (id, name, province))| district(i, id, name, *province))
            .collect(),
    }
}

struct Row {
    id: Option<&'static str>,
    name: &'static str,
    province: Option<&'static str>,
    date: Option<&'static str>,
    value: &'static str,
    category: CategoryId,
}

fn row(name: &'static str, date: Option<&'static str>, category: CategoryId) -> Row {
    Row {
        id: None,
        name,
        province: None,
        date,
        value: if category == TAL { "1" } else { "0" },
        category,
    }
}

fn in_province(province: &'static str, r: Row) -> Row {
    Row {
        province: Some(province),
        ..r
    }
}

/// A timeline of `rows` (lines 2, 3, ...) and their categories.
fn timeline(rows: &[Row]) -> (Timeline, Vec<CategoryId>) {
    let records = rows
        .iter()
        .zip(2..)
        .map(|(r, line)| Record {
            line,
            id: r.id.map(str::to_string),
            district: r.name.to_string(),
            province: r.province.map(str::to_string),
            date: r.date.and_then(Date::parse_iso),
            value: r.value.to_string(),
            file: 0,
            source: None,
            note: None,
        })
        .collect();
    let timeline = Timeline {
        files: vec![crate::timeline::TimelineFile {
            path: "status.csv".into(),
            columns: TimelineColumns::default(),
        }],
        records,
    };
    (timeline, rows.iter().map(|r| r.category).collect())
}

fn categories() -> Categories {
    Categories::preset("lwj").expect("the lwj preset exists")
}

#[allow(clippy::result_large_err)]
fn join(b: &Boundaries, rows: &[Row], ambiguous: Ambiguous) -> Result<Join, JoinError> {
    let (t, cats) = timeline(rows);
    Join::new(
        b,
        &t,
        &cats,
        &JoinOptions {
            ambiguous,
            ..Default::default()
        },
    )
}

fn date(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

fn names(matches: &[Match]) -> Vec<&str> {
    matches.iter().map(|m| m.key.name.as_str()).collect()
}

#[test]
fn ids_match_case_insensitively_after_trimming() {
    let b = boundaries(&[
        ("AF0101", "Kabul", Some("Kabul")),
        ("AF0102", "Paghman", Some("Kabul")),
    ]);
    let rows = [
        Row {
            id: Some(" af0102 "),
            ..row("Pagman", None, TAL)
        },
        Row {
            id: Some("AF0101"),
            ..row("", None, GOV)
        },
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.mode, JoinMode::Id);
    assert_eq!(j.report.matched.len(), 2);
    assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), Some(TAL)]);
    assert_eq!(j.report.matched[0].key.id.as_deref(), Some(" af0102 "));
    assert!(!j.report.has_problems());
}

#[test]
fn province_tells_same_name_districts_apart() {
    let b = boundaries(&[
        ("a", "Kohistan", Some("Kapisa")),
        ("b", "Kohistan", Some("Faryab")),
    ]);
    let rows = [
        in_province("Faryab", row("Kohistan", None, TAL)),
        in_province("Kapisa", row("Kohistan", None, GOV)),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.mode, JoinMode::NameProvince);
    assert_eq!(j.report.keys, 2);
    assert_eq!(j.report.matched.len(), 2);
    assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), Some(TAL)]);
    assert!(!j.report.has_problems());
}

#[test]
fn province_spellings_are_aliased() {
    let b = boundaries(&[("a", "Nad-e-Ali", Some("Helmand"))]);
    let rows = [in_province("Hilmand", row("Nad Ali", None, TAL))];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.matched.len(), 1);
    assert_eq!(j.histories[0].steps, [(None, TAL)]);
}

#[test]
fn ambiguous_names_are_no_data_unless_asked() {
    let b = boundaries(&[
        ("a", "Kohistan", Some("Kapisa")),
        ("b", "Kohistan", Some("Faryab")),
        ("c", "Argo", Some("Badakhshan")),
    ]);
    let rows = [row("Kohistan", None, TAL), row("Argo", None, GOV)];

    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.mode, JoinMode::Name);
    assert_eq!(names(&j.report.ambiguous), ["Kohistan"]);
    assert_eq!(j.report.ambiguous[0].districts.len(), 2);
    assert!(j.report.unmatched_districts.is_empty());
    assert_eq!(j.categories_on(date("2021-01-01")), [None, None, Some(GOV)]);
    assert!(j.report.has_problems());
    let summary = j.report.summary();
    assert!(
        summary.contains("1 ambiguous (2 districts, left as no data"),
        "{summary}"
    );
    assert!(summary.contains("Kohistan (Faryab, b)"), "{summary}");

    let j = join(&b, &rows, Ambiguous::All).unwrap();
    assert_eq!(j.report.ambiguous.len(), 1);
    assert_eq!(j.report.ambiguous_policy, Ambiguous::All);
    assert_eq!(
        j.categories_on(date("2021-01-01")),
        [Some(TAL), Some(TAL), Some(GOV)]
    );
}

#[test]
fn conflicting_rows_name_both_lines() {
    let b = boundaries(&[("a", "Argo", Some("Badakhshan"))]);
    let rows = [
        in_province("Badakhshan", row("Argo", Some("2021-06-20"), GOV)),
        in_province("Badakhshan", row("Argo", Some("2021-06-21"), GOV)),
        in_province("Badakhshan", row("ARGO", Some("2021-06-20"), TAL)),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    let c = &j.report.conflicts[0];
    assert_eq!(c.district, "Argo (Badakhshan)");
    assert_eq!(c.date, "2021-06-20");
    assert_eq!((c.line_a, c.value_a.as_str()), (2, "0"));
    assert_eq!((c.line_b, c.value_b.as_str()), (4, "1"));
    // The first row's status is kept for the check; a map stops at the conflict.
    assert_eq!(j.categories_on(date("2021-06-20")), [Some(GOV)]);
    assert!(j.report.has_problems());
    let message = j.conflict().unwrap().to_string();
    assert!(
        message.contains("line 2 says `0`, line 4 says `1`"),
        "{message}"
    );

    let undated = [row("Argo", None, GOV), row("Argo", None, TAL)];
    let err = join(&b, &undated, Ambiguous::None)
        .unwrap()
        .conflict()
        .unwrap();
    assert!(err.to_string().contains("`Argo` on every date"), "{err}");
}

/// Two files: the second wins on the same district and date, and the report says so.
#[test]
fn a_later_file_overrides_an_earlier_one() {
    let b = boundaries(&[("a", "Argo", None), ("b", "Khash", None)]);
    let rows = [
        row("Argo", Some("2021-06-20"), GOV),
        row("Khash", Some("2021-06-20"), GOV),
        row("Argo", Some("2021-06-20"), TAL),
        row("Khash", Some("2021-06-20"), GOV),
    ];
    let (mut t, cats) = timeline(&rows);
    t.files.push(crate::timeline::TimelineFile {
        path: "update.csv".into(),
        columns: TimelineColumns::default(),
    });
    t.records[2].file = 1;
    t.records[3].file = 1;
    t.records[2].source = Some("Tolo News".into());
    let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
    assert!(j.report.conflicts.is_empty());
    assert_eq!(j.categories_on(date("2021-06-20")), [Some(TAL), Some(GOV)]);
    assert_eq!(j.report.overridden.len(), 1);
    assert_eq!(j.report.overridden[0].later.0, Path::new("update.csv"));
    assert_eq!(j.report.duplicate_rows, 0);
    // The source column wins; without one, a merged timeline names the file.
    assert_eq!(
        j.histories[0].source_at(date("2021-06-20")),
        Some("Tolo News")
    );
    assert_eq!(
        j.histories[1].source_at(date("2021-06-20")),
        Some("update.csv")
    );
    assert_eq!(j.report.matched[0].key.sources, ["Tolo News"]);
    assert!(
        j.report
            .summary()
            .contains("1 statuses replaced by a later file")
    );
}

fn aliases(rows: &[(&str, &str, Option<&str>)]) -> Aliases {
    Aliases {
        path: "aliases.csv".into(),
        rows: rows
            .iter()
            .zip(2..)
            .map(|(&(alias, name, province), line)| crate::read::Alias {
                line,
                alias: alias.into(),
                name: name.into(),
                province: province.map(str::to_string),
            })
            .collect(),
    }
}

#[test]
fn aliases_find_other_spellings_both_ways_and_settle_ambiguity() {
    let b = boundaries(&[
        ("a", "Taloqan", Some("Takhar")),
        ("b", "Kohistan", Some("Kapisa")),
        ("c", "Kohistan", Some("Faryab")),
        ("d", "Shibirghan", Some("Jawzjan")),
    ]);
    let rows = [
        row("Taluqan", None, TAL),
        row("Kohistan", None, GOV),
        row("Shiberghan", None, TAL),
    ];
    let (t, cats) = timeline(&rows);
    let options = JoinOptions {
        aliases: Some(aliases(&[
            ("Taluqan", "Taloqan", None),
            // Written the other way round: spellings are symmetric.
            ("Shibirghan", "Shiberghan", None),
            // Same spelling with a province: this timeline's Kohistan is Kapisa's.
            ("Kohistan", "Kohistan", Some("Kapisa")),
        ])),
        ..Default::default()
    };
    let j = Join::new(&b, &t, &cats, &options).unwrap();
    assert_eq!(j.report.matched.len(), 3, "{}", j.report.summary());
    assert!(j.report.matched.iter().all(|m| m.method == Method::Alias));
    assert!(
        j.report.matched[0]
            .via
            .as_deref()
            .unwrap()
            .contains("line 2")
    );
    assert_eq!(
        j.categories_on(date("2021-01-01")),
        [Some(TAL), Some(GOV), None, Some(TAL)]
    );
    assert!(j.report.summary().contains("3 by alias"));

    // An exact match is never overridden by an alias.
    let exact = [row("Taloqan", None, GOV)];
    let (t, cats) = timeline(&exact);
    let j = Join::new(&b, &t, &cats, &options).unwrap();
    assert_eq!(j.report.matched[0].method, Method::Name);
}

fn crosswalk(rows: &[(&str, &str)]) -> Crosswalk {
    Crosswalk {
        path: "crosswalk.csv".into(),
        from: vec!["old".into()],
        to: "pcode".into(),
        rows: rows
            .iter()
            .zip(2..)
            .map(|(&(from, to), line)| crate::read::CrosswalkRow {
                line,
                from: vec![Some(from.into())],
                to: to.into(),
            })
            .collect(),
    }
}

#[test]
fn crosswalk_rekeys_splits_and_keeps_ambiguity() {
    let b = boundaries(&[
        ("AF1", "Darwaz-e-Bala", Some("Badakhshan")),
        ("AF2", "Darwaz", Some("Badakhshan")),
        ("AF3", "Kohistan", Some("Kapisa")),
        ("AF4", "Kohistan", Some("Faryab")),
        ("AF5", "Taloqan", Some("Takhar")),
    ]);
    let rows = [
        row("Darwaz", None, TAL),
        row("Kohistan", None, GOV),
        row("TALUQAN", None, TAL),
        row("Nowhere", None, GOV),
    ];
    let (t, cats) = timeline(&rows);
    let options = JoinOptions {
        crosswalk: Some(crosswalk(&[
            ("Darwaz", "AF1"),
            ("Darwaz", "AF2"),
            ("Kohistan", "AF3"),
            ("Kohistan", "AF4"),
            ("Taluqan", "AF5"),
        ])),
        ..Default::default()
    };
    let j = Join::new(&b, &t, &cats, &options).unwrap();
    let r = &j.report;
    // Darwaz split in two within one province: both inherit.
    assert_eq!(names(&r.matched), ["Darwaz", "TALUQAN"]);
    assert!(r.matched[0].split && r.matched[0].districts.len() == 2);
    assert_eq!(r.matched[0].method, Method::Crosswalk);
    assert!(r.matched[1].via.as_deref().unwrap().contains("`AF5`"));
    // Kohistan in two provinces: ambiguous, not a split.
    assert_eq!(names(&r.ambiguous), ["Kohistan"]);
    assert_eq!(names(&r.unmatched_timeline), ["Nowhere"]);
    assert_eq!(
        j.categories_on(date("2021-01-01")),
        [Some(TAL), Some(TAL), None, None, Some(TAL)]
    );
    assert!(
        r.summary()
            .contains("1 split districts' successors inherit")
    );
}

#[test]
fn fuzzy_matches_only_when_asked_and_reports_scores() {
    let b = boundaries(&[
        ("a", "Acheen", None),
        ("b", "Gardiz", None),
        ("c", "Registan", None),
    ]);
    let rows = [
        row("Achin", None, TAL),
        row("Gardez", None, GOV),
        row("Nuristan", None, GOV),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.unmatched_timeline.len(), 3);
    // Suggestions, best first, but nothing applied.
    let c = &j.report.unmatched_timeline[0].candidates;
    assert_eq!(c[0].district.name, "Acheen");
    assert!(c[0].score > c[1].score);

    let (t, cats) = timeline(&rows);
    let options = JoinOptions {
        fuzzy: Some(RECOMMENDED_THRESHOLD),
        ..Default::default()
    };
    let j = Join::new(&b, &t, &cats, &options).unwrap();
    let fuzzy: Vec<(&str, &str)> = j
        .report
        .by_method(Method::Fuzzy)
        .map(|m| (m.key.name.as_str(), m.districts[0].name.as_str()))
        .collect();
    assert_eq!(fuzzy, [("Achin", "Acheen"), ("Gardez", "Gardiz")]);
    assert!(j.report.matched.iter().all(|m| m.score.unwrap() >= 0.9));
    assert_eq!(names(&j.report.unmatched_timeline), ["Nuristan"]);
    assert!(
        j.report.summary().contains("fuzzy 1.000: `Achin`"),
        "{}",
        j.report.summary()
    );

    let bad = JoinOptions {
        fuzzy: Some(1.5),
        ..Default::default()
    };
    assert!(matches!(
        Join::new(&b, &t, &cats, &bad),
        Err(JoinError::Threshold(_))
    ));
}

#[test]
fn agreeing_duplicate_rows_are_one_step() {
    let b = boundaries(&[("a", "Reg", None), ("b", "Muqur", None)]);
    let rows = [
        row("Reg", Some("2021-05-11"), GOV),
        row("Reg", Some("2021-05-12"), GOV),
        row("Reg", Some("2021-05-11"), GOV),
        row("Reg", Some("2021-05-12"), GOV),
        // Different raw values, same category.
        Row {
            value: "2",
            ..row("Muqur", Some("2021-07-01"), TAL)
        },
        row("Muqur", Some("2021-07-01"), TAL),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.histories[0].steps.len(), 2);
    assert_eq!(j.histories[1].steps.len(), 1);
    assert_eq!(j.report.matched[0].key.rows, 4);
}

#[test]
fn unmatched_both_ways() {
    let b = boundaries(&[
        ("a", "Argo", Some("Badakhshan")),
        ("b", "Kohistan", Some("Faryab")),
        ("c", "Khash", Some("Badakhshan")),
    ]);
    let rows = [
        in_province("Badakhshan", row("Argo", None, GOV)),
        in_province("Kapisa", row("Kohistan", None, TAL)),
        in_province("Badakhshan", row("Nowhere", None, TAL)),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(names(&j.report.unmatched_timeline), ["Kohistan", "Nowhere"]);
    // Same name, other province: shown so the user sees why.
    assert_eq!(j.report.unmatched_timeline[0].districts[0].id, "b");
    assert!(j.report.unmatched_timeline[1].districts.is_empty());
    let unmatched: Vec<&str> = j
        .report
        .unmatched_districts
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(unmatched, ["Kohistan", "Khash"]);
    assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), None, None]);
    let summary = j.report.summary();
    assert!(summary.contains("2 unmatched names, 2 districts without a record"));
    assert!(
        summary.contains("that name exists as Kohistan (Faryab, b)"),
        "{summary}"
    );
}

#[test]
fn first_key_wins_a_district_matched_twice() {
    // The boundaries have no province, so both provinces' Reg rows reach the one Reg.
    let b = boundaries(&[("a", "Reg", None)]);
    let rows = [
        in_province("Hilmand", row("Reg", None, GOV)),
        in_province("Kandahar", row("Reg", None, TAL)),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.report.mode, JoinMode::Name);
    assert_eq!(j.report.keys, 2);
    assert_eq!(j.report.multiply_matched.len(), 1);
    assert_eq!(
        j.report.multiply_matched[0].key.province.as_deref(),
        Some("Kandahar")
    );
    assert_eq!(j.histories[0].steps, [(None, GOV)]);
    assert!(
        j.report
            .summary()
            .contains("1 later matches of an already matched")
    );
}

#[test]
fn status_is_as_of_the_latest_record() {
    let b = boundaries(&[("a", "Argo", None), ("b", "Khash", None)]);
    let rows = [
        row("Argo", Some("2021-05-11"), GOV),
        row("Khash", Some("2021-06-01"), GOV),
        row("Argo", Some("2021-07-01"), TAL),
    ];
    let j = join(&b, &rows, Ambiguous::None).unwrap();
    assert_eq!(j.categories_on(date("2021-05-10")), [None, None]);
    assert_eq!(j.categories_on(date("2021-06-15")), [Some(GOV), Some(GOV)]);
    assert_eq!(j.categories_on(date("2021-07-01")), [Some(TAL), Some(GOV)]);
}

#[test]
fn empty_inputs_do_not_panic() {
    let j = join(&boundaries(&[]), &[], Ambiguous::None).unwrap();
    assert_eq!(j.report.keys, 0);
    assert!(j.report.summary().starts_with("join: 0 timeline names"));

    // An empty name never matches a district with an empty name.
    let b = boundaries(&[("a", "", None)]);
    let j = join(&b, &[row(" - ", None, GOV)], Ambiguous::None).unwrap();
    assert_eq!(j.report.unmatched_timeline.len(), 1);
    assert_eq!(j.report.unmatched_districts.len(), 1);
}

#[test]
fn summary_caps_its_detail_lines() {
    let b = boundaries(&[]);
    let names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"];
    let rows: Vec<Row> = names.iter().map(|n| row(n, None, GOV)).collect();
    let summary = join(&b, &rows, Ambiguous::None).unwrap().report.summary();
    assert_eq!(summary.lines().count(), 12, "{summary}");
    assert!(
        summary.ends_with("… and 2 more (see --report)"),
        "{summary}"
    );
}

fn data(path: &str) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(path);
    path.exists().then_some(path)
}

/// The 2021 takeover CSV (322 names, no province) against its own TopoJSON.
#[test]
fn real_takeover_timeline_joins_its_districts_by_name() {
    let (Some(csv), Some(topo)) = (
        data("taliban-takeover-2021/taliban_takeover.csv"),
        data("taliban-takeover-2021/combined.json"),
    ) else {
        return;
    };
    let b = crate::read::read_boundaries(&topo, &Default::default()).unwrap();
    let t = crate::read::read_timeline(&csv, &Default::default()).unwrap();
    let maps = [("1", "taliban"), ("2", "taliban"), ("0", "no-report")];
    let categories = Categories::from_options(&crate::status::CategoryOptions {
        maps: maps
            .iter()
            .map(|(v, k)| (v.to_string(), k.to_string()))
            .collect(),
        ..Default::default()
    })
    .unwrap();
    let cats = categories.classify_timeline(&t).unwrap();
    let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
    let r = &j.report;
    assert_eq!(r.mode, JoinMode::Name);
    assert_eq!((r.keys, r.districts), (322, 329));
    assert_eq!(r.matched.len(), 315);
    let mut ambiguous = names(&r.ambiguous);
    ambiguous.sort_unstable();
    assert_eq!(
        ambiguous,
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
    assert!(r.ambiguous.iter().all(|m| m.districts.len() == 2));
    assert!(r.unmatched_timeline.is_empty() && r.unmatched_districts.is_empty());
    let coloured = j.categories_on(date("2021-08-16"));
    assert_eq!(coloured.iter().filter(|c| c.is_some()).count(), 315);

    let options = JoinOptions {
        ambiguous: Ambiguous::All,
        ..Default::default()
    };
    let j = Join::new(&b, &t, &cats, &options).unwrap();
    let coloured = j.categories_on(date("2021-08-16"));
    assert_eq!(coloured.iter().filter(|c| c.is_some()).count(), 329);
}

/// The LWJ snapshot (ADM2_EN + ADM1_EN) against OCHA 2018: the province settles every
/// repeated name; without it exactly the 11 known repeats are ambiguous, so
/// normalisation merges no two distinct names.
#[test]
fn real_lwj_snapshot_needs_the_province() {
    let (Some(csv), Some(shp)) = (
        data("lwj-control-2018/afg_districts.csv"),
        data("ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp"),
    ) else {
        return;
    };
    let mut b = crate::read::read_boundaries(&shp, &Default::default()).unwrap();
    let t = crate::read::read_timeline(&csv, &Default::default()).unwrap();
    let categories = categories();
    let cats = categories.classify_timeline(&t).unwrap();
    let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
    assert_eq!(j.report.mode, JoinMode::NameProvince);
    assert_eq!((j.report.keys, j.report.matched.len()), (399, 399));
    assert!(!j.report.has_problems(), "{}", j.report.summary());

    b.fields.province = None;
    let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
    assert_eq!(j.report.mode, JoinMode::Name);
    let mut ambiguous: Vec<String> = j
        .report
        .ambiguous
        .iter()
        .map(|m| normalize_name(&m.key.name))
        .collect();
    ambiguous.sort_unstable();
    ambiguous.dedup();
    assert_eq!(ambiguous.len(), 11, "{ambiguous:?}");
    assert_eq!(j.report.matched.len(), 399 - 22);
    assert!(j.report.unmatched_districts.is_empty());
}
