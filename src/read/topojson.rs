//! The TopoJSON reader: a small decoder for polygon layers (the `topojson` crate is stale).

use std::path::Path;

use geo::{Coord, Polygon};
use serde::Deserialize;
use serde_json::Value;

use super::geojson::{FieldOrder, OrderedMap, json_error, properties_text};
use super::geometry::{self, GeometryOptions, Rings};
use super::{BoundaryFormat, Feature, Layer, ReadError};

#[derive(Deserialize)]
struct Topology {
    transform: Option<Transform>,
    objects: OrderedMap<GeometryObject>,
    arcs: Vec<Vec<Position>>,
}

/// One position of an arc: its first two numbers, and how many it had (a third, a height,
/// is ignored). Read without a `Vec` of its own: a file holds tens of thousands.
struct Position {
    xy: [f64; 2],
    len: usize,
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Numbers;
        impl<'de> serde::de::Visitor<'de> for Numbers {
            type Value = Position;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of numbers")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Position, A::Error> {
                let mut position = Position {
                    xy: [0.0; 2],
                    len: 0,
                };
                while let Some(v) = seq.next_element::<f64>()? {
                    if let Some(slot) = position.xy.get_mut(position.len) {
                        *slot = v;
                    }
                    position.len += 1;
                }
                Ok(position)
            }
        }
        deserializer.deserialize_seq(Numbers)
    }
}

#[derive(Deserialize)]
struct Transform {
    scale: Vec<f64>,
    translate: Vec<f64>,
}

#[derive(Deserialize)]
struct GeometryObject {
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Kept as JSON until the type says how deep the index arrays nest.
    arcs: Option<Value>,
    geometries: Option<Vec<GeometryObject>>,
    id: Option<Value>,
    properties: Option<OrderedMap<Value>>,
}

impl GeometryObject {
    fn polygon_count(&self) -> usize {
        match self.kind.as_deref() {
            Some("Polygon" | "MultiPolygon") => 1,
            Some("GeometryCollection") => self
                .geometries
                .iter()
                .flatten()
                .map(GeometryObject::polygon_count)
                .sum(),
            _ => 0,
        }
    }
}

