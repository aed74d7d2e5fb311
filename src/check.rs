//! `controlmap check`: what a boundary file and a timeline hold, and how they join, before
//! any map is drawn. The JSON form is documented in `docs/check-json.md`.

use std::fmt::Write as _;
use std::path::PathBuf;

use geo::Validation;
use rayon::prelude::*;

use crate::join::{DistrictRef, Join, JoinReport, KeyRef};
use crate::read::{Boundaries, BoundaryFormat};
use crate::status::{Categories, CategoryId};
use crate::timeline::{Date, Timeline, TimelineFile};

/// The version of the `check --json` document; raised when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything `check` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The boundary file.
    pub boundaries: BoundarySummary,
    /// The timeline.
    pub timeline: TimelineSummary,
    /// The join.
    pub join: JoinReport,
}

/// What the boundary file holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BoundarySummary {
    /// The file.
    pub path: PathBuf,
    /// Its format.
    pub format: BoundaryFormat,
    /// The TopoJSON object read.
    pub layer: Option<String>,
    /// Number of districts (polygon features).
    pub features: usize,
    /// Every field of the layer.
    pub fields: Vec<String>,
    /// The field used for ids (`None`: the feature index, `#12`).
    pub id_field: Option<String>,
    /// The field used for names.
    pub name_field: String,
    /// The field used for provinces.
    pub province_field: Option<String>,
    /// `[min lon, min lat, max lon, max lat]` of all districts.
    pub bbox: Option<[f64; 4]>,
    /// Districts with no polygon at all (drawn as nothing).
    pub empty_geometries: Vec<DistrictRef>,
    /// Districts whose polygons break the OGC rules (a self-intersecting ring, say). They
    /// are still drawn, filled by the even-odd rule, but their borders and areas may look
    /// wrong.
    pub invalid_geometries: Vec<InvalidGeometry>,
    /// Features whose geometry the reader repaired or partly dropped (rings of fewer than 4
    /// positions, zero area, spikes, missing or repeated closing points), one per feature.
    pub repaired_geometries: Vec<crate::read::GeometryRepair>,
    /// Attribute fields some of whose values could not be read (taken as empty).
    pub unreadable_fields: Vec<crate::read::UnreadableField>,
    /// The CRS the coordinates were reprojected from (`None`: lon/lat as written).
    pub crs: Option<String>,
}

/// A district with an invalid geometry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InvalidGeometry {
    /// The district.
    pub district: DistrictRef,
    /// The first problem found, as the geometry library words it.
    pub problem: String,
}

/// What the timeline holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TimelineSummary {
    /// The files and the columns read from each.
    pub files: Vec<TimelineFile>,
    /// Data rows (cells, for a wide file).
    pub rows: usize,
    /// First record date (`None` for a snapshot).
    pub first_date: Option<Date>,
    /// Last record date.
    pub last_date: Option<Date>,
    /// Distinct record dates.
    pub dates: usize,
    /// Distinct districts (names with their provinces, or ids).
    pub districts: usize,
    /// Every distinct raw value, its category and how many rows have it.
    pub values: Vec<ValueCount>,
    /// For every record date, how many timeline districts are in each category as of that
    /// date (those with no record yet count as `no-data`).
    pub per_date: Vec<DateCounts>,
    /// Districts whose status goes back to a category it had left (government → taliban →
    /// government), with every change.
    pub reversals: Vec<Reversal>,
    /// Rows repeating another row (same district, date and status).
    pub duplicate_rows: usize,
    /// Rows that disagree with another row of the same file for the same district and date.
    pub conflicts: usize,
}

/// A raw status value and what it means.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ValueCount {
    /// The value as first written.
    pub value: String,
    /// Its category key.
    pub category: String,
    /// Rows with this value.
    pub rows: usize,
}

/// Category counts on one date.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DateCounts {
    /// The date.
    pub date: Date,
    /// Districts per category, in legend order, `no-data` last.
    pub counts: Vec<CategoryCount>,
}

/// How many districts are in a category.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CategoryCount {
    /// The category key.
    pub category: String,
    /// Districts.
    pub districts: usize,
}

