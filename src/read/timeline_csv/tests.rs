use super::*;
use crate::read::read_timeline;

fn write(content: &[u8]) -> tempfile::NamedTempFile {
    use std::io::Write;
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(content).unwrap();
    file
}

fn read(content: &[u8]) -> Result<Timeline, ReadError> {
    read_timeline(write(content).path(), &TimelineOptions::default())
}

fn read_with(content: &[u8], options: &TimelineOptions) -> Result<Timeline, ReadError> {
    read_timeline(write(content).path(), options)
}

fn message(result: Result<Timeline, ReadError>) -> String {
    result.expect_err("expected an error").to_string()
}

fn date(s: &str) -> Option<Date> {
    Some(Date::parse_iso(s).unwrap())
}

#[test]
fn bom_crlf_and_no_final_newline() {
    let t = read(b"\xEF\xBB\xBFDistrict,Province,Date,Status\r\nKabul,Kabul,2021-06-20,Contested\r\nArgo,Badakhshan,2021-06-21,Taliban")
            .unwrap();
    assert_eq!(t.files[0].columns.district.as_deref(), Some("District"));
    assert_eq!(t.files[0].columns.province.as_deref(), Some("Province"));
    assert_eq!(t.files[0].columns.date.as_deref(), Some("Date"));
    assert_eq!(t.files[0].columns.status, "Status");
    assert_eq!(t.records.len(), 2);
    let last = &t.records[1];
    assert_eq!(last.line, 3);
    assert_eq!(last.district, "Argo");
    assert_eq!(last.province.as_deref(), Some("Badakhshan"));
    assert_eq!(last.date, date("2021-06-21"));
    assert_eq!(last.value, "Taliban");
    assert_eq!(t.records[0].line, 2);
}

#[test]
fn quoted_fields_spaces_and_double_spaces() {
    let t = read(
            b"name,province,status\n\"Zinda  Jan\" , Herat ,\"Government, mostly\"\n  \"Kabul\",\"Kabul\",  contested  \n",
        )
        .unwrap();
    assert_eq!(t.records[0].district, "Zinda Jan");
    assert_eq!(t.records[0].province.as_deref(), Some("Herat"));
    assert_eq!(t.records[0].value, "Government, mostly");
    assert_eq!(t.records[1].district, "Kabul");
    assert_eq!(t.records[1].value, "contested");
    assert_eq!(t.records[1].date, None);
}

#[test]
fn snapshot_without_date_column() {
    let t = read(b"ADM2_EN,ADM1_EN,Control Under\nArgo,Badakhshan,Contested\n").unwrap();
    assert_eq!(t.files[0].columns.date, None);
    assert_eq!(t.files[0].columns.status, "Control Under");
    assert!(t.records.iter().all(|r| r.date.is_none()));
    assert!(t.dates().is_empty());
}

#[test]
fn id_header_is_a_district_name_and_pcode_is_an_id() {
    let t = read(b"id,date,taliban_control,idx\nAb Band,6/20/2021,0,0\n").unwrap();
    assert_eq!(t.files[0].columns.district.as_deref(), Some("id"));
    assert_eq!(t.files[0].columns.id, None);
    assert_eq!(t.records[0].district, "Ab Band");

    let t = read(b"ADM2_PCODE,as_of,status\nAF0101,2021-06-01,taliban\n").unwrap();
    assert_eq!(t.files[0].columns.id.as_deref(), Some("ADM2_PCODE"));
    assert_eq!(t.files[0].columns.district, None);
    assert_eq!(t.records[0].id.as_deref(), Some("AF0101"));
    assert_eq!(t.records[0].district, "");
}