/// Reads the polygons of one object of a TopoJSON Topology: `layer`, or by default the object
/// with the most Polygon / MultiPolygon geometries.
pub(super) fn read(
    path: &Path,
    text: &str,
    layer: Option<&str>,
    options: &GeometryOptions,
) -> Result<Layer, ReadError> {
    let topology: Topology = serde_json::from_str(text).map_err(|e| json_error(path, &e))?;
    let counts: Vec<(String, usize)> = topology
        .objects
        .0
        .iter()
        .map(|(name, object)| (name.clone(), object.polygon_count()))
        .collect();
    let listing = || {
        counts
            .iter()
            .map(|(name, n)| format!("{name} ({n} polygons)"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match layer {
        Some(name) => counts.iter().position(|(n, _)| n == name).ok_or_else(|| {
            ReadError::invalid(
                path,
                format!("layer `{name}`"),
                format!("no such object; available: {}", listing()),
            )
        })?,
        None => {
            // The first object with the most polygons: `max_by_key` would pick the last.
            let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
            match counts.iter().position(|(_, n)| *n == best && best > 0) {
                Some(i) => i,
                None => {
                    return Err(ReadError::invalid(
                        path,
                        "objects",
                        format!(
                            "expected an object with Polygon or MultiPolygon geometries; found: {}",
                            if counts.is_empty() {
                                "none".to_string()
                            } else {
                                listing()
                            }
                        ),
                    ));
                }
            }
        }
    };
    let arcs = decode_arcs(path, topology.arcs, topology.transform.as_ref())?;
    let mut objects = topology.objects.0;
    if chosen >= objects.len() {
        return Err(ReadError::invalid(path, "objects", "no object to read"));
    }
    let (name, object) = objects.swap_remove(chosen);
    let positions: usize = arcs.iter().map(Vec::len).sum();
    let mut decoder = Decoder {
        arcs: &arcs,
        budget: positions
            .saturating_mul(MAX_ARC_USES)
            .saturating_add(EXTRA_POSITIONS),
        positions,
        fields: FieldOrder::default(),
        features: Vec::new(),
        skipped: 0,
        rings: Rings::new(path, options, None),
    };
    let top = format!("object `{name}`");
    let visited = match object.kind.as_deref() {
        Some("GeometryCollection") => object
            .geometries
            .into_iter()
            .flatten()
            .enumerate()
            .try_for_each(|(i, member)| decoder.visit(member, format!("{top}, geometry {i}"))),
        _ => decoder.visit(object, top.clone()),
    };
    visited?;
    let repairs = decoder.rings.finish()?;
    if decoder.features.is_empty() {
        return Err(ReadError::invalid(
            path,
            top,
            format!(
                "expected Polygon or MultiPolygon geometries, found none ({} other geometries skipped)",
                decoder.skipped
            ),
        ));
    }
    let other_layers = counts
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != chosen)
        .map(|(_, c)| c)
        .collect();
    Ok(Layer {
        path: path.to_path_buf(),
        format: BoundaryFormat::TopoJson,
        layer: Some(name),
        other_layers,
        fields: decoder.fields.into_names(),
        features: decoder.features,
        notes: super::ReadNotes {
            repairs,
            crs: options.source_crs.as_ref().map(ToString::to_string),
            ..super::ReadNotes::default()
        },
    })
}

/// Decodes every arc to lon/lat: quantized arcs are delta-encoded integers, then scaled and
/// translated.
fn decode_arcs(
    path: &Path,
    raw: Vec<Vec<Position>>,
    transform: Option<&Transform>,
) -> Result<Vec<Vec<Coord<f64>>>, ReadError> {
    let transform = match transform {
        None => None,
        Some(t) => match (t.scale.as_slice(), t.translate.as_slice()) {
            ([sx, sy], [tx, ty]) if [sx, sy, tx, ty].iter().all(|v| v.is_finite()) => {
                Some((*sx, *sy, *tx, *ty))
            }
            _ => {
                return Err(ReadError::invalid(
                    path,
                    "transform",
                    "expected `scale` and `translate` of two finite numbers each",
                ));
            }
        },
    };
    let mut arcs = Vec::with_capacity(raw.len());
    for (a, arc) in raw.into_iter().enumerate() {
        if arc.is_empty() {
            return Err(ReadError::invalid(
                path,
                format!("arc {a}"),
                "expected at least one position",
            ));
        }
        let (mut x, mut y) = (0.0, 0.0);
        let mut coords = Vec::with_capacity(arc.len());
        for (p, position) in arc.iter().enumerate() {
            if position.len < 2 {
                return Err(ReadError::invalid(
                    path,
                    format!("arc {a}, position {p}"),
                    format!("expected [x, y], found {} numbers", position.len),
                ));
            }
            let [px, py] = position.xy;
            let coord = match transform {
                Some((sx, sy, tx, ty)) => {
                    x += px;
                    y += py;
                    Coord {
                        x: x * sx + tx,
                        y: y * sy + ty,
                    }
                }
                None => Coord { x: px, y: py },
            };
            if !coord.x.is_finite() || !coord.y.is_finite() {
                return Err(ReadError::invalid(
                    path,
                    format!("arc {a}, position {p}"),
                    "expected finite coordinates",
                ));
            }
            coords.push(coord);
        }
        arcs.push(coords);
    }
    Ok(arcs)
}

/// How many times, on average, the positions of the arcs may be used by the polygons. A
/// border is shared by the two districts either side of it, so real files use each arc
/// about twice; a file using them far more (one arc in a thousand polygons) would expand a
/// small file into gigabytes, so it is refused before that memory is asked for.
const MAX_ARC_USES: usize = 8;
/// Positions allowed beyond that, for tiny files.
const EXTRA_POSITIONS: usize = 1_000_000;

struct Decoder<'a> {
    arcs: &'a [Vec<Coord<f64>>],
    /// Positions the polygons may still expand to (see [`MAX_ARC_USES`]).
    budget: usize,
    /// Positions in all the arcs.
    positions: usize,
    fields: FieldOrder,
    features: Vec<Feature>,
    skipped: usize,
    rings: Rings<'a>,
}

impl Decoder<'_> {
    fn fail(&self, place: &str, message: impl Into<String>) -> ReadError {
        ReadError::invalid(self.rings.path(), place, message)
    }

    fn visit(&mut self, geometry: GeometryObject, place: String) -> Result<(), ReadError> {
        let feature = self.features.len();
        let polygons = match geometry.kind.as_deref() {
            Some("GeometryCollection") => {
                for (i, member) in geometry.geometries.into_iter().flatten().enumerate() {
                    self.visit(member, format!("{place}.{i}"))?;
                }
                return Ok(());
            }
            Some("Polygon") => {
                let rings: Vec<Vec<i64>> = self.indices(geometry.arcs, &place)?;
                vec![self.polygon(&rings, feature, &place, "")?]
            }
            Some("MultiPolygon") => {
                let polygons: Vec<Vec<Vec<i64>>> = self.indices(geometry.arcs, &place)?;
                polygons
                    .iter()
                    .enumerate()
                    .map(|(k, rings)| {
                        self.polygon(rings, feature, &place, &format!("polygon {k}, "))
                    })
                    .collect::<Result<Vec<_>, _>>()?
            }
            // A null type is a feature without geometry: keep it so later stages report it.
            None => Vec::new(),
            Some("Point" | "MultiPoint" | "LineString" | "MultiLineString") => {
                self.skipped += 1;
                return Ok(());
            }
            Some(other) => {
                return Err(self.fail(&place, format!("unknown geometry type `{other}`")));
            }
        };
        let properties =
            properties_text(geometry.properties, geometry.id.as_ref(), &mut self.fields);
        self.features.push(Feature {
            index: feature,
            properties,
            geometry: geometry::multi(polygons),
        });
        Ok(())
    }

    fn indices<T: serde::de::DeserializeOwned>(
        &self,
        arcs: Option<Value>,
        place: &str,
    ) -> Result<T, ReadError> {
        let arcs = arcs.ok_or_else(|| self.fail(place, "expected `arcs`"))?;
        serde_json::from_value(arcs).map_err(|e| self.fail(place, format!("invalid `arcs`: {e}")))
    }

    /// `None` for a polygon without rings, or whose outer ring was dropped. `polygon` is
    /// `polygon 3, ` in a MultiPolygon, empty in a Polygon.
    fn polygon(
        &mut self,
        rings: &[Vec<i64>],
        feature: usize,
        place: &str,
        polygon: &str,
    ) -> Result<Option<Polygon<f64>>, ReadError> {
        let mut checked = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let coords = self.stitch(ring).map_err(|e| self.fail(place, e))?;
            let ring_place = format!("{polygon}ring {r}");
            checked.push(self.rings.ring(feature, place, &ring_place, coords)?);
        }
        let polygon_place = match polygon.trim_end_matches(", ") {
            "" => "the polygon",
            p => p,
        };
        Ok(geometry::polygon_from_rings(
            checked,
            feature,
            place,
            polygon_place,
            &mut self.rings,
        ))
    }

    /// Joins a ring's arcs; `~i` (that is, `-i - 1`) is arc `i` reversed. Consecutive arcs
    /// share their junction point, so each arc after the first loses its first point.
    fn stitch(&mut self, ring: &[i64]) -> Result<Vec<Coord<f64>>, String> {
        let mut coords: Vec<Coord<f64>> = Vec::new();
        for &index in ring {
            let (arc_number, reversed) = if index < 0 {
                (!index, true)
            } else {
                (index, false)
            };
            let arc = usize::try_from(arc_number)
                .ok()
                .and_then(|i| self.arcs.get(i))
                .ok_or_else(|| {
                    let shown = if reversed {
                        format!("{index} (~{arc_number})")
                    } else {
                        index.to_string()
                    };
                    format!("arc index {shown} out of range ({} arcs)", self.arcs.len())
                })?;
            self.budget = self.budget.checked_sub(arc.len()).ok_or_else(|| {
                format!(
                    "the polygons so far use the arcs' {} positions more than {MAX_ARC_USES} times over; \
                     a border is shared by two districts, so this file would expand to far more \
                     than it holds (arcs shared by too many polygons)",
                    self.positions
                )
            })?;
            let skip = usize::from(!coords.is_empty());
            if reversed {
                coords.extend(arc.iter().rev().skip(skip));
            } else {
                coords.extend(arc.iter().skip(skip));
            }
        }
        Ok(coords)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, BoundingRect, MultiPolygon};

    fn read_str(text: &str, layer: Option<&str>) -> Result<Layer, ReadError> {
        read(
            Path::new("test.topojson"),
            text,
            layer,
            &GeometryOptions::default(),
        )
    }

    fn message(result: Result<Layer, ReadError>) -> String {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    // Two unit squares side by side, [0,1]x[0,1] and [1,2]x[0,1]. Arc 0 is the shared edge
    // (1,0)->(1,1); arc 1 the rest of the left square from (1,1) round to (1,0); arc 2 the
    // rest of the right square from (1,0) round to (1,1). The right square uses arc 0
    // reversed (~0 = -1).
    const PLAIN: &str = r#"{
      "type": "Topology",
      "objects": {
        "points": {"type": "GeometryCollection", "geometries": [
          {"type": "Point", "coordinates": [0, 0]}]},
        "squares": {"type": "GeometryCollection", "geometries": [
          {"type": "Polygon", "id": "left", "properties": {"name": "Left", "n": 1},
           "arcs": [[0, 1]]},
          {"type": "MultiPolygon", "id": 2, "properties": {"name": "Right", "extra": null},
           "arcs": [[[2, -1]]]},
          {"type": "LineString", "arcs": [0]},
          {"type": null, "properties": {"name": "Empty"}},
          {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "properties": {"name": "Nested", "id": "mine"}, "arcs": [[-2, -1]]}]}
        ]}
      },
      "arcs": [
        [[1, 0], [1, 1]],
        [[1, 1], [0, 1], [0, 0], [1, 0]],
        [[1, 0], [2, 0], [2, 1], [1, 1]]
      ]
    }"#;

    // The same squares quantized: scale 0.5, translate (10, 20), so integer (2, 0) is
    // lon/lat (11, 20); arcs delta-encoded.
    const QUANTIZED: &str = r#"{
      "type": "Topology",
      "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
      "objects": {
        "squares": {"type": "GeometryCollection", "geometries": [
          {"type": "Polygon", "id": "left", "arcs": [[0, 1]]},
          {"type": "Polygon", "id": "right", "arcs": [[2, -1]]}
        ]}
      },
      "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]]
      ]
    }"#;

    fn exterior(feature: &Feature) -> Vec<(f64, f64)> {
        feature.geometry.0[0]
            .exterior()
            .coords()
            .map(|c| (c.x, c.y))
            .collect()
    }

    #[test]
    fn reads_plain_arcs_with_reversed_arc() {
        let layer = read_str(PLAIN, None).unwrap();
        assert_eq!(layer.format, BoundaryFormat::TopoJson);
        assert_eq!(layer.layer.as_deref(), Some("squares"));
        assert_eq!(layer.other_layers, [("points".to_string(), 0)]);
        assert_eq!(layer.features.len(), 4, "LineString skipped, null kept");
        assert_eq!(layer.fields, ["id", "name", "n", "extra"]);
        let left = &layer.features[0];
        assert_eq!(
            exterior(left),
            [(1., 0.), (1., 1.), (0., 1.), (0., 0.), (1., 0.)]
        );
        assert_eq!(left.properties["id"], "left");
        assert_eq!(left.properties["n"], "1");
        let right = &layer.features[1];
        assert_eq!(
            exterior(right),
            [(1., 0.), (2., 0.), (2., 1.), (1., 1.), (1., 0.)]
        );
        assert_eq!(right.properties["id"], "2");
        assert_eq!(right.properties["extra"], "");
        let empty = &layer.features[2];
        assert!(empty.geometry.0.is_empty());
        assert_eq!(empty.properties["name"], "Empty");
        let nested = &layer.features[3];
        assert_eq!(nested.index, 3);
        assert_eq!(nested.properties["id"], "mine");
        assert_eq!(
            exterior(nested),
            [(1., 0.), (0., 0.), (0., 1.), (1., 1.), (1., 0.)]
        );
        assert_eq!(nested.geometry.unsigned_area(), 1.0);
    }

    #[test]
    fn reads_quantized_arcs() {
        let layer = read_str(QUANTIZED, None).unwrap();
        assert_eq!(layer.features.len(), 2);
        assert_eq!(
            exterior(&layer.features[0]),
            [(11., 20.), (11., 21.), (10., 21.), (10., 20.), (11., 20.)]
        );
        assert_eq!(
            exterior(&layer.features[1]),
            [(11., 20.), (12., 20.), (12., 21.), (11., 21.), (11., 20.)]
        );
    }

    #[test]
    fn layer_by_name_and_unknown_layer() {
        let msg = message(read_str(PLAIN, Some("points")));
        assert!(msg.contains("object `points`"), "{msg}");
        assert!(msg.contains("1 other geometries skipped"), "{msg}");
        let msg = message(read_str(PLAIN, Some("districts")));
        assert_eq!(
            msg,
            "test.topojson: layer `districts`: no such object; available: points (0 polygons), squares (3 polygons)"
        );
    }

    #[test]
    fn arc_index_out_of_range() {
        let text = QUANTIZED.replace("[[2, -1]]", "[[2, 9999]]");
        let msg = message(read_str(&text, None));
        assert_eq!(
            msg,
            "test.topojson: object `squares`, geometry 1: arc index 9999 out of range (3 arcs)"
        );
        let text = QUANTIZED.replace("[[2, -1]]", "[[2, -10]]");
        let msg = message(read_str(&text, None));
        assert!(msg.contains("arc index -10 (~9) out of range"), "{msg}");
    }

    #[test]
    fn unclosed_and_short_rings_are_repaired_or_dropped() {
        let text = QUANTIZED.replace("[[2, -1]]", "[[2]]");
        let layer = read_str(&text, None).unwrap();
        assert_eq!(layer.features[1].geometry.0.len(), 1);
        assert_eq!(
            layer.notes.repairs[0].to_string(),
            "object `squares`, geometry 1: ring 0: not closed (closed)"
        );
        let text = QUANTIZED.replace("[[2, -1]]", "[[0]]");
        let layer = read_str(&text, None).unwrap();
        assert!(layer.features[1].geometry.0.is_empty());
        assert_eq!(layer.features.len(), 2, "the feature stays, empty");
        assert_eq!(
            layer.notes.repairs[0].to_string(),
            "object `squares`, geometry 1: ring 0: 2 positions (a ring needs at least 4), dropped"
        );
    }

    #[test]
    fn bad_inputs() {
        let msg = message(read_str(QUANTIZED.get(..150).unwrap(), None));
        assert!(msg.contains("line "), "{msg}");
        assert!(msg.contains("EOF while parsing"), "{msg}");
        let text = QUANTIZED.replace(r#""arcs": [[2, -1]]"#, r#""arcs": [2, -1]"#);
        let msg = message(read_str(&text, None));
        assert!(msg.contains("geometry 1: invalid `arcs`"), "{msg}");
        let text = QUANTIZED.replace(
            r#""type": "Polygon", "id": "right""#,
            r#""type": "Blob", "id": "right""#,
        );
        let msg = message(read_str(&text, None));
        assert!(
            msg.contains("geometry 1: unknown geometry type `Blob`"),
            "{msg}"
        );
        let text = QUANTIZED.replace(r#""scale": [0.5, 0.5]"#, r#""scale": [0.5]"#);
        assert!(message(read_str(&text, None)).contains("transform"));
        let text = QUANTIZED.replace("[[2, 0], [0, 2]]", "[[2, 0], [0]]");
        assert!(message(read_str(&text, None)).contains("arc 0, position 1"));
    }

    fn shared(path: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(path)
    }

    fn read_file(path: &Path, layer: Option<&str>) -> Layer {
        let text = std::fs::read_to_string(path).unwrap();
        read(path, &text, layer, &GeometryOptions::default()).unwrap()
    }

    fn bbox(layer: &Layer) -> [f64; 4] {
        let all = MultiPolygon::new(
            layer
                .features
                .iter()
                .flat_map(|f| f.geometry.0.clone())
                .collect(),
        );
        let rect = all.bounding_rect().unwrap();
        [rect.min().x, rect.min().y, rect.max().x, rect.max().y]
    }

    fn assert_near(actual: [f64; 4], expected: [f64; 4]) {
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-4, "{actual:?} vs {expected:?}");
        }
    }

    #[test]
    fn real_takeover_topojson() {
        let layer = read_file(&shared("taliban-takeover-2021/combined.json"), None);
        assert_eq!(layer.layer.as_deref(), Some("districts"));
        assert_eq!(
            layer.other_layers,
            [
                ("international".to_string(), 1),
                ("provinces".to_string(), 32)
            ]
        );
        assert_eq!(layer.features.len(), 329);
        assert_eq!(layer.fields, ["id", "province"]);
        assert_eq!(layer.features[0].properties["id"], "Darwaz");
        assert_eq!(layer.features[0].properties["province"], "Badakhshan");
        assert!(layer.features.iter().all(|f| !f.geometry.0.is_empty()));
        // The districts stop short of the `international` outline, which alone reaches the
        // topology's full extent (60.47066 .. 38.49296).
        assert_near(bbox(&layer), [60.50528, 29.36157, 74.89413, 38.49114]);
        let outline = read_file(
            &shared("taliban-takeover-2021/combined.json"),
            Some("international"),
        );
        assert_eq!(outline.features.len(), 1);
        assert_near(bbox(&outline), [60.47066, 29.36888, 74.88836, 38.49296]);
        let provinces = read_file(
            &shared("taliban-takeover-2021/combined.json"),
            Some("provinces"),
        );
        assert_eq!(provinces.features.len(), 32);
        assert_eq!(provinces.features[0].properties["id"], "BADAKHSHAN");
    }

    #[test]
    fn real_geoboundaries_topojson() {
        for file in [
            "geoBoundaries-AFG-ADM2.topojson",
            "geoBoundaries-AFG-ADM2_simplified.topojson",
        ] {
            let layer = read_file(&shared(&format!("geoboundaries-adm2/{file}")), None);
            assert_eq!(layer.layer.as_deref(), Some("AFGADM2gbOpen"));
            assert!(layer.other_layers.is_empty());
            assert_eq!(layer.features.len(), 398, "{file}");
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
            assert_near(bbox(&layer), [60.47208, 29.37706, 74.88945, 38.49079]);
        }
    }
}
