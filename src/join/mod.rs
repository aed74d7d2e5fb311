//! Join: timeline records → districts.
//!
//! Every distinct timeline key (an id, or a name with its province when it has one) is
//! matched in this order, the first step that finds districts deciding:
//! 1. the crosswalk (`--crosswalk`), which re-keys old names or codes to the boundary set's;
//! 2. the id, or the name compared after [`normalize_name`] (and the province, when both
//!    sides have one, after province spellings are aliased);
//! 3. the alias file (`--aliases`), when the name found nothing or several districts;
//! 4. `--fuzzy`: the names still unmatched, against the districts still unclaimed, by
//!    [`similarity`], one to one and only when clearly better than any alternative.
//!
//! What each key matched, and how, is in the [`JoinReport`].

mod fuzzy;
mod lookup;
pub(crate) mod report;

use std::collections::HashMap;
use std::sync::Arc;

use crate::district::District;
use crate::history::History;
use crate::read::{Aliases, Boundaries, Crosswalk};
use crate::status::CategoryId;
use crate::timeline::{Date, Record, Timeline};

pub use fuzzy::{MARGIN, RECOMMENDED_THRESHOLD, similarity};
pub use lookup::{Lookup, NameLookup};
// Name normalisation moved to `crate::names` (readers and render use it too); re-exported so
// that `join::normalize_name` still names it.
pub use crate::names::{canonical_province, loose_name, normalize_name};
pub use report::{
    Candidate, Conflict, DistrictRef, JoinReport, KeyRef, Match, Method, Override, district_label,
};

/// A problem that makes the join unusable for a map.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// Two rows give the same district different statuses on the same date.
    #[error(
        "{}: conflicting statuses for `{}` on {}: line {} says `{}`, line {} says `{}`",
        .0.file.display(), .0.district, .0.date, .0.line_a, .0.value_a, .0.line_b, .0.value_b
    )]
    Conflict(Box<Conflict>),
    /// The `--fuzzy` threshold is not a similarity.
    #[error(
        "--fuzzy {0}: expected a similarity threshold between 0.5 and 1 (recommended: {RECOMMENDED_THRESHOLD})"
    )]
    Threshold(f64),
}

/// What to do with a timeline name that matches several districts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ambiguous {
    /// Leave all candidates as no data, and warn.
    #[default]
    None,
    /// Colour every candidate with the name's status.
    All,
}

/// Join options.
#[derive(Debug, Clone, Default)]
pub struct JoinOptions {
    /// What to do with ambiguous names.
    pub ambiguous: Ambiguous,
    /// Extra spellings (`--aliases`).
    pub aliases: Option<Aliases>,
    /// Re-keying table (`--crosswalk`).
    pub crosswalk: Option<Crosswalk>,
    /// Fuzzy matching threshold (`--fuzzy`); `None` = off, the default.
    pub fuzzy: Option<f64>,
}

/// How the join compared keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// Timeline id = district id.
    Id,
    /// Normalised name and normalised province.
    NameProvince,
    /// Normalised name only (one side has no province).
    Name,
}

/// The joined timeline: for every district, its status history.
#[derive(Debug, Clone)]
pub struct Join {
    /// One history per district, in [`Boundaries::districts`] order; empty for unjoined ones.
    pub histories: Vec<History>,
    /// Every distinct timeline key with its own history, in order of first row (what
    /// `check` summarises, whether or not the key matched).
    pub keys: Vec<(KeyRef, History)>,
    /// What matched and what did not.
    pub report: JoinReport,
}

/// A distinct timeline key while joining.
struct Key {
    /// Normalised id or name.
    norm: String,
    /// [`loose_name`] of the name.
    loose: String,
    /// Canonical province, when the rows give one.
    province: Option<String>,
    report: KeyRef,
    steps: Vec<Step>,
}

/// One dated status of a key, and the record that gave it.
struct Step {
    date: Option<Date>,
    category: CategoryId,
    source: Option<Arc<str>>,
    record: usize,
}

impl Key {
    fn history(&self) -> History {
        let mut history = History::with_sources(
            self.steps
                .iter()
                .map(|s| (s.date, s.category, s.source.clone()))
                .collect(),
        );
        // A key has one step per date, so this stable sort orders them as `with_sources` did.
        let mut records: Vec<(Option<Date>, usize)> =
            self.steps.iter().map(|s| (s.date, s.record)).collect();
        records.sort_by_key(|r| r.0);
        history.records = records.into_iter().map(|r| r.1).collect();
        history
    }
}

/// What one step of the matching found for a key.
struct Found {
    districts: Vec<usize>,
    method: Method,
    via: Option<String>,
    score: Option<f64>,
    split: bool,
}

