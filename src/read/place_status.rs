//! The place status reader (`--place-status FILE`): a CSV of `place,date,state[,note,source]`
//! rows, what happened to a city on a date ("entered", "besieged"), read as the timeline
//! reader reads a timeline: a BOM and CRLF are fine, dates are `YYYY-MM-DD`, `M/D/YYYY` or
//! `D/M/YYYY` (one format per file, the order proved by the data or forced by
//! `--date-format`).
//!
//! The reader checks the file alone (columns, empty cells, dates, one state per place and
//! day); whether the places are in the places file and the states in the style is checked
//! by the map, which knows both ([`crate::places::PlaceTimeline`]).

use std::path::{Path, PathBuf};

use super::table::Table;
use super::{DateFormat, ReadError};
use crate::timeline::Date;

/// One row: a place's state from a date on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceStatusRecord {
    /// The place, as the places file names it.
    pub place: String,
    /// From when.
    pub date: Date,
    /// The state's key, lower case (`entered`).
    pub state: String,
    /// A note, if the file has one.
    pub note: Option<String>,
    /// A source, if the file has one.
    pub source: Option<String>,
    /// The line of the file.
    pub line: u64,
}

/// A place status file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceStatuses {
    /// The file.
    pub path: PathBuf,
    /// The header of the `place` and `state` columns, as written, for messages.
    pub columns: (String, String),
    /// The rows, in file order.
    pub records: Vec<PlaceStatusRecord>,
}

/// Header names per role (compared case-insensitively).
const PLACE: &[&str] = &["place", "city", "name"];
const DATE: &[&str] = &["date", "as_of", "asof", "day"];
const STATE: &[&str] = &["state", "status"];
const NOTE: &[&str] = &["note", "notes", "comment"];
const SOURCE: &[&str] = &["source", "sources"];

/// Reads a place status file; `date_format` forces the order of `M/D/YYYY`-style dates
/// (`--date-format`), as for the timeline.
pub fn read_place_status(
    path: &Path,
    date_format: Option<DateFormat>,
) -> Result<PlaceStatuses, ReadError> {
    let table = Table::read(path)?;
    let find = |names: &[&str]| names.iter().find_map(|n| table.find(n));
    let need = |role: &'static str, names: &[&str]| {
        find(names).ok_or_else(|| ReadError::MissingField {
            path: path.to_path_buf(),
            role,
            field: names[0].to_string(),
            available: table.headers.clone(),
        })
    };
    let (place, date, state) = (
        need("place", PLACE)?,
        need("date", DATE)?,
        need("state", STATE)?,
    );
    let (note, source) = (find(NOTE), find(SOURCE));
    if table.rows.is_empty() {
        return Err(ReadError::invalid(
            path,
            "line 2",
            "at least one row after the header",
        ));
    }
    let at = |line: u64, column: usize| format!("line {line}, column `{}`", table.headers[column]);
    for (line, cells) in &table.rows {
        for (column, what) in [(place, "a place name"), (state, "a state")] {
            if cells[column].is_empty() {
                return Err(ReadError::invalid(
                    path,
                    at(*line, column),
                    format!("{what}; the cell is empty"),
                ));
            }
        }
    }
    let texts: Vec<&str> = table.rows.iter().map(|(_, c)| c[date].as_str()).collect();
    let dates = super::timeline_csv::resolve_dates(
        path,
        &format!("column `{}`", table.headers[date]),
        &texts,
        &|i| at(table.rows[i].0, date),
        date_format,
    )?;
    let optional = |cells: &[String], column: Option<usize>| {
        column.map(|c| cells[c].clone()).filter(|c| !c.is_empty())
    };
    let records: Vec<PlaceStatusRecord> = table
        .rows
        .iter()
        .zip(dates)
        .map(|((line, cells), date)| PlaceStatusRecord {
            place: cells[place].clone(),
            date,
            state: cells[state].to_lowercase(),
            note: optional(cells, note),
            source: optional(cells, source),
            line: *line,
        })
        .collect();
    // One state per place and day: two would leave the map to pick one silently.
    let mut seen: std::collections::HashMap<(String, Date), &PlaceStatusRecord> =
        std::collections::HashMap::new();
    for r in &records {
        let key = (crate::join::normalize_name(&r.place), r.date);
        if let Some(first) = seen.get(&key) {
            if first.state != r.state {
                return Err(ReadError::invalid(
                    path,
                    format!("line {}", r.line),
                    format!(
                        "one state per place and date: `{}` on {} is `{}` here and `{}` at line {}",
                        crate::terminal::shown(&r.place),
                        r.date,
                        crate::terminal::shown(&r.state),
                        crate::terminal::shown(&first.state),
                        first.line
                    ),
                ));
            }
        } else {
            seen.insert(key, r);
        }
    }
    Ok(PlaceStatuses {
        path: path.to_path_buf(),
        columns: (table.headers[place].clone(), table.headers[state].clone()),
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<PlaceStatuses, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("states.csv");
        std::fs::write(&path, text).unwrap();
        read_place_status(&path, None)
    }

    #[test]
    fn bom_crlf_and_month_first_dates_read_like_the_timeline() {
        let s = read(b"\xEF\xBB\xBFPlace,Date,State,Note\r\nKunduz,6/20/2021,Entered,Tolo\r\nTaloqan,6/13/2021,besieged,\r\n")
            .unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[0].place, "Kunduz");
        assert_eq!(s.records[0].date, Date::parse_iso("2021-06-20").unwrap());
        assert_eq!(s.records[0].state, "entered");
        assert_eq!(s.records[0].note.as_deref(), Some("Tolo"));
        assert_eq!(s.records[1].line, 3);
        assert_eq!(s.records[1].note, None);
        let iso = read(b"place,date,state\nKunduz,2021-06-20,entered\n").unwrap();
        assert_eq!(iso.records[0].date, s.records[0].date);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let e = |t: &[u8]| read(t).unwrap_err().to_string();
        let bad = e(b"place,date,state\nKunduz,2021-13-40,entered\n");
        assert!(
            bad.contains("states.csv: line 2, column `date`: a date as YYYY-MM-DD"),
            "{bad}"
        );
        let empty = e(b"place,date,state\nKunduz,2021-06-20,\n");
        assert!(
            empty.contains("line 2, column `state`: a state; the cell is empty"),
            "{empty}"
        );
        let missing = e(b"city,date\nKunduz,2021-06-20\n");
        assert!(missing.contains("no state field `state`"), "{missing}");
        let two = e(b"place,date,state\nKunduz,2021-06-20,entered\nkunduz,2021-06-20,captured\n");
        assert!(
            two.contains("line 3: one state per place and date") && two.contains("at line 2"),
            "{two}"
        );
        assert!(e(b"place,date,state\n").contains("at least one row"));
        let mixed = e(b"place,date,state\nA,2021-06-20,entered\nB,6/21/2021,entered\n");
        assert!(mixed.contains("one date format"), "{mixed}");
    }
}
