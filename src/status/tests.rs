use super::*;
use crate::read::{TimelineOptions, read_timeline};
use crate::timeline::Record;
use std::path::{Path, PathBuf};

fn keys(categories: &Categories) -> Vec<&str> {
    categories.list.iter().map(|c| c.key.as_str()).collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn timeline(values: &[(&str, u64)]) -> Timeline {
    Timeline {
        files: vec![crate::timeline::TimelineFile {
            path: PathBuf::from("t.csv"),
            columns: Default::default(),
        }],
        records: values
            .iter()
            .map(|&(value, line)| Record {
                line,
                id: None,
                district: "A".into(),
                province: None,
                date: None,
                value: value.into(),
                file: 0,
                source: None,
                note: None,
            })
            .collect(),
    }
}

#[test]
fn colors_parse_long_and_short_forms() {
    assert_eq!(
        Color::parse("#C0392b").unwrap(),
        Color {
            r: 0xc0,
            g: 0x39,
            b: 0x2b
        }
    );
    assert_eq!(
        Color::parse("#f0a").unwrap(),
        Color {
            r: 255,
            g: 0,
            b: 170
        }
    );
    for bad in [
        "", "#", "c0392b", "#c0392", "#ggg", "#c0392b0", "#é12", "red",
    ] {
        assert!(
            matches!(Color::parse(bad), Err(StatusError::BadColor(_))),
            "{bad}"
        );
    }
}

#[test]
fn default_is_lwj_with_its_spellings() {
    let c = Categories::from_options(&CategoryOptions::default()).unwrap();
    assert_eq!(
        keys(&c),
        ["taliban", "contested", "unconfirmed", "government"]
    );
    let id = |k| c.by_key(k);
    assert_eq!(c.classify("Taliban-Controlled"), id("taliban"));
    assert_eq!(c.classify("  under   TALIBAN_control "), id("taliban"));
    assert_eq!(c.classify("Contested"), id("contested"));
    assert_eq!(c.classify("Government"), id("government"));
    assert_eq!(c.classify("ANA control"), id("government"));
    assert_eq!(c.classify("taliban claim"), id("unconfirmed"));
    assert_eq!(c.classify("1"), None);
    assert_eq!(c.get(id("taliban").unwrap()).label, "Taliban control");
    assert_eq!(c.get(id("taliban").unwrap()).color.to_string(), "#c0392b");
    assert_eq!(c.no_data.key, "no-data");
    assert_eq!(c.no_data.label, "No data");
    assert_eq!(c.no_data.color.to_string(), "#f0f0f0");
}

#[test]
fn binary_preset() {
    let c = Categories::preset("binary").unwrap();
    assert_eq!(keys(&c), ["taliban", "no-report"]);
    assert_eq!(c.classify("1"), c.by_key("taliban"));
    assert_eq!(c.classify("No report"), c.by_key("no-report"));
    assert_eq!(c.classify("2"), None);
    assert!(Categories::preset("nato").is_none());
    let options = CategoryOptions {
        preset: Some("nato".into()),
        ..Default::default()
    };
    assert!(matches!(
        Categories::from_options(&options),
        Err(StatusError::UnknownPreset(_))
    ));
}

#[test]
fn maps_alone_define_the_categories_in_order() {
    let options = CategoryOptions {
        maps: pairs(&[("1", "taliban"), ("2", "taliban"), ("0", "no-report")]),
        ..Default::default()
    };
    let c = Categories::from_options(&options).unwrap();
    assert_eq!(keys(&c), ["taliban", "no-report"]);
    assert_eq!(c.classify("2"), Some(CategoryId(0)));
    assert_eq!(c.classify("0"), Some(CategoryId(1)));
    // Only the maps give spellings when no preset is named.
    assert_eq!(c.classify("taliban"), None);
    assert_eq!(c.get(CategoryId(1)).label, "No report of Taliban control");
}

#[test]
fn maps_extend_and_override_a_preset() {
    let options = CategoryOptions {
        preset: Some("lwj".into()),
        maps: pairs(&[
            ("ISIS", "isis"),
            ("contested", "taliban"),
            ("x", "drug-lords"),
        ]),
        ..Default::default()
    };
    let c = Categories::from_options(&options).unwrap();
    assert_eq!(
        keys(&c),
        [
            "taliban",
            "contested",
            "unconfirmed",
            "government",
            "isis",
            "drug-lords"
        ]
    );
    assert_eq!(c.classify("Contested"), c.by_key("taliban"));
    assert_eq!(c.classify("isis"), c.by_key("isis"));
    let isis = c.get(c.by_key("isis").unwrap());
    assert_eq!((isis.label.as_str(), isis.color), ("Isis", PALETTE[0]));
    let other = c.get(c.by_key("drug-lords").unwrap());
    assert_eq!(
        (other.label.as_str(), other.color),
        ("Drug lords", PALETTE[1])
    );
}

#[test]
fn colors_and_labels_override_and_unknown_keys_fail() {
    let white = Color::parse("#000").unwrap();
    let options = CategoryOptions {
        colors: vec![("contested".into(), white), ("no-data".into(), white)],
        labels: pairs(&[("government", "ANA"), ("no-data", "Unknown")]),
        ..Default::default()
    };
    let c = Categories::from_options(&options).unwrap();
    assert_eq!(c.get(c.by_key("contested").unwrap()).color, white);
    assert_eq!(c.get(c.by_key("government").unwrap()).label, "ANA");
    assert_eq!(
        (c.no_data.label.as_str(), c.no_data.color),
        ("Unknown", white)
    );

    let options = CategoryOptions {
        labels: pairs(&[("no-report", "x")]),
        ..Default::default()
    };
    match Categories::from_options(&options) {
        Err(StatusError::UnknownCategory { key, option, known }) => {
            assert_eq!((key.as_str(), option), ("no-report", "--label"));
            assert!(known.contains(&"no-data".to_string()));
        }
        other => panic!("{other:?}"),
    }
    let options = CategoryOptions {
        colors: vec![("isis".into(), white)],
        ..Default::default()
    };
    assert!(matches!(
        Categories::from_options(&options),
        Err(StatusError::UnknownCategory {
            option: "--color",
            ..
        })
    ));
}

#[test]
fn assignments_split_at_the_first_equals_sign() {
    assert_eq!(
        parse_assignment("--label", " taliban = Taliban = IEA ").unwrap(),
        ("taliban".into(), "Taliban = IEA".into())
    );
    for bad in ["taliban", "=x", "x=", ""] {
        assert!(
            matches!(
                parse_assignment("--map", bad),
                Err(StatusError::BadAssignment {
                    option: "--map",
                    ..
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn unknown_values_are_all_listed_by_first_line() {
    let c = Categories::preset("lwj").unwrap();
    let t = timeline(&[
        ("Taliban", 2),
        ("7", 3),
        ("ISIS", 4),
        ("7", 5),
        ("7", 9),
        ("Contested", 10),
    ]);
    match c.classify_timeline(&t) {
        Err(StatusError::UnknownValues { path, list, .. }) => {
            assert_eq!(path, "t.csv");
            assert_eq!(
                list,
                [
                    "\"7\" (3 rows, first at line 3)",
                    "\"ISIS\" (1 row, line 4)"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let t = timeline(&[("Taliban", 2), ("contested", 3)]);
    assert_eq!(
        c.classify_timeline(&t).unwrap(),
        [CategoryId(0), CategoryId(1)]
    );
}

fn shared(rel: &str) -> Timeline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    read_timeline(&path, &TimelineOptions::default()).unwrap()
}

fn counts(c: &Categories, ids: &[CategoryId]) -> Vec<(String, usize)> {
    c.list
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let n = ids.iter().filter(|id| id.0 == i).count();
            (cat.key.clone(), n)
        })
        .collect()
}

#[test]
fn real_lwj_2018_classifies_with_lwj() {
    let t = shared("lwj-control-2018/afg_districts.csv");
    let c = Categories::preset("lwj").unwrap();
    let ids = c.classify_timeline(&t).unwrap();
    assert_eq!(
        counts(&c, &ids),
        [
            ("taliban".to_string(), 49),
            ("contested".to_string(), 212),
            ("unconfirmed".to_string(), 0),
            ("government".to_string(), 138)
        ]
    );
}

#[test]
fn real_takeover_2021_needs_maps() {
    let t = shared("taliban-takeover-2021/taliban_takeover.csv");
    let lwj = Categories::from_options(&CategoryOptions::default()).unwrap();
    match lwj.classify_timeline(&t) {
        Err(e @ StatusError::UnknownValues { .. }) => {
            let StatusError::UnknownValues { list, .. } = &e else {
                unreachable!()
            };
            assert_eq!(list.len(), 3, "{e}");
            for v in ["\"0\"", "\"1\"", "\"2\""] {
                assert!(list.iter().any(|l| l.starts_with(v)), "{e}");
            }
            assert!(e.to_string().contains("--map"), "{e}");
        }
        other => panic!("{other:?}"),
    }

    let options = CategoryOptions {
        maps: pairs(&[("1", "taliban"), ("2", "taliban"), ("0", "no-report")]),
        ..Default::default()
    };
    let c = Categories::from_options(&options).unwrap();
    let ids = c.classify_timeline(&t).unwrap();
    assert_eq!(ids.len(), 11_951);
    let taliban = ids.iter().filter(|id| **id == CategoryId(0)).count();
    assert!(taliban > 0 && taliban < ids.len(), "{taliban}");
}
