//! The join's two tables, indexed: the crosswalk (re-keying records) and the aliases (other
//! spellings of a name), each found by the same normalised keys as the districts.

use rustc_hash::FxHashMap as HashMap;

use super::*;

/// The crosswalk, indexed: per `from` column, normalised value → row indices.
pub(super) struct CrosswalkIndex<'a> {
    crosswalk: &'a Crosswalk,
    columns: Vec<HashMap<String, Vec<usize>>>,
}

impl<'a> CrosswalkIndex<'a> {
    pub(super) fn new(crosswalk: &'a Crosswalk, mode: JoinMode) -> CrosswalkIndex<'a> {
        let mut columns = vec![HashMap::<String, Vec<usize>>::default(); crosswalk.from.len()];
        for (r, row) in crosswalk.rows.iter().enumerate() {
            for (c, value) in row.from.iter().enumerate() {
                if let Some(v) = value {
                    let norm = match mode {
                        JoinMode::Id => normalize_id(v),
                        _ => normalize_name(v),
                    };
                    columns[c].entry(norm).or_default().push(r);
                }
            }
        }
        CrosswalkIndex { crosswalk, columns }
    }

    /// The districts the crosswalk re-keys `key` to. The first `from` column that has the
    /// key decides. Several targets in one province are the successors of a split district;
    /// in different provinces (or provinces unknown), the name was ambiguous in the
    /// crosswalk itself.
    pub(super) fn find(&self, key: &Key, index: &Index) -> Option<Found> {
        let (c, rows) = self
            .columns
            .iter()
            .enumerate()
            .find_map(|(c, column)| Some((c, column.get(&key.norm)?)))?;
        let mut targets: Vec<usize> = rows
            .iter()
            .flat_map(|&r| index.target(&self.crosswalk.rows[r].to).iter().copied())
            .filter(|&i| index.in_province(i, key.province.as_deref()))
            .collect();
        targets.sort_unstable();
        targets.dedup();
        if targets.is_empty() {
            return None;
        }
        let first = &self.crosswalk.rows[rows[0]];
        let mut to: Vec<&str> = rows
            .iter()
            .map(|&r| self.crosswalk.rows[r].to.as_str())
            .collect();
        to.dedup();
        let via = format!(
            "{} `{}` → {} `{}` (line {})",
            self.crosswalk.from[c],
            first.from[c].as_deref().unwrap_or_default(),
            self.crosswalk.to,
            to.join("`, `"),
            first.line
        );
        let one_province = targets.iter().all(|&i| {
            index.province[i].is_some() && index.province[i] == index.province[targets[0]]
        });
        Some(Found {
            split: targets.len() > 1 && one_province,
            districts: targets,
            method: Method::Crosswalk,
            via: Some(via),
            score: None,
        })
    }
}

/// The alias file, indexed: normalised spelling → the other spelling of every row that has
/// it on either side (spellings are symmetric).
pub(super) struct AliasIndex(HashMap<String, Vec<Spelling>>);

/// The other spelling of an alias row.
struct Spelling {
    /// Normalised.
    norm: String,
    /// The row's canonical province.
    province: Option<String>,
    /// The row as the report shows it.
    label: String,
}

impl AliasIndex {
    pub(super) fn new(aliases: &Aliases) -> AliasIndex {
        let mut map: HashMap<String, Vec<_>> = HashMap::default();
        for row in &aliases.rows {
            let (a, n) = (normalize_name(&row.alias), normalize_name(&row.name));
            let province = row.province.as_deref().map(canonical_province);
            let label = format!("`{}` = `{}` (line {})", row.alias, row.name, row.line);
            map.entry(a.clone()).or_default().push(Spelling {
                norm: n.clone(),
                province: province.clone(),
                label: label.clone(),
            });
            map.entry(n).or_default().push(Spelling {
                norm: a,
                province,
                label,
            });
        }
        AliasIndex(map)
    }

    /// The districts the key's other spellings name, restricted to the row's province and
    /// the key's.
    pub(super) fn find(&self, key: &Key, index: &Index) -> Option<Found> {
        let rows = self.0.get(&key.norm)?;
        let mut districts = Vec::new();
        let mut used = Vec::new();
        for Spelling {
            norm,
            province,
            label,
        } in rows
        {
            let found: Vec<usize> = index
                .by_name
                .get(norm)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| index.in_province(i, province.as_deref()))
                .filter(|&i| {
                    index.mode != JoinMode::NameProvince
                        || index.in_province(i, key.province.as_deref())
                })
                .collect();
            if !found.is_empty() {
                used.push(label.clone());
                districts.extend(found);
            }
        }
        districts.sort_unstable();
        districts.dedup();
        (!districts.is_empty()).then(|| Found {
            districts,
            method: Method::Alias,
            via: Some(used.join("; ")),
            score: None,
            split: false,
        })
    }
}
