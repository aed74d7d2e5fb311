//! The annotations reader (`--annotations FILE`): a CSV of
//! `text,place,lon,lat[,district,dx,dy,anchor,width,from,to]` rows, one callout each, and
//! the same fields as `[[annotation]]` tables of a style file ([`AnnotationEntry`]).
//!
//! A row points at one thing: a place (a name of the places file), a point (`lon` and `lat`)
//! or a district (`district`, by the join's name rules). The reader checks each row alone
//! (numbers and their ranges, the anchor, the dates and their order); the map checks the
//! place and district names against the places file and the boundaries.

use std::path::{Path, PathBuf};

use super::table::Table;
use super::{DateFormat, ReadError};
use crate::render::draw::Anchor;
use crate::timeline::Date;

/// What an annotation points at, by name or position.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationTarget {
    /// A place of the places file, by name.
    Place(String),
    /// A point, lon/lat degrees.
    Point {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// A district, by name.
    District(String),
}

/// One annotation as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The text.
    pub text: String,
    /// What its leader line points at.
    pub target: AnnotationTarget,
    /// The box's offset from the target (`dx`, `dy`), px of a 1600×1200 page.
    pub offset: Option<(f64, f64)>,
    /// The lines' alignment (`anchor`): start, middle or end.
    pub anchor: Anchor,
    /// The widest line, px of a 1600×1200 page.
    pub width: Option<f64>,
    /// The first date it is shown on.
    pub from: Option<Date>,
    /// The last date it is shown on.
    pub to: Option<Date>,
    /// The file it was given in (the annotations file or the style file).
    pub path: PathBuf,
    /// Where in it: "line 3" or "annotation 2".
    pub place: String,
    /// Where the target was given ("line 3, column `place`"), for a name the map cannot find.
    pub target_place: String,
}

/// An `[[annotation]]` table of a style file: the CSV's columns as keys.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnnotationEntry {
    /// The text.
    pub text: String,
    /// A place of the places file.
    pub place: Option<String>,
    /// A point's longitude.
    pub lon: Option<f64>,
    /// A point's latitude.
    pub lat: Option<f64>,
    /// A district.
    pub district: Option<String>,
    /// The box's offset from the target, px of a 1600×1200 page.
    pub dx: Option<f64>,
    /// The same, down.
    pub dy: Option<f64>,
    /// `start`, `middle` or `end`.
    pub anchor: Option<String>,
    /// The widest line, px.
    pub width: Option<f64>,
    /// The first date shown, YYYY-MM-DD.
    pub from: Option<String>,
    /// The last date shown, YYYY-MM-DD.
    pub to: Option<String>,
}

/// The most annotations one map takes: each box is placed clear of every label and of the
/// boxes before it, so the work grows with the square of the count, and no legible map has
/// more than a few dozen callouts.
pub const MAX_ANNOTATIONS: usize = 500;

/// The largest offset, px of a 1600×1200 page: beyond it the box is off any page.
const MAX_OFFSET: f64 = 1600.0;
/// The narrowest and widest line width, px.
const WIDTH: (f64, f64) = (40.0, 1600.0);

/// The cells of one annotation, by field name, with where each was given.
struct Cells<'a> {
    path: &'a Path,
    place: String,
    get: &'a dyn Fn(&str) -> Option<(String, String)>,
}

impl Cells<'_> {
    fn bad(&self, at: String, expected: String) -> ReadError {
        ReadError::invalid(self.path, at, expected)
    }

    fn number(&self, field: &str, what: &str, limit: f64) -> Result<Option<f64>, ReadError> {
        let Some((text, at)) = (self.get)(field) else {
            return Ok(None);
        };
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .map(Some)
            .ok_or_else(|| {
                self.bad(
                    at,
                    format!("{what}, found `{}`", crate::terminal::shown(&text)),
                )
            })
    }
}