#[test]
fn ambiguous_dates_ask_for_date_format() {
    let csv = b"district,date,status\nA,5/6/2021,1\nB,6/5/2021,0\n";
    let err = message(read(csv));
    assert!(err.contains("--date-format"), "{err}");
    let t = read_with(
        csv,
        &TimelineOptions {
            date_format: Some(DateFormat::Dmy),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(t.records[0].date, date("2021-06-05"));
}

#[test]
fn day_first_and_month_first_are_told_from_the_data() {
    let t = read(b"district,date,status\nA,5/6/2021,1\nB,20.6.2021,0\n").unwrap();
    assert_eq!(t.records[0].date, date("2021-06-05"));
    assert_eq!(t.records[1].date, date("2021-06-20"));
    let t = read(b"district,date,status\nA,5-6-2021,1\nB,6-20-2021,0\n").unwrap();
    assert_eq!(t.records[0].date, date("2021-05-06"));
    assert_eq!(t.records[1].date, date("2021-06-20"));
}

#[test]
fn conflicting_or_mixed_dates_are_errors() {
    let err = message(read(
        b"district,date,status\nA,20/6/2021,1\nB,6/20/2021,0\n",
    ));
    assert!(err.contains("line 3") && err.contains("20/6/2021"), "{err}");
    let err = message(read(
        b"district,date,status\nA,2021-06-20,1\nB,6/20/2021,0\n",
    ));
    assert!(
        err.contains("line 3") && err.contains("2021-06-20"),
        "{err}"
    );
}

#[test]
fn bad_date_names_line_column_and_value() {
    for bad in ["2021-13-40", "June 5", "2/30/2021", "13/13/2021", "5/6/21"] {
        let csv = format!("district,date,status\nA,6/20/2021,1\nB,{bad},0\n");
        let err = message(read(csv.as_bytes()));
        assert!(
            err.contains("line 3, column `date`") && err.contains(bad),
            "{bad}: {err}"
        );
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }
    let err = message(read_with(
        b"district,date,status\nA,2021-06-01,1\n",
        &TimelineOptions {
            date_format: Some(DateFormat::Mdy),
            ..Default::default()
        },
    ));
    assert!(err.contains("line 2") && err.contains("M/D/YYYY"), "{err}");
}

#[test]
fn empty_cells_are_errors() {
    let err = message(read(b"district,date,status\nA,2021-06-01,\n"));
    assert!(err.contains("line 2, column `status`"), "{err}");
    let err = message(read(b"district,date,status\n,2021-06-01,1\n"));
    assert!(err.contains("line 2, column `district`"), "{err}");
    let err = message(read(b"district,date,status\nA,,1\n"));
    assert!(err.contains("line 2, column `date`"), "{err}");
}

#[test]
fn line_numbers_count_crlf_blank_lines_and_multiline_cells() {
    let t = read(b"district,status\r\nA,1\r\n\r\n\"B\r\nC\",2\r\nD,3\r\n").unwrap();
    let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4, 6]);
    assert_eq!(t.records[1].district, "B C");
    let err = message(read(b"district,status\r\nA,1\r\nB,2\r\nC\r\n"));
    assert!(err.contains("line 4:"), "{err}");
}

#[test]
fn wrong_field_count_and_bad_utf8_name_the_line() {
    let err = message(read(b"district,status\nA,1\nB,1,extra\n"));
    assert!(err.contains("line 3") && err.contains("found 3"), "{err}");
    let err = message(read(b"district,status\nA,1\nB\xE9z,1\n"));
    assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
}