/// The districts, indexed for matching.
struct Index<'a> {
    districts: &'a [District],
    mode: JoinMode,
    /// Canonical province per district.
    province: Vec<Option<String>>,
    /// Normalised name per district (for suggestions and fuzzy matching).
    names: Vec<String>,
    by_name: HashMap<String, Vec<usize>>,
    /// By [`loose_name`], the fallback.
    by_loose: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(boundaries: &'a Boundaries, mode: JoinMode) -> Index<'a> {
        let districts = &boundaries.districts;
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_loose: HashMap<String, Vec<usize>> = HashMap::new();
        let names: Vec<String> = districts.iter().map(|d| normalize_name(&d.name)).collect();
        for (i, d) in districts.iter().enumerate() {
            // An empty key is a missing name or id, not a name shared with other blanks.
            for (map, key) in [
                (&mut by_name, names[i].clone()),
                (&mut by_loose, loose_name(&d.name)),
                (&mut by_id, normalize_id(&d.id.0)),
            ] {
                if !key.is_empty() {
                    map.entry(key).or_default().push(i);
                }
            }
        }
        Index {
            districts,
            mode,
            province: districts
                .iter()
                .map(|d| d.province.as_deref().map(canonical_province))
                .collect(),
            names,
            by_name,
            by_loose,
            by_id,
        }
    }

    fn reference(&self, i: usize) -> DistrictRef {
        let d = &self.districts[i];
        DistrictRef {
            index: d.index,
            id: d.id.0.clone(),
            name: d.name.clone(),
            province: d.province.clone(),
        }
    }

    fn references(&self, list: &[usize]) -> Vec<DistrictRef> {
        list.iter().map(|&i| self.reference(i)).collect()
    }

    /// Whether district `i` can be in `province` (unknown on either side = yes).
    fn in_province(&self, i: usize, province: Option<&str>) -> bool {
        match (province, &self.province[i]) {
            (Some(p), Some(q)) => p == q,
            _ => true,
        }
    }

    /// Districts whose normalised key (id in id mode, else name) is the key's, in its
    /// province when the mode compares provinces; failing that, by [`loose_name`].
    fn direct(&self, key: &Key) -> Vec<usize> {
        let province = key
            .province
            .as_deref()
            .filter(|_| self.mode == JoinMode::NameProvince);
        let find = |map: &HashMap<String, Vec<usize>>, norm: &str| -> Vec<usize> {
            map.get(norm)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| self.in_province(i, province))
                .collect()
        };
        match self.mode {
            JoinMode::Id => find(&self.by_id, &key.norm),
            _ => {
                let exact = find(&self.by_name, &key.norm);
                if exact.is_empty() {
                    find(&self.by_loose, &key.loose)
                } else {
                    exact
                }
            }
        }
    }

    /// Same-name districts in any province.
    fn anywhere(&self, key: &Key) -> Vec<usize> {
        self.by_name.get(&key.norm).cloned().unwrap_or_default()
    }

    /// Districts a crosswalk target names: by id first, then by name.
    fn target(&self, value: &str) -> &[usize] {
        self.by_id
            .get(&normalize_id(value))
            .or_else(|| self.by_name.get(&normalize_name(value)))
            .map_or(&[], Vec::as_slice)
    }
}

/// The crosswalk, indexed: per `from` column, normalised value → row indices.
struct CrosswalkIndex<'a> {
    crosswalk: &'a Crosswalk,
    columns: Vec<HashMap<String, Vec<usize>>>,
}

