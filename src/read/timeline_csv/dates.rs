//! Dates in timeline cells: ISO, or `M/D/YYYY` / `D/M/YYYY` with the order decided from every
//! date of the file at once (one unambiguous date settles them all).

use super::*;

/// A date cell split up before the order of day and month is known.
#[derive(Debug, Clone, Copy)]
pub(super) enum RawDate {
    Iso(Date),
    /// `a/b/yyyy` (or with `-` or `.`), each of `a` and `b` in 1..=31, not both over 12.
    Numeric {
        a: u32,
        b: u32,
        year: i32,
    },
}

pub(super) fn split_date(text: &str) -> Option<RawDate> {
    if let Some(date) = Date::parse_iso(text) {
        return Some(RawDate::Iso(date));
    }
    let sep = text.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, y] = parts[..] else {
        return None;
    };
    let digits =
        |p: &str, lens: &[usize]| lens.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    if !digits(a, &[1, 2]) || !digits(b, &[1, 2]) || !digits(y, &[4]) {
        return None;
    }
    let (a, b, year) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let part_ok = |p: u32| (1..=31).contains(&p);
    (part_ok(a) && part_ok(b) && (a <= 12 || b <= 12)).then_some(RawDate::Numeric { a, b, year })
}

/// Parses every date text with one format: the forced one, or the one the data proves.
/// `place(i)` says where the `i`th text is; `what` names them all ("column `date`").
pub(in crate::read) fn resolve_dates(
    path: &Path,
    what: &str,
    texts: &[&str],
    place: &dyn Fn(usize) -> String,
    forced: Option<DateFormat>,
) -> Result<Vec<Date>, ReadError> {
    let expected = match forced {
        None => ANY_DATE,
        Some(DateFormat::Iso) => "a date as YYYY-MM-DD (--date-format iso)",
        Some(DateFormat::Mdy) => "a date as M/D/YYYY (--date-format mdy)",
        Some(DateFormat::Dmy) => "a date as D/M/YYYY (--date-format dmy)",
    };
    let bad = |i: usize, text: &str| {
        ReadError::invalid(path, place(i), format!("{expected}, found `{text}`"))
    };

    let mut raw = Vec::with_capacity(texts.len());
    for (i, &text) in texts.iter().enumerate() {
        raw.push((i, text, split_date(text).ok_or_else(|| bad(i, text))?));
    }
    let format = match forced {
        Some(format) => format,
        None => infer_format(path, what, &raw, place)?,
    };
    raw.iter()
        .map(|&(i, text, date)| {
            let date = match (format, date) {
                (DateFormat::Iso, RawDate::Iso(d)) => Some(d),
                (DateFormat::Mdy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, a, b),
                (DateFormat::Dmy, RawDate::Numeric { a, b, year }) => Date::from_ymd(year, b, a),
                _ => None,
            };
            date.ok_or_else(|| bad(i, text))
        })
        .collect()
}

fn infer_format(
    path: &Path,
    what: &str,
    raw: &[(usize, &str, RawDate)],
    place: &dyn Fn(usize) -> String,
) -> Result<DateFormat, ReadError> {
    let iso = raw.iter().find(|(_, _, d)| matches!(d, RawDate::Iso(_)));
    let Some(&(i, text, _)) = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { .. }))
    else {
        return Ok(DateFormat::Iso);
    };
    if let Some(&(iso_i, iso_text, _)) = iso {
        let (later, earlier) = if iso_i > i {
            ((iso_i, iso_text), (i, text))
        } else {
            ((i, text), (iso_i, iso_text))
        };
        return Err(ReadError::invalid(
            path,
            place(later.0),
            format!(
                "one date format for the whole file, found `{}` here and `{}` at {}",
                later.1,
                earlier.1,
                place(earlier.0)
            ),
        ));
    }
    let day_first = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { a, .. } if *a > 12));
    let month_first = raw
        .iter()
        .find(|(_, _, d)| matches!(d, RawDate::Numeric { b, .. } if *b > 12));
    match (day_first, month_first) {
        (Some(&(d_i, d_text, _)), Some(&(m_i, m_text, _))) => Err(ReadError::invalid(
            path,
            place(d_i.max(m_i)),
            format!(
                "one date order for the whole file, found day-first `{d_text}` at {} and \
                 month-first `{m_text}` at {}",
                place(d_i),
                place(m_i)
            ),
        )),
        (Some(_), None) => Ok(DateFormat::Dmy),
        (None, Some(_)) => Ok(DateFormat::Mdy),
        (None, None) => Err(ReadError::invalid(
            path,
            what,
            format!(
                "cannot tell M/D/YYYY from D/M/YYYY: no date has a part over 12 (e.g. \
                 `{text}` at {}); pass --date-format mdy or --date-format dmy",
                place(i)
            ),
        )),
    }
}
