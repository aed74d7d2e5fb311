//! Join: timeline records → districts.
//!
//! By id when the timeline has an id column; otherwise by name, qualified by province when
//! both sides have one. Names are compared after [`normalize_name`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::read::{Boundaries, District};
use crate::status::CategoryId;
use crate::timeline::{Date, History, Record, Timeline};

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
        let (keys, how) = match self.mode {
            JoinMode::Id => ("ids", "by id"),
            JoinMode::NameProvince => ("names", "by name + province"),
            JoinMode::Name => ("names", "by name (no province)"),
        };
        let mut out = format!(
            "join: {} timeline {keys} → {} districts {how}: {} matched, {} ambiguous",
            self.keys,
            self.districts,
            self.matched.len(),
            self.ambiguous.len()
        );
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

        let mut details = Vec::new();
        for m in &self.ambiguous {
            details.push(format!(
                "  ambiguous: {} matches {}",
                key_label(&m.key),
                district_list(&m.districts)
            ));
        }
        for m in &self.unmatched_timeline {
            let mut line = format!("  no district for {}", key_label(&m.key));
            if !m.districts.is_empty() {
                let _ = write!(
                    line,
                    "; that name exists as {}",
                    district_list(&m.districts)
                );
            }
            details.push(line);
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
        for line in details.iter().take(SHOWN) {
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

    /// True when anything is unmatched (either way) or ambiguous (what `--strict` refuses).
    pub fn has_problems(&self) -> bool {
        !self.unmatched_timeline.is_empty()
            || !self.unmatched_districts.is_empty()
            || !self.ambiguous.is_empty()
    }
}

fn key_label(key: &KeyRef) -> String {
    let name = match (&key.id, key.name.is_empty()) {
        (Some(id), true) => id.clone(),
        (Some(id), false) => format!("{id} `{}`", key.name),
        (None, _) => format!("`{}`", key.name),
    };
    match &key.province {
        Some(p) => format!("{name} ({p}, line {})", key.first_line),
        None => format!("{name} (line {})", key.first_line),
    }
}

fn district_label(d: &DistrictRef) -> String {
    match &d.province {
        Some(p) => format!("{} ({p}, {})", d.name, d.id),
        None => format!("{} ({})", d.name, d.id),
    }
}

fn district_list(districts: &[DistrictRef]) -> String {
    let labels: Vec<String> = districts.iter().map(district_label).collect();
    labels.join(", ")
}

/// The joined timeline: for every district, its status history.
#[derive(Debug, Clone)]
pub struct Join {
    /// One history per district, in [`Boundaries::districts`] order; empty for unjoined ones.
    pub histories: Vec<History>,
    /// What matched and what did not.
    pub report: JoinReport,
}

/// A distinct timeline key while joining.
struct Key {
    /// Normalised id or name.
    norm: String,
    /// Canonical province, when the rows give one.
    province: Option<String>,
    report: KeyRef,
    steps: Vec<(Option<Date>, CategoryId)>,
}

impl Join {
    /// Joins `timeline` to `boundaries`. `record_categories` is the category of every
    /// timeline record (from [`crate::status::Categories::classify_timeline`]), used to build the histories
    /// and to detect conflicting same-date rows.
    ///
    /// Records beyond the end of `record_categories` are ignored.
    // The signature is the crate's API; `JoinError` carries the full context of a conflict.
    #[allow(clippy::result_large_err)]
    pub fn new(
        boundaries: &Boundaries,
        timeline: &Timeline,
        record_categories: &[CategoryId],
        options: &JoinOptions,
    ) -> Result<Join, JoinError> {
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

        let keys = group_keys(timeline, record_categories, mode)?;

        let districts = &boundaries.districts;
        let district_key = |d: &District| match mode {
            JoinMode::Id => normalize_id(&d.id.0),
            _ => normalize_name(&d.name),
        };
        let district_province: Vec<Option<String>> = districts
            .iter()
            .map(|d| d.province.as_deref().map(canonical_province))
            .collect();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in districts.iter().enumerate() {
            let norm = district_key(d);
            // An empty key is a missing name or id, not a name shared with other blanks.
            if !norm.is_empty() {
                by_key.entry(norm).or_default().push(i);
            }
        }
        let district_ref = |i: usize| {
            let d = &districts[i];
            DistrictRef {
                index: d.index,
                id: d.id.0.clone(),
                name: d.name.clone(),
                province: d.province.clone(),
            }
        };
        let refs = |list: &[usize]| list.iter().map(|&i| district_ref(i)).collect::<Vec<_>>();

        let mut histories = vec![History::default(); districts.len()];
        let mut claimed = vec![false; districts.len()];
        let mut in_ambiguous = vec![false; districts.len()];
        let (mut matched, mut ambiguous, mut unmatched_timeline, mut multiply_matched) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());

        // Keys come in order of first line, so the first key to claim a district wins.
        for key in &keys {
            let same_name = by_key.get(&key.norm).map(Vec::as_slice).unwrap_or_default();
            let candidates: Vec<usize> = match (&key.province, mode) {
                (Some(p), JoinMode::NameProvince) => same_name
                    .iter()
                    .copied()
                    .filter(|&i| district_province[i].as_ref() == Some(p))
                    .collect(),
                _ => same_name.to_vec(),
            };
            let found = Match {
                key: key.report.clone(),
                districts: refs(&candidates),
            };
            let claims: &[usize] = match candidates.len() {
                0 => {
                    let elsewhere = if mode == JoinMode::NameProvince {
                        refs(same_name)
                    } else {
                        Vec::new()
                    };
                    unmatched_timeline.push(Match {
                        districts: elsewhere,
                        ..found
                    });
                    &[]
                }
                1 => {
                    matched.push(found);
                    &candidates
                }
                _ => {
                    ambiguous.push(found);
                    for &i in &candidates {
                        in_ambiguous[i] = true;
                    }
                    match options.ambiguous {
                        Ambiguous::All => &candidates,
                        Ambiguous::None => &[],
                    }
                }
            };
            for &i in claims {
                if claimed[i] {
                    multiply_matched.push(Match {
                        key: key.report.clone(),
                        districts: vec![district_ref(i)],
                    });
                } else {
                    claimed[i] = true;
                    histories[i] = History::new(key.steps.clone());
                }
            }
        }

        let unmatched_districts = (0..districts.len())
            .filter(|&i| !claimed[i] && !in_ambiguous[i])
            .map(district_ref)
            .collect();

        Ok(Join {
            histories,
            report: JoinReport {
                boundaries: boundaries.path.clone(),
                timeline: timeline.path().to_path_buf(),
                mode,
                districts: districts.len(),
                keys: keys.len(),
                matched,
                ambiguous,
                ambiguous_policy: options.ambiguous,
                unmatched_timeline,
                unmatched_districts,
                multiply_matched,
            },
        })
    }

    /// Every district's category on `date` (`None` = no data).
    pub fn categories_on(&self, date: Date) -> Vec<Option<CategoryId>> {
        self.histories.iter().map(|h| h.at(date)).collect()
    }
}

