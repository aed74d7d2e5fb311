//! Timeline files read through the public API, on the real data in ../shared/data.

use controlmap::read::{self, TimelineOptions};

mod common;
use common::data;

#[test]
fn takeover_csv_is_long_with_11951_records_on_37_dates() {
    let path = data("taliban-takeover-2021/taliban_takeover.csv");
    let t = read::read_timelines(std::slice::from_ref(&path), &TimelineOptions::default()).unwrap();
    assert_eq!(t.records.len(), 11_951);
    assert_eq!(t.dates().len(), 37);
    let columns = &t.files[0].columns;
    assert!(!columns.wide);
    assert_eq!(columns.date.as_deref(), Some("date"));
    assert_eq!(
        (columns.source.as_ref(), columns.note.as_ref()),
        (None, None)
    );
    assert!(t.records.iter().all(|r| r.file == 0 && r.date.is_some()));
}

#[test]
fn real_files_merge_file_after_file() {
    let paths = [
        data("lwj-control-2018/afg_districts.csv"),
        data("taliban-takeover-2021/taliban_takeover.csv"),
    ];
    let t = read::read_timelines(&paths, &TimelineOptions::default()).unwrap();
    assert_eq!(t.files.len(), 2);
    assert_eq!(t.records.len(), 399 + 11_951);
    assert!(
        t.records[..399]
            .iter()
            .all(|r| r.file == 0 && r.date.is_none())
    );
    assert!(
        t.records[399..]
            .iter()
            .all(|r| r.file == 1 && r.date.is_some())
    );
    assert_eq!(t.path_of(&t.records[399]), paths[1]);
}
