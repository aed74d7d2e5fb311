//! Join: timeline records → districts.
//!
//! By id when the timeline has an id column; otherwise by name, qualified by province when
//! both sides have one. Names are compared after [`normalize_name`].

use std::path::PathBuf;

use crate::read::Boundaries;
use crate::status::{Categories, CategoryId};
use crate::timeline::{Date, History, Timeline};

/// A problem that makes the join unusable.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// Two rows give the same district different statuses on the same date.
    #[error(
        "{}: conflicting statuses for `{district}` on {date}: line {line_a} says `{value_a}`, line {line_b} says `{value_b}`",
        path.display()
    )]
    Conflict {
        /// The timeline file.
        path: PathBuf,
        /// The district (as written on the first of the two rows, with its province if any).
        district: String,
        /// The date, or "every date" for a snapshot.
        date: String,
        /// First row.
        line_a: u64,
        /// Its value.
        value_a: String,
        /// Second row.
        line_b: u64,
        /// Its value.
        value_b: String,
    },
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
}

/// How the join matched keys.
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
    /// Line of the first row with this key.
    pub first_line: u64,
    /// Number of rows with this key.
    pub rows: usize,
}

/// A key and the districts it matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Match {
    /// The timeline key.
    pub key: KeyRef,
    /// The districts: one when matched, several when ambiguous.
    pub districts: Vec<DistrictRef>,
}

/// The full join report (`--report join.json`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JoinReport {
    /// The boundary file.
    pub boundaries: PathBuf,
    /// The timeline file.
    pub timeline: PathBuf,
    /// How keys were matched.
    pub mode: JoinMode,
    /// Districts in the boundary file.
    pub districts: usize,
    /// Distinct timeline keys.
    pub keys: usize,
    /// Keys matched to exactly one district.
    pub matched: Vec<Match>,
    /// Keys matching several districts (same name, no province to decide).
    pub ambiguous: Vec<Match>,
    /// Whether ambiguous keys colour all their candidates.
    pub ambiguous_policy: Ambiguous,
    /// Keys matching no district. `districts` lists same-name districts in another province.
    pub unmatched_timeline: Vec<Match>,
    /// Districts no key matched.
    pub unmatched_districts: Vec<DistrictRef>,
    /// Districts matched by more than one key (the first key in file order wins).
    pub multiply_matched: Vec<Match>,
}

impl JoinReport {
    /// A short human summary, a few lines, for stderr.
    pub fn summary(&self) -> String {
        todo!()
    }

    /// True when anything is unmatched (either way) or ambiguous (what `--strict` refuses).
    pub fn has_problems(&self) -> bool {
        !self.unmatched_timeline.is_empty()
            || !self.unmatched_districts.is_empty()
            || !self.ambiguous.is_empty()
    }
}

/// The joined timeline: for every district, its status history.
#[derive(Debug, Clone)]
pub struct Join {
    /// One history per district, in [`Boundaries::districts`] order; empty for unjoined ones.
    pub histories: Vec<History>,
    /// What matched and what did not.
    pub report: JoinReport,
}

impl Join {
    /// Joins `timeline` to `boundaries`. `record_categories` is the category of every
    /// timeline record (from [`Categories::classify_timeline`]), used to build the histories
    /// and to detect conflicting same-date rows.
    pub fn new(
        boundaries: &Boundaries,
        timeline: &Timeline,
        record_categories: &[CategoryId],
        categories: &Categories,
        options: &JoinOptions,
    ) -> Result<Join, JoinError> {
        todo!("{boundaries:?}{timeline:?}{record_categories:?}{categories:?}{options:?}")
    }

    /// Every district's category on `date` (`None` = no data).
    pub fn categories_on(&self, date: Date) -> Vec<Option<CategoryId>> {
        self.histories.iter().map(|h| h.at(date)).collect()
    }
}

/// Normalises a district or province name for comparison: Unicode folded to ASCII,
/// lower-case, izafa (`-e-`, `-i-`) dropped, and everything but letters and digits removed.
///
/// ```
/// use controlmap::join::normalize_name;
/// assert_eq!(normalize_name("Mazar-e-Sharif"), normalize_name("Mazar Sharif"));
/// assert_eq!(normalize_name("Zinda  Jan"), normalize_name("Zinda Jan"));
/// assert_eq!(normalize_name("Dawlat Abad"), normalize_name("Dawlatabad"));
/// ```
pub fn normalize_name(name: &str) -> String {
    todo!("{name}")
}
