//! Dates, timeline records and the as-of lookup.
//!
//! A district's status on date D is the status of its latest record dated on or before D;
//! a record with no date (a snapshot file) holds for every date.

use std::fmt;
use std::path::PathBuf;

// `History` moved to `crate::history` (it holds categories, which are classified from a
// timeline); re-exported so that `timeline::History` still names it.
pub use crate::history::History;

/// A calendar day (no time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// The date a snapshot (a timeline without dates) is drawn for: any date would do, since
    /// every undated record holds for every date.
    pub const SNAPSHOT: Date = Date(jiff::civil::date(2000, 1, 1));

    /// The date for a year, month (1–12) and day, if it exists.
    ///
    /// ```
    /// use controlmap::timeline::Date;
    /// assert!(Date::from_ymd(2021, 2, 29).is_none());
    /// assert_eq!(Date::from_ymd(2021, 6, 20).unwrap().to_string(), "2021-06-20");
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        let year = i16::try_from(year).ok()?;
        let month = i8::try_from(month).ok()?;
        let day = i8::try_from(day).ok()?;
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Parses an ISO `YYYY-MM-DD` date.
    ///
    /// ```
    /// use controlmap::timeline::Date;
    /// assert_eq!(Date::parse_iso("2021-08-15").unwrap().long(), "August 15, 2021");
    /// assert!(Date::parse_iso("2021-13-01").is_none());
    /// ```
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
            return None;
        }
        if ![y, m, d]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year().into()
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month() as u32
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.0.day() as u32
    }

    /// The date written out for a reader: "June 20, 2021".
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!(
            "{} {}, {}",
            MONTHS[self.month() as usize - 1],
            self.day(),
            self.year()
        )
    }

    /// The next day, if representable.
    pub fn next(self) -> Option<Date> {
        self.0.tomorrow().ok().map(Date)
    }

    /// The date `n` days later (earlier when negative), if representable.
    pub fn add_days(self, n: i64) -> Option<Date> {
        self.0
            .checked_add(jiff::Span::new().try_days(n).ok()?)
            .ok()
            .map(Date)
    }

    /// The date `n` months later, the day clamped to the month's length (Jan 31 + 1 month is
    /// Feb 28), if representable.
    pub fn add_months(self, n: i64) -> Option<Date> {
        self.0
            .checked_add(jiff::Span::new().try_months(n).ok()?)
            .ok()
            .map(Date)
    }

    /// The previous day, if representable.
    pub fn previous(self) -> Option<Date> {
        self.0.yesterday().ok().map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One row of a timeline: a district's raw status, as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Line number of the row in its file (1-based, the header is line 1), for messages.
    pub line: u64,
    /// The district id (a P-code, say), when the timeline has an id column.
    pub id: Option<String>,
    /// The district name, as written (may be empty when an id is given).
    pub district: String,
    /// The province, when the timeline has a province column and the cell is not empty.
    pub province: Option<String>,
    /// The date; `None` in a snapshot file (no date column), valid for every date.
    pub date: Option<Date>,
    /// The raw status value, trimmed.
    pub value: String,
    /// Which file of [`Timeline::files`] the row came from (0 for a single file).
    pub file: usize,
    /// Where the row's information comes from (a `source` column), kept for the report and
    /// the SVG's `data-source`.
    pub source: Option<String>,
    /// A free-text note on the row (a `note` column), kept for the report.
    pub note: Option<String>,
}

/// Which columns of the timeline file held what.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TimelineColumns {
    /// District id column.
    pub id: Option<String>,
    /// District name column.
    pub district: Option<String>,
    /// Province column.
    pub province: Option<String>,
    /// Date column; `None` for a snapshot.
    pub date: Option<String>,
    /// Status column; for a wide file (one column per date), the first date column.
    pub status: String,
    /// Source column.
    pub source: Option<String>,
    /// Note column.
    pub note: Option<String>,
    /// True for a wide file: one row per district, one column per date.
    pub wide: bool,
}

/// One file of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TimelineFile {
    /// The path as given.
    pub path: PathBuf,
    /// The columns used.
    pub columns: TimelineColumns,
}

/// A control-status timeline: the rows of one or more status files, in file order. Where
/// two files give the same district a status on the same date, the later file wins.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The files read, in the order given (at least one).
    pub files: Vec<TimelineFile>,
    /// The rows, file after file.
    pub records: Vec<Record>,
}

impl Timeline {
    /// The first file (the one messages name when a timeline has one file).
    pub fn path(&self) -> &std::path::Path {
        self.files
            .first()
            .map_or(std::path::Path::new(""), |f| &f.path)
    }

    /// The file a record came from.
    pub fn path_of(&self, record: &Record) -> &std::path::Path {
        self.files
            .get(record.file)
            .map_or_else(|| self.path(), |f| &f.path)
    }

    /// Appends `other`'s files and records after this timeline's, so that `other` wins where
    /// both give the same district and date.
    pub fn merge(&mut self, other: Timeline) {
        let offset = self.files.len();
        self.files.extend(other.files);
        self.records
            .extend(other.records.into_iter().map(|r| Record {
                file: r.file + offset,
                ..r
            }));
    }

    /// The distinct record dates, ascending (empty for a snapshot).
    pub fn dates(&self) -> Vec<Date> {
        let mut dates: Vec<Date> = self.records.iter().filter_map(|r| r.date).collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_strictly() {
        assert_eq!(
            Date::parse_iso("2021-6-7").unwrap().to_string(),
            "2021-06-07"
        );
        for bad in [
            "",
            "2021",
            "21-06-07",
            "2021-06-31",
            "2021-06-07x",
            "2021/06/07",
        ] {
            assert!(Date::parse_iso(bad).is_none(), "{bad:?} parsed");
        }
    }

    #[test]
    fn date_arithmetic_clamps_months() {
        let d = Date::parse_iso("2021-01-31").unwrap();
        assert_eq!(d.add_months(1).unwrap().to_string(), "2021-02-28");
        assert_eq!(d.add_days(30).unwrap().to_string(), "2021-03-02");
        assert_eq!(d.add_days(-31).unwrap().to_string(), "2020-12-31");
    }
}
