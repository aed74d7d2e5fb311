//! The crosswalk file: a table that re-keys a timeline from one naming or coding scheme to
//! another (old district names → OCHA P-codes, say).

use std::path::{Path, PathBuf};

use super::ReadError;
use super::table::Table;

/// One usable row of a crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkRow {
    /// Line in the file.
    pub line: u64,
    /// The row's value in each `from` column, in the order the columns were given (`None`
    /// where the cell is empty or `NA`).
    pub from: Vec<Option<String>>,
    /// The value in the `to` column.
    pub to: String,
}

/// A crosswalk: rows mapping values of one or more `from` columns to a `to` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    /// The file read.
    pub path: PathBuf,
    /// The `from` columns, in priority order.
    pub from: Vec<String>,
    /// The `to` column.
    pub to: String,
    /// The rows that have a `to` value.
    pub rows: Vec<CrosswalkRow>,
}

/// Cells that mean "no value" in published crosswalks.
fn missing(cell: &str) -> bool {
    cell.is_empty()
        || ["na", "n/a", "null", "none", "-"].contains(&cell.to_ascii_lowercase().as_str())
}

/// Reads a crosswalk CSV, keeping the `from` columns (at least one; several are tried in the
/// order given) and the `to` column. Rows with no `to` value are skipped: they cannot re-key
/// anything. Columns are matched ASCII case-insensitively.
pub fn read_crosswalk(path: &Path, from: &[String], to: &str) -> Result<Crosswalk, ReadError> {
    let table = Table::read(path)?;
    if from.is_empty() {
        return Err(ReadError::invalid(
            path,
            "--crosswalk-from",
            "at least one column to match timeline names or ids against",
        ));
    }
    let from_columns = from
        .iter()
        .map(|c| table.column("crosswalk-from", c))
        .collect::<Result<Vec<_>, _>>()?;
    let to_column = table.column("crosswalk-to", to)?;
    let rows = table
        .rows
        .iter()
        .filter(|(_, cells)| !missing(&cells[to_column]))
        .map(|(line, cells)| CrosswalkRow {
            line: *line,
            from: from_columns
                .iter()
                .map(|&c| Some(cells[c].clone()).filter(|v| !missing(v)))
                .collect(),
            to: cells[to_column].clone(),
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        return Err(ReadError::invalid(
            path,
            format!("column `{to}`"),
            "at least one row with a value to re-key to",
        ));
    }
    Ok(Crosswalk {
        path: path.to_path_buf(),
        from: from_columns
            .iter()
            .map(|&c| table.headers[c].clone())
            .collect(),
        to: table.headers[to_column].clone(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_rows_with_a_target_and_marks_missing_cells() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cw.csv");
        std::fs::write(
            &path,
            "old,older,code\nTALUQAN,NA,AF1701\nKHAN ABAD,,AF1702\nGONE,GONE,NA\n",
        )
        .unwrap();
        let cw = read_crosswalk(&path, &["OLD".into(), "older".into()], "Code").unwrap();
        assert_eq!(cw.from, ["old", "older"]);
        assert_eq!(cw.rows.len(), 2);
        assert_eq!(cw.rows[0].from, [Some("TALUQAN".into()), None]);
        assert_eq!(cw.rows[1].line, 3);
        let e = read_crosswalk(&path, &["new".into()], "code")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no crosswalk-from field `new`") && e.contains("old, older, code"),
            "{e}"
        );
        assert!(read_crosswalk(&path, &[], "code").is_err());
    }
}
