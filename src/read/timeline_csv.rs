//! The CSV timeline reader.

use std::path::Path;

use super::ReadError;
use crate::timeline::{Date, Record, Timeline, TimelineColumns, TimelineFile};

/// How to read `M/D/YYYY`-style dates when the data alone cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateFormat {
    /// `YYYY-MM-DD`.
    Iso,
    /// Month first: `6/20/2021`.
    Mdy,
    /// Day first: `20/6/2021`.
    Dmy,
}

/// Timeline reading options: column names (`None` = detect) and the date format.
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--district-column`.
    pub district_column: Option<String>,
    /// `--province-column`.
    pub province_column: Option<String>,
    /// `--date-column`.
    pub date_column: Option<String>,
    /// `--status-column`.
    pub status_column: Option<String>,
    /// `--date-format`.
    pub date_format: Option<DateFormat>,
}

// Header names per role, as compared by `header_key`. The sets are disjoint. `id` is a
// district *name* column: the 2021 takeover CSV keys its rows by name under that header; it
// comes last so that a real name column wins.
const ID_HEADERS: &[&str] = &["adm2pcode", "pcode", "districtid", "districtcode", "gid2"];
const DISTRICT_HEADERS: &[&str] = &[
    "district",
    "districtname",
    "distname",
    "name",
    "adm2en",
    "shapename",
    "id",
];
const PROVINCE_HEADERS: &[&str] = &["province", "adm1en", "provincename", "provname", "state"];
const DATE_HEADERS: &[&str] = &["date", "asof", "day"];
const STATUS_HEADERS: &[&str] = &[
    "status",
    "control",
    "controlunder",
    "talibancontrol",
    "value",
    "category",
    "stateofcontrol",
];

const ANY_DATE: &str = "a date as YYYY-MM-DD, M/D/YYYY or D/M/YYYY";

/// Reads a CSV timeline.
///
/// Columns are taken from `options` or detected from the header; dates may be ISO or
/// `M/D/YYYY` / `D/M/YYYY`, the order being decided from the data unless `options` forces it.
/// A file without a date column is a snapshot: every record's date is `None`.
pub fn read_timeline(path: &Path, options: &TimelineOptions) -> Result<Timeline, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::io(path, e))?;
    // The csv crate would keep a BOM as part of the first header name.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut rows = reader.byte_records();
    let mut lines = Lines {
        bytes,
        offset: 0,
        line: 1,
    };

    let header = match rows.next() {
        Some(result) => result.map_err(|e| csv_error(path, &mut lines, e))?,
        None => return Err(ReadError::invalid(path, "line 1", "a header row")),
    };
    let header_line = lines.of(header.position());
    let headers = decode(path, header_line, &[], &header)?
        .into_iter()
        .map(|h| clean_cell(h).to_string())
        .collect::<Vec<_>>();
    let columns = choose_columns(path, &headers, options)?;

    let mut rows_read = Vec::new();
    for result in rows {
        let record = result.map_err(|e| csv_error(path, &mut lines, e))?;
        let line = lines.of(record.position());
        let cells = decode(path, line, &headers, &record)?;
        rows_read.push(row(path, line, &headers, &columns, &cells)?);
    }

    // A header alone would draw every district as "no data": say so instead.
    if rows_read.is_empty() {
        return Err(ReadError::invalid(
            path,
            format!("line {}", header_line + 1),
            "at least one row after the header",
        ));
    }
    let dates = match columns.date {
        Some(c) => {
            let cells: Vec<(u64, &str)> = rows_read
                .iter()
                .map(|r| (r.line, r.date.as_str()))
                .collect();
            resolve_dates(path, &headers[c], &cells, options.date_format)?
                .into_iter()
                .map(Some)
                .collect()
        }
        None => vec![None; rows_read.len()],
    };
    let records = rows_read
        .into_iter()
        .zip(dates)
        .map(|(r, date)| Record {
            line: r.line,
            id: r.id,
            district: r.district,
            province: r.province,
            date,
            value: r.value,
            file: 0,
            source: None,
            note: None,
        })
        .collect();

    let name = |c: Option<usize>| c.map(|c| headers[c].clone());
    Ok(Timeline {
        files: vec![TimelineFile {
            path: path.to_path_buf(),
            columns: TimelineColumns {
                id: name(columns.id),
                district: name(columns.district),
                province: name(columns.province),
                date: name(columns.date),
                status: headers[columns.status].clone(),
                source: None,
                note: None,
                wide: false,
            },
        }],
        records,
    })
}

/// Column indexes for each role.
#[derive(Debug)]
struct Columns {
    id: Option<usize>,
    district: Option<usize>,
    province: Option<usize>,
    date: Option<usize>,
    status: usize,
}

/// A data row before its date is parsed (the date order depends on every row).
struct Row {
    line: u64,
    id: Option<String>,
    district: String,
    province: Option<String>,
    date: String,
    value: String,
}

fn choose_columns(
    path: &Path,
    headers: &[String],
    options: &TimelineOptions,
) -> Result<Columns, ReadError> {
    let roles: [(&'static str, &Option<String>, &[&str]); 5] = [
        ("id", &options.id_column, ID_HEADERS),
        ("district", &options.district_column, DISTRICT_HEADERS),
        ("province", &options.province_column, PROVINCE_HEADERS),
        ("date", &options.date_column, DATE_HEADERS),
        ("status", &options.status_column, STATUS_HEADERS),
    ];
    let mut chosen = [None; 5];
    for (slot, (role, named, _)) in chosen.iter_mut().zip(&roles) {
        if let Some(name) = named {
            *slot = Some(named_column(path, headers, role, name)?);
        }
    }
    // Named columns are settled first so that detection never hands them to another role.
    for i in 0..roles.len() {
        if chosen[i].is_none() {
            let taken: Vec<usize> = chosen.iter().flatten().copied().collect();
            chosen[i] = detect_column(headers, roles[i].2, &taken);
        }
    }
    let [id, district, province, date, status] = chosen;
    let undetected = |role, flag| ReadError::UndetectedField {
        path: path.to_path_buf(),
        role,
        flag,
        available: headers.to_vec(),
    };
    if id.is_none() && district.is_none() {
        return Err(undetected("district", "district-column"));
    }
    let status = status.ok_or_else(|| undetected("status", "status-column"))?;
    Ok(Columns {
        id,
        district,
        province,
        date,
        status,
    })
}

/// The column a user named: exactly as written, else as `header_key` compares headers.
fn named_column(
    path: &Path,
    headers: &[String],
    role: &'static str,
    name: &str,
) -> Result<usize, ReadError> {
    let name = name.trim();
    headers
        .iter()
        .position(|h| h == name)
        .or_else(|| {
            headers
                .iter()
                .position(|h| header_key(h) == header_key(name))
        })
        .ok_or_else(|| ReadError::MissingField {
            path: path.to_path_buf(),
            role,
            field: name.to_string(),
            available: headers.to_vec(),
        })
}

/// The first free header matching the earliest candidate.
fn detect_column(headers: &[String], candidates: &[&str], taken: &[usize]) -> Option<usize> {
    candidates.iter().find_map(|candidate| {
        headers
            .iter()
            .enumerate()
            .position(|(i, h)| !taken.contains(&i) && header_key(h) == *candidate)
    })
}

/// A header name for comparison: lower case, without spaces, underscores and hyphens.
fn header_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn row(
    path: &Path,
    line: u64,
    headers: &[String],
    columns: &Columns,
    cells: &[&str],
) -> Result<Row, ReadError> {
    let cell = |c: Option<usize>| c.map(|c| clean_cell(cells[c])).unwrap_or("");
    let place = |c: usize| format!("line {line}, column `{}`", headers[c]);

    let id = Some(cell(columns.id).to_string()).filter(|s| !s.is_empty());
    let district = collapse_spaces(cell(columns.district));
    if district.is_empty() && id.is_none() {
        let (c, what) = match columns.district {
            Some(c) => (c, "a district name"),
            None => (columns.id.unwrap_or(0), "a district id"),
        };
        return Err(ReadError::invalid(
            path,
            place(c),
            format!("{what}, found an empty cell"),
        ));
    }
    let province = Some(collapse_spaces(cell(columns.province))).filter(|s| !s.is_empty());
    let date = cell(columns.date).to_string();
    if let (Some(c), true) = (columns.date, date.is_empty()) {
        return Err(ReadError::invalid(
            path,
            place(c),
            format!("{ANY_DATE}, found an empty cell"),
        ));
    }
    let value = cell(Some(columns.status)).to_string();
    if value.is_empty() {
        return Err(ReadError::invalid(
            path,
            place(columns.status),
            "a status value, found an empty cell",
        ));
    }
    Ok(Row {
        line,
        id,
        district,
        province,
        date,
        value,
    })
}

/// The record's fields as text; `headers` is empty while the header itself is decoded.
fn decode<'a>(
    path: &Path,
    line: u64,
    headers: &[String],
    record: &'a csv::ByteRecord,
) -> Result<Vec<&'a str>, ReadError> {
    record
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            std::str::from_utf8(bytes).map_err(|e| {
                let place = match headers.get(i) {
                    Some(h) => format!("line {line}, column `{h}`"),
                    None => format!("line {line}"),
                };
                let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
                ReadError::invalid(
                    path,
                    place,
                    format!("UTF-8 text, found the byte 0x{byte:02x} (save the file as UTF-8)"),
                )
            })
        })
        .collect()
}

fn csv_error(path: &Path, lines: &mut Lines, error: csv::Error) -> ReadError {
    let line = error.position().map(|p| lines.of(Some(p)));
    match error.into_kind() {
        csv::ErrorKind::Io(e) => ReadError::io(path, e),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ReadError::invalid(
            path,
            format!("line {}", line.unwrap_or(0)),
            format!("{expected_len} fields like the header, found {len}"),
        ),
        other => ReadError::invalid(
            path,
            line.map_or("CSV".to_string(), |l| format!("line {l}")),
            format!("well-formed CSV ({other:?})"),
        ),
    }
}

/// Physical line numbers of records. The csv crate's own count lags by one line after each
/// CRLF (it counts the `\n` as part of the next record), so lines are counted here from the
/// record's byte offset instead.
struct Lines<'a> {
    bytes: &'a [u8],
    /// Where counting stopped; records come in order, so counting resumes from here.
    offset: usize,
    /// The line at `offset`, 1-based.
    line: u64,
}

impl Lines<'_> {
    /// The line on which a record starting at this position begins.
    fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start =
            usize::try_from(position.byte()).map_or(self.bytes.len(), |b| b.min(self.bytes.len()));
        // Line ends (and the blank lines the csv crate skips) before the record's first field.
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.offset {
            let newlines = self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines as u64;
            self.offset = start;
        }
        self.line
    }
}

/// Trims a cell; a quoted cell with spaces before its opening quote reaches us with the
/// quotes still on, so they are removed here.
fn clean_cell(cell: &str) -> &str {
    let cell = cell.trim();
    match cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner.trim(),
        _ => cell,
    }
}

/// Names are compared by other modules; repeated spaces are a typing accident, not a
/// different district ("Zinda  Jan").
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A date cell split up before the order of day and month is known.
#[derive(Debug, Clone, Copy)]
enum RawDate {
    Iso(Date),
    /// `a/b/yyyy` (or with `-` or `.`), each of `a` and `b` in 1..=31, not both over 12.
    Numeric {
        a: u32,
        b: u32,
        year: i32,
    },
}

fn split_date(text: &str) -> Option<RawDate> {
    if let Some(date) = Date::parse_iso(text) {
        return Some(RawDate::Iso(date));
    }
    let sep = text.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, y] = parts[..] else {
        return None;
    };
    let digits =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    if !digits(a, &[1, 2]) || !digits(b, &[1, 2]) || !digits(y, &[4]) {
        return None;
    }
    let (a, b, year) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let part_ok = |p: u32| (1..=31).contains(&p);
    (part_ok(a) && part_ok(b) && (a <= 12 || b <= 12)).then_some(RawDate::Numeric { a, b, year })
}

/// Parses every date cell with one format: the forced one, or the one the data proves.
fn resolve_dates(
    path: &Path,
    column: &str,
    cells: &[(u64, &str)],
    forced: Option<DateFormat>,
) -> Result<Vec<Date>, ReadError> {
    let place = |line: u64| format!("line {line}, column `{column}`");
    let expected = match forced {
        None => ANY_DATE,
        Some(DateFormat::Iso) => "a date as YYYY-MM-DD (--date-format iso)",
        Some(DateFormat::Mdy) => "a date as M/D/YYYY (--date-format mdy)",
        Some(DateFormat::Dmy) => "a date as D/M/YYYY (--date-format dmy)",
    };
    let bad = |line: u64, text: &str| {
        ReadError::invalid(path, place(line), format!("{expected}, found `{text}`"))
    };

    let mut raw = Vec::with_capacity(cells.len());
    for &(line, text) in cells {
        raw.push((line, text, split_date(text).ok_or_else(|| bad(line, text))?));
    }
    let format = match forced {
        Some(format) => format,
        None => infer_format(path, column, &raw)?,
    };
    raw.iter()
        .map(|&(line, text, date)| {
            let date = match (format, date) {
                (DateFormat::Iso, RawDate::Iso(d)) => Some(d),
                (DateFormat::Mdy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, a, b),
                (DateFormat::Dmy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, b, a),
                _ => None,
            };
            date.ok_or_else(|| bad(line, text))
        })
        .collect()
}

fn infer_format(
    path: &Path,
    column: &str,
    raw: &[(u64, &str, RawDate)],
) -> Result<DateFormat, ReadError> {
    let place = |line: u64| format!("line {line}, column `{column}`");
    let iso = raw.iter().find(|(_, _, d)| matches!(d, RawDate::Iso(_)));
    let Some(&(line, text, _)) = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { .. }))
    else {
        return Ok(DateFormat::Iso);
    };
    if let Some(&(iso_line, iso_text, _)) = iso {
        let (later, earlier) = if iso_line > line {
            ((iso_line, iso_text), (line, text))
        } else {
            ((line, text), (iso_line, iso_text))
        };
        return Err(ReadError::invalid(
            path,
            place(later.0),
            format!(
                "one date format for the whole file, found `{}` here and `{}` at line {}",
                later.1, earlier.1, earlier.0
            ),
        ));
    }
    let day_first = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { a, .. } if *a > 12));
    let month_first = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { b, .. } if *b > 12));
    match (day_first, month_first) {
        (Some(&(d_line, d_text, _)), Some(&(m_line, m_text, _))) => Err(ReadError::invalid(
            path,
            place(d_line.max(m_line)),
            format!(
                "one date order for the whole file, found day-first `{d_text}` at line \
                 {d_line} and month-first `{m_text}` at line {m_line}"
            ),
        )),
        (Some(_), None) => Ok(DateFormat::Dmy),
        (None, Some(_)) => Ok(DateFormat::Mdy),
        (None, None) => Err(ReadError::invalid(
            path,
            format!("column `{column}`"),
            format!(
                "cannot tell M/D/YYYY from D/M/YYYY: no date has a part over 12 (e.g. \
                 `{text}` at line {line}); pass --date-format mdy or --date-format dmy"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
