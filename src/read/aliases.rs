//! The alias file: extra spellings of district names (`alias,name[,province]`).

use std::path::{Path, PathBuf};

use super::ReadError;
use super::table::Table;

/// One row of an alias file: `alias` and `name` spell the same district, in `province` when
/// given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alias {
    /// Line in the alias file.
    pub line: u64,
    /// One spelling (as a timeline may write it).
    pub alias: String,
    /// Another spelling (as a boundary file may write it).
    pub name: String,
    /// The district's province, when the row is meant for one province only.
    pub province: Option<String>,
}

/// An alias file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aliases {
    /// The file read.
    pub path: PathBuf,
    /// Its rows, in file order.
    pub rows: Vec<Alias>,
}

/// Reads an alias CSV with the columns `alias`, `name` and optionally `province` (any
/// order; other columns, such as a `note`, are ignored).
///
/// Every row needs an alias and a name, and they must differ unless the row gives a
/// province: `Kohistan,Kohistan,Kapisa` says which of two same-name districts a timeline means.
pub fn read_aliases(path: &Path) -> Result<Aliases, ReadError> {
    let table = Table::read(path)?;
    let alias = table.column("alias", "alias")?;
    let name = table.column("name", "name")?;
    let province = table.find("province");
    let mut rows = Vec::with_capacity(table.rows.len());
    for (line, cells) in &table.rows {
        for (i, role) in [(alias, "an alias"), (name, "a name")] {
            if cells[i].is_empty() {
                return Err(ReadError::invalid(
                    path,
                    format!("line {line}, column `{}`", table.headers[i]),
                    format!("{role}; the cell is empty"),
                ));
            }
        }
        let province = province.map(|p| cells[p].clone()).filter(|p| !p.is_empty());
        if province.is_none()
            && crate::names::normalize_name(&cells[alias])
                == crate::names::normalize_name(&cells[name])
        {
            return Err(ReadError::invalid(
                path,
                format!("line {line}"),
                format!(
                    "an alias that differs from its name, or a province; `{}` and `{}` are already the same name",
                    cells[alias], cells[name]
                ),
            ));
        }
        rows.push(Alias {
            line: *line,
            alias: cells[alias].clone(),
            name: cells[name].clone(),
            province,
        });
    }
    Ok(Aliases {
        path: path.to_path_buf(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Aliases, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aliases.csv");
        std::fs::write(&path, text).unwrap();
        read_aliases(&path)
    }

    #[test]
    fn reads_rows_with_and_without_province() {
        let a = read("alias,name,province,note\nTaluqan,Taloqan,,\nKohistan,Kohistan,Kapisa,x\n")
            .unwrap();
        assert_eq!(a.rows.len(), 2);
        assert_eq!(a.rows[0].province, None);
        assert_eq!(a.rows[1].province.as_deref(), Some("Kapisa"));
        assert_eq!(a.rows[1].line, 3);
        // The province column is optional.
        assert_eq!(read("name,alias\nA,B\n").unwrap().rows[0].alias, "B");
    }

    #[test]
    fn rejects_incomplete_and_useless_rows() {
        let e = read("alias,name\nTaluqan,\n").unwrap_err().to_string();
        assert!(e.contains("line 2, column `name`"), "{e}");
        let e = read("alias,name\nMazar-e-Sharif,Mazar Sharif\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("already the same"),
            "{e}"
        );
        let e = read("spelling,name\nA,B\n").unwrap_err().to_string();
        assert!(e.contains("no alias field"), "{e}");
    }
}
