//! The CSV timeline reader, and the part every timeline format shares: choosing columns,
//! resolving dates and building records from headers and rows of cells ([`Table`]), whether
//! the cells come from a CSV or a JSON file.

use std::path::Path;

use super::ReadError;
use super::csv_lines::Lines;
use crate::timeline::{Date, Record, Timeline, TimelineColumns, TimelineFile};
pub(super) use dates::resolve_dates;
use dates::split_date;

mod dates;

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
    let mut lines = Lines::new(bytes);
    // One record reused for every row: `byte_records` would allocate one a row.
    let mut record = csv::ByteRecord::new();
    let mut next = |record: &mut csv::ByteRecord, lines: &mut Lines| {
        reader
            .read_byte_record(record)
            .map_err(|e| csv_error(path, lines, e))
    };
    if !next(&mut record, &mut lines)? {
        return Err(ReadError::invalid(path, "line 1", "a header row"));
    }
    let header = record.clone();
    let header_line = lines.of(header.position());
    let headers = decode(path, header_line, &[], &header)?
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    super::table::unique_headers(path, header_line, headers.iter().map(String::as_str))?;

    let header_places = (1..=headers.len())
        .map(|n| format!("line {header_line}, column {n}"))
        .collect();
    let mut table = Table::new(Origin::Csv, headers, header_places);
    while next(&mut record, &mut lines)? {
        let line = lines.of(record.position());
        let cells = decode(path, line, &table.headers, &record)?;
        table.push_row(line, cells.into_iter().enumerate());
    }
    // A header alone would draw every district as "no data": say so instead.
    if table.rows.is_empty() {
        return Err(ReadError::invalid(
            path,
            format!("line {}", header_line + 1),
            "at least one row after the header",
        ));
    }
    from_table(path, table, options)
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
    rows: Vec<Row>,
    /// Every row's cells, row after row: `(header index, range of text)`, ascending by header
    /// index within a row; a header without a cell counts as an empty cell. Sparse because
    /// JSON records need not share keys: a file of records each with its own key would
    /// otherwise need a cell for every record and every key.
    cells: Vec<(usize, std::ops::Range<usize>)>,
    /// The text of every cell, one after another. Kept in one string rather than a string a
    /// cell: with ~50,000 small strings, the kernel clearing fresh pages for them was a fifth
    /// of the samples of reading the takeover timeline.
    text: String,
}

/// One row of a [`Table`].
struct Row {
    /// The line the row (or the JSON record) starts on, 1-based.
    line: u64,
    /// Its cells in [`Table::cells`].
    cells: std::ops::Range<usize>,
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
    /// A table of no rows yet.
    pub(super) fn new(origin: Origin, headers: Vec<String>, header_places: Vec<String>) -> Table {
        Table {
            origin,
            headers,
            header_places,
            rows: Vec::new(),
            cells: Vec::new(),
            text: String::new(),
        }
    }

    /// Adds a row of `(header index, text)` cells, ascending by header index.
    pub(super) fn push_row<'a>(
        &mut self,
        line: u64,
        cells: impl IntoIterator<Item = (usize, &'a str)>,
    ) {
        let first = self.cells.len();
        for (column, text) in cells {
            let start = self.text.len();
            self.text.push_str(text);
            self.cells.push((column, start..self.text.len()));
        }
        self.rows.push(Row {
            line,
            cells: first..self.cells.len(),
        });
    }

    /// The row's cells, ascending by header index.
    fn cells(&self, row: usize) -> impl Iterator<Item = (usize, &str)> {
        self.row_cells(row)
            .iter()
            .map(|(c, text)| (*c, &self.text[text.clone()]))
    }

    fn row_cells(&self, row: usize) -> &[(usize, std::ops::Range<usize>)] {
        &self.cells[self.rows[row].cells.clone()]
    }

    fn cell(&self, row: usize, column: Option<usize>) -> &str {
        let Some(column) = column else {
            return "";
        };
        // Searched, not walked: a wide file's rows have a cell for every date.
        let cells = self.row_cells(row);
        cells
            .binary_search_by_key(&column, |(c, _)| *c)
            .map_or("", |i| self.text[cells[i].1.clone()].trim())
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
    /// The record of a long row: its key's only one.
    fn into_record(self, line: u64, date: Option<Date>, value: String) -> Record {
        Record {
            line,
            id: self.id,
            district: self.district,
            province: self.province,
            date,
            value,
            file: 0,
            source: self.source,
            note: self.note,
        }
    }

    /// One of a wide row's records, a date each.
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
        .into_iter()
        .zip(dates)
        .enumerate()
        .map(|(row, (key, date))| {
            let value = table.cell(row, Some(status)).to_string();
            key.into_record(table.rows[row].line, date, value)
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
        for (c, value) in table.cells(i) {
            let value = value.trim();
            if let Some(date) = date_of.get(c).copied().flatten()
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
    // Most names are already so: one copy, not a list of words joined.
    let odd_space = |c: char| c.is_whitespace() && c != ' ';
    let edge = text.starts_with(' ') || text.ends_with(' ');
    if !edge && !text.contains("  ") && !text.contains(odd_space) {
        return text.to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
