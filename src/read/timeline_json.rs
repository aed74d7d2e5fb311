//! The JSON timeline reader: an array of flat records, or a GeoJSON-like FeatureCollection
//! whose features' `properties` are the records (their geometry is ignored).
//!
//! Each record becomes a row of cells under the union of the records' keys, in order of first
//! appearance; from there the timeline is built exactly as from a CSV file
//! ([`timeline_csv::from_table`]), so columns, dates and the wide layout work the same way.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::ReadError;
use super::geojson::json_error;
use super::timeline_csv::{self, Origin, Table, TimelineOptions};
use crate::timeline::Timeline;

/// Reads a JSON timeline from the file's bytes (without a BOM).
///
/// A value in a record may be a string (taken as is), a number (as written, an integer
/// without `.0`), `true`/`false`, or `null` (an empty cell); a nested object or array is an
/// error. Messages name a record by its number from 1 and the line it starts on.
pub(super) fn read(
    path: &Path,
    bytes: &[u8],
    options: &TimelineOptions,
) -> Result<Timeline, ReadError> {
    // serde_json's recursion limit (128) turns deeply nested input into an error, not a
    // stack overflow.
    let top: Shape<Collection> = serde_json::from_slice(bytes).map_err(|e| json_error(path, &e))?;
    let (items, key) = match top {
        Shape::Array(records) => (records.into_iter().map(Item::Record).collect(), None),
        Shape::Object(collection) => (collection.items(path)?, Some("features")),
        Shape::Other(found) => {
            return Err(ReadError::invalid(
                path,
                "top level",
                format!("an array of records or a FeatureCollection, found {found}"),
            ));
        }
    };
    if items.is_empty() {
        let place = key.map_or("top-level array".to_string(), |k| format!("`{k}`"));
        return Err(ReadError::invalid(
            path,
            place,
            "at least one record, found an empty array",
        ));
    }
    let lines = element_lines(bytes, key);

    // Headers as the records bring them.
    let mut table = Table::new(Origin::Json, Vec::new(), Vec::new());
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, item) in items.into_iter().enumerate() {
        // The scanner finds every element of a document serde_json accepted; 0 is a fallback
        // that should never show.
        let line = lines.get(i).copied().unwrap_or(0);
        let place = format!("record {} (line {line})", i + 1);
        let entries = item.entries(path, &place)?;
        let mut cells = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let text = cell_text(&value).ok_or_else(|| {
                ReadError::invalid(
                    path,
                    format!("{place}, key `{key}`"),
                    format!(
                        "a string, number, true/false or null, found {}",
                        kind(&value)
                    ),
                )
            })?;
            let c = match columns.get(&key) {
                Some(&c) => c,
                None => {
                    table
                        .header_places
                        .push(format!("key `{key}` (first in {place})"));
                    columns.insert(key.clone(), table.headers.len());
                    table.headers.push(key);
                    table.headers.len() - 1
                }
            };
            cells.push((c, text));
        }
        // Sorted by header, and of a key repeated within a record the last one kept (as
        // serde_json would): reversed, a stable sort puts it first, and dedup keeps the first.
        cells.reverse();
        cells.sort_by_key(|(c, _)| *c);
        cells.dedup_by_key(|(c, _)| *c);
        table.push_row(line, cells.iter().map(|(c, text)| (*c, text.as_str())));
    }
    timeline_csv::from_table(path, table, options)
}

/// A value's text as a cell; `None` for a nested object or array.
fn cell_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(number_text(n)),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// A number as written, except that a whole number is written without `.0` (`1.0` and `1e0`
/// are `1`), so that `--map 1=taliban` matches however the file spells it.
fn number_text(n: &serde_json::Number) -> String {
    // Beyond 2^53 a float no longer holds every whole number exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < EXACT => (f as i64).to_string(),
        _ => n.to_string(),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The 1-based line on which each element of the records array starts: the top-level array,
/// or with `key`, the array under that key of the top-level object.
///
/// serde_json gives positions only in its errors, never for the values it parsed, so the
/// lines come from a second pass over the bytes. The document has already parsed, so this
/// scanner can take it to be valid JSON: it needs only to skip strings (where brackets,
/// commas and escaped quotes are text) and to count nesting and line feeds. It keeps no stack,
/// so any depth is fine.
fn element_lines(bytes: &[u8], key: Option<&str>) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    // The depth of the records array's elements, once it is open.
    let mut inside = None;
    let mut expect_element = false;
    // Just after `"key":` in the top-level object.
    let mut at_key = false;
    let mut last_string = &bytes[..0];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        } else if !b.is_ascii_whitespace() {
            if expect_element && inside == Some(depth) && b != b']' {
                lines.push(line);
                expect_element = false;
            }
            let after_key = std::mem::take(&mut at_key);
            match b {
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        // An escape's second byte is never the closing quote.
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    last_string = &bytes[start..(i + 1).min(bytes.len())];
                }
                b':' => {
                    at_key = depth == 1
                        && key.is_some_and(|k| {
                            serde_json::from_slice::<String>(last_string).is_ok_and(|s| s == k)
                        });
                }
                b'[' | b'{' => {
                    let opens_records = b == b'['
                        && inside.is_none()
                        && match key {
                            None => depth == 0,
                            Some(_) => after_key,
                        };
                    depth += 1;
                    if opens_records {
                        inside = Some(depth);
                        expect_element = true;
                    }
                }
                b']' | b'}' => {
                    if inside == Some(depth) {
                        break;
                    }
                    depth = depth.saturating_sub(1);
                }
                b',' if inside == Some(depth) => expect_element = true,
                _ => {}
            }
        }
        i += 1;
    }
    lines
}

