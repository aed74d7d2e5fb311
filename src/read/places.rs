//! The places reader: a CSV of labelled points (`name,lon,lat[,kind][,district][,province]`,
//! and the hand-labelling columns `label`, `dx`, `dy`, `anchor`, `priority`, `hide_label`).

use std::path::Path;

use super::ReadError;
use crate::style::Place;
use crate::style::labels::{Anchor, LabelHand, MAX_OFFSET};

/// The most places one map takes. Each place is bound to a district and its label placed
/// clear of every other, so the work grows faster than the count: 200,000 rows took minutes.
/// No legible map has more than a few hundred labels; 10,000 leaves room for dots-only maps.
pub const MAX_PLACES: usize = 10_000;

/// Reads places from a CSV with a header containing `name`, `lon` and `lat` (also
/// `longitude`/`lng`/`x`, `latitude`/`y`) and optionally `kind`, `district` and `province`
/// (the district the place belongs to, which binds it to a district by name rather than by
/// where its dot falls; see [`crate::places`]), and the optional columns that set a label by
/// hand ([`LabelHand`]): `label` (the text shown), `dx`, `dy` (page px), `anchor`
/// (`start`/`middle`/`end`), `priority` (a whole number, higher placed first) and
/// `hide_label` (`true`/`false`/`1`/`0`/`yes`/`no`). An empty cell is the default.
pub fn read_places(path: &Path) -> Result<Vec<Place>, ReadError> {
    let bytes = super::read_file(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| ReadError::invalid(path, "line 1", e.to_string()))?
        .clone();
    super::table::unique_headers(path, 1, headers.iter())?;
    let find = |role: &'static str, names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.trim_start_matches('\u{feff}').to_lowercase().as_str()))
            .ok_or_else(|| ReadError::MissingField {
                path: path.to_path_buf(),
                role,
                field: names[0].to_string(),
                available: headers.iter().map(str::to_string).collect(),
            })
    };
    let name = find("name", &["name", "place", "city"])?;
    let lon = find("longitude", &["lon", "longitude", "lng", "x"])?;
    let lat = find("latitude", &["lat", "latitude", "y"])?;
    let kind = find("kind", &["kind", "type"]).ok();
    let district = find("district", &["district", "adm2", "adm2_en"]).ok();
    let province = find("province", &["province", "adm1", "adm1_en"]).ok();
    let label = find("label", &["label"]).ok();
    let dx = find("dx", &["dx"]).ok();
    let dy = find("dy", &["dy"]).ok();
    let anchor = find("anchor", &["anchor"]).ok();
    let priority = find("priority", &["priority"]).ok();
    let hide_label = find("hide_label", &["hide_label"]).ok();
    let mut places = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ReadError::invalid(path, format!("line {line}"), e.to_string())
        })?;
        let line = row.position().map_or(0, |p| p.line());
        if places.len() == MAX_PLACES {
            return Err(ReadError::invalid(
                path,
                format!("line {line}"),
                format!(
                    "more than {MAX_PLACES} places: a map cannot show them legibly; keep the ones to label"
                ),
            ));
        }
        let number = |i: usize, what: &str, limit: f64| {
            let cell = row.get(i).unwrap_or("");
            cell.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= limit)
                .ok_or_else(|| {
                    ReadError::invalid(
                        path,
                        format!("line {line}, column `{}`", &headers[i]),
                        format!("expected a {what} in degrees, found `{cell}`"),
                    )
                })
        };
        let text = |column: Option<usize>| {
            column
                .and_then(|k| row.get(k))
                .filter(|k| !k.is_empty())
                .map(str::to_string)
        };
        // The hand columns: an empty cell is the default, anything else must parse.
        let bad = |i: usize, expected: &str, cell: &str| {
            ReadError::invalid(
                path,
                format!("line {line}, column `{}`", &headers[i]),
                format!("expected {expected}, found `{cell}`"),
            )
        };
        let cell = |column: Option<usize>| {
            column
                .and_then(|k| row.get(k).map(|c| (k, c)))
                .filter(|(_, c)| !c.is_empty())
        };
        let offset = |column: Option<usize>| -> Result<Option<f64>, ReadError> {
            cell(column)
                .map(|(k, c)| {
                    c.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite() && v.abs() <= MAX_OFFSET)
                        .ok_or_else(|| {
                            bad(
                                k,
                                &format!(
                                    "an offset in page px between -{MAX_OFFSET} and {MAX_OFFSET}"
                                ),
                                c,
                            )
                        })
                })
                .transpose()
        };
        let (dx, dy) = (offset(dx)?, offset(dy)?);
        let hand = LabelHand {
            text: text(label),
            offset: (dx.is_some() || dy.is_some()).then(|| (dx.unwrap_or(0.0), dy.unwrap_or(0.0))),
            anchor: cell(anchor)
                .map(|(k, c)| match c.to_lowercase().as_str() {
                    "start" => Ok(Anchor::Start),
                    "middle" => Ok(Anchor::Middle),
                    "end" => Ok(Anchor::End),
                    _ => Err(bad(k, "`start`, `middle` or `end`", c)),
                })
                .transpose()?,
            priority: cell(priority)
                .map(|(k, c)| {
                    c.parse::<i32>()
                        .map_err(|_| bad(k, "a whole number (higher is placed first)", c))
                })
                .transpose()?
                .unwrap_or(0),
            hidden: cell(hide_label)
                .map(|(k, c)| match c.to_lowercase().as_str() {
                    "true" | "1" | "yes" => Ok(true),
                    "false" | "0" | "no" => Ok(false),
                    _ => Err(bad(k, "true, false, 1, 0, yes or no", c)),
                })
                .transpose()?
                .unwrap_or(false),
        };
        places.push(Place {
            name: row.get(name).unwrap_or("").to_string(),
            lon: number(lon, "longitude", 180.0)?,
            lat: number(lat, "latitude", 90.0)?,
            kind: text(kind),
            district: text(district),
            province: text(province),
            line,
            hand,
        });
    }
    Ok(places)
}
