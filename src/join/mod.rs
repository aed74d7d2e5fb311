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
mod tables;

use tables::{AliasIndex, CrosswalkIndex};

use rustc_hash::FxHashMap as HashMap;
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
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::default();
        let mut by_loose: HashMap<String, Vec<usize>> = HashMap::default();
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
    let mut key_of: HashMap<(String, Option<String>), usize> = HashMap::default();
    // (key, date) → index into the key's steps.
    let mut step_of: HashMap<(usize, Option<Date>), usize> = HashMap::default();
    let (mut duplicates, mut conflicts, mut overridden) = (0, Vec::new(), Vec::new());
    let many_files = timeline.files.len() > 1;
    // A district's rows usually follow one another: a record written like the one before it
    // has the same key, found without normalising its name again (most of the join's time).
    let mut previous: Option<(&Record, usize)> = None;
    for (r, (record, &category)) in timeline.records.iter().zip(record_categories).enumerate() {
        let same_key = |p: &Record| match mode {
            JoinMode::Id => p.id == record.id,
            _ => p.district == record.district && p.province == record.province,
        };
        let k = match previous {
            Some((p, k)) if same_key(p) => k,
            _ => key_index(record, mode, timeline, &mut keys, &mut key_of),
        };
        previous = Some((record, k));
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

/// The index of the record's key in `keys`, a new key when its normalised name (or id) and
/// province are new.
fn key_index(
    record: &Record,
    mode: JoinMode,
    timeline: &Timeline,
    keys: &mut Vec<Key>,
    key_of: &mut HashMap<(String, Option<String>), usize>,
) -> usize {
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
    *key_of
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
        })
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
mod tests;
