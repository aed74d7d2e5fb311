//! The GeoJSON reader, plus the property helpers the TopoJSON reader shares.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use ::geojson::{Geometry, GeometryValue, Position};
use geo::{Coord, MultiPolygon, Polygon};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::crs::{CrsOrigin, SourceCrs};
use super::geometry::{self, GeometryOptions, Rings};
use super::{BoundaryFormat, Feature, Layer, ReadError};

/// The top-level object: a FeatureCollection, or a single Feature.
///
/// Features are read into our own structs rather than `geojson::Feature` so that property
/// order survives (serde_json's map is sorted) and so that geometry errors can name the feature.
#[derive(Deserialize)]
struct RawObject {
    #[serde(rename = "type")]
    kind: Option<Value>,
    features: Option<Vec<RawFeature>>,
    id: Option<Value>,
    properties: Option<OrderedMap<Value>>,
    geometry: Option<Value>,
    /// The 2008 GeoJSON `crs` member (RFC 7946 dropped it; GDAL and QGIS still write it).
    crs: Option<Value>,
}

#[derive(Deserialize)]
struct RawFeature {
    #[serde(rename = "type")]
    kind: Option<Value>,
    id: Option<Value>,
    properties: Option<OrderedMap<Value>>,
    geometry: Option<Value>,
}

/// A JSON object whose keys keep their order in the file.
pub(super) struct OrderedMap<T>(pub(super) Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrderedMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = OrderedMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, T>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

/// Field names in first-seen order.
#[derive(Default)]
pub(super) struct FieldOrder {
    names: Vec<String>,
    seen: HashSet<String>,
}

impl FieldOrder {
    fn note(&mut self, name: &str) {
        if !self.seen.contains(name) {
            self.seen.insert(name.to_string());
            self.names.push(name.to_string());
        }
    }

    pub(super) fn into_names(self) -> Vec<String> {
        self.names
    }
}

/// A property value as text: strings as-is, numbers as serde_json prints them, null as "",
/// objects and arrays as compact JSON.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Renders a feature's properties as text; a feature-level `id` becomes the property `id`
/// unless a property of that name exists.
pub(super) fn properties_text(
    properties: Option<OrderedMap<Value>>,
    id: Option<&Value>,
    fields: &mut FieldOrder,
) -> BTreeMap<String, String> {
    let entries = properties.map(|p| p.0).unwrap_or_default();
    let has_id_property = entries.iter().any(|(key, _)| key == "id");
    let mut out = BTreeMap::new();
    if let Some(id) = id.filter(|_| !has_id_property) {
        fields.note("id");
        out.insert("id".to_string(), value_text(id));
    }
    for (key, value) in entries {
        fields.note(&key);
        out.insert(key, value_text(&value));
    }
    out
}

/// Splits a serde_json error into its place ("line 1, column 5000") and its message.
pub(super) fn json_error(path: &Path, error: &serde_json::Error) -> ReadError {
    if error.line() == 0 {
        return ReadError::invalid(path, "JSON", error.to_string());
    }
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    ReadError::invalid(
        path,
        format!("line {}, column {}", error.line(), error.column()),
        message,
    )
}

/// Reads a GeoJSON FeatureCollection (or a single Feature) of Polygon / MultiPolygon features.
pub(super) fn read(path: &Path, text: &str, options: &GeometryOptions) -> Result<Layer, ReadError> {
    let root: RawObject = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    let declared = root
        .crs
        .as_ref()
        .map(|c| crs_member(c).map_err(|e| ReadError::invalid(path, "crs", e)))
        .transpose()?;
    let crs_label = options
        .source_crs
        .as_ref()
        .or(declared.as_ref())
        .map(ToString::to_string);
    let mut rings = Rings::new(path, options, declared);
    let kind = root
        .kind
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_owned);
    let raw_features = match (kind.as_deref(), root.features) {
        (Some("FeatureCollection"), Some(features)) => features,
        (Some("FeatureCollection"), None) => {
            return Err(ReadError::invalid(
                path,
                "FeatureCollection",
                "expected a `features` array",
            ));
        }
        (Some("Feature"), _) => vec![RawFeature {
            kind: root.kind,
            id: root.id,
            properties: root.properties,
            geometry: root.geometry,
        }],
        _ => {
            let found = root.kind.as_ref().map_or("no type".to_string(), value_text);
            return Err(ReadError::invalid(
                path,
                "top-level object",
                format!("expected a GeoJSON FeatureCollection or Feature, found {found}"),
            ));
        }
    };
    let mut fields = FieldOrder::default();
    let mut features = Vec::with_capacity(raw_features.len());
    for (index, raw) in raw_features.into_iter().enumerate() {
        let place = format!("feature {index}");
        match &raw.kind {
            None => {}
            Some(Value::String(kind)) if kind == "Feature" => {}
            Some(other) => {
                return Err(ReadError::invalid(
                    path,
                    place,
                    format!("expected a Feature, found {}", value_text(other)),
                ));
            }
        }
        let geometry = match raw.geometry {
            None | Some(Value::Null) => MultiPolygon::new(Vec::new()),
            Some(value) => {
                let geometry: Geometry = serde_json::from_value(value).map_err(|e| {
                    ReadError::invalid(path, &place, format!("invalid geometry: {e}"))
                })?;
                to_multi_polygon(&geometry.value, index, &place, &mut rings)?
            }
        };
        let properties = properties_text(raw.properties, raw.id.as_ref(), &mut fields);
        features.push(Feature {
            index,
            properties,
            geometry,
        });
    }
    let repairs = rings.finish()?;
    Ok(Layer {
        path: path.to_path_buf(),
        format: BoundaryFormat::GeoJson,
        layer: None,
        other_layers: Vec::new(),
        fields: fields.into_names(),
        features,
        notes: super::ReadNotes {
            repairs,
            crs: crs_label,
            ..super::ReadNotes::default()
        },
    })
}

