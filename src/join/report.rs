//! The join report: what matched, how, and what did not (`--report`, `controlmap check`).

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Ambiguous, JoinMode};
use crate::terminal::shown;

/// A district as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DistrictRef {
    /// Feature index in the boundary file.
    pub index: usize,
    /// District id.
    pub id: String,
    /// District name.
    pub name: String,
    /// District province.
    pub province: Option<String>,
}

/// A distinct timeline key (name + province, or id) as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyRef {
    /// Id, when joining by id.
    pub id: Option<String>,
    /// Name as first written.
    pub name: String,
    /// Province as first written.
    pub province: Option<String>,
    /// The status file of the first row with this key.
    pub file: PathBuf,
    /// Line of the first row with this key.
    pub first_line: u64,
    /// Number of rows with this key.
    pub rows: usize,
    /// The distinct `source` values of its rows, in order of first appearance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The distinct `note` values of its rows, in order of first appearance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// How a key found its districts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Timeline id = district id.
    Id,
    /// Normalised name (and province, when both sides have one).
    Name,
    /// Through a row of the alias file (`via` names it).
    Alias,
    /// Through the crosswalk (`via` names the column and values).
    Crosswalk,
    /// By similarity (`--fuzzy`; `score` says how alike).
    Fuzzy,
}

/// A district that resembles an unmatched name: a suggestion, never applied unasked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// The district.
    pub district: DistrictRef,
    /// Similarity from 0 to 1 ([`crate::join::similarity`]).
    pub score: f64,
}

/// A key and the districts it matched.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    /// The timeline key.
    pub key: KeyRef,
    /// The districts: one when matched; several when ambiguous, or when the crosswalk splits
    /// the key's district into its successors (`split`); for an unmatched key, same-name
    /// districts in another province.
    pub districts: Vec<DistrictRef>,
    /// How the districts were found.
    pub method: Method,
    /// The alias row or crosswalk values used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The similarity of a fuzzy match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// True when the key's district was later split and every successor inherits its status.
    pub split: bool,
    /// For an unmatched key: the most similar districts, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

/// Two rows of one file that give one district different statuses on one date. The first
/// row's status is kept in `check`; a map is refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// The district as written on the first row (with its province, if any).
    pub district: String,
    /// The date, or "every date" for a snapshot.
    pub date: String,
    /// The file.
    pub file: PathBuf,
    /// First row.
    pub line_a: u64,
    /// Its value.
    pub value_a: String,
    /// Second row.
    pub line_b: u64,
    /// Its value.
    pub value_b: String,
}

/// A row of a later status file that replaced an earlier file's status for a district and
/// date (only listed when the category changes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Override {
    /// The district as written.
    pub district: String,
    /// The date, or "every date".
    pub date: String,
    /// The earlier file and line, and its value.
    pub earlier: (PathBuf, u64, String),
    /// The later file and line, and its value, which wins.
    pub later: (PathBuf, u64, String),
}

/// The full join report (`--report join.json`, and the `join` part of `check --json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JoinReport {
    /// The boundary file.
    pub boundaries: PathBuf,
    /// The status files.
    pub timeline: Vec<PathBuf>,
    /// How keys were compared.
    pub mode: JoinMode,
    /// Districts in the boundary file.
    pub districts: usize,
    /// Distinct timeline keys.
    pub keys: usize,
    /// Keys matched to one district, or to the successors of a split district.
    pub matched: Vec<Match>,
    /// Keys matching several districts (same name, no province to decide).
    pub ambiguous: Vec<Match>,
    /// Whether ambiguous keys colour all their candidates.
    pub ambiguous_policy: Ambiguous,
    /// Keys matching no district, with suggestions.
    pub unmatched_timeline: Vec<Match>,
    /// Districts no key matched.
    pub unmatched_districts: Vec<DistrictRef>,
    /// Districts matched by more than one key (the first key in file order wins).
    pub multiply_matched: Vec<Match>,
    /// The `--fuzzy` threshold, if fuzzy matching was on.
    pub fuzzy_threshold: Option<f64>,
    /// Rows repeating another row of the same file for the same district and date with the
    /// same status (harmless; counted).
    pub duplicate_rows: usize,
    /// Same-file rows that disagree (a map is refused while there are any).
    pub conflicts: Vec<Conflict>,
    /// Rows of a later file that replaced a different status from an earlier file.
    pub overridden: Vec<Override>,
}

impl JoinReport {
    /// Matches made by `method`.
    pub fn by_method(&self, method: Method) -> impl Iterator<Item = &Match> {
        self.matched.iter().filter(move |m| m.method == method)
    }