/// Groups the records into keys, in order of first line, each with its history steps.
/// Repeated rows that agree collapse into one step; rows that disagree are a conflict.
#[allow(clippy::result_large_err)] // Returns the error `Join::new` passes on.
fn group_keys(
    timeline: &Timeline,
    record_categories: &[CategoryId],
    mode: JoinMode,
) -> Result<Vec<Key>, JoinError> {
    let mut keys: Vec<Key> = Vec::new();
    let mut key_of: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut first_row: HashMap<(usize, Option<Date>), (&Record, CategoryId)> = HashMap::new();
    for (record, &category) in timeline.records.iter().zip(record_categories) {
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
                    norm,
                    province,
                    report: KeyRef {
                        id: record.id.clone(),
                        name: record.district.clone(),
                        province: record.province.clone(),
                        first_line: record.line,
                        rows: 0,
                    },
                    steps: Vec::new(),
                });
                keys.len() - 1
            });
        let key = &mut keys[k];
        key.report.rows += 1;
        match first_row.get(&(k, record.date)) {
            Some(&(first, first_category)) if first_category != category => {
                return Err(conflict(timeline, first, record));
            }
            Some(_) => {}
            None => {
                first_row.insert((k, record.date), (record, category));
                key.steps.push((record.date, category));
            }
        }
    }
    Ok(keys)
}

fn conflict(timeline: &Timeline, a: &Record, b: &Record) -> JoinError {
    let name = match (&a.id, a.district.trim().is_empty()) {
        (Some(id), true) => id.clone(),
        _ => a.district.clone(),
    };
    let district = match &a.province {
        Some(p) => format!("{name} ({p})"),
        None => name,
    };
    JoinError::Conflict {
        path: timeline.path_of(a).to_path_buf(),
        district,
        date: a
            .date
            .map_or_else(|| "every date".to_string(), |d| d.to_string()),
        line_a: a.line,
        value_a: a.value.clone(),
        line_b: b.line,
        value_b: b.value.clone(),
    }
}

fn normalize_id(id: &str) -> String {
    id.trim().to_lowercase()
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
    // Lower-case before transliterating: deunicode spells some capitals differently from
    // their small letters (Ukrainian Є "E", є "ie"), so "СЄВЄРОДОНЕЦЬК" missed "Сєвєродонецьк".
    let folded = deunicode::deunicode(&name.to_lowercase()).to_ascii_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        // Only between two words is a lone "e"/"i" the izafa; at either end it is a word.
        .filter(|&(i, w)| !(0 < i && i < last && matches!(*w, "e" | "i")))
        .map(|(_, w)| *w)
        .collect()
}

