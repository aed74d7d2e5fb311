//! A district's statuses over time, ready for the as-of lookup: what the join makes of a
//! timeline once its values are categories. Apart from [`crate::timeline`] so that the
//! timeline's records need not know the categories (which are classified from them).

use std::sync::Arc;

use crate::status::CategoryId;
use crate::timeline::Date;

/// One district key's records reduced to (date, category), sorted by date, ready for as-of
/// lookups. Same-date duplicates have been resolved (or reported) before building it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// `(date, category)`, ascending by date; a `None` date sorts first and holds for every date.
    pub steps: Vec<(Option<Date>, CategoryId)>,
    /// Each step's source (a `source` column), parallel to `steps`; empty when none has one.
    pub sources: Vec<Option<Arc<str>>>,
    /// Each step's row in [`Timeline::records`](crate::timeline::Timeline::records), parallel to `steps` (for what the row says
    /// besides its status, e.g. its note); empty for a history not built by the join.
    pub records: Vec<usize>,
}

impl History {
    /// Builds a history from unsorted steps.
    pub fn new(mut steps: Vec<(Option<Date>, CategoryId)>) -> History {
        steps.sort_by_key(|(d, _)| *d);
        History {
            steps,
            sources: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Builds a history from unsorted steps that carry their sources.
    pub fn with_sources(mut steps: Vec<(Option<Date>, CategoryId, Option<Arc<str>>)>) -> History {
        steps.sort_by_key(|(d, _, _)| *d);
        let any_source = steps.iter().any(|s| s.2.is_some());
        let (steps, sources) = steps
            .into_iter()
            .map(|(d, c, s)| ((d, c), s))
            .unzip::<_, _, Vec<_>, Vec<_>>();
        History {
            steps,
            sources: if any_source { sources } else { Vec::new() },
            records: Vec::new(),
        }
    }

    /// The source of the step in effect on `date`, if it has one.
    pub fn source_at(&self, date: Date) -> Option<&str> {
        let n = self
            .steps
            .partition_point(|(d, _)| d.is_none_or(|d| d <= date));
        self.sources.get(n.checked_sub(1)?)?.as_deref()
    }

    /// The category on `date`: the latest step dated on or before it.
    ///
    /// ```
    /// use controlmap::{status::CategoryId, timeline::{Date, History}};
    /// let d = |s| Date::parse_iso(s);
    /// let h = History::new(vec![(d("2021-06-30"), CategoryId(1)), (d("2021-05-11"), CategoryId(0))]);
    /// assert_eq!(h.at(d("2021-05-01").unwrap()), None);
    /// assert_eq!(h.at(d("2021-07-01").unwrap()), Some(CategoryId(1)));
    /// ```
    pub fn at(&self, date: Date) -> Option<CategoryId> {
        let n = self
            .steps
            .partition_point(|(d, _)| d.is_none_or(|d| d <= date));
        n.checked_sub(1).map(|i| self.steps[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_uses_latest_step_on_or_before() {
        let d = |s| Date::parse_iso(s);
        let h = History::new(vec![
            (d("2021-05-11"), CategoryId(0)),
            (d("2021-06-20"), CategoryId(1)),
            (d("2021-08-16"), CategoryId(2)),
        ]);
        assert_eq!(h.at(d("2021-05-10").unwrap()), None);
        assert_eq!(h.at(d("2021-05-11").unwrap()), Some(CategoryId(0)));
        assert_eq!(h.at(d("2021-06-19").unwrap()), Some(CategoryId(0)));
        assert_eq!(h.at(d("2021-06-20").unwrap()), Some(CategoryId(1)));
        assert_eq!(h.at(d("2030-01-01").unwrap()), Some(CategoryId(2)));
    }

    #[test]
    fn undated_step_holds_for_every_date() {
        let h = History::new(vec![(None, CategoryId(3))]);
        assert_eq!(
            h.at(Date::from_ymd(1900, 1, 1).unwrap()),
            Some(CategoryId(3))
        );
    }
}