#[test]
fn named_columns_and_missing_ones() {
    let options = TimelineOptions {
        district_column: Some("where".into()),
        status_column: Some("what".into()),
        ..Default::default()
    };
    let t = read_with(b"where,what,status\nA,x,y\n", &options).unwrap();
    assert_eq!(t.records[0].district, "A");
    assert_eq!(t.records[0].value, "x");

    let options = TimelineOptions {
        date_column: Some("when".into()),
        ..Default::default()
    };
    match read_with(b"district,status\nA,1\n", &options) {
        Err(ReadError::MissingField {
            role,
            field,
            available,
            ..
        }) => {
            assert_eq!((role, field.as_str()), ("date", "when"));
            assert_eq!(available, ["district", "status"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn undetected_columns() {
    match read(b"district,colour\nA,1\n") {
        Err(ReadError::UndetectedField { role, flag, .. }) => {
            assert_eq!((role, flag), ("status", "status-column"))
        }
        other => panic!("{other:?}"),
    }
    match read(b"place,status\nA,1\n") {
        Err(ReadError::UndetectedField { role, flag, .. }) => {
            assert_eq!((role, flag), ("district", "district-column"))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(read(b""), Err(ReadError::Invalid { .. })));
}

#[test]
fn source_and_note_columns_are_detected_or_named() {
    let t = read(
            b"district,date,status,Sources,Comment\nA,2021-06-01,1, Tolo News ,\nB,2021-06-01,0,,  recaptured \n",
        )
        .unwrap();
    let columns = &t.files[0].columns;
    assert_eq!(columns.source.as_deref(), Some("Sources"));
    assert_eq!(columns.note.as_deref(), Some("Comment"));
    assert_eq!(t.records[0].source.as_deref(), Some("Tolo News"));
    assert_eq!(t.records[0].note, None);
    assert_eq!(t.records[1].source, None);
    assert_eq!(t.records[1].note.as_deref(), Some("recaptured"));

    let options = TimelineOptions {
        source_column: Some("who".into()),
        note_column: Some("why".into()),
        ..Default::default()
    };
    let t = read_with(b"district,status,who,why,note\nA,1,LWJ,late,x\n", &options).unwrap();
    assert_eq!(t.records[0].source.as_deref(), Some("LWJ"));
    assert_eq!(t.records[0].note.as_deref(), Some("late"));
    assert_eq!(t.files[0].columns.note.as_deref(), Some("why"));

    let t = read(b"district,status\nA,1\n").unwrap();
    assert_eq!(
        (t.records[0].source.as_ref(), t.records[0].note.as_ref()),
        (None, None)
    );
    assert_eq!(t.files[0].columns.source, None);
}

#[test]
fn wide_iso_headers_one_record_per_filled_cell() {
    let t = read(
            b"district,province,2021-05-11,2021-06-20,source\nAb Band,Ghazni,0,1,LWJ\nArgo,Badakhshan,,0,\n",
        )
        .unwrap();
    let columns = &t.files[0].columns;
    assert!(columns.wide);
    assert_eq!(columns.date, None);
    assert_eq!(columns.status, "2021-05-11");
    assert_eq!(columns.province.as_deref(), Some("province"));
    assert_eq!(columns.source.as_deref(), Some("source"));
    // Argo's empty cell on 2021-05-11 is no record, not an error.
    let got: Vec<(u64, &str, String, &str)> = t
        .records
        .iter()
        .map(|r| {
            let date = r.date.unwrap().to_string();
            (r.line, r.district.as_str(), date, r.value.as_str())
        })
        .collect();
    let want = [
        (2, "Ab Band", "2021-05-11", "0"),
        (2, "Ab Band", "2021-06-20", "1"),
        (3, "Argo", "2021-06-20", "0"),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0, g.1, g.2.as_str(), g.3), w);
    }
    assert_eq!(t.records[1].source.as_deref(), Some("LWJ"));
    assert_eq!(t.records[1].province.as_deref(), Some("Ghazni"));
    assert_eq!(t.dates().len(), 2);
}

#[test]
fn wide_slashed_headers_with_crlf() {
    let t = read(b"name,5/11/2021,6/20/2021,8/16/2021\r\nAb Band,0,1,1\r\nArgo,0,0,\r\n").unwrap();
    assert!(t.files[0].columns.wide);
    assert_eq!(t.files[0].columns.status, "5/11/2021");
    assert_eq!(
        t.dates(),
        [date("2021-05-11"), date("2021-06-20"), date("2021-08-16")].map(Option::unwrap)
    );
    assert_eq!(t.records.len(), 5);
    assert_eq!(t.records[4].line, 3);
    assert_eq!(t.records[4].date, date("2021-06-20"));

    // Day-first headers are told apart the same way as date cells.
    let t = read(b"name,20/6/2021,5/7/2021\nA,1,0\n").unwrap();
    assert_eq!(t.records[1].date, date("2021-07-05"));
    // And ambiguous ones ask for --date-format.
    let csv = b"name,5/6/2021,6/5/2021\nA,1,0\n";
    let err = message(read(csv));
    assert!(
        err.contains("the date headers") && err.contains("--date-format"),
        "{err}"
    );
    let options = TimelineOptions {
        date_format: Some(DateFormat::Mdy),
        ..Default::default()
    };
    assert_eq!(
        read_with(csv, &options).unwrap().records[0].date,
        date("2021-05-06")
    );
}

#[test]
fn wide_files_refuse_unknown_headers_and_repeated_dates() {
    let err = message(read(b"district,2021-05-11,remarks,2021-06-20\nA,1,x,0\n"));
    assert!(
        err.contains("line 1, column 3") && err.contains("`remarks`"),
        "{err}"
    );
    let err = message(read(b"district,2021-05-11,5/11/2021\nA,1,0\n"));
    assert!(err.contains("one date format"), "{err}");
    let err = message(read(b"district,2021-05-11,2021-5-11\nA,1,0\n"));
    assert!(
        err.contains("line 1, column 3") && err.contains("2021-05-11 again"),
        "{err}"
    );
    let err = message(read(b"district,2021-05-11,2021-06-20\nA,,\nB,,\n"));
    assert!(err.contains("at least one status value"), "{err}");
    // A bad date header is not a date, so it is an unknown header.
    let err = message(read(b"district,2021-05-11,2021-13-01\nA,1,0\n"));
    assert!(err.contains("column 3"), "{err}");
    // Rows still need a district.
    let err = message(read(b"district,2021-05-11\n,1\n"));
    assert!(err.contains("line 2, column `district`"), "{err}");
}

#[test]
fn a_status_or_date_column_means_long_not_wide() {
    // A status column: the date-like header is just an extra column.
    let t = read(b"district,status,2021-05-11\nA,1,x\n").unwrap();
    assert!(!t.files[0].columns.wide);
    assert_eq!(t.records[0].date, None);
    // A date column without a status column is still an undetected status.
    match read(b"district,date,2021-05-11\nA,2021-05-11,1\n") {
        Err(ReadError::UndetectedField { role, .. }) => assert_eq!(role, "status"),
        other => panic!("{other:?}"),
    }
}

fn shared(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel)
}

#[test]
fn real_lwj_2018_snapshot() {
    let t = read_timeline(
        &shared("lwj-control-2018/afg_districts.csv"),
        &TimelineOptions::default(),
    )
    .unwrap();
    assert_eq!(t.records.len(), 399);
    assert_eq!(t.files[0].columns.district.as_deref(), Some("ADM2_EN"));
    assert_eq!(t.files[0].columns.province.as_deref(), Some("ADM1_EN"));
    assert_eq!(t.files[0].columns.date, None);
    assert_eq!(t.files[0].columns.status, "Control Under");
    let count = |v: &str| t.records.iter().filter(|r| r.value == v).count();
    assert_eq!(count("Contested"), 212);
    assert_eq!(count("Government"), 138);
    assert_eq!(count("Taliban-Controlled"), 49);
    assert_eq!(t.records[398].line, 400);
    assert!(t.records.iter().all(|r| r.date.is_none()));
}

#[test]
fn real_takeover_2021_timeline() {
    let t = read_timeline(
        &shared("taliban-takeover-2021/taliban_takeover.csv"),
        &TimelineOptions::default(),
    )
    .unwrap();
    assert_eq!(t.records.len(), 11_951);
    assert_eq!(t.files[0].columns.district.as_deref(), Some("id"));
    assert_eq!(t.files[0].columns.status, "taliban_control");
    let dates = t.dates();
    assert_eq!(dates.len(), 37);
    assert_eq!(dates[0], Date::parse_iso("2021-05-11").unwrap());
    assert_eq!(dates[36], Date::parse_iso("2021-08-16").unwrap());
    assert!(t.records.iter().any(|r| r.district == "Zinda Jan"));
    let mut names: Vec<&str> = t.records.iter().map(|r| r.district.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 322);
}

#[test]
fn real_province_counts_have_no_district_column() {
    let result = read_timeline(
        &shared("lwj-province-counts-2021-05-25/Afghanistan Province Control.csv"),
        &TimelineOptions::default(),
    );
    match result {
        Err(ReadError::UndetectedField { role, .. }) => assert_eq!(role, "district"),
        other => panic!("{other:?}"),
    }
}