/// One element of the records array: a record, or a feature holding one.
enum Item {
    Record(Shape<Entries>),
    Feature(Shape<Feature>),
}

impl Item {
    /// The record's keys and values, or why there are none; `place` names the record.
    fn entries(self, path: &Path, place: &str) -> Result<Vec<(String, Value)>, ReadError> {
        let not = |what: &str, found: &str| {
            ReadError::invalid(path, place, format!("{what}, found {found}"))
        };
        match self {
            Item::Record(Shape::Object(Entries(entries))) => Ok(entries),
            Item::Record(other) => Err(not("an object of keys and values", other.kind())),
            Item::Feature(Shape::Object(Feature { properties })) => match properties {
                Some(Shape::Object(Entries(entries))) => Ok(entries),
                Some(other) => Err(not("a feature with a `properties` object", other.kind())),
                None => Err(not("a feature with a `properties` object", "none")),
            },
            Item::Feature(other) => Err(not("a feature object", other.kind())),
        }
    }
}

/// A JSON value where an object is wanted: the object, read by `M`; an array, its elements
/// read as records (a top-level array is the records); or what else was found.
enum Shape<M> {
    Object(M),
    Array(Vec<Shape<Entries>>),
    Other(&'static str),
}

impl<M> Shape<M> {
    fn kind(&self) -> &'static str {
        match self {
            Shape::Object(_) => "an object",
            Shape::Array(_) => "an array",
            Shape::Other(found) => found,
        }
    }
}

/// How an object is read, for [`Shape`].
trait FromMap<'de>: Sized {
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// A record: its keys and values in file order (serde_json's own map sorts its keys, and
/// the order of first appearance is the order of the headers).
struct Entries(Vec<(String, Value)>);

impl<'de> FromMap<'de> for Entries {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Entries(entries))
    }
}

/// A feature: only its properties matter.
struct Feature {
    properties: Option<Shape<Entries>>,
}

impl<'de> FromMap<'de> for Feature {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut properties = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "properties" {
                map.next_value::<IgnoredAny>()?;
            } else if properties.is_some() {
                return Err(de::Error::duplicate_field("properties"));
            } else {
                properties = Some(map.next_value()?);
            }
        }
        Ok(Feature { properties })
    }
}

/// A top-level object, which must be a FeatureCollection.
struct Collection {
    kind: Option<Value>,
    features: Option<Vec<Shape<Feature>>>,
}

impl Collection {
    fn items(self, path: &Path) -> Result<Vec<Item>, ReadError> {
        let place = "top-level object";
        match &self.kind {
            None => {}
            Some(Value::String(kind)) if kind == "FeatureCollection" => {}
            Some(other) => {
                return Err(ReadError::invalid(
                    path,
                    place,
                    format!("a FeatureCollection (or an array of records), found the type {other}"),
                ));
            }
        }
        let features = self.features.ok_or_else(|| {
            ReadError::invalid(
                path,
                place,
                "a FeatureCollection with a `features` array (or an array of records), found \
                 no `features`",
            )
        })?;
        Ok(features.into_iter().map(Item::Feature).collect())
    }
}

impl<'de> FromMap<'de> for Collection {
    fn from_map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let (mut kind, mut features) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" if kind.is_none() => kind = Some(map.next_value()?),
                "features" if features.is_none() => features = Some(map.next_value()?),
                "type" => return Err(de::Error::duplicate_field("type")),
                "features" => return Err(de::Error::duplicate_field("features")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Collection { kind, features })
    }
}

