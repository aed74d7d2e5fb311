//! Small CSV tables with a header (alias files, crosswalks): rows kept with their line
//! numbers, so that every later message can point at the line.

use std::path::{Path, PathBuf};

use super::ReadError;

/// Refuses a header row that names one column twice: every reader looks a column up by
/// name and would silently use the first. Compared as the readers compare names (case,
/// surrounding space and a BOM aside); empty header cells (a spreadsheet's trailing commas)
/// are left alone.
pub(crate) fn unique_headers<'a>(
    path: &Path,
    line: u64,
    headers: impl IntoIterator<Item = &'a str>,
) -> Result<(), ReadError> {
    let mut seen: Vec<String> = Vec::new();
    for (i, header) in headers.into_iter().enumerate() {
        let key = header.trim_start_matches('\u{feff}').trim().to_lowercase();
        if key.is_empty() {
            seen.push(key);
            continue;
        }
        if let Some(first) = seen.iter().position(|k| *k == key) {
            return Err(ReadError::invalid(
                path,
                format!("line {line}, column {}", i + 1),
                format!(
                    "header `{}` repeats column {}: expected each column named once (rename or remove one)",
                    crate::terminal::shown(header.trim()),
                    first + 1
                ),
            ));
        }
        seen.push(key);
    }
    Ok(())
}

/// A CSV file read whole: its header and its rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) path: PathBuf,
    pub(crate) headers: Vec<String>,
    /// `(line, cells)`; cells are trimmed, and a short row is padded with empty cells.
    pub(crate) rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Reads a CSV with a header row. A UTF-8 BOM is dropped, CRLF is fine, cells are trimmed.
    pub(crate) fn read(path: &Path) -> Result<Table, ReadError> {
        let bytes = super::read_file(path)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut rows = Vec::new();
        let mut headers = None;
        let mut lines = super::csv_lines::Lines::new(bytes);
        for result in reader.byte_records() {
            let record = match result {
                Ok(record) => record,
                Err(e) => {
                    let line = lines.of(e.position());
                    return Err(ReadError::invalid(
                        path,
                        format!("line {line}"),
                        e.to_string(),
                    ));
                }
            };
            let line = lines.of(record.position());
            let cells = record
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    std::str::from_utf8(cell)
                        .map(|s| s.trim().to_string())
                        .map_err(|_| {
                            ReadError::invalid(
                                path,
                                format!("line {line}, column {}", i + 1),
                                "text in UTF-8",
                            )
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if cells.iter().all(String::is_empty) {
                continue;
            }
            match headers {
                None => {
                    unique_headers(path, line, cells.iter().map(String::as_str))?;
                    headers = Some(cells)
                }
                Some(_) => rows.push((line, cells)),
            }
        }
        let headers = headers.ok_or_else(|| ReadError::invalid(path, "line 1", "a header row"))?;
        let width = headers.len();
        for (line, cells) in &mut rows {
            if cells.len() > width {
                return Err(ReadError::invalid(
                    path,
                    format!("line {line}"),
                    format!(
                        "at most {width} cells, as in the header; found {}",
                        cells.len()
                    ),
                ));
            }
            cells.resize(width, String::new());
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The index of the column called `name` (ASCII case-insensitive).
    pub(crate) fn column(&self, role: &'static str, name: &str) -> Result<usize, ReadError> {
        self.find(name).ok_or_else(|| ReadError::MissingField {
            path: self.path.clone(),
            role,
            field: name.to_string(),
            available: self.headers.clone(),
        })
    }

    /// The index of the column called `name`, if any.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8]) -> Result<Table, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        Table::read(&path)
    }

    #[test]
    fn keeps_lines_and_pads_short_rows() {
        let t = table(b"\xEF\xBB\xBFalias,name,province\r\nA , B\r\n\r\nC,D,E\r\n").unwrap();
        assert_eq!(t.headers, ["alias", "name", "province"]);
        assert_eq!(t.rows[0], (2, vec!["A".into(), "B".into(), String::new()]));
        assert_eq!(t.rows[1].0, 4);
        assert_eq!(t.column("alias", "ALIAS").unwrap(), 0);
        assert!(t.column("code", "code").is_err());
    }

    #[test]
    fn rejects_long_rows_bad_text_and_empty_files() {
        let long = table(b"a,b\n1,2,3\n").unwrap_err().to_string();
        assert!(
            long.contains("line 2") && long.contains("at most 2"),
            "{long}"
        );
        let bad = table(b"a,b\n1,\xff\n").unwrap_err().to_string();
        assert!(
            bad.contains("line 2, column 2") && bad.contains("UTF-8"),
            "{bad}"
        );
        assert!(table(b"").unwrap_err().to_string().contains("header"));
        let e = table(b"alias,name,Alias\nA,B,C\n").unwrap_err().to_string();
        assert!(
            e.contains("line 1, column 3: header `Alias` repeats column 1"),
            "{e}"
        );
        assert!(
            table(b"alias,name,,\nA,B,,\n").is_ok(),
            "empty headers may repeat"
        );
    }
}