impl<'a> CrosswalkIndex<'a> {
    fn new(crosswalk: &'a Crosswalk, mode: JoinMode) -> CrosswalkIndex<'a> {
        let mut columns = vec![HashMap::<String, Vec<usize>>::new(); crosswalk.from.len()];
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
    fn find(&self, key: &Key, index: &Index) -> Option<Found> {
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
struct AliasIndex(HashMap<String, Vec<Spelling>>);

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
    fn new(aliases: &Aliases) -> AliasIndex {
        let mut map: HashMap<String, Vec<_>> = HashMap::new();
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
    fn find(&self, key: &Key, index: &Index) -> Option<Found> {
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

impl Join {
    /// Joins `timeline` to `boundaries`. `record_categories` is the category of every
    /// timeline record (from [`crate::status::Categories::classify_timeline`]), used to build
    /// the histories and to detect conflicting same-date rows.
    ///
    /// Conflicting rows do not stop the join (`check` lists them); [`Join::conflict`] turns
    /// the first into the error a map must stop at. Records beyond the end of
    /// `record_categories` are ignored.
    pub fn new(
        boundaries: &Boundaries,
        timeline: &Timeline,
        record_categories: &[CategoryId],
        options: &JoinOptions,
    ) -> Result<Join, JoinError> {
        if let Some(t) = options.fuzzy
            && !(0.5..=1.0).contains(&t)
        {
            return Err(JoinError::Threshold(t));
        }
        let records = &timeline.records;
        let mode = if !records.is_empty() && records.iter().all(|r| r.id.is_some()) {
            JoinMode::Id
        } else if boundaries.fields.province.is_some()
            && records.iter().any(|r| r.province.is_some())
        {
            JoinMode::NameProvince
        } else {
            JoinMode::Name
        };

        let grouped = group_keys(timeline, record_categories, mode);
        let keys = grouped.keys;
        let index = Index::new(boundaries, mode);
        let crosswalk = options
            .crosswalk
            .as_ref()
            .map(|c| CrosswalkIndex::new(c, mode));
        let aliases = options.aliases.as_ref().map(AliasIndex::new);

        // Each key's districts, before fuzzy matching.
        let mut found: Vec<Found> = keys
            .iter()
            .map(|key| {
                let direct = match crosswalk.as_ref().and_then(|c| c.find(key, &index)) {
                    Some(f) if f.districts.len() == 1 || f.split => return f,
                    Some(ambiguous) => ambiguous,
                    None => Found {
                        districts: index.direct(key),
                        method: match mode {
                            JoinMode::Id => Method::Id,
                            _ => Method::Name,
                        },
                        via: None,
                        score: None,
                        split: false,
                    },
                };
                if direct.districts.len() == 1 {
                    return direct;
                }
                // An alias may find a name that matched nothing, or settle an ambiguous one
                // (a row with a province); it never makes a match ambiguous.
                match aliases.as_ref().and_then(|a| a.find(key, &index)) {
                    Some(alias) if direct.districts.is_empty() || alias.districts.len() == 1 => {
                        alias
                    }
                    _ => direct,
                }
            })
            .collect();

        if let Some(threshold) = options.fuzzy {
            fuzzy_match(&keys, &mut found, &index, threshold);
        }

        let mut histories = vec![History::default(); index.districts.len()];
        let mut claimed = vec![false; index.districts.len()];
        let mut in_ambiguous = vec![false; index.districts.len()];
        let (mut matched, mut ambiguous, mut unmatched_timeline, mut multiply_matched) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());

        // Keys come in order of first line, so the first key to claim a district wins.
        for (key, f) in keys.iter().zip(&found) {
            let entry = Match {
                districts: index.references(&f.districts),
                ..matched_entry(key, f)
            };
            let claims: &[usize] = match (f.districts.len(), f.split) {
                (0, _) => {
                    // Same name in another province: shown so the user sees why.
                    let elsewhere = match mode {
                        JoinMode::NameProvince => index.references(&index.anywhere(key)),
                        _ => Vec::new(),
                    };
                    unmatched_timeline.push(Match {
                        candidates: candidates(key, &index),
                        districts: elsewhere,
                        ..entry
                    });
                    &[]
                }
                (1, _) | (_, true) => {
                    matched.push(entry);
                    &f.districts
                }
                _ => {
                    ambiguous.push(entry);
                    for &i in &f.districts {
                        in_ambiguous[i] = true;
                    }
                    match options.ambiguous {
                        Ambiguous::All => &f.districts,
                        Ambiguous::None => &[],
                    }
                }
            };
            for &i in claims {
                if claimed[i] {
                    multiply_matched.push(Match {
                        districts: vec![index.reference(i)],
                        ..matched_entry(key, f)
                    });
                } else {
                    claimed[i] = true;
                    histories[i] = key.history();
                }
            }
        }

        let unmatched_districts = (0..index.districts.len())
            .filter(|&i| !claimed[i] && !in_ambiguous[i])
            .map(|i| index.reference(i))
            .collect();

        Ok(Join {
            histories,
            keys: keys
                .iter()
                .map(|k| (k.report.clone(), k.history()))
                .collect(),
            report: JoinReport {
                boundaries: boundaries.path.clone(),
                timeline: timeline.files.iter().map(|f| f.path.clone()).collect(),
                mode,
                districts: index.districts.len(),
                keys: keys.len(),
                matched,
                ambiguous,
                ambiguous_policy: options.ambiguous,
                unmatched_timeline,
                unmatched_districts,
                multiply_matched,
                fuzzy_threshold: options.fuzzy,
                duplicate_rows: grouped.duplicates,
                conflicts: grouped.conflicts,
                overridden: grouped.overridden,
            },
        })
    }

    /// The first conflict, as the error that stops a map: a district cannot be drawn with
    /// two statuses.
    pub fn conflict(&self) -> Option<JoinError> {
        self.report
            .conflicts
            .first()
            .map(|c| JoinError::Conflict(Box::new(c.clone())))
    }

    /// Every district's category on `date` (`None` = no data).
    pub fn categories_on(&self, date: Date) -> Vec<Option<CategoryId>> {
        self.histories.iter().map(|h| h.at(date)).collect()
    }
}

fn matched_entry(key: &Key, f: &Found) -> Match {
    Match {
        key: key.report.clone(),
        districts: Vec::new(),
        method: f.method,
        via: f.via.clone(),
        score: f.score,
        split: f.split,
        candidates: Vec::new(),
    }
}

/// How many suggestions an unmatched key gets.
const CANDIDATES: usize = 3;

/// The districts most like an unmatched key (in its province when both sides know it).
fn candidates(key: &Key, index: &Index) -> Vec<Candidate> {
    if index.mode == JoinMode::Id {
        return Vec::new();
    }
    let mut scored: Vec<(f64, usize)> = (0..index.districts.len())
        .filter(|&i| index.in_province(i, key.province.as_deref()))
        .map(|i| (similarity(&key.norm, &index.names[i]), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(CANDIDATES)
        .map(|(score, i)| Candidate {
            district: index.reference(i),
            score: (score * 1000.0).round() / 1000.0,
        })
        .collect()
}

/// Matches the keys that found nothing to the districts nobody claimed, by similarity
/// (see [`fuzzy::assign`]).
fn fuzzy_match(keys: &[Key], found: &mut [Found], index: &Index, threshold: f64) {
    let mut taken = vec![false; index.districts.len()];
    for f in found.iter() {
        for &i in &f.districts {
            taken[i] = true;
        }
    }
    let open_keys: Vec<usize> = (0..keys.len())
        .filter(|&k| found[k].districts.is_empty())
        .collect();
    let free: Vec<usize> = (0..index.districts.len()).filter(|&i| !taken[i]).collect();
    let key_names: Vec<&str> = open_keys.iter().map(|&k| keys[k].norm.as_str()).collect();
    let district_names: Vec<&str> = free.iter().map(|&i| index.names[i].as_str()).collect();
    let pairs = fuzzy::assign(&key_names, &district_names, threshold, |k, d| {
        index.in_province(free[d], keys[open_keys[k]].province.as_deref())
    });
    for (k, d, score) in pairs {
        found[open_keys[k]] = Found {
            districts: vec![free[d]],
            method: Method::Fuzzy,
            via: None,
            score: Some((score * 1000.0).round() / 1000.0),
            split: false,
        };
    }
}

/// The timeline's rows grouped into keys, and what grouping found.
struct Grouped {
    keys: Vec<Key>,
    duplicates: usize,
    conflicts: Vec<Conflict>,
    overridden: Vec<Override>,
}

/// Groups the records into keys, in order of first line, each with its history steps.
/// Repeated rows that agree collapse into one step; rows of one file that disagree are a
/// conflict (the first is kept); a later file's row replaces an earlier file's.
fn group_keys(timeline: &Timeline, record_categories: &[CategoryId], mode: JoinMode) -> Grouped {
    let mut keys: Vec<Key> = Vec::new();
    let mut key_of: HashMap<(String, Option<String>), usize> = HashMap::new();
    // (key, date) → index into the key's steps.
    let mut step_of: HashMap<(usize, Option<Date>), usize> = HashMap::new();
    let (mut duplicates, mut conflicts, mut overridden) = (0, Vec::new(), Vec::new());
    let many_files = timeline.files.len() > 1;
    for (r, (record, &category)) in timeline.records.iter().zip(record_categories).enumerate() {
        let (norm, province) = match mode {
            JoinMode::Id => (normalize_id(record.id.as_deref().unwrap_or_default()), None),
            // The province stays part of the key even when the boundaries have none, so
            // that same-name districts of different provinces are not merged into one
            // (conflicting) history.
            _ => (
                normalize_name(&record.district),
                record.province.as_deref().map(canonical_province),
            ),
        };
        let k = *key_of
            .entry((norm.clone(), province.clone()))
            .or_insert_with(|| {
                keys.push(Key {
                    loose: loose_name(&record.district),
                    norm,
                    province,
                    report: KeyRef {
                        id: record.id.clone(),
                        name: record.district.clone(),
                        province: record.province.clone(),
                        file: timeline.path_of(record).to_path_buf(),
                        first_line: record.line,
                        rows: 0,
                        sources: Vec::new(),
                        notes: Vec::new(),
                    },
                    steps: Vec::new(),
                });
                keys.len() - 1
            });
        let key = &mut keys[k];
        key.report.rows += 1;
        for (list, value) in [
            (&mut key.report.sources, &record.source),
            (&mut key.report.notes, &record.note),
        ] {
            if let Some(v) = value
                && !list.contains(v)
            {
                list.push(v.clone());
            }
        }
        // Without a source column, the file tells a merged timeline's rows apart.
        let source: Option<Arc<str>> = record.source.as_deref().map(Arc::from).or_else(|| {
            many_files.then(|| {
                let p = timeline.path_of(record);
                Arc::from(p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ))
            })
        });
        match step_of.get(&(k, record.date)) {
            None => {
                step_of.insert((k, record.date), key.steps.len());
                key.steps.push(Step {
                    date: record.date,
                    category,
                    source,
                    record: r,
                });
            }
            Some(&s) => {
                let first_category = key.steps[s].category;
                let first = &timeline.records[key.steps[s].record];
                if first.file != record.file {
                    if first_category != category {
                        overridden.push(Override {
                            district: record_label(first),
                            date: date_label(record.date),
                            earlier: (
                                timeline.path_of(first).to_path_buf(),
                                first.line,
                                first.value.clone(),
                            ),
                            later: (
                                timeline.path_of(record).to_path_buf(),
                                record.line,
                                record.value.clone(),
                            ),
                        });
                    }
                    key.steps[s] = Step {
                        date: record.date,
                        category,
                        source,
                        record: r,
                    };
                } else if first_category != category {
                    conflicts.push(Conflict {
                        district: record_label(first),
                        date: date_label(first.date),
                        file: timeline.path_of(first).to_path_buf(),
                        line_a: first.line,
                        value_a: first.value.clone(),
                        line_b: record.line,
                        value_b: record.value.clone(),
                    });
                } else {
                    duplicates += 1;
                }
            }
        }
    }
    Grouped {
        keys,
        duplicates,
        conflicts,
        overridden,
    }
}

fn record_label(record: &Record) -> String {
    let name = match (&record.id, record.district.trim().is_empty()) {
        (Some(id), true) => id.clone(),
        _ => record.district.clone(),
    };
    match &record.province {
        Some(p) => format!("{name} ({p})"),
        None => name,
    }
}

fn date_label(date: Option<Date>) -> String {
    date.map_or_else(|| "every date".to_string(), |d| d.to_string())
}

fn normalize_id(id: &str) -> String {
    id.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{BoundaryFormat, DistrictId, FieldChoice};
    use crate::status::Categories;
    use crate::timeline::TimelineColumns;
    use std::path::Path;

    const GOV: CategoryId = CategoryId(0);
    const TAL: CategoryId = CategoryId(1);

    fn district(index: usize, id: &str, name: &str, province: Option<&str>) -> District {
        District {
            index,
            id: DistrictId(id.to_string()),
            name: name.to_string(),
            province: province.map(str::to_string),
            geometry: geo::MultiPolygon(vec![]),
        }
    }

    /// Districts as `(id, name, province)`; the layer has a province field if any has one.
    fn boundaries(list: &[(&str, &str, Option<&str>)]) -> Boundaries {
        Boundaries {
            path: "districts.geojson".into(),
            format: BoundaryFormat::GeoJson,
            layer: None,
            fields: FieldChoice {
                id: Some("id".into()),
                name: "name".into(),
                province: list
                    .iter()
                    .any(|d| d.2.is_some())
                    .then(|| "province".into()),
            },
            available: vec!["id".into(), "name".into(), "province".into()],
            notes: Default::default(),
            districts: list
                .iter()
                .enumerate()
                .map(|(i, (id, name, province))| district(i, id, name, *province))
                .collect(),
        }
    }

    struct Row {
        id: Option<&'static str>,
        name: &'static str,
        province: Option<&'static str>,
        date: Option<&'static str>,
        value: &'static str,
        category: CategoryId,
    }

    fn row(name: &'static str, date: Option<&'static str>, category: CategoryId) -> Row {
        Row {
            id: None,
            name,
            province: None,
            date,
            value: if category == TAL { "1" } else { "0" },
            category,
        }
    }

    fn in_province(province: &'static str, r: Row) -> Row {
        Row {
            province: Some(province),
            ..r
        }
    }

    /// A timeline of `rows` (lines 2, 3, ...) and their categories.
    fn timeline(rows: &[Row]) -> (Timeline, Vec<CategoryId>) {
        let records = rows
            .iter()
            .zip(2..)
            .map(|(r, line)| Record {
                line,
                id: r.id.map(str::to_string),
                district: r.name.to_string(),
                province: r.province.map(str::to_string),
                date: r.date.and_then(Date::parse_iso),
                value: r.value.to_string(),
                file: 0,
                source: None,
                note: None,
            })
            .collect();
        let timeline = Timeline {
            files: vec![crate::timeline::TimelineFile {
                path: "status.csv".into(),
                columns: TimelineColumns::default(),
            }],
            records,
        };
        (timeline, rows.iter().map(|r| r.category).collect())
    }

    fn categories() -> Categories {
        Categories::preset("lwj").expect("the lwj preset exists")
    }

    #[allow(clippy::result_large_err)]
    fn join(b: &Boundaries, rows: &[Row], ambiguous: Ambiguous) -> Result<Join, JoinError> {
        let (t, cats) = timeline(rows);
        Join::new(
            b,
            &t,
            &cats,
            &JoinOptions {
                ambiguous,
                ..Default::default()
            },
        )
    }

    fn date(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn names(matches: &[Match]) -> Vec<&str> {
        matches.iter().map(|m| m.key.name.as_str()).collect()
    }

    #[test]
    fn ids_match_case_insensitively_after_trimming() {
        let b = boundaries(&[
            ("AF0101", "Kabul", Some("Kabul")),
            ("AF0102", "Paghman", Some("Kabul")),
        ]);
        let rows = [
            Row {
                id: Some(" af0102 "),
                ..row("Pagman", None, TAL)
            },
            Row {
                id: Some("AF0101"),
                ..row("", None, GOV)
            },
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.mode, JoinMode::Id);
        assert_eq!(j.report.matched.len(), 2);
        assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), Some(TAL)]);
        assert_eq!(j.report.matched[0].key.id.as_deref(), Some(" af0102 "));
        assert!(!j.report.has_problems());
    }

    #[test]
    fn province_tells_same_name_districts_apart() {
        let b = boundaries(&[
            ("a", "Kohistan", Some("Kapisa")),
            ("b", "Kohistan", Some("Faryab")),
        ]);
        let rows = [
            in_province("Faryab", row("Kohistan", None, TAL)),
            in_province("Kapisa", row("Kohistan", None, GOV)),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.mode, JoinMode::NameProvince);
        assert_eq!(j.report.keys, 2);
        assert_eq!(j.report.matched.len(), 2);
        assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), Some(TAL)]);
        assert!(!j.report.has_problems());
    }

    #[test]
    fn province_spellings_are_aliased() {
        let b = boundaries(&[("a", "Nad-e-Ali", Some("Helmand"))]);
        let rows = [in_province("Hilmand", row("Nad Ali", None, TAL))];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.matched.len(), 1);
        assert_eq!(j.histories[0].steps, [(None, TAL)]);
    }

