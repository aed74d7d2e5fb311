//! Which dates a series draws, and which file each frame goes to.

use std::collections::HashMap;
use std::path::PathBuf;
use std::str::FromStr;

use super::SeriesError;
use crate::timeline::Date;

/// The interval of `--every`: `7d`, `2w`, `1m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Every N days.
    Days(u32),
    /// Every N weeks.
    Weeks(u32),
    /// Every N months (the day clamped to the month's length).
    Months(u32),
}

impl FromStr for Step {
    type Err = SeriesError;

    /// ```
    /// use controlmap::series::dates::Step;
    /// assert_eq!("2w".parse::<Step>().unwrap(), Step::Weeks(2));
    /// assert!("0d".parse::<Step>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Step, SeriesError> {
        let bad = || SeriesError::Usage(format!("--every `{text}`: expected Nd, Nw or Nm (N ≥ 1)"));
        let (n, unit) = text.trim().split_at(text.trim().len().saturating_sub(1));
        let n: u32 = n.parse().ok().filter(|n| *n > 0).ok_or_else(bad)?;
        match unit {
            "d" => Ok(Step::Days(n)),
            "w" => Ok(Step::Weeks(n)),
            "m" => Ok(Step::Months(n)),
            _ => Err(bad()),
        }
    }
}

/// How the dates of a series are chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSelection {
    /// `--from A --to B --every STEP`: A, A+STEP, … up to and including B.
    Every {
        /// First date.
        from: Date,
        /// Last date (inclusive).
        to: Date,
        /// Interval.
        step: Step,
    },
    /// `--dates A,B,C`: exactly these, in this order.
    List(Vec<Date>),
    /// `--dates changes`: every date on which some district's status differs from the day
    /// before (the first record date included), optionally limited to `--from/--to`.
    Changes {
        /// Earliest date.
        from: Option<Date>,
        /// Latest date (inclusive).
        to: Option<Date>,
    },
}

/// Upper bound on frames unless `--max-frames` says otherwise: a typo in `--every` should not
/// start a job of millions of maps.
pub const MAX_FRAMES: usize = 10_000;