/// One annotation from its cells; `dates` are its `from` and `to`, already parsed.
fn annotation(
    cells: &Cells<'_>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<Annotation, ReadError> {
    let here = || cells.place.clone();
    let text = match (cells.get)("text") {
        Some((t, _)) => t,
        None => {
            return Err(cells.bad(
                format!("{}, `text`", here()),
                "the annotation's text; it is empty".into(),
            ));
        }
    };
    let lon = cells.number("lon", "a longitude in degrees (-180 to 180)", 180.0)?;
    let lat = cells.number("lat", "a latitude in degrees (-90 to 90)", 90.0)?;
    let place = (cells.get)("place");
    let district = (cells.get)("district");
    let point = match (lon, lat) {
        (Some(lon), Some(lat)) => Some(AnnotationTarget::Point { lon, lat }),
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            return Err(cells.bad(
                here(),
                "both `lon` and `lat` for a point, or neither".into(),
            ));
        }
    };
    let given = usize::from(place.is_some())
        + usize::from(point.is_some())
        + usize::from(district.is_some());
    if given != 1 {
        return Err(cells.bad(
            here(),
            format!(
                "one target: a `place`, a point (`lon` and `lat`) or a `district`; found {}",
                if given == 0 { "none" } else { "several" }
            ),
        ));
    }
    let (target, target_place) = match (place, point, district) {
        (Some((name, at)), _, _) => (AnnotationTarget::Place(name), at),
        (_, Some(p), _) => (p, here()),
        (_, _, Some((name, at))) => (AnnotationTarget::District(name), at),
        _ => unreachable!("exactly one target was counted above"),
    };
    let dx = cells.number("dx", "an offset in px (-1600 to 1600)", MAX_OFFSET)?;
    let dy = cells.number("dy", "an offset in px (-1600 to 1600)", MAX_OFFSET)?;
    let offset = match (dx, dy) {
        (None, None) => None,
        (dx, dy) => Some((dx.unwrap_or(0.0), dy.unwrap_or(0.0))),
    };
    let anchor = match (cells.get)("anchor") {
        None => Anchor::Start,
        Some((a, at)) => match a.to_lowercase().as_str() {
            "start" | "left" => Anchor::Start,
            "middle" | "centre" | "center" => Anchor::Middle,
            "end" | "right" => Anchor::End,
            _ => {
                return Err(cells.bad(
                    at,
                    format!(
                        "an anchor: start, middle or end, found `{}`",
                        crate::terminal::shown(&a)
                    ),
                ));
            }
        },
    };
    let width = cells.number("width", "a width in px (40 to 1600)", WIDTH.1)?;
    if let (Some(w), Some((_, at))) = (width, (cells.get)("width"))
        && w < WIDTH.0
    {
        return Err(cells.bad(at, format!("a width in px (40 to 1600), found `{w}`")));
    }
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        let at = (cells.get)("to").map_or_else(here, |(_, at)| at);
        return Err(cells.bad(at, format!("a date on or after `from` ({f}), found {t}")));
    }
    Ok(Annotation {
        text,
        target,
        offset,
        anchor,
        width,
        from,
        to,
        path: cells.path.to_path_buf(),
        place: cells.place.clone(),
        target_place,
    })
}