/// The CRS a 2008-style `crs` member names: `{"type": "name", "properties": {"name":
/// "urn:ogc:def:crs:EPSG::32642"}}` (or `EPSG:32642`, CRS84), or the older `{"type": "EPSG",
/// "properties": {"code": 32642}}`. A `link` to a file is not followed.
fn crs_member(value: &Value) -> Result<SourceCrs, String> {
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    let properties = value.get("properties");
    let text = match kind.to_ascii_lowercase().as_str() {
        "name" => properties
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        "epsg" => properties
            .and_then(|p| p.get("code"))
            .map(|c| format!("EPSG:{}", value_text(c))),
        _ => None,
    };
    let text = text.ok_or_else(|| {
        format!(
            "expected {{\"type\": \"name\", \"properties\": {{\"name\": \"EPSG:NNNN\"}}}}, found {value}; \
             give the CRS with --source-crs instead"
        )
    })?;
    SourceCrs::parse(&text, CrsOrigin::GeoJsonMember)
}

fn to_multi_polygon(
    value: &GeometryValue,
    feature: usize,
    place: &str,
    rings: &mut Rings<'_>,
) -> Result<MultiPolygon<f64>, ReadError> {
    let polygons = match value {
        GeometryValue::Polygon { coordinates } => {
            vec![to_polygon(coordinates, feature, place, "", rings)?]
        }
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter()
            .enumerate()
            .map(|(k, p)| to_polygon(p, feature, place, &format!("polygon {k}, "), rings))
            .collect::<Result<Vec<_>, _>>()?,
        other => {
            return Err(ReadError::invalid(
                rings.path(),
                place,
                format!(
                    "expected a Polygon or MultiPolygon geometry, found {}",
                    other.type_name()
                ),
            ));
        }
    };
    Ok(geometry::multi(polygons))
}