impl<'de, M: FromMap<'de>> Deserialize<'de> for Shape<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor(PhantomData))
    }
}

struct ShapeVisitor<M>(PhantomData<M>);

impl<'de, M: FromMap<'de>> Visitor<'de> for ShapeVisitor<M> {
    type Value = Shape<M>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        M::from_map(map).map(Shape::Object)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut elements = Vec::new();
        while let Some(element) = seq.next_element()? {
            elements.push(element);
        }
        Ok(Shape::Array(elements))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Shape::Other("true or false"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Shape::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Shape::Other("a string"))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Shape::Other("null"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{DateFormat, read_timeline, read_timelines};
    use crate::timeline::Date;

    fn write(content: &[u8]) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(content).unwrap();
        file
    }

    fn read(content: &str) -> Result<Timeline, ReadError> {
        read_timeline(
            write(content.as_bytes()).path(),
            &TimelineOptions::default(),
        )
    }

    fn message(result: Result<Timeline, ReadError>) -> String {
        result.expect_err("expected an error").to_string()
    }

    fn date(s: &str) -> Option<Date> {
        Some(Date::parse_iso(s).unwrap())
    }

    #[test]
    fn array_of_records() {
        let t = read(
            r#"[
  {"district": "Ab Band", "date": "2021-05-11", "status": "0"},
  {"district": "Ab Band", "date": "2021-06-20", "status": 1, "note": "Tolo"},
  {"province": "Badakhshan", "district": "Argo", "date": "2021-06-20", "status": 2.0}
]"#,
        )
        .unwrap();
        let columns = &t.files[0].columns;
        assert_eq!(columns.district.as_deref(), Some("district"));
        assert_eq!(columns.date.as_deref(), Some("date"));
        assert_eq!(columns.status, "status");
        assert_eq!(columns.note.as_deref(), Some("note"));
        assert_eq!(columns.province.as_deref(), Some("province"));
        assert!(!columns.wide);
        let values: Vec<&str> = t.records.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(values, ["0", "1", "2"]);
        assert_eq!(t.records[1].date, date("2021-06-20"));
        assert_eq!(t.records[1].note.as_deref(), Some("Tolo"));
        assert_eq!(t.records[0].province, None);
        assert_eq!(t.records[2].province.as_deref(), Some("Badakhshan"));
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4]);
    }

    #[test]
    fn values_become_cells() {
        let t = read(
            r#"[{"name": "A", "status": true, "n": 1e2, "x": -0.5, "big": 12345678901234567890, "gone": null}]"#,
        )
        .unwrap();
        assert_eq!(t.records[0].value, "true");
        assert_eq!(
            number_text(&serde_json::json!(1e2).as_number().unwrap().clone()),
            "100"
        );
        assert_eq!(
            number_text(&serde_json::json!(-0.5).as_number().unwrap().clone()),
            "-0.5"
        );
        let big: serde_json::Number = serde_json::from_str("12345678901234567890").unwrap();
        assert_eq!(number_text(&big), "12345678901234567890");
        let huge: serde_json::Number = serde_json::from_str("1e300").unwrap();
        assert_eq!(number_text(&huge), "1e+300");
        // null is an empty cell: an empty status is an error like an empty CSV cell.
        let err = message(read(r#"[{"name": "A", "status": null}]"#));
        assert!(
            err.contains("record 1 (line 1), key `status`") && err.contains("empty"),
            "{err}"
        );
    }

    #[test]
    fn feature_collection_ignores_geometry() {
        let t = read(
            r#"{"type": "FeatureCollection",
 "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [65, 34]},
   "properties": {"ADM2_EN": "Argo", "ADM1_EN": "Badakhshan", "Control Under": "Contested"}},
  {"type": "Feature", "properties": {"ADM2_EN": "Kabul", "ADM1_EN": "Kabul", "Control Under": "Government"},
   "geometry": null}
 ]}"#,
        )
        .unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.files[0].columns.district.as_deref(), Some("ADM2_EN"));
        assert_eq!(t.files[0].columns.status, "Control Under");
        assert_eq!(t.records[1].district, "Kabul");
        assert_eq!(t.records[0].date, None);
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn record_lines_skip_strings_escapes_and_nesting() {
        // Brackets, braces, commas and escaped quotes inside strings; nested values in
        // features; a key spelled with an escape; records sharing a line.
        let text = "{\"bbox\": [1, 2],\n \"crs\": {\"features\": [\"not these\"]},\n \"type\": \"FeatureCollection\",\n \"feat\\u0075res\":\n\n[\n {\"geometry\": {\"a\": [[1], {\"b\": \"]}\\\",\"}]},\n  \"properties\": {\"name\": \"A [1], {\\\"x\\\"}\", \"status\": \"1\"}},\n\n\n {\"properties\": {\"name\": \"B\", \"status\": \"0\"}}, {\"properties\": {\"name\": \"C\", \"status\": \"0\"}}\n]}";
        let t = read(text).unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [7, 11, 11]);
        assert_eq!(t.records[0].district, "A [1], {\"x\"}");

        let t = read(
            "\n\n  [{\"name\": \"A\",\n\"status\": 1}\n,\n\n{\"name\": \"B\", \"status\": 0}]",
        )
        .unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 7]);
    }

    #[test]
    fn errors_name_the_record_and_line() {
        let err = message(read(
            "[\n{\"name\": \"A\", \"status\": 1},\n{\"name\": \"B\", \"status\": {\"x\": 1}}\n]",
        ));
        assert!(
            err.contains("record 2 (line 3), key `status`") && err.contains("found an object"),
            "{err}"
        );
        let err = message(read("[{\"name\": \"A\", \"status\": [1]}]"));
        assert!(
            err.contains("key `status`") && err.contains("an array"),
            "{err}"
        );
        let err = message(read("[{\"name\": \"A\", \"status\": 1},\n 7]"));
        assert!(
            err.contains("record 2 (line 2)") && err.contains("a number"),
            "{err}"
        );
        let err = message(read(
            "[{\"name\": \"A\", \"date\": \"2021-13-01\", \"status\": 1}]",
        ));
        assert!(
            err.contains("record 1 (line 1), key `date`") && err.contains("2021-13-01"),
            "{err}"
        );
        let err = message(read("[{\"name\": \"\", \"status\": 1}]"));
        assert!(err.contains("record 1 (line 1), key `name`"), "{err}");
    }

    #[test]
    fn other_shapes_are_clear_errors() {
        for (text, needles) in [
            ("[]", &["top-level array", "at least one record"][..]),
            (
                "{\"type\": \"FeatureCollection\", \"features\": []}",
                &["`features`", "at least one record"],
            ),
            (
                "{\"type\": \"FeatureCollection\"}",
                &["top-level object", "no `features`"],
            ),
            (
                "{\"district\": \"A\", \"status\": 1}",
                &["top-level object", "no `features`"],
            ),
            (
                "{\"type\": \"Topology\", \"features\": []}",
                &["top-level object", "Topology"],
            ),
            (
                "{\"features\": [{\"geometry\": null}]}",
                &["record 1 (line 1)", "`properties`"],
            ),
            (
                "{\"features\": [{\"properties\": null}]}",
                &["record 1 (line 1)", "found null"],
            ),
            (
                "{\"features\": [\"x\"]}",
                &["record 1 (line 1)", "a feature object, found a string"],
            ),
            (
                "{\"features\": [{\"properties\": {}, \"properties\": {}}]}",
                &["duplicate field"],
            ),
            (
                "[{\"name\": \"A\", \"status\": 1}",
                &["line 1, column", "EOF"],
            ),
            ("[{\"place\": \"A\", \"status\": 1}]", &["district"]),
        ] {
            let err = message(read(text));
            for needle in needles {
                assert!(err.contains(needle), "{text}: {needle:?} not in {err}");
            }
        }
        // A top-level scalar is sniffed as CSV (it does not start with `[` or `{`); the JSON
        // reader refuses it too.
        let err = message(read("42"));
        assert!(err.contains("at least one row after the header"), "{err}");
        let err = message(super::read(Path::new("x.json"), b"42", &Default::default()));
        assert!(
            err.contains("x.json: top level") && err.contains("found a number"),
            "{err}"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let err = message(read(&"[".repeat(100_000)));
        assert!(err.contains("recursion limit"), "{err}");
        let err = message(read(&"[{\"name\": ".repeat(100_000)));
        assert!(err.contains("recursion limit"), "{err}");
        // Under a key that is skipped, serde_json skips without recursing.
        let err = message(read(&format!("{{\"x\": {}", "{\"a\": ".repeat(100_000))));
        assert!(err.contains("EOF"), "{err}");
        // Deep nesting inside an ignored geometry is skipped without recursion.
        let deep = format!(
            "{{\"features\": [{{\"geometry\": {}1{}, \"properties\": {{\"name\": \"A\", \"status\": 1}}}}]}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(read(&deep).is_ok() || message(read(&deep)).contains("recursion limit"));
    }

    #[test]
    fn repeated_keys_and_records_with_their_own_keys() {
        let t = read(r#"[{"name": "A", "status": 1, "status": 2, "name": "B"}]"#).unwrap();
        assert_eq!(
            (t.records[0].district.as_str(), t.records[0].value.as_str()),
            ("B", "2")
        );
        // 20,000 records, each with a key of its own: the cells stay one per value (a dense
        // table would hold 400 million), and the first unknown key is named.
        let mut text = String::from("[{\"name\": \"A\", \"2021-01-01\": 1}");
        for i in 0..20_000 {
            text.push_str(&format!(",\n{{\"name\": \"A\", \"k{i}\": 1}}"));
        }
        text.push(']');
        let err = message(read(&text));
        assert!(
            err.contains("key `k0` (first in record 2 (line 2))"),
            "{err}"
        );
        // The same with a date of its own in each record: a wide file of 20,000 dates.
        let mut text = String::from("[");
        let mut day = Date::parse_iso("2000-01-01").unwrap();
        for i in 0..20_000 {
            let comma = if i == 0 { "" } else { "," };
            text.push_str(&format!("{comma}{{\"name\": \"A\", \"{day}\": 1}}"));
            day = day.next().unwrap();
        }
        text.push(']');
        let t = read(&text).unwrap();
        assert_eq!((t.records.len(), t.dates().len()), (20_000, 20_000));
    }

    #[test]
    fn bom_and_leading_space_still_mean_json() {
        let t = read("\u{feff}\r\n  [{\"name\": \"A\", \"status\": 1}]").unwrap();
        assert_eq!(t.records[0].district, "A");
        assert_eq!(t.records[0].line, 2);
    }

    #[test]
    fn wide_json_records() {
        let t = read(
            r#"[{"district": "A", "5/11/2021": 0, "6/20/2021": 1},
 {"district": "B", "6/20/2021": 1}]"#,
        )
        .unwrap();
        assert!(t.files[0].columns.wide);
        assert_eq!(t.files[0].columns.status, "5/11/2021");
        assert_eq!(t.records.len(), 3);
        assert_eq!(t.records[2].line, 2);
        let err = message(read(r#"[{"district": "A", "2021-05-11": 0, "extra": 1}]"#));
        assert!(
            err.contains("key `extra` (first in record 1 (line 1))"),
            "{err}"
        );
        let err = message(read(r#"[{"district": "A", "5/6/2021": 0, "6/5/2021": 1}]"#));
        assert!(err.contains("--date-format"), "{err}");
        let file = write(br#"[{"district": "A", "5/6/2021": 0, "6/5/2021": 1}]"#);
        let options = TimelineOptions {
            date_format: Some(DateFormat::Dmy),
            ..Default::default()
        };
        let t = read_timeline(file.path(), &options).unwrap();
        assert_eq!(t.records[0].date, date("2021-06-05"));
    }

    #[test]
    fn merged_files_keep_their_indices() {
        let a = write(b"district,date,status\nA,2021-05-01,1\nB,2021-05-01,0\n");
        let b = write(b"[{\"district\": \"A\", \"date\": \"2021-06-01\", \"status\": 0}]");
        let c = write(b"district,2021-07-01\nB,1\n");
        let paths = [a.path(), b.path(), c.path()].map(|p| p.to_path_buf());
        let t = read_timelines(&paths, &TimelineOptions::default()).unwrap();
        assert_eq!(t.files.len(), 3);
        assert!(t.files[2].columns.wide);
        let got: Vec<(usize, u64, &str)> = t
            .records
            .iter()
            .map(|r| (r.file, r.line, r.district.as_str()))
            .collect();
        assert_eq!(got, [(0, 2, "A"), (0, 3, "B"), (1, 1, "A"), (2, 2, "B")]);
        assert_eq!(t.path_of(&t.records[2]), b.path());
        assert!(matches!(
            read_timelines(&[], &TimelineOptions::default()),
            Err(ReadError::NoTimeline)
        ));
        // The first failing file is named.
        let bad = write(b"[]");
        let paths = [a.path().to_path_buf(), bad.path().to_path_buf()];
        let err = read_timelines(&paths, &TimelineOptions::default()).unwrap_err();
        assert!(err.to_string().contains(&bad.path().display().to_string()));
    }

    #[test]
    fn element_lines_of_a_valid_document() {
        assert_eq!(element_lines(b"[1,\n2,\n\n3]", None), [1, 2, 4]);
        assert_eq!(element_lines(b"[]", None), Vec::<u64>::new());
        assert_eq!(
            element_lines(
                b"{\"x\": [1], \"features\"\n:\n[ {}, \n{} ]}",
                Some("features")
            ),
            [3, 4]
        );
    }
}