    /// A short human summary, a few lines, for stderr.
    pub fn summary(&self) -> String {
        let (keys, how) = match self.mode {
            JoinMode::Id => ("ids", "by id"),
            JoinMode::NameProvince => ("names", "by name + province"),
            JoinMode::Name => ("names", "by name (no province)"),
        };
        let mut out = format!(
            "join: {} timeline {keys} → {} districts {how}: {} matched",
            self.keys,
            self.districts,
            self.matched.len(),
        );
        let how_many = |m: Method| self.by_method(m).count();
        let via: Vec<String> = [
            (Method::Alias, "by alias"),
            (Method::Crosswalk, "through the crosswalk"),
            (Method::Fuzzy, "fuzzy"),
        ]
        .iter()
        .filter(|(m, _)| how_many(*m) > 0)
        .map(|(m, label)| format!("{} {label}", how_many(*m)))
        .collect();
        if !via.is_empty() {
            let _ = write!(out, " ({})", via.join(", "));
        }
        let _ = write!(out, ", {} ambiguous", self.ambiguous.len());
        if !self.ambiguous.is_empty() {
            let mut candidates: Vec<usize> = self
                .ambiguous
                .iter()
                .flat_map(|m| m.districts.iter().map(|d| d.index))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let fate = match self.ambiguous_policy {
                Ambiguous::None => "left as no data; --ambiguous all colours them",
                Ambiguous::All => "each coloured with its name's status",
            };
            let _ = write!(out, " ({} districts, {fate})", candidates.len());
        }
        let _ = write!(
            out,
            ", {} unmatched {keys}, {} districts without a record",
            self.unmatched_timeline.len(),
            self.unmatched_districts.len()
        );
        if !self.multiply_matched.is_empty() {
            let _ = write!(
                out,
                ", {} later matches of an already matched district ignored (the first in the file wins)",
                self.multiply_matched.len()
            );
        }
        let splits = self.matched.iter().filter(|m| m.split).count();
        if splits > 0 {
            let _ = write!(
                out,
                ", {splits} split districts' successors inherit the status"
            );
        }
        if !self.overridden.is_empty() {
            let _ = write!(
                out,
                ", {} statuses replaced by a later file",
                self.overridden.len()
            );
        }

        // Fuzzy matches are guesses: every one is shown, never hidden behind the cap.
        let mut lines = Vec::new();
        for m in self.by_method(Method::Fuzzy) {
            lines.push(format!(
                "  fuzzy {:.3}: {} → {}",
                m.score.unwrap_or_default(),
                key_label(&m.key),
                district_list(&m.districts)
            ));
        }
        let mut details = Vec::new();
        for m in self.matched.iter().filter(|m| m.split) {
            details.push(format!(
                "  split: {} → {}",
                key_label(&m.key),
                district_list(&m.districts)
            ));
        }
        for m in &self.ambiguous {
            details.push(format!(
                "  ambiguous: {} matches {}",
                key_label(&m.key),
                district_list(&m.districts)
            ));
        }
        for m in &self.unmatched_timeline {
            details.push(format!(
                "  no district for {}{}",
                key_label(&m.key),
                unmatched_hint(m)
            ));
        }
        for d in &self.unmatched_districts {
            details.push(format!("  no record for district {}", district_label(d)));
        }
        for m in &self.multiply_matched {
            details.push(format!(
                "  ignored {} for {}: an earlier row already matched it",
                key_label(&m.key),
                district_list(&m.districts)
            ));
        }
        const SHOWN: usize = 10;
        for line in lines.iter().chain(details.iter().take(SHOWN)) {
            out.push('\n');
            out.push_str(line);
        }
        if details.len() > SHOWN {
            let _ = write!(
                out,
                "\n  … and {} more (see --report)",
                details.len() - SHOWN
            );
        }
        out
    }

    /// True when anything is unmatched (either way), ambiguous or conflicting (what
    /// `--strict` refuses).
    pub fn has_problems(&self) -> bool {
        !self.unmatched_timeline.is_empty()
            || !self.unmatched_districts.is_empty()
            || !self.ambiguous.is_empty()
            || !self.conflicts.is_empty()
    }
}

/// What an unmatched timeline name is close to: the districts of that name elsewhere (in
/// another province), or the closest district with its score; empty when neither.
pub(crate) fn unmatched_hint(m: &Match) -> String {
    if !m.districts.is_empty() {
        format!("; that name exists as {}", district_list(&m.districts))
    } else if let Some(c) = m.candidates.first() {
        format!(
            "; closest: {} ({:.2})",
            district_label(&c.district),
            c.score
        )
    } else {
        String::new()
    }
}

pub(crate) fn key_label(key: &KeyRef) -> String {
    let name = match (&key.id, key.name.is_empty()) {
        (Some(id), true) => shown(id).into_owned(),
        (Some(id), false) => format!("{} `{}`", shown(id), shown(&key.name)),
        (None, _) => format!("`{}`", shown(&key.name)),
    };
    match &key.province {
        Some(p) => format!("{name} ({}, line {})", shown(p), key.first_line),
        None => format!("{name} (line {})", key.first_line),
    }
}

/// A district as messages name it: "Kohistan (Kapisa, AF0205)".
pub fn district_label(d: &DistrictRef) -> String {
    match &d.province {
        Some(p) => format!("{} ({}, {})", shown(&d.name), shown(p), shown(&d.id)),
        None => format!("{} ({})", shown(&d.name), shown(&d.id)),
    }
}

pub(crate) fn district_list(districts: &[DistrictRef]) -> String {
    let labels: Vec<String> = districts.iter().map(district_label).collect();
    labels.join(", ")
}