/// A change of status.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Change {
    /// The date of the record that changed it.
    pub date: Date,
    /// The new category key.
    pub category: String,
}

/// A district whose status reverses.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reversal {
    /// The timeline district.
    pub key: KeyRef,
    /// Its status changes, the first being its first status.
    pub changes: Vec<Change>,
}

impl Check {
    /// Summarises the inputs and their join. `record_categories` is the timeline's
    /// classification (from [`Categories::classify_timeline`]).
    pub fn new(
        boundaries: &Boundaries,
        timeline: &Timeline,
        categories: &Categories,
        record_categories: &[CategoryId],
        join: &Join,
    ) -> Check {
        Check {
            schema_version: SCHEMA_VERSION,
            boundaries: boundary_summary(boundaries),
            timeline: timeline_summary(timeline, categories, record_categories, join),
            join: join.report.clone(),
        }
    }

    /// True when anything is unmatched, ambiguous or conflicting (what `--strict` refuses).
    pub fn has_problems(&self) -> bool {
        self.join.has_problems()
    }

    /// The report for a person to read.
    pub fn text(&self) -> String {
        self.text_with_report(None)
    }

    /// The report for a person to read, what matters first: the join's summary, every
    /// unmatched name on both sides, then the ambiguous names, then the inputs. A list
    /// longer than [`LONG_LIST`] is cut there when the whole join is written to `report`
    /// (`--report`), and the cut says where the rest is; without a report file nothing is
    /// cut.
    pub fn text_with_report(&self, report: Option<&std::path::Path>) -> String {
        let mut out = String::new();
        self.join_text(&mut out, report);
        let b = &self.boundaries;
        let _ = writeln!(out, "Boundaries  {} ({})", b.path.display(), b.format);
        if let Some(l) = &b.layer {
            let _ = writeln!(out, "  layer      {l}");
        }
        let _ = writeln!(out, "  districts  {}", b.features);
        let _ = writeln!(
            out,
            "  fields     id {}, name {}, province {} (of {})",
            b.id_field.as_deref().unwrap_or("(feature index)"),
            b.name_field,
            b.province_field.as_deref().unwrap_or("(none)"),
            b.fields.join(", ")
        );
        if let Some([x0, y0, x1, y1]) = b.bbox {
            let _ = writeln!(out, "  bbox       {x0:.4}, {y0:.4}, {x1:.4}, {y1:.4}");
        }
        if let Some(crs) = &b.crs {
            let _ = writeln!(out, "  crs        {crs}, reprojected to lon/lat");
        }
        let _ = writeln!(
            out,
            "  geometry   {} empty, {} invalid, {} repaired",
            b.empty_geometries.len(),
            b.invalid_geometries.len(),
            b.repaired_geometries.len()
        );
        for r in &b.repaired_geometries {
            let _ = writeln!(out, "    repaired: {r}");
        }
        for u in &b.unreadable_fields {
            let _ = writeln!(out, "    unreadable: {u}");
        }
        for d in &b.empty_geometries {
            let _ = writeln!(out, "    empty: {}", crate::join::district_label(d));
        }
        for g in &b.invalid_geometries {
            let _ = writeln!(
                out,
                "    invalid: {}: {} (drawn anyway, even-odd fill)",
                crate::join::district_label(&g.district),
                g.problem
            );
        }

        let t = &self.timeline;
        let files: Vec<String> = t
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        let _ = writeln!(out, "\nTimeline  {}", files.join(" + "));
        let _ = writeln!(out, "  rows       {}", t.rows);
        match (t.first_date, t.last_date) {
            (Some(a), Some(b)) => {
                let _ = writeln!(out, "  dates      {} from {a} to {b}", t.dates);
            }
            _ => {
                let _ = writeln!(out, "  dates      none (a snapshot)");
            }
        }
        let _ = writeln!(out, "  districts  {}", t.districts);
        let values: Vec<String> = t
            .values
            .iter()
            .map(|v| {
                let rows = if v.rows == 1 { "row" } else { "rows" };
                format!("{:?} → {} ({} {rows})", v.value, v.category, v.rows)
            })
            .collect();
        let _ = writeln!(out, "  values     {}", values.join(", "));
        if let (Some(first), Some(last)) = (t.per_date.first(), t.per_date.last()) {
            for d in if t.per_date.len() > 1 {
                vec![first, last]
            } else {
                vec![first]
            } {
                let counts: Vec<String> = d
                    .counts
                    .iter()
                    .map(|c| format!("{} {}", c.category, c.districts))
                    .collect();
                let _ = writeln!(out, "  {}  {}", d.date, counts.join(", "));
            }
        }
        let _ = writeln!(
            out,
            "  {} reversals, {} duplicate rows, {} conflicting rows",
            t.reversals.len(),
            t.duplicate_rows,
            t.conflicts
        );
        for r in t.reversals.iter().take(5) {
            let changes: Vec<String> = r
                .changes
                .iter()
                .map(|c| format!("{} {}", c.date, c.category))
                .collect();
            // An id join's keys have an id and no name: the label names whichever there is.
            let _ = writeln!(
                out,
                "    reverses: {}: {}",
                crate::join::report::key_label(&r.key),
                changes.join(" → ")
            );
        }
        if t.reversals.len() > 5 {
            let _ = writeln!(out, "    … and {} more (see --json)", t.reversals.len() - 5);
        }
        for c in &self.join.conflicts {
            let _ = writeln!(
                out,
                "    conflict: `{}` on {}: line {} says `{}`, line {} says `{}` ({})",
                crate::terminal::shown(&c.district),
                c.date,
                c.line_a,
                crate::terminal::shown(&c.value_a),
                c.line_b,
                crate::terminal::shown(&c.value_b),
                c.file.display()
            );
        }
        out
    }