/// Province spellings that name the same province, already normalised; the first of each
/// group is the canonical form. Sources disagree on transliteration (OCHA "Hilmand", GADM
/// "Helmand", ...), and a province must match for a district to match.
const PROVINCE_ALIASES: &[&[&str]] = &[
    &["helmand", "hilmand"],
    &["herat", "hirat"],
    &["paktia", "paktya"],
    &["saripul", "sarpul", "sarpol", "saripol"],
    &["wardak", "maidanwardak", "maydanwardak", "wardag"],
    &["nimroz", "nimruz"],
    &["daykundi", "daikundi", "daykondi", "daikondi"],
    &["panjshir", "panjsher"],
    &["jawzjan", "jowzjan", "jozjan"],
    &["uruzgan", "oruzgan", "urozgan"],
    &["nangarhar", "nangahar"],
    &["bamyan", "bamiyan"],
    &["kunar", "konar"],
    &["kandahar", "qandahar"],
    &["kunduz", "qunduz"],
    &["khost", "khowst"],
    &["ghor", "ghowr"],
    &["nuristan", "nooristan"],
    &["parwan", "parvan"],
];

/// The normalised province name, with known alternative spellings mapped to one form.
fn canonical_province(name: &str) -> String {
    let norm = normalize_name(name);
    PROVINCE_ALIASES
        .iter()
        .find(|group| group.contains(&norm.as_str()))
        .map_or(norm, |group| group[0].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{BoundaryFormat, DistrictId, FieldChoice};
    use crate::status::Categories;
    use crate::timeline::TimelineColumns;

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
        Join::new(b, &t, &cats, &JoinOptions { ambiguous })
    }

    fn date(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn names(matches: &[Match]) -> Vec<&str> {
        matches.iter().map(|m| m.key.name.as_str()).collect()
    }

    #[test]
    fn normalisation_folds_spelling_variants() {
        let same = [
            ("Mazar-e-Sharif", "Mazar Sharif"),
            ("Mazar-i-Sharif", "mazar sharif"),
            ("Hisa-I-Awali", "Hisa Awali"),
            ("Qala i Naw", "Qala-e-Naw"),
            ("Dawlat Abad", "Dawlatabad"),
            ("Zinda  Jan", "Zinda Jan"),
            ("Sar-e Pol", "Sarpol"),
            ("Fayẓābād", "Fayzabad"),
            ("Wal-e-Muhammad-e-Shahid", "Wal Muhammad Shahid"),
            ("  Ab Band ", "ab_band"),
        ];
        for (a, b) in same {
            assert_eq!(normalize_name(a), normalize_name(b), "{a:?} vs {b:?}");
        }
        assert_eq!(normalize_name("Kabul (city)"), "kabulcity");
        assert_eq!(normalize_name("Hisa-e-Awal-e-Kohistan"), "hisaawalkohistan");
        assert_eq!(normalize_name(""), "");
        assert_eq!(normalize_name(" -- "), "");
        // At either end a lone letter is a word, not an izafa.
        assert_eq!(normalize_name("Nahia I"), "nahiai");
        assert_eq!(normalize_name("E Kalay"), "ekalay");
        assert_ne!(normalize_name("Kohistan"), normalize_name("Kohistanat"));
    }

    #[test]
    fn normalisation_is_idempotent() {
        let inputs = [
            "",
            " ",
            "-e-",
            "e",
            "i e i",
            "e-i-e-i",
            "Mazar-e-Sharif",
            "Hisa-I-Awali",
            "Qala i Naw",
            "Kabul (city)",
            "Zinda  Jan",
            "Fayẓābād",
            "ÆØÅ straße",
            "日本",
            "کابل",
            "Ab-e-",
            "Dara-e-Suf-e-Bala",
            "Reg-i-Khan Nishin",
            "1st District (Nahia-e-1)",
            "\u{feff}Bala\tBuluk\n",
        ];
        for input in inputs {
            let once = normalize_name(input);
            assert_eq!(normalize_name(&once), once, "{input:?}");
            assert!(
                once.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            );
        }
    }

    #[test]
    fn province_aliases_are_normalised_and_canonical() {
        for group in PROVINCE_ALIASES {
            for alias in *group {
                assert_eq!(normalize_name(alias), *alias);
                assert_eq!(canonical_province(alias), group[0]);
            }
        }
        for (a, b) in [
            ("Hilmand", "Helmand"),
            ("Sar-e-Pul", "Sari Pul"),
            ("Sar-e Pol", "Saripul"),
            ("Maidan Wardak", "Wardag"),
            ("Day Kundi", "Daykondi"),
            ("Panjsher", "Panjshir"),
        ] {
            assert_eq!(canonical_province(a), canonical_province(b), "{a} vs {b}");
        }
        assert_ne!(canonical_province("Kabul"), canonical_province("Kapisa"));
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
        let err = join(&b, &rows, Ambiguous::None).unwrap_err();
        let JoinError::Conflict {
            district,
            date,
            line_a,
            value_a,
            line_b,
            value_b,
            ..
        } = &err;
        assert_eq!(district, "Argo (Badakhshan)");
        assert_eq!(date, "2021-06-20");
        assert_eq!((*line_a, value_a.as_str()), (2, "0"));
        assert_eq!((*line_b, value_b.as_str()), (4, "1"));
        let message = err.to_string();
        assert!(
            message.contains("line 2 says `0`, line 4 says `1`"),
            "{message}"
        );

        let undated = [row("Argo", None, GOV), row("Argo", None, TAL)];
        let err = join(&b, &undated, Ambiguous::None).unwrap_err();
        assert!(err.to_string().contains("`Argo` on every date"), "{err}");
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