impl DateSelection {
    /// Parses the value of `--dates`: `changes` or a comma-separated list of ISO dates.
    pub fn parse_list(text: &str) -> Result<DateSelection, SeriesError> {
        if text.trim() == "changes" {
            return Ok(DateSelection::Changes {
                from: None,
                to: None,
            });
        }
        let dates = text
            .split(',')
            .map(|d| {
                Date::parse_iso(d).ok_or_else(|| {
                    SeriesError::Usage(format!(
                        "--dates: `{}` is not a date (YYYY-MM-DD), nor is the list `changes`",
                        d.trim()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DateSelection::List(dates))
    }

    /// The dates, in order. `change_dates` are the dates on which some district changes
    /// (see [`crate::Map::change_dates`]); `max` bounds the count.
    pub fn dates(&self, change_dates: &[Date], max: usize) -> Result<Vec<Date>, SeriesError> {
        let dates = match self {
            DateSelection::List(dates) => dates.clone(),
            DateSelection::Changes { from, to } => change_dates
                .iter()
                .copied()
                .filter(|d| from.is_none_or(|f| *d >= f) && to.is_none_or(|t| *d <= t))
                .collect(),
            DateSelection::Every { from, to, step } => {
                if to < from {
                    return Err(SeriesError::Usage(format!(
                        "--to {to} is before --from {from}"
                    )));
                }
                let mut dates = Vec::new();
                for k in 0i64.. {
                    let next = match step {
                        Step::Days(n) => from.add_days(k * i64::from(*n)),
                        Step::Weeks(n) => from.add_days(k * 7 * i64::from(*n)),
                        Step::Months(n) => from.add_months(k * i64::from(*n)),
                    };
                    match next {
                        Some(d) if d <= *to => dates.push(d),
                        _ => break,
                    }
                    if dates.len() > max {
                        break;
                    }
                }
                dates
            }
        };
        if dates.is_empty() {
            return Err(SeriesError::Usage(
                "the date selection is empty: no frame to draw".into(),
            ));
        }
        if dates.len() > max {
            return Err(SeriesError::Usage(format!(
                "the date selection has more than {max} frames; raise --max-frames if that is meant"
            )));
        }
        Ok(dates)
    }
}

/// An output file template: `frames/{date}.png`, `map-{index}.svg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(String);

impl Template {
    /// A template. Only `{date}` (ISO date) and `{index}` (frame number from 0, zero-padded
    /// to the width of the last one) are substituted: nothing from the data ever becomes part
    /// of a file name.
    pub fn new(template: &str) -> Template {
        Template(template.to_string())
    }

    /// Whether the template names frames apart.
    pub fn varies(&self) -> bool {
        self.0.contains("{date}") || self.0.contains("{index}")
    }

    /// The file for frame `index` of `count`, dated `date`.
    pub fn path(&self, date: Date, index: usize, count: usize) -> PathBuf {
        let width = count.saturating_sub(1).max(1).to_string().len();
        PathBuf::from(
            self.0
                .replace("{date}", &date.to_string())
                .replace("{index}", &format!("{index:0width$}")),
        )
    }

    /// Every frame's file, refusing before any work a template that would write two frames
    /// to one file.
    pub fn paths(&self, dates: &[Date]) -> Result<Vec<PathBuf>, SeriesError> {
        let paths: Vec<PathBuf> = (0..dates.len())
            .map(|i| self.path(dates[i], i, dates.len()))
            .collect();
        let mut seen: HashMap<&PathBuf, usize> = HashMap::new();
        for (i, p) in paths.iter().enumerate() {
            if let Some(j) = seen.insert(p, i) {
                return Err(SeriesError::Usage(format!(
                    "output template `{}` writes frames {j} ({}) and {i} ({}) to the same file {}; put {{date}} or {{index}} in it",
                    self.0,
                    dates[j],
                    dates[i],
                    p.display()
                )));
            }
        }
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn every_includes_both_ends() {
        let sel = DateSelection::Every {
            from: d("2021-05-01"),
            to: d("2021-05-15"),
            step: Step::Weeks(1),
        };
        let dates = sel.dates(&[], MAX_FRAMES).unwrap();
        assert_eq!(dates, [d("2021-05-01"), d("2021-05-08"), d("2021-05-15")]);
    }

    #[test]
    fn months_count_from_the_start() {
        let sel = DateSelection::Every {
            from: d("2021-01-31"),
            to: d("2021-04-30"),
            step: Step::Months(1),
        };
        let dates = sel.dates(&[], MAX_FRAMES).unwrap();
        assert_eq!(
            dates,
            [
                d("2021-01-31"),
                d("2021-02-28"),
                d("2021-03-31"),
                d("2021-04-30")
            ]
        );
    }

    #[test]
    fn changes_are_limited_to_the_range() {
        let changes = [d("2021-05-11"), d("2021-06-07"), d("2021-08-16")];
        let sel = DateSelection::Changes {
            from: Some(d("2021-06-01")),
            to: Some(d("2021-08-01")),
        };
        assert_eq!(sel.dates(&changes, MAX_FRAMES).unwrap(), [d("2021-06-07")]);
    }

    #[test]
    fn too_many_or_no_frames_are_refused() {
        let sel = DateSelection::Every {
            from: d("2021-01-01"),
            to: d("2021-12-31"),
            step: Step::Days(1),
        };
        assert!(sel.dates(&[], 100).is_err());
        assert_eq!(sel.dates(&[], 365).unwrap().len(), 365);
        let backwards = DateSelection::Every {
            from: d("2021-02-01"),
            to: d("2021-01-01"),
            step: Step::Days(1),
        };
        assert!(backwards.dates(&[], 10).is_err());
        assert!(DateSelection::parse_list("2021-01-01,soon").is_err());
    }

    #[test]
    fn template_collisions_are_refused() {
        let dates = [d("2021-05-11"), d("2021-05-12")];
        assert!(Template::new("out/map.png").paths(&dates).is_err());
        let same_day = [d("2021-05-11"), d("2021-05-11")];
        assert!(Template::new("{date}.png").paths(&same_day).is_err());
        assert_eq!(
            Template::new("f/{index}-{date}.svg").paths(&dates).unwrap(),
            [
                PathBuf::from("f/0-2021-05-11.svg"),
                PathBuf::from("f/1-2021-05-12.svg")
            ]
        );
        let many: Vec<Date> = (0..12)
            .map(|i| d("2021-01-01").add_days(i).unwrap())
            .collect();
        assert_eq!(
            Template::new("{index}.png").path(many[3], 3, many.len()),
            PathBuf::from("03.png")
        );
    }
}