    #[test]
    fn ambiguous_names_are_no_data_unless_asked() {
        let b = boundaries(&[
            ("a", "Kohistan", Some("Kapisa")),
            ("b", "Kohistan", Some("Faryab")),
            ("c", "Argo", Some("Badakhshan")),
        ]);
        let rows = [row("Kohistan", None, TAL), row("Argo", None, GOV)];

        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.mode, JoinMode::Name);
        assert_eq!(names(&j.report.ambiguous), ["Kohistan"]);
        assert_eq!(j.report.ambiguous[0].districts.len(), 2);
        assert!(j.report.unmatched_districts.is_empty());
        assert_eq!(j.categories_on(date("2021-01-01")), [None, None, Some(GOV)]);
        assert!(j.report.has_problems());
        let summary = j.report.summary();
        assert!(
            summary.contains("1 ambiguous (2 districts, left as no data"),
            "{summary}"
        );
        assert!(summary.contains("Kohistan (Faryab, b)"), "{summary}");

        let j = join(&b, &rows, Ambiguous::All).unwrap();
        assert_eq!(j.report.ambiguous.len(), 1);
        assert_eq!(j.report.ambiguous_policy, Ambiguous::All);
        assert_eq!(
            j.categories_on(date("2021-01-01")),
            [Some(TAL), Some(TAL), Some(GOV)]
        );
    }

    #[test]
    fn conflicting_rows_name_both_lines() {
        let b = boundaries(&[("a", "Argo", Some("Badakhshan"))]);
        let rows = [
            in_province("Badakhshan", row("Argo", Some("2021-06-20"), GOV)),
            in_province("Badakhshan", row("Argo", Some("2021-06-21"), GOV)),
            in_province("Badakhshan", row("ARGO", Some("2021-06-20"), TAL)),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        let c = &j.report.conflicts[0];
        assert_eq!(c.district, "Argo (Badakhshan)");
        assert_eq!(c.date, "2021-06-20");
        assert_eq!((c.line_a, c.value_a.as_str()), (2, "0"));
        assert_eq!((c.line_b, c.value_b.as_str()), (4, "1"));
        // The first row's status is kept for the check; a map stops at the conflict.
        assert_eq!(j.categories_on(date("2021-06-20")), [Some(GOV)]);
        assert!(j.report.has_problems());
        let message = j.conflict().unwrap().to_string();
        assert!(
            message.contains("line 2 says `0`, line 4 says `1`"),
            "{message}"
        );

        let undated = [row("Argo", None, GOV), row("Argo", None, TAL)];
        let err = join(&b, &undated, Ambiguous::None)
            .unwrap()
            .conflict()
            .unwrap();
        assert!(err.to_string().contains("`Argo` on every date"), "{err}");
    }

    /// Two files: the second wins on the same district and date, and the report says so.
    #[test]
    fn a_later_file_overrides_an_earlier_one() {
        let b = boundaries(&[("a", "Argo", None), ("b", "Khash", None)]);
        let rows = [
            row("Argo", Some("2021-06-20"), GOV),
            row("Khash", Some("2021-06-20"), GOV),
            row("Argo", Some("2021-06-20"), TAL),
            row("Khash", Some("2021-06-20"), GOV),
        ];
        let (mut t, cats) = timeline(&rows);
        t.files.push(crate::timeline::TimelineFile {
            path: "update.csv".into(),
            columns: TimelineColumns::default(),
        });
        t.records[2].file = 1;
        t.records[3].file = 1;
        t.records[2].source = Some("Tolo News".into());
        let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
        assert!(j.report.conflicts.is_empty());
        assert_eq!(j.categories_on(date("2021-06-20")), [Some(TAL), Some(GOV)]);
        assert_eq!(j.report.overridden.len(), 1);
        assert_eq!(j.report.overridden[0].later.0, Path::new("update.csv"));
        assert_eq!(j.report.duplicate_rows, 0);
        // The source column wins; without one, a merged timeline names the file.
        assert_eq!(
            j.histories[0].source_at(date("2021-06-20")),
            Some("Tolo News")
        );
        assert_eq!(
            j.histories[1].source_at(date("2021-06-20")),
            Some("update.csv")
        );
        assert_eq!(j.report.matched[0].key.sources, ["Tolo News"]);
        assert!(
            j.report
                .summary()
                .contains("1 statuses replaced by a later file")
        );
    }

    fn aliases(rows: &[(&str, &str, Option<&str>)]) -> Aliases {
        Aliases {
            path: "aliases.csv".into(),
            rows: rows
                .iter()
                .zip(2..)
                .map(|(&(alias, name, province), line)| crate::read::Alias {
                    line,
                    alias: alias.into(),
                    name: name.into(),
                    province: province.map(str::to_string),
                })
                .collect(),
        }
    }

    #[test]
    fn aliases_find_other_spellings_both_ways_and_settle_ambiguity() {
        let b = boundaries(&[
            ("a", "Taloqan", Some("Takhar")),
            ("b", "Kohistan", Some("Kapisa")),
            ("c", "Kohistan", Some("Faryab")),
            ("d", "Shibirghan", Some("Jawzjan")),
        ]);
        let rows = [
            row("Taluqan", None, TAL),
            row("Kohistan", None, GOV),
            row("Shiberghan", None, TAL),
        ];
        let (t, cats) = timeline(&rows);
        let options = JoinOptions {
            aliases: Some(aliases(&[
                ("Taluqan", "Taloqan", None),
                // Written the other way round: spellings are symmetric.
                ("Shibirghan", "Shiberghan", None),
                // Same spelling with a province: this timeline's Kohistan is Kapisa's.
                ("Kohistan", "Kohistan", Some("Kapisa")),
            ])),
            ..Default::default()
        };
        let j = Join::new(&b, &t, &cats, &options).unwrap();
        assert_eq!(j.report.matched.len(), 3, "{}", j.report.summary());
        assert!(j.report.matched.iter().all(|m| m.method == Method::Alias));
        assert!(
            j.report.matched[0]
                .via
                .as_deref()
                .unwrap()
                .contains("line 2")
        );
        assert_eq!(
            j.categories_on(date("2021-01-01")),
            [Some(TAL), Some(GOV), None, Some(TAL)]
        );
        assert!(j.report.summary().contains("3 by alias"));

        // An exact match is never overridden by an alias.
        let exact = [row("Taloqan", None, GOV)];
        let (t, cats) = timeline(&exact);
        let j = Join::new(&b, &t, &cats, &options).unwrap();
        assert_eq!(j.report.matched[0].method, Method::Name);
    }

    fn crosswalk(rows: &[(&str, &str)]) -> Crosswalk {
        Crosswalk {
            path: "crosswalk.csv".into(),
            from: vec!["old".into()],
            to: "pcode".into(),
            rows: rows
                .iter()
                .zip(2..)
                .map(|(&(from, to), line)| crate::read::CrosswalkRow {
                    line,
                    from: vec![Some(from.into())],
                    to: to.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn crosswalk_rekeys_splits_and_keeps_ambiguity() {
        let b = boundaries(&[
            ("AF1", "Darwaz-e-Bala", Some("Badakhshan")),
            ("AF2", "Darwaz", Some("Badakhshan")),
            ("AF3", "Kohistan", Some("Kapisa")),
            ("AF4", "Kohistan", Some("Faryab")),
            ("AF5", "Taloqan", Some("Takhar")),
        ]);
        let rows = [
            row("Darwaz", None, TAL),
            row("Kohistan", None, GOV),
            row("TALUQAN", None, TAL),
            row("Nowhere", None, GOV),
        ];
        let (t, cats) = timeline(&rows);
        let options = JoinOptions {
            crosswalk: Some(crosswalk(&[
                ("Darwaz", "AF1"),
                ("Darwaz", "AF2"),
                ("Kohistan", "AF3"),
                ("Kohistan", "AF4"),
                ("Taluqan", "AF5"),
            ])),
            ..Default::default()
        };
        let j = Join::new(&b, &t, &cats, &options).unwrap();
        let r = &j.report;
        // Darwaz split in two within one province: both inherit.
        assert_eq!(names(&r.matched), ["Darwaz", "TALUQAN"]);
        assert!(r.matched[0].split && r.matched[0].districts.len() == 2);
        assert_eq!(r.matched[0].method, Method::Crosswalk);
        assert!(r.matched[1].via.as_deref().unwrap().contains("`AF5`"));
        // Kohistan in two provinces: ambiguous, not a split.
        assert_eq!(names(&r.ambiguous), ["Kohistan"]);
        assert_eq!(names(&r.unmatched_timeline), ["Nowhere"]);
        assert_eq!(
            j.categories_on(date("2021-01-01")),
            [Some(TAL), Some(TAL), None, None, Some(TAL)]
        );
        assert!(
            r.summary()
                .contains("1 split districts' successors inherit")
        );
    }

    #[test]
    fn fuzzy_matches_only_when_asked_and_reports_scores() {
        let b = boundaries(&[
            ("a", "Acheen", None),
            ("b", "Gardiz", None),
            ("c", "Registan", None),
        ]);
        let rows = [
            row("Achin", None, TAL),
            row("Gardez", None, GOV),
            row("Nuristan", None, GOV),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.unmatched_timeline.len(), 3);
        // Suggestions, best first, but nothing applied.
        let c = &j.report.unmatched_timeline[0].candidates;
        assert_eq!(c[0].district.name, "Acheen");
        assert!(c[0].score > c[1].score);

        let (t, cats) = timeline(&rows);
        let options = JoinOptions {
            fuzzy: Some(RECOMMENDED_THRESHOLD),
            ..Default::default()
        };
        let j = Join::new(&b, &t, &cats, &options).unwrap();
        let fuzzy: Vec<(&str, &str)> = j
            .report
            .by_method(Method::Fuzzy)
            .map(|m| (m.key.name.as_str(), m.districts[0].name.as_str()))
            .collect();
        assert_eq!(fuzzy, [("Achin", "Acheen"), ("Gardez", "Gardiz")]);
        assert!(j.report.matched.iter().all(|m| m.score.unwrap() >= 0.9));
        assert_eq!(names(&j.report.unmatched_timeline), ["Nuristan"]);
        assert!(
            j.report.summary().contains("fuzzy 1.000: `Achin`"),
            "{}",
            j.report.summary()
        );

        let bad = JoinOptions {
            fuzzy: Some(1.5),
            ..Default::default()
        };
        assert!(matches!(
            Join::new(&b, &t, &cats, &bad),
            Err(JoinError::Threshold(_))
        ));
    }

    #[test]
    fn agreeing_duplicate_rows_are_one_step() {
        let b = boundaries(&[("a", "Reg", None), ("b", "Muqur", None)]);
        let rows = [
            row("Reg", Some("2021-05-11"), GOV),
            row("Reg", Some("2021-05-12"), GOV),
            row("Reg", Some("2021-05-11"), GOV),
            row("Reg", Some("2021-05-12"), GOV),
            // Different raw values, same category.
            Row {
                value: "2",
                ..row("Muqur", Some("2021-07-01"), TAL)
            },
            row("Muqur", Some("2021-07-01"), TAL),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.histories[0].steps.len(), 2);
        assert_eq!(j.histories[1].steps.len(), 1);
        assert_eq!(j.report.matched[0].key.rows, 4);
    }

    #[test]
    fn unmatched_both_ways() {
        let b = boundaries(&[
            ("a", "Argo", Some("Badakhshan")),
            ("b", "Kohistan", Some("Faryab")),
            ("c", "Khash", Some("Badakhshan")),
        ]);
        let rows = [
            in_province("Badakhshan", row("Argo", None, GOV)),
            in_province("Kapisa", row("Kohistan", None, TAL)),
            in_province("Badakhshan", row("Nowhere", None, TAL)),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(names(&j.report.unmatched_timeline), ["Kohistan", "Nowhere"]);
        // Same name, other province: shown so the user sees why.
        assert_eq!(j.report.unmatched_timeline[0].districts[0].id, "b");
        assert!(j.report.unmatched_timeline[1].districts.is_empty());
        let unmatched: Vec<&str> = j
            .report
            .unmatched_districts
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(unmatched, ["Kohistan", "Khash"]);
        assert_eq!(j.categories_on(date("2021-01-01")), [Some(GOV), None, None]);
        let summary = j.report.summary();
        assert!(summary.contains("2 unmatched names, 2 districts without a record"));
        assert!(
            summary.contains("that name exists as Kohistan (Faryab, b)"),
            "{summary}"
        );
    }

    #[test]
    fn first_key_wins_a_district_matched_twice() {
        // The boundaries have no province, so both provinces' Reg rows reach the one Reg.
        let b = boundaries(&[("a", "Reg", None)]);
        let rows = [
            in_province("Hilmand", row("Reg", None, GOV)),
            in_province("Kandahar", row("Reg", None, TAL)),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.report.mode, JoinMode::Name);
        assert_eq!(j.report.keys, 2);
        assert_eq!(j.report.multiply_matched.len(), 1);
        assert_eq!(
            j.report.multiply_matched[0].key.province.as_deref(),
            Some("Kandahar")
        );
        assert_eq!(j.histories[0].steps, [(None, GOV)]);
        assert!(
            j.report
                .summary()
                .contains("1 later matches of an already matched")
        );
    }

    #[test]
    fn status_is_as_of_the_latest_record() {
        let b = boundaries(&[("a", "Argo", None), ("b", "Khash", None)]);
        let rows = [
            row("Argo", Some("2021-05-11"), GOV),
            row("Khash", Some("2021-06-01"), GOV),
            row("Argo", Some("2021-07-01"), TAL),
        ];
        let j = join(&b, &rows, Ambiguous::None).unwrap();
        assert_eq!(j.categories_on(date("2021-05-10")), [None, None]);
        assert_eq!(j.categories_on(date("2021-06-15")), [Some(GOV), Some(GOV)]);
        assert_eq!(j.categories_on(date("2021-07-01")), [Some(TAL), Some(GOV)]);
    }

    #[test]
    fn empty_inputs_do_not_panic() {
        let j = join(&boundaries(&[]), &[], Ambiguous::None).unwrap();
        assert_eq!(j.report.keys, 0);
        assert!(j.report.summary().starts_with("join: 0 timeline names"));

        // An empty name never matches a district with an empty name.
        let b = boundaries(&[("a", "", None)]);
        let j = join(&b, &[row(" - ", None, GOV)], Ambiguous::None).unwrap();
        assert_eq!(j.report.unmatched_timeline.len(), 1);
        assert_eq!(j.report.unmatched_districts.len(), 1);
    }

    #[test]
    fn summary_caps_its_detail_lines() {
        let b = boundaries(&[]);
        let names = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"];
        let rows: Vec<Row> = names.iter().map(|n| row(n, None, GOV)).collect();
        let summary = join(&b, &rows, Ambiguous::None).unwrap().report.summary();
        assert_eq!(summary.lines().count(), 12, "{summary}");
        assert!(
            summary.ends_with("… and 2 more (see --report)"),
            "{summary}"
        );
    }

    fn data(path: &str) -> Option<std::path::PathBuf> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(path);
        path.exists().then_some(path)
    }

    /// The 2021 takeover CSV (322 names, no province) against its own TopoJSON.
    #[test]
    fn real_takeover_timeline_joins_its_districts_by_name() {
        let (Some(csv), Some(topo)) = (
            data("taliban-takeover-2021/taliban_takeover.csv"),
            data("taliban-takeover-2021/combined.json"),
        ) else {
            return;
        };
        let b = crate::read::read_boundaries(&topo, &Default::default()).unwrap();
        let t = crate::read::read_timeline(&csv, &Default::default()).unwrap();
        let maps = [("1", "taliban"), ("2", "taliban"), ("0", "no-report")];
        let categories = Categories::from_options(&crate::status::CategoryOptions {
            maps: maps
                .iter()
                .map(|(v, k)| (v.to_string(), k.to_string()))
                .collect(),
            ..Default::default()
        })
        .unwrap();
        let cats = categories.classify_timeline(&t).unwrap();
        let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
        let r = &j.report;
        assert_eq!(r.mode, JoinMode::Name);
        assert_eq!((r.keys, r.districts), (322, 329));
        assert_eq!(r.matched.len(), 315);
        let mut ambiguous = names(&r.ambiguous);
        ambiguous.sort_unstable();
        assert_eq!(
            ambiguous,
            [
                "Arghandab",
                "Dawlatabad",
                "Fayzabad",
                "Kohistan",
                "Muqur",
                "Qarabagh",
                "Reg"
            ]
        );
        assert!(r.ambiguous.iter().all(|m| m.districts.len() == 2));
        assert!(r.unmatched_timeline.is_empty() && r.unmatched_districts.is_empty());
        let coloured = j.categories_on(date("2021-08-16"));
        assert_eq!(coloured.iter().filter(|c| c.is_some()).count(), 315);

        let options = JoinOptions {
            ambiguous: Ambiguous::All,
            ..Default::default()
        };
        let j = Join::new(&b, &t, &cats, &options).unwrap();
        let coloured = j.categories_on(date("2021-08-16"));
        assert_eq!(coloured.iter().filter(|c| c.is_some()).count(), 329);
    }

    /// The LWJ snapshot (ADM2_EN + ADM1_EN) against OCHA 2018: the province settles every
    /// repeated name; without it exactly the 11 known repeats are ambiguous, so
    /// normalisation merges no two distinct names.
    #[test]
    fn real_lwj_snapshot_needs_the_province() {
        let (Some(csv), Some(shp)) = (
            data("lwj-control-2018/afg_districts.csv"),
            data("ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp"),
        ) else {
            return;
        };
        let mut b = crate::read::read_boundaries(&shp, &Default::default()).unwrap();
        let t = crate::read::read_timeline(&csv, &Default::default()).unwrap();
        let categories = categories();
        let cats = categories.classify_timeline(&t).unwrap();
        let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
        assert_eq!(j.report.mode, JoinMode::NameProvince);
        assert_eq!((j.report.keys, j.report.matched.len()), (399, 399));
        assert!(!j.report.has_problems(), "{}", j.report.summary());

        b.fields.province = None;
        let j = Join::new(&b, &t, &cats, &JoinOptions::default()).unwrap();
        assert_eq!(j.report.mode, JoinMode::Name);
        let mut ambiguous: Vec<String> = j
            .report
            .ambiguous
            .iter()
            .map(|m| normalize_name(&m.key.name))
            .collect();
        ambiguous.sort_unstable();
        ambiguous.dedup();
        assert_eq!(ambiguous.len(), 11, "{ambiguous:?}");
        assert_eq!(j.report.matched.len(), 399 - 22);
        assert!(j.report.unmatched_districts.is_empty());
    }
}