/// Reads an annotations file; `date_format` forces the order of `M/D/YYYY`-style dates.
pub fn read_annotations(
    path: &Path,
    date_format: Option<DateFormat>,
) -> Result<Vec<Annotation>, ReadError> {
    let table = Table::read(path)?;
    table.column("text", "text")?;
    if let Some((line, _)) = table.rows.get(MAX_ANNOTATIONS) {
        return Err(ReadError::invalid(
            path,
            format!("line {line}"),
            format!(
                "more than {MAX_ANNOTATIONS} annotations: a map cannot show them legibly; keep the ones the story needs"
            ),
        ));
    }
    if !["place", "lon", "lat", "district"]
        .iter()
        .any(|c| table.find(c).is_some())
    {
        return Err(ReadError::MissingField {
            path: path.to_path_buf(),
            role: "target (place, lon/lat or district)",
            field: "place".into(),
            available: table.headers.clone(),
        });
    }
    let at = |line: u64, column: usize| format!("line {line}, column `{}`", table.headers[column]);
    // `from` and `to` of every row are parsed together: the format is the file's.
    let mut texts = Vec::new();
    let mut places = Vec::new();
    for field in ["from", "to"] {
        if let Some(c) = table.find(field) {
            for (i, (line, cells)) in table.rows.iter().enumerate() {
                if !cells[c].is_empty() {
                    texts.push(cells[c].as_str());
                    places.push((i, field, at(*line, c)));
                }
            }
        }
    }
    let dates = super::timeline_csv::resolve_dates(
        path,
        "columns `from` and `to`",
        &texts,
        &|i| places[i].2.clone(),
        date_format,
    )?;
    let mut bounds = vec![(None, None); table.rows.len()];
    for ((row, field, _), date) in places.iter().zip(dates) {
        match *field {
            "from" => bounds[*row].0 = Some(date),
            _ => bounds[*row].1 = Some(date),
        }
    }
    table
        .rows
        .iter()
        .zip(bounds)
        .map(|((line, cells), (from, to))| {
            let get = |field: &str| {
                table
                    .find(field)
                    .filter(|&c| !cells[c].is_empty())
                    .map(|c| (cells[c].clone(), at(*line, c)))
            };
            annotation(
                &Cells {
                    path,
                    place: format!("line {line}"),
                    get: &get,
                },
                from,
                to,
            )
        })
        .collect()
}

