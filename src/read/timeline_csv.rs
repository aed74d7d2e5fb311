//! The CSV timeline reader, and the part every timeline format shares: choosing columns,
//! resolving dates and building records from headers and rows of cells ([`Table`]), whether
//! the cells come from a CSV or a JSON file.

use std::path::Path;

use super::ReadError;
use super::csv_lines::Lines;
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
    /// `--source-column`.
    pub source_column: Option<String>,
    /// `--note-column`.
    pub note_column: Option<String>,
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
const SOURCE_HEADERS: &[&str] = &["source", "sources"];
const NOTE_HEADERS: &[&str] = &["note", "notes", "comment", "comments"];

const ANY_DATE: &str = "a date as YYYY-MM-DD, M/D/YYYY or D/M/YYYY";

/// Reads a CSV timeline from the file's bytes (without a BOM).
///
/// Columns are taken from `options` or detected from the header; dates may be ISO or
/// `M/D/YYYY` / `D/M/YYYY`, the order being decided from the data unless `options` forces it.
/// A file without a date column is a snapshot: every record's date is `None`. A file with
/// neither a date nor a status column but dates as headers is wide: see [`from_table`].
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    options: &TimelineOptions,
) -> Result<Timeline, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let mut lines = Lines::new(bytes);

    let header = match records.next() {
        Some(result) => result.map_err(|e| csv_error(path, &mut lines, e))?,
        None => return Err(ReadError::invalid(path, "line 1", "a header row")),
    };
    let header_line = lines.of(header.position());
    let headers = decode(path, header_line, &[], &header)?
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    super::table::unique_headers(path, header_line, headers.iter().map(String::as_str))?;

    let mut rows = Vec::new();
    for result in records {
        let record = result.map_err(|e| csv_error(path, &mut lines, e))?;
        let line = lines.of(record.position());
        let cells = decode(path, line, &headers, &record)?
            .into_iter()
            .map(str::to_string)
            .enumerate()
            .collect();
        rows.push(Row { line, cells });
    }
    // A header alone would draw every district as "no data": say so instead.
    if rows.is_empty() {
        return Err(ReadError::invalid(
            path,
            format!("line {}", header_line + 1),
            "at least one row after the header",
        ));
    }
    let header_places = (1..=headers.len())
        .map(|n| format!("line {header_line}, column {n}"))
        .collect();
    from_table(
        path,
        Table {
            origin: Origin::Csv,
            headers,
            header_places,
            rows,
        },
        options,
    )
}

/// A timeline file as headers and rows of cells, before any column is given a role: what a
/// CSV file and a JSON file both come down to.
pub(super) struct Table {
    /// The format, which decides how places are named in messages.
    pub(super) origin: Origin,
    /// The headers (column names or JSON keys).
    pub(super) headers: Vec<String>,
    /// Where each header is, for messages: "line 1, column 3".
    pub(super) header_places: Vec<String>,
    /// The rows, in file order.
    pub(super) rows: Vec<Row>,
}

/// One row of a [`Table`].
pub(super) struct Row {
    /// The line the row (or the JSON record) starts on, 1-based.
    pub(super) line: u64,
    /// `(header index, text)`, ascending by header index; a header without a cell counts as
    /// an empty cell. Sparse because JSON records need not share keys: a file of records
    /// each with its own key would otherwise need a cell for every record and every key.
    pub(super) cells: Vec<(usize, String)>,
}

/// Where a [`Table`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A CSV file: rows are lines, headers are columns.
    Csv,
    /// A JSON file: rows are records, headers are keys.
    Json,
}

impl Table {
    fn cell(&self, row: usize, column: Option<usize>) -> &str {
        let Some(column) = column else {
            return "";
        };
        let cells = &self.rows[row].cells;
        cells
            .binary_search_by_key(&column, |(c, _)| *c)
            .map_or("", |i| cells[i].1.trim())
    }

    fn row_place(&self, row: usize) -> String {
        let line = self.rows[row].line;
        match self.origin {
            Origin::Csv => format!("line {line}"),
            Origin::Json => format!("record {} (line {line})", row + 1),
        }
    }

    fn cell_place(&self, row: usize, column: usize) -> String {
        let field = match self.origin {
            Origin::Csv => "column",
            Origin::Json => "key",
        };
        format!(
            "{}, {field} `{}`",
            self.row_place(row),
            self.headers[column]
        )
    }
}