    /// The join part of [`Check::text_with_report`].
    fn join_text(&self, out: &mut String, report: Option<&std::path::Path>) {
        use crate::join::report::key_label;
        use crate::join::{district_label, report::district_list};
        let j = &self.join;
        // The summary's first line: the counts (its detail lines are replaced by the full
        // lists below).
        let summary = j.summary();
        let _ = writeln!(out, "{}", summary.lines().next().unwrap_or_default());
        let mut list = |title: &str, lines: Vec<String>, field: &str| {
            if lines.is_empty() {
                return;
            }
            let _ = writeln!(out, "  {title} ({}):", lines.len());
            let shown = match report {
                Some(_) if lines.len() > LONG_LIST => LONG_LIST,
                _ => lines.len(),
            };
            for l in &lines[..shown] {
                let _ = writeln!(out, "    {l}");
            }
            if let (Some(path), true) = (report, shown < lines.len()) {
                let _ = writeln!(
                    out,
                    "    … and {} more: the full list is in {} (`{field}`)",
                    lines.len() - shown,
                    path.display()
                );
            }
        };
        list(
            "timeline names with no district",
            j.unmatched_timeline
                .iter()
                .map(|m| key_label(&m.key) + &crate::join::report::unmatched_hint(m))
                .collect(),
            "unmatched_timeline",
        );
        list(
            "districts with no record",
            j.unmatched_districts.iter().map(district_label).collect(),
            "unmatched_districts",
        );
        list(
            "ambiguous names",
            j.ambiguous
                .iter()
                .map(|m| {
                    format!(
                        "{} matches {}",
                        key_label(&m.key),
                        district_list(&m.districts)
                    )
                })
                .collect(),
            "ambiguous",
        );
        // The rest of the summary's details (fuzzy matches, splits, ignored rows), which
        // the lists above do not cover.
        for line in summary.lines().skip(1).filter(|l| {
            let l = l.trim_start();
            !(l.starts_with("ambiguous:")
                || l.starts_with("no district for")
                || l.starts_with("no record for")
                || l.starts_with("… and"))
        }) {
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
}

/// The longest list of unmatched or ambiguous names `check` prints in full when a
/// `--report` file holds the whole join.
pub const LONG_LIST: usize = 50;

fn boundary_summary(boundaries: &Boundaries) -> BoundarySummary {
    let reference = |i: usize| {
        let d = &boundaries.districts[i];
        DistrictRef {
            index: d.index,
            id: d.id.0.clone(),
            name: d.name.clone(),
            province: d.province.clone(),
        }
    };
    let bbox = crate::project::polygon_bounds(boundaries.districts.iter().map(|d| &d.geometry))
        .map(|b| [b.min().x, b.min().y, b.max().x, b.max().y]);
    let problems: Vec<Option<String>> = boundaries
        .districts
        .par_iter()
        .map(|d| d.geometry.check_validation().err().map(|e| e.to_string()))
        .collect();
    BoundarySummary {
        path: boundaries.path.clone(),
        format: boundaries.format,
        layer: boundaries.layer.clone(),
        features: boundaries.districts.len(),
        fields: boundaries.available.clone(),
        id_field: boundaries.fields.id.clone(),
        name_field: boundaries.fields.name.clone(),
        province_field: boundaries.fields.province.clone(),
        bbox,
        repaired_geometries: boundaries.notes.repairs.clone(),
        unreadable_fields: boundaries.notes.unreadable.clone(),
        crs: boundaries.notes.crs.clone(),
        empty_geometries: (0..boundaries.districts.len())
            .filter(|&i| boundaries.districts[i].geometry.0.is_empty())
            .map(reference)
            .collect(),
        invalid_geometries: problems
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !boundaries.districts[*i].geometry.0.is_empty())
            .filter_map(|(i, p)| {
                Some(InvalidGeometry {
                    district: reference(i),
                    problem: p?,
                })
            })
            .collect(),
    }
}

fn timeline_summary(
    timeline: &Timeline,
    categories: &Categories,
    record_categories: &[CategoryId],
    join: &Join,
) -> TimelineSummary {
    let key_of = |c: Option<CategoryId>| {
        c.map_or(&categories.no_data.key, |c| &categories.get(c).key)
            .clone()
    };
    // In order of first appearance; indexed, since a free-text status column can have as many
    // distinct values as rows.
    let mut values: Vec<ValueCount> = Vec::new();
    let mut value_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (record, &category) in timeline.records.iter().zip(record_categories) {
        let v = *value_of.entry(record.value.as_str()).or_insert_with(|| {
            values.push(ValueCount {
                value: record.value.clone(),
                category: key_of(Some(category)),
                rows: 0,
            });
            values.len() - 1
        });
        values[v].rows += 1;
    }
    let dates = timeline.dates();
    let per_date = dates
        .iter()
        .map(|&date| {
            let mut counts = vec![0usize; categories.list.len() + 1];
            for (_, history) in &join.keys {
                counts[history.at(date).map_or(categories.list.len(), |c| c.0)] += 1;
            }
            DateCounts {
                date,
                counts: categories
                    .list
                    .iter()
                    .chain(std::iter::once(&categories.no_data))
                    .zip(counts)
                    .map(|(c, districts)| CategoryCount {
                        category: c.key.clone(),
                        districts,
                    })
                    .collect(),
            }
        })
        .collect();
    let reversals = join
        .keys
        .iter()
        .filter_map(|(key, history)| {
            let mut changes: Vec<(Date, CategoryId)> = Vec::new();
            for &(date, category) in &history.steps {
                let date = date?;
                if changes.last().is_none_or(|&(_, c)| c != category) {
                    changes.push((date, category));
                }
            }
            let reverses = changes
                .iter()
                .enumerate()
                .any(|(i, (_, c))| changes[..i.saturating_sub(1)].iter().any(|(_, e)| e == c));
            reverses.then(|| Reversal {
                key: key.clone(),
                changes: changes
                    .into_iter()
                    .map(|(date, c)| Change {
                        date,
                        category: key_of(Some(c)),
                    })
                    .collect(),
            })
        })
        .collect();
    TimelineSummary {
        files: timeline.files.clone(),
        rows: timeline.records.len(),
        first_date: dates.first().copied(),
        last_date: dates.last().copied(),
        dates: dates.len(),
        districts: join.keys.len(),
        values,
        per_date,
        reversals,
        duplicate_rows: join.report.duplicate_rows,
        conflicts: join.report.conflicts.len(),
    }
}