/// The `[[annotation]]` tables of a style file, checked as the rows of a file.
pub fn style_annotations(
    path: &Path,
    entries: &[AnnotationEntry],
) -> Result<Vec<Annotation>, ReadError> {
    if entries.len() > MAX_ANNOTATIONS {
        return Err(ReadError::invalid(
            path,
            format!("annotation {}", MAX_ANNOTATIONS + 1),
            format!("at most {MAX_ANNOTATIONS} annotations: a map cannot show more legibly"),
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let place = format!("annotation {}", i + 1);
            let num = |v: Option<f64>| v.map(|v| v.to_string());
            let get = |field: &str| {
                let value = match field {
                    "text" => Some(e.text.clone()),
                    "place" => e.place.clone(),
                    "lon" => num(e.lon),
                    "lat" => num(e.lat),
                    "district" => e.district.clone(),
                    "dx" => num(e.dx),
                    "dy" => num(e.dy),
                    "anchor" => e.anchor.clone(),
                    "width" => num(e.width),
                    "from" => e.from.clone(),
                    "to" => e.to.clone(),
                    _ => None,
                };
                value
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .map(|v| (v, format!("{place}, key `{field}`")))
            };
            let date = |field: &str| {
                get(field)
                    .map(|(text, at)| {
                        Date::parse_iso(&text).ok_or_else(|| {
                            ReadError::invalid(
                                path,
                                at,
                                format!(
                                    "a date as YYYY-MM-DD, found `{}`",
                                    crate::terminal::shown(&text)
                                ),
                            )
                        })
                    })
                    .transpose()
            };
            let (from, to) = (date("from")?, date("to")?);
            annotation(
                &Cells {
                    path,
                    place: place.clone(),
                    get: &get,
                },
                from,
                to,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Annotation>, ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.csv");
        std::fs::write(&path, text).unwrap();
        read_annotations(&path, None)
    }

    fn error(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    #[test]
    fn each_kind_of_target_reads() {
        let a = read(
            "text,place,lon,lat,district,dx,dy,anchor,width,from,to\n\
             Entered,Kunduz,,,,,,,,2021-06-20,\n\
             A point,,66.5,34.5,,40,-20,end,180,,2021-07-01\n\
             A district,,,,Kabul,,,middle,,,\n",
        )
        .unwrap();
        assert_eq!(a[0].target, AnnotationTarget::Place("Kunduz".into()));
        assert_eq!(a[0].from, Date::parse_iso("2021-06-20"));
        assert_eq!(a[0].target_place, "line 2, column `place`");
        assert_eq!(
            a[1].target,
            AnnotationTarget::Point {
                lon: 66.5,
                lat: 34.5
            }
        );
        assert_eq!(a[1].offset, Some((40.0, -20.0)));
        assert_eq!(a[1].anchor, Anchor::End);
        assert_eq!(a[1].width, Some(180.0));
        assert_eq!(a[2].target, AnnotationTarget::District("Kabul".into()));
        assert_eq!(a[2].anchor, Anchor::Middle);
    }

    #[test]
    fn bad_rows_name_the_line_the_column_and_what_was_expected() {
        let head = "text,place,lon,lat,district,dx,dy,anchor,width,from,to\n";
        let cases = [
            (
                "X,,200,34,,,,,,,\n",
                "line 2, column `lon`: a longitude in degrees (-180 to 180), found `200`",
            ),
            ("X,,66,-91,,,,,,,\n", "line 2, column `lat`: a latitude"),
            ("X,,66,,,,,,,,\n", "line 2: both `lon` and `lat`"),
            (
                "X,Kunduz,,,,,,top,,,\n",
                "line 2, column `anchor`: an anchor: start, middle or end, found `top`",
            ),
            (
                "X,Kunduz,,,,,,,,2021-07-01,2021-06-20\n",
                "line 2, column `to`: a date on or after `from` (2021-07-01), found 2021-06-20",
            ),
            ("X,,,,,,,,,,\n", "line 2: one target"),
            ("X,Kunduz,66,34,,,,,,,\n", "found several"),
            (
                ",Kunduz,,,,,,,,,\n",
                "line 2, `text`: the annotation's text",
            ),
            ("X,Kunduz,,,,nan,,,,,\n", "line 2, column `dx`"),
            ("X,Kunduz,,,,,,,10,,\n", "line 2, column `width`"),
            (
                "X,Kunduz,,,,,,,,2021-13-01,\n",
                "line 2, column `from`: a date as YYYY-MM-DD",
            ),
        ];
        for (row, want) in cases {
            let e = error(&format!("{head}{row}"));
            assert!(e.contains("notes.csv: ") && e.contains(want), "{row}: {e}");
        }
        assert!(error("place,lon\nA,1\n").contains("no text field"));
        let many = format!(
            "text,place\n{}",
            "Note,Kunduz\n".repeat(MAX_ANNOTATIONS + 1)
        );
        assert!(
            error(&many).contains("line 502: more than 500 annotations"),
            "{}",
            error(&many)
        );
        assert!(error("text,dx\nA,1\n").contains("no target"));
    }

    #[test]
    fn style_tables_are_checked_like_rows() {
        let path = Path::new("story.toml");
        let ok = style_annotations(
            path,
            &[AnnotationEntry {
                text: "Fighting".into(),
                place: Some("Taloqan".into()),
                from: Some("2021-06-20".into()),
                ..AnnotationEntry::default()
            }],
        )
        .unwrap();
        assert_eq!(ok[0].place, "annotation 1");
        let bad = style_annotations(
            path,
            &[
                ok_entry(),
                AnnotationEntry {
                    anchor: Some("left-ish".into()),
                    ..ok_entry()
                },
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(
            bad.contains("story.toml: annotation 2, key `anchor`: an anchor"),
            "{bad}"
        );
    }

    fn ok_entry() -> AnnotationEntry {
        AnnotationEntry {
            text: "T".into(),
            place: Some("Kunduz".into()),
            ..AnnotationEntry::default()
        }
    }
}