/// `None` for a polygon with no rings (GeoJSON allows it as an empty geometry), or one whose
/// outer ring was dropped. `polygon` is `polygon 3, ` in a MultiPolygon, empty in a Polygon.
fn to_polygon(
    rings: &[Vec<Position>],
    feature: usize,
    place: &str,
    polygon: &str,
    checker: &mut Rings<'_>,
) -> Result<Option<Polygon<f64>>, ReadError> {
    let mut checked = Vec::with_capacity(rings.len());
    for (k, ring) in rings.iter().enumerate() {
        let mut coords = Vec::with_capacity(ring.len());
        for (p, position) in ring.iter().enumerate() {
            match position.as_slice() {
                [x, y, ..] => coords.push(Coord { x: *x, y: *y }),
                short => {
                    return Err(ReadError::invalid(
                        checker.path(),
                        place,
                        format!(
                            "{polygon}ring {k}, position {p}: expected [x, y], found {} numbers",
                            short.len()
                        ),
                    ));
                }
            }
        }
        checked.push(checker.ring(feature, place, &format!("{polygon}ring {k}"), coords)?);
    }
    let polygon_place = polygon.trim_end_matches(", ");
    let polygon_place = if polygon_place.is_empty() {
        "the polygon"
    } else {
        polygon_place
    };
    Ok(geometry::polygon_from_rings(
        checked,
        feature,
        place,
        polygon_place,
        checker,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BoundingRect};

    fn read_str(text: &str) -> Result<Layer, ReadError> {
        read(Path::new("test.geojson"), text, &GeometryOptions::default())
    }

    fn message(result: Result<Layer, ReadError>) -> String {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    const WITH_HOLE: &str = r#"{
      "type": "FeatureCollection",
      "features": [
        {"type": "Feature", "id": 7,
         "properties": {"NAME": "Square", "code": 12.5, "flag": true, "none": null,
                        "nested": {"a": [1, 2]}, "count": 3},
         "geometry": {"type": "Polygon", "coordinates": [
           [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
           [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]]}},
        {"type": "Feature", "id": "x",
         "properties": {"id": "own", "NAME": "Two", "extra": "e"},
         "geometry": {"type": "MultiPolygon", "coordinates": [
           [[[20, 0], [21, 0], [21, 1], [20, 0]]],
           [[[30, 0], [31, 0], [31, 1], [30, 0]]]]}},
        {"type": "Feature", "properties": {"NAME": "Nothing"}, "geometry": null}
      ]
    }"#;

    #[test]
    fn reads_polygon_with_hole_and_properties() {
        let layer = read_str(WITH_HOLE).unwrap();
        assert_eq!(layer.format, BoundaryFormat::GeoJson);
        assert_eq!(layer.features.len(), 3);
        assert_eq!(
            layer.fields,
            [
                "id", "NAME", "code", "flag", "none", "nested", "count", "extra"
            ]
        );
        let first = &layer.features[0];
        assert_eq!(first.properties["id"], "7");
        assert_eq!(first.properties["code"], "12.5");
        assert_eq!(first.properties["flag"], "true");
        assert_eq!(first.properties["none"], "");
        assert_eq!(first.properties["nested"], r#"{"a":[1,2]}"#);
        assert_eq!(first.geometry.0.len(), 1);
        assert_eq!(first.geometry.0[0].interiors().len(), 1);
        assert_eq!(first.geometry.unsigned_area(), 96.0);
        let second = &layer.features[1];
        assert_eq!(second.properties["id"], "own", "a property `id` wins");
        assert_eq!(second.geometry.0.len(), 2);
        let third = &layer.features[2];
        assert_eq!(third.index, 2);
        assert!(third.geometry.0.is_empty(), "null geometry is kept, empty");
    }

    #[test]
    fn reads_single_feature() {
        let text = r#"{"type": "Feature", "properties": {"name": "A"},
            "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}"#;
        let layer = read_str(text).unwrap();
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.fields, ["name"]);
    }

    #[test]
    fn truncated_json_names_line_and_column() {
        let cut = WITH_HOLE.get(..200).unwrap();
        let msg = message(read_str(cut));
        assert!(msg.starts_with("test.geojson: line "), "{msg}");
        assert!(msg.contains("EOF while parsing"), "{msg}");
        assert!(!msg.contains(" at line "), "position given once: {msg}");
    }

    #[test]
    fn nan_literal_is_a_syntax_error() {
        let text = r#"{"type": "Feature", "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[0,0],[NaN,0],[1,1],[0,0]]]}}"#;
        let msg = message(read_str(text));
        assert!(msg.contains("line 2, column"), "{msg}");
    }

    #[test]
    fn nan_coordinate_is_rejected() {
        let geometry =
            GeometryValue::new_polygon([[[0.0, 0.0], [f64::NAN, 0.0], [1.0, 1.0], [0.0, 0.0]]]);
        let options = GeometryOptions::default();
        let mut rings = Rings::new(Path::new("t.geojson"), &options, None);
        let err = to_multi_polygon(&geometry, 0, "feature 0", &mut rings)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ring 0, position 1: expected finite"), "{err}");
        let geometry = GeometryValue::new_polygon([[
            [0.0, 0.0],
            [1.0, f64::INFINITY],
            [1.0, 1.0],
            [0.0, 0.0],
        ]]);
        assert!(to_multi_polygon(&geometry, 0, "feature 0", &mut rings).is_err());
    }

    #[test]
    fn wrong_geometry_type_names_feature() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {},
             "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type": "Feature", "properties": {},
             "geometry": {"type": "LineString", "coordinates": [[0,0],[1,1]]}}]}"#;
        let msg = message(read_str(text));
        assert_eq!(
            msg,
            "test.geojson: feature 1: expected a Polygon or MultiPolygon geometry, found LineString"
        );
        let point = text.replace(
            r#""LineString", "coordinates": [[0,0],[1,1]]"#,
            r#""Point", "coordinates": [0,0]"#,
        );
        assert!(message(read_str(&point)).contains("feature 1:"));
        assert!(message(read_str(&point)).contains("found Point"));
        let collection = text.replace(
            r#""LineString", "coordinates": [[0,0],[1,1]]"#,
            r#""GeometryCollection", "geometries": []"#,
        );
        assert!(message(read_str(&collection)).contains("found GeometryCollection"));
    }

    #[test]
    fn short_ring_is_dropped_with_a_repair_naming_it() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {},
             "geometry": {"type": "MultiPolygon", "coordinates": [
               [[[0,0],[1,0],[0,0]]],
               [[[0,0],[1,0],[1,1],[0,0]], [[0.2,0.1],[0.3,0.1]]]]}}]}"#;
        let layer = read_str(text).unwrap();
        assert_eq!(layer.features[0].geometry.0.len(), 1);
        assert!(layer.features[0].geometry.0[0].interiors().is_empty());
        let repairs: Vec<String> = layer
            .notes
            .repairs
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            repairs,
            [
                "feature 0: polygon 0, ring 0: 3 positions (a ring needs at least 4), dropped; \
              polygon 1, ring 1: 2 positions (a ring needs at least 4), dropped"
            ]
        );
        let strict = GeometryOptions {
            strict: true,
            ..GeometryOptions::default()
        };
        let msg = message(read(Path::new("test.geojson"), text, &strict));
        assert!(
            msg.contains("feature 0, polygon 0, ring 0: 3 positions"),
            "{msg}"
        );
    }

    #[test]
    fn crs_member_reprojects() {
        // Two UTM 42N corners (metres) of a 10 km square near 69°E.
        let text = r#"{"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}},
            "features": [{"type": "Feature", "properties": {"name": "A"},
             "geometry": {"type": "Polygon", "coordinates": [[[500000,3800000],[510000,3800000],
               [510000,3810000],[500000,3810000],[500000,3800000]]]}}]}"#;
        let layer = read_str(text).unwrap();
        let first = layer.features[0].geometry.0[0].exterior().0[0];
        assert!(
            (first.x - 69.0).abs() < 1e-9 && (first.y - 34.34).abs() < 0.01,
            "{first:?}"
        );
        assert_eq!(
            layer.notes.crs.as_deref(),
            Some("EPSG:32642 (the GeoJSON `crs` member)")
        );
        let bad = text.replace("urn:ogc:def:crs:EPSG::32642", "EPSG:99999");
        let msg = message(read_str(&bad));
        assert!(
            msg.starts_with("test.geojson: crs: EPSG:99999 is not"),
            "{msg}"
        );
        let link = text.replace(r#""type": "name""#, r#""type": "link""#);
        assert!(message(read_str(&link)).contains("--source-crs"));
    }

    #[test]
    fn malformed_geometry_names_feature() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {},
             "geometry": {"type": "Polygon", "coordinates": [[[0],[1,0],[1,1],[0,0]]]}}]}"#;
        let msg = message(read_str(text));
        assert!(
            msg.ends_with("feature 0: ring 0, position 0: expected [x, y], found 1 numbers"),
            "{msg}"
        );
        let no_coordinates =
            text.replace(r#""coordinates": [[[0],[1,0],[1,1],[0,0]]]"#, "\"x\": 1");
        let msg = message(read_str(&no_coordinates));
        assert!(msg.contains("feature 0: invalid geometry"), "{msg}");
    }

    #[test]
    fn other_top_level_types_are_rejected() {
        let msg = message(read_str(r#"{"type": "Polygon", "coordinates": []}"#));
        assert!(msg.contains("found Polygon"), "{msg}");
        let msg = message(read_str(r#"{"type": "FeatureCollection"}"#));
        assert!(msg.contains("`features`"), "{msg}");
    }

    fn shared(path: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(path)
    }

    fn read_file(path: &Path) -> Layer {
        let text = std::fs::read_to_string(path).unwrap();
        read(path, &text, &GeometryOptions::default()).unwrap()
    }

    #[test]
    fn real_geoboundaries_simplified_geojson() {
        let layer = read_file(&shared(
            "geoboundaries-adm2/geoBoundaries-AFG-ADM2_simplified.geojson",
        ));
        assert_eq!(layer.features.len(), 398);
        assert_eq!(
            layer.fields,
            [
                "shapeName",
                "shapeISO",
                "shapeID",
                "shapeGroup",
                "shapeType"
            ]
        );
        assert!(layer.features.iter().all(|f| !f.geometry.0.is_empty()));
        let bbox = MultiPolygon::new(
            layer
                .features
                .iter()
                .flat_map(|f| f.geometry.0.clone())
                .collect(),
        )
        .bounding_rect()
        .unwrap();
        assert!((bbox.min().x - 60.47).abs() < 0.01, "{bbox:?}");
        assert!((bbox.max().y - 38.49).abs() < 0.01, "{bbox:?}");
    }

    #[test]
    fn real_gadm_districts() {
        let layer = read_file(&shared("gadm-districts/AFG_districts.json"));
        assert_eq!(layer.features.len(), 328);
        assert_eq!(
            layer.fields,
            [
                "GID_0",
                "COUNTRY",
                "GID_1",
                "PROVINCE",
                "GID_2",
                "NAME",
                "HASC_2",
                "AREA",
                "BASIN",
                "WATERSHED"
            ]
        );
        let first = &layer.features[0];
        assert_eq!(first.properties["GID_2"], "AFG.1.1_1");
        assert_eq!(first.properties["NAME"], "Baharak");
    }
}