/// Builds a timeline from a table: chooses the columns, then reads the rows in one of two
/// layouts.
///
/// - **Long**: one row per district and date, with a date column (none: a snapshot) and a
///   status column.
/// - **Wide**: one row per district and one column per date, its header the date. A file is
///   wide when no date or status column is named or detected and some other header is a
///   date. Every header must then be a known column or a date, so that no data is silently
///   left out. An empty cell under a date means the row has no record for that date (so a
///   district can start, or stop being reported, part way through).
pub(super) fn from_table(
    path: &Path,
    table: Table,
    options: &TimelineOptions,
) -> Result<Timeline, ReadError> {
    let columns = choose_columns(path, &table, options)?;
    let records = match &columns.layout {
        Layout::Long { date, status } => {
            long_records(path, &table, &columns, *date, *status, options)?
        }
        Layout::Wide { dates } => wide_records(path, &table, &columns, dates)?,
    };
    if records.is_empty() {
        return Err(ReadError::invalid(
            path,
            "the date columns",
            "at least one status value, found only empty cells",
        ));
    }

    let name = |c: Option<usize>| c.map(|c| table.headers[c].clone());
    let (date, status, wide) = match &columns.layout {
        Layout::Long { date, status } => (name(*date), table.headers[*status].clone(), false),
        Layout::Wide { dates } => (None, table.headers[dates[0].0].clone(), true),
    };
    Ok(Timeline {
        files: vec![TimelineFile {
            path: path.to_path_buf(),
            columns: TimelineColumns {
                id: name(columns.id),
                district: name(columns.district),
                province: name(columns.province),
                date,
                status,
                source: name(columns.source),
                note: name(columns.note),
                wide,
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
    source: Option<usize>,
    note: Option<usize>,
    layout: Layout,
}

#[derive(Debug)]
enum Layout {
    /// One row per district and date; no date column for a snapshot.
    Long { date: Option<usize>, status: usize },
    /// One row per district, one column per date: (column, its date), in column order.
    Wide { dates: Vec<(usize, Date)> },
}

fn choose_columns(
    path: &Path,
    table: &Table,
    options: &TimelineOptions,
) -> Result<Columns, ReadError> {
    let headers = &table.headers;
    let roles: [(&'static str, &Option<String>, &[&str]); 7] = [
        ("id", &options.id_column, ID_HEADERS),
        ("district", &options.district_column, DISTRICT_HEADERS),
        ("province", &options.province_column, PROVINCE_HEADERS),
        ("date", &options.date_column, DATE_HEADERS),
        ("status", &options.status_column, STATUS_HEADERS),
        ("source", &options.source_column, SOURCE_HEADERS),
        ("note", &options.note_column, NOTE_HEADERS),
    ];
    let mut chosen = [None; 7];
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
    let [id, district, province, date, status, source, note] = chosen;
    let undetected = |role, flag| ReadError::UndetectedField {
        path: path.to_path_buf(),
        role,
        flag,
        available: headers.to_vec(),
    };
    if id.is_none() && district.is_none() {
        return Err(undetected("district", "district-column"));
    }
    let layout = match (date, status) {
        (_, Some(status)) => Layout::Long { date, status },
        (Some(_), None) => return Err(undetected("status", "status-column")),
        (None, None) => {
            let taken: Vec<usize> = chosen.iter().flatten().copied().collect();
            match wide_dates(path, table, &taken, options.date_format)? {
                Some(dates) => Layout::Wide { dates },
                None => return Err(undetected("status", "status-column")),
            }
        }
    };
    Ok(Columns {
        id,
        district,
        province,
        source,
        note,
        layout,
    })
}

/// The date columns of a wide table: `None` when no free header is a date, an error when
/// some are and another free header is not.
fn wide_dates(
    path: &Path,
    table: &Table,
    taken: &[usize],
    forced: Option<DateFormat>,
) -> Result<Option<Vec<(usize, Date)>>, ReadError> {
    let free: Vec<usize> = (0..table.headers.len())
        .filter(|c| !taken.contains(c))
        .collect();
    let (dated, other): (Vec<usize>, Vec<usize>) = free
        .into_iter()
        .partition(|&c| split_date(table.headers[c].trim()).is_some());
    if dated.is_empty() {
        return Ok(None);
    }
    if let Some(&c) = other.first() {
        return Err(ReadError::invalid(
            path,
            &table.header_places[c],
            format!(
                "a date or a known column (district, id, province, source, note) as every \
                 header of a wide timeline (one column per date), found `{}`; name columns \
                 with --district-column etc., or a --status-column to read one row per date",
                table.headers[c]
            ),
        ));
    }
    let texts: Vec<&str> = dated.iter().map(|&c| table.headers[c].trim()).collect();
    let place = |i: usize| table.header_places[dated[i]].clone();
    let dates = resolve_dates(path, "the date headers", &texts, &place, forced)?;
    let mut first = std::collections::HashMap::new();
    for (i, date) in dates.iter().enumerate() {
        if let Some(j) = first.insert(date, i) {
            return Err(ReadError::invalid(
                path,
                place(i),
                format!(
                    "each date once as a header, found {date} again (also at {})",
                    place(j)
                ),
            ));
        }
    }
    Ok(Some(dated.into_iter().zip(dates).collect()))
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

/// What a row says about its district, whatever the layout.
struct Key {
    id: Option<String>,
    district: String,
    province: Option<String>,
    source: Option<String>,
    note: Option<String>,
}

impl Key {
    fn record(&self, line: u64, date: Option<Date>, value: String) -> Record {
        Record {
            line,
            id: self.id.clone(),
            district: self.district.clone(),
            province: self.province.clone(),
            date,
            value,
            file: 0,
            source: self.source.clone(),
            note: self.note.clone(),
        }
    }
}

fn key(path: &Path, table: &Table, row: usize, columns: &Columns) -> Result<Key, ReadError> {
    let text = |c: Option<usize>| Some(table.cell(row, c).to_string()).filter(|s| !s.is_empty());
    let id = text(columns.id);
    let district = collapse_spaces(table.cell(row, columns.district));
    if district.is_empty() && id.is_none() {
        let (c, what) = match columns.district {
            Some(c) => (c, "a district name"),
            None => (columns.id.unwrap_or(0), "a district id"),
        };
        return Err(ReadError::invalid(
            path,
            table.cell_place(row, c),
            format!("{what}, found an empty cell"),
        ));
    }
    Ok(Key {
        id,
        district,
        province: Some(collapse_spaces(table.cell(row, columns.province)))
            .filter(|s| !s.is_empty()),
        source: text(columns.source),
        note: text(columns.note),
    })
}

/// One record per row; the dates are parsed together since their order (M/D or D/M) depends
/// on every row.
fn long_records(
    path: &Path,
    table: &Table,
    columns: &Columns,
    date: Option<usize>,
    status: usize,
    options: &TimelineOptions,
) -> Result<Vec<Record>, ReadError> {
    let mut keys = Vec::with_capacity(table.rows.len());
    for row in 0..table.rows.len() {
        let key = key(path, table, row, columns)?;
        if let Some(c) = date.filter(|_| table.cell(row, date).is_empty()) {
            return Err(ReadError::invalid(
                path,
                table.cell_place(row, c),
                format!("{ANY_DATE}, found an empty cell"),
            ));
        }
        if table.cell(row, Some(status)).is_empty() {
            return Err(ReadError::invalid(
                path,
                table.cell_place(row, status),
                "a status value, found an empty cell",
            ));
        }
        keys.push(key);
    }
    let dates: Vec<Option<Date>> = match date {
        Some(c) => {
            let texts: Vec<&str> = (0..table.rows.len())
                .map(|row| table.cell(row, date))
                .collect();
            let what = format!("column `{}`", table.headers[c]);
            let place = |row: usize| table.cell_place(row, c);
            resolve_dates(path, &what, &texts, &place, options.date_format)?
                .into_iter()
                .map(Some)
                .collect()
        }
        None => vec![None; table.rows.len()],
    };
    Ok(keys
        .iter()
        .zip(dates)
        .enumerate()
        .map(|(row, (key, date))| {
            let value = table.cell(row, Some(status)).to_string();
            key.record(table.rows[row].line, date, value)
        })
        .collect())
}

/// One record per non-empty cell under a date header.
fn wide_records(
    path: &Path,
    table: &Table,
    columns: &Columns,
    dates: &[(usize, Date)],
) -> Result<Vec<Record>, ReadError> {
    let mut date_of = vec![None; table.headers.len()];
    for &(c, date) in dates {
        date_of[c] = Some(date);
    }
    let mut records = Vec::new();
    // Through the row's own cells rather than every date column: JSON rows are sparse.
    for (i, row) in table.rows.iter().enumerate() {
        let key = key(path, table, i, columns)?;
        for (c, value) in &row.cells {
            let value = value.trim();
            if let Some(date) = date_of.get(*c).copied().flatten()
                && !value.is_empty()
            {
                records.push(key.record(row.line, Some(date), value.to_string()));
            }
        }
    }
    Ok(records)
}

/// The record's fields as text, each cleaned by `clean_cell`; `headers` is empty while the
/// header itself is decoded.
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
            std::str::from_utf8(bytes).map(clean_cell).map_err(|e| {
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

/// Parses every date text with one format: the forced one, or the one the data proves.
/// `place(i)` says where the `i`th text is; `what` names them all ("column `date`").
fn resolve_dates(
    path: &Path,
    what: &str,
    texts: &[&str],
    place: &dyn Fn(usize) -> String,
    forced: Option<DateFormat>,
) -> Result<Vec<Date>, ReadError> {
    let expected = match forced {
        None => ANY_DATE,
        Some(DateFormat::Iso) => "a date as YYYY-MM-DD (--date-format iso)",
        Some(DateFormat::Mdy) => "a date as M/D/YYYY (--date-format mdy)",
        Some(DateFormat::Dmy) => "a date as D/M/YYYY (--date-format dmy)",
    };
    let bad = |i: usize, text: &str| {
        ReadError::invalid(path, place(i), format!("{expected}, found `{text}`"))
    };

    let mut raw = Vec::with_capacity(texts.len());
    for (i, &text) in texts.iter().enumerate() {
        raw.push((i, text, split_date(text).ok_or_else(|| bad(i, text))?));
    }
    let format = match forced {
        Some(format) => format,
        None => infer_format(path, what, &raw, place)?,
    };
    raw.iter()
        .map(|&(i, text, date)| {
            let date = match (format, date) {
                (DateFormat::Iso, RawDate::Iso(d)) => Some(d),
                (DateFormat::Mdy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, a, b),
                (DateFormat::Dmy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, b, a),
                _ => None,
            };
            date.ok_or_else(|| bad(i, text))
        })
        .collect()
}

fn infer_format(
    path: &Path,
    what: &str,
    raw: &[(usize, &str, RawDate)],
    place: &dyn Fn(usize) -> String,
) -> Result<DateFormat, ReadError> {
    let iso = raw.iter().find(|(_, _, d)| matches!(d, RawDate::Iso(_)));
    let Some(&(i, text, _)) = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { .. }))
    else {
        return Ok(DateFormat::Iso);
    };
    if let Some(&(iso_i, iso_text, _)) = iso {
        let (later, earlier) = if iso_i > i {
            ((iso_i, iso_text), (i, text))
        } else {
            ((i, text), (iso_i, iso_text))
        };
        return Err(ReadError::invalid(
            path,
            place(later.0),
            format!(
                "one date format for the whole file, found `{}` here and `{}` at {}",
                later.1,
                earlier.1,
                place(earlier.0)
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
        (Some(&(d_i, d_text, _)), Some(&(m_i, m_text, _))) => Err(ReadError::invalid(
            path,
            place(d_i.max(m_i)),
            format!(
                "one date order for the whole file, found day-first `{d_text}` at {} and \
                 month-first `{m_text}` at {}",
                place(d_i),
                place(m_i)
            ),
        )),
        (Some(_), None) => Ok(DateFormat::Dmy),
        (None, Some(_)) => Ok(DateFormat::Mdy),
        (None, None) => Err(ReadError::invalid(
            path,
            what,
            format!(
                "cannot tell M/D/YYYY from D/M/YYYY: no date has a part over 12 (e.g. \
                 `{text}` at {}); pass --date-format mdy or --date-format dmy",
                place(i)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
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
        let t =
            read(b"name,5/11/2021,6/20/2021,8/16/2021\r\nAb Band,0,1,1\r\nArgo,0,0,\r\n").unwrap();
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
}
