//! The ESRI Shapefile reader (`.shp` geometry, `.dbf` attributes, `.cpg` code page).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use ::shapefile::dbase::{self, FieldValue};
use ::shapefile::{PolygonRing, Shape, ShapeReader};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::crs::{CrsOrigin, SourceCrs};
use super::geometry::{GeometryOptions, Rings};
use super::{BoundaryFormat, Feature, Layer, ReadError, UnreadableField};

/// Reads a polygon Shapefile with its `.dbf` attribute table (and `.cpg` code page, if any),
/// reprojecting from the CRS its `.prj` declares (unless `--source-crs` overrides it).
pub(super) fn read(path: &Path, options: &GeometryOptions) -> Result<Layer, ReadError> {
    let dbf_path = sibling(path, "dbf").ok_or_else(|| {
        ReadError::invalid(
            path,
            "attribute table",
            format!(
                "a Shapefile needs its .dbf next to the .shp, but {} does not exist",
                path.with_extension("dbf").display()
            ),
        )
    })?;

    // The .prj is only read when --source-crs does not replace it: a broken one is then moot.
    let declared = match (&options.source_crs, sibling(path, "prj")) {
        (None, Some(prj)) => {
            let bytes = super::read_file(&prj)?;
            let text = String::from_utf8_lossy(&bytes);
            Some(
                SourceCrs::parse(&text, CrsOrigin::Prj)
                    .map_err(|e| ReadError::invalid(&prj, "WKT", e))?,
            )
        }
        _ => None,
    };
    let crs_label = options
        .source_crs
        .as_ref()
        .or(declared.as_ref())
        .filter(|c| !c.is_identity())
        .map(ToString::to_string);
    let mut checker = Rings::new(path, options, declared);

    let bytes = super::read_file(path)?;
    let index = check_records(path, &bytes)?;
    // The crate reads records one after the other and trusts each to be as long as what it
    // parses, so one odd record (a null shape with trailing bytes, say) shifts every later
    // one. An index of the checked record positions makes it seek to each record instead.
    let mut shapes =
        ShapeReader::with_shx(std::io::Cursor::new(bytes), std::io::Cursor::new(index))
            .map_err(|e| shp_error(path, "header", e))?;
    let mut geometries = Vec::new();
    for (index, shape) in shapes.iter_shapes().enumerate() {
        let place = format!("record {index}");
        let shape = shape.map_err(|e| shp_error(path, &place, e))?;
        geometries.push(to_multi_polygon(shape, index, &place, &mut checker)?);
    }
    let repairs = checker.finish()?;

    let (fields, records, unreadable) = read_dbf(&dbf_path, path)?;
    if geometries.len() != records.len() {
        return Err(ReadError::invalid(
            path,
            format!("record {}", geometries.len().min(records.len())),
            format!(
                "the .shp has {} shapes but {} has {} records; they must match one to one",
                geometries.len(),
                dbf_path.display(),
                records.len()
            ),
        ));
    }
    let features = geometries
        .into_iter()
        .zip(records)
        .enumerate()
        .map(|(index, (geometry, properties))| Feature {
            index,
            properties,
            geometry,
        })
        .collect();
    Ok(Layer {
        path: path.to_path_buf(),
        format: BoundaryFormat::Shapefile,
        layer: None,
        other_layers: Vec::new(),
        fields,
        features,
        notes: super::ReadNotes {
            repairs,
            unreadable,
            crs: crs_label,
        },
    })
}

/// The companion file with extension `ext`, in lower or upper case.
/// The shapefile crate trusts each record's part and point counts and allocates for them
/// up front, so one corrupt count can ask for gigabytes (found by fuzzing). Every record is
/// checked against the length its header states, and that length against the file, first.
/// Returns a `.shx` index of the records found.
fn check_records(path: &Path, bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let be = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|w| i64::from(i32::from_be_bytes([w[0], w[1], w[2], w[3]])))
    };
    let le = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]])))
    };
    // Every byte after the header must belong to a whole record: a few stray bytes at the
    // end are a record header cut short, which the crate would read as garbage counts.
    let mut shx = bytes.get(..100).map(<[u8]>::to_vec).unwrap_or_default();
    let (mut pos, mut index) = (100usize, 0usize);
    while pos < bytes.len() {
        let place = format!("record {index}");
        let Some(words) = be(bytes, pos + 4) else {
            return Err(ReadError::invalid(
                path,
                place,
                format!(
                    "the record header is cut short: {} bytes where 8 are needed (truncated?)",
                    bytes.len() - pos
                ),
            ));
        };
        let len = usize::try_from(words)
            .ok()
            .map(|w| w * 2)
            .filter(|len| pos + 8 + len <= bytes.len())
            .ok_or_else(|| {
                ReadError::invalid(
                    path,
                    &place,
                    format!("the record says it is {words} words long; the file has {} bytes left (truncated or corrupt?)", bytes.len().saturating_sub(pos + 8)),
                )
            })?;
        let content = &bytes[pos + 8..pos + 8 + len];
        // A record shorter than its shape type, or of a type that does not exist, would make
        // the crate read the following bytes as this record's content.
        match le(content, 0) {
            None => {
                return Err(ReadError::invalid(
                    path,
                    place,
                    format!(
                        "the record is {len} bytes long; it needs at least its 4-byte shape type"
                    ),
                ));
            }
            Some(0 | 1 | 3 | 5 | 8 | 11 | 13 | 15 | 18 | 21 | 23 | 25 | 28 | 31) => {}
            Some(other) => {
                return Err(ReadError::invalid(
                    path,
                    place,
                    format!("shape type {other} is not a Shapefile shape type"),
                ));
            }
        }
        // Bytes needed for the counts it claims: polylines and polygons (plain, Z, M) have
        // parts at 36 and points at 40; multipoints have points at 36.
        let needed = match le(content, 0) {
            Some(3 | 5 | 13 | 15 | 23 | 25) => le(content, 36)
                .zip(le(content, 40))
                .map(|(parts, points)| 44 + 4 * parts + 16 * points),
            // A multipatch also has a 4-byte type per part.
            Some(31) => le(content, 36)
                .zip(le(content, 40))
                .map(|(parts, points)| 44 + 8 * parts + 16 * points),
            Some(8 | 18 | 28) => le(content, 36).map(|points| 40 + 16 * points),
            _ => None,
        };
        if let Some(needed) = needed.filter(|n| *n > len as u64) {
            return Err(ReadError::invalid(
                path,
                place,
                format!(
                    "its part and point counts need {needed} bytes, but the record holds {len}"
                ),
            ));
        }
        // The crate sizes each part from the difference of its start and the next one's, so
        // starts must rise from 0 within the point count.
        if let Some(3 | 5 | 13 | 15 | 23 | 25 | 31) = le(content, 0) {
            let (parts, points) = (le(content, 36).unwrap_or(0), le(content, 40).unwrap_or(0));
            // `map_while`: a part count past the record's end stops at the end, so a corrupt
            // count of four billion costs nothing (found by fuzzing: seconds per record).
            let starts: Vec<u64> = (0..parts as usize)
                .map_while(|k| le(content, 44 + 4 * k))
                .collect();
            let valid = starts.first().is_none_or(|&s| s == 0)
                && starts.windows(2).all(|w| w[0] <= w[1])
                && starts.iter().all(|&s| s < points.max(1));
            if !valid {
                return Err(ReadError::invalid(
                    path,
                    place,
                    format!(
                        "its part starts {starts:?} do not rise from 0 within its {points} points"
                    ),
                ));
            }
        }
        // Offsets and lengths in 16-bit words, big-endian, as in a .shx.
        shx.extend((pos as u32 / 2).to_be_bytes());
        shx.extend((len as u32 / 2).to_be_bytes());
        pos += 8 + len;
        index += 1;
    }
    let words = (shx.len() as u32 / 2).to_be_bytes();
    if let Some(length) = shx.get_mut(24..28) {
        length.copy_from_slice(&words);
    }
    Ok(shx)
}

fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

fn shp_error(path: &Path, place: &str, error: ::shapefile::Error) -> ReadError {
    match error {
        // Opening reads the whole .shx too, so a short header may be the index's.
        ::shapefile::Error::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            let expected = if place == "header" {
                "the file, or its .shx index, ends too early (truncated?)"
            } else {
                "the file ends inside this record (truncated?)"
            };
            ReadError::invalid(path, place, expected)
        }
        ::shapefile::Error::IoError(e) if place == "header" => ReadError::io(path, e),
        other => ReadError::invalid(path, place, other.to_string()),
    }
}

fn dbf_error(path: &Path, place: String, error: &dbase::Error, fields: &[String]) -> ReadError {
    match error.kind() {
        dbase::ErrorKind::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            ReadError::invalid(path, place, "the file ends too early (truncated?)")
        }
        kind => {
            let field = error
                .field_index()
                .and_then(|i| fields.get(i.0))
                .map(|name| format!(", field `{name}`"))
                .unwrap_or_default();
            ReadError::invalid(path, format!("{place}{field}"), kind.to_string())
        }
    }
}

/// The attribute table: field names in declaration order, each record as text, and the
/// fields some of whose values could not be read (taken as empty).
type Records = (
    Vec<String>,
    Vec<BTreeMap<String, String>>,
    Vec<UnreadableField>,
);

/// One record, field by field: a value that cannot be read (a date of zeros, as GDAL writes
/// a null date; text that is not the code page's) does not lose the record.
struct LenientRecord(Vec<Result<FieldValue, String>>);

impl dbase::ReadableRecord for LenientRecord {
    fn read_using<S, M>(fields: &mut dbase::FieldIterator<S, M>) -> Result<Self, dbase::FieldError>
    where
        S: std::io::Read + std::io::Seek,
        M: std::io::Read + std::io::Seek,
    {
        let mut values = Vec::new();
        // The iterator reads a field's bytes before it parses them, so after a value that
        // does not parse it stands at the next field.
        loop {
            match fields.read_next_field() {
                Ok(named) => values.push(Ok(named.value)),
                Err(e) => match e.kind() {
                    dbase::ErrorKind::EndOfRecord => break,
                    dbase::ErrorKind::IoError(_) => return Err(e),
                    kind => values.push(Err(kind.to_string())),
                },
            }
        }
        Ok(LenientRecord(values))
    }
}

fn read_dbf(dbf_path: &Path, shp_path: &Path) -> Result<Records, ReadError> {
    super::check_input_size(dbf_path)?;
    let file = File::open(dbf_path).map_err(|e| ReadError::io(dbf_path, e))?;
    // The .cpg names the code page; without one, dbase goes by the header's code page mark.
    // UTF-8 is decoded strictly, so that bytes that are not UTF-8 are reported, not turned
    // into U+FFFD.
    let cpg = sibling(shp_path, "cpg")
        .and_then(|cpg| std::fs::read(cpg).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string());
    let utf8 = cpg.as_deref().is_some_and(|c| {
        let c = c.trim_start_matches('\u{feff}').to_ascii_uppercase();
        c == "UTF-8" || c == "UTF8" || c == "65001"
    });
    let encoding = if utf8 {
        Some(dbase::encoding::DynEncoding::from(dbase::Unicode))
    } else {
        cpg.as_deref()
            .and_then(dbase::encoding::DynEncoding::from_name)
    };
    let builder = match encoding {
        Some(encoding) => dbase::ReaderBuilder::new().with_encoding(encoding),
        None => dbase::ReaderBuilder::new(),
    };
    let mut reader = builder
        .build(BufReader::new(file))
        .map_err(|e| dbf_error(dbf_path, "header".to_string(), &e, &[]))?;
    let fields: Vec<String> = reader
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    let mut unreadable: Vec<UnreadableField> = Vec::new();
    let mut records = Vec::new();
    for (index, record) in reader.iter_records_as::<LenientRecord>().enumerate() {
        let record =
            record.map_err(|e| dbf_error(dbf_path, format!("record {index}"), &e, &fields))?;
        let mut properties = BTreeMap::new();
        for (k, name) in fields.iter().enumerate() {
            let text = match record.0.get(k) {
                Some(Ok(value)) => field_text(value),
                Some(Err(problem)) => {
                    match unreadable.iter_mut().find(|u| u.field == *name) {
                        Some(u) => u.records += 1,
                        None => unreadable.push(UnreadableField {
                            file: dbf_path.to_path_buf(),
                            field: name.clone(),
                            records: 1,
                            first_record: index,
                            problem: problem.clone(),
                        }),
                    }
                    String::new()
                }
                None => String::new(),
            };
            properties.insert(name.clone(), text);
        }
        records.push(properties);
    }
    Ok((fields, records, unreadable))
}

fn field_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Character(text) => text
            .as_deref()
            .map(|t| t.trim_end_matches('\0').to_string())
            .unwrap_or_default(),
        FieldValue::Numeric(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        // Printed as f32 so that 0.1 stays "0.1" rather than 0.10000000149011612.
        FieldValue::Float(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        FieldValue::Logical(b) => b.map(|b| b.to_string()).unwrap_or_default(),
        FieldValue::Date(d) => d.map(date_text).unwrap_or_default(),
        FieldValue::Integer(n) => n.to_string(),
        FieldValue::Currency(n) | FieldValue::Double(n) => n.to_string(),
        FieldValue::DateTime(dt) => {
            let t = dt.time();
            format!(
                "{}T{:02}:{:02}:{:02}",
                date_text(dt.date()),
                t.hours(),
                t.minutes(),
                t.seconds()
            )
        }
        FieldValue::Memo(text) => text.clone(),
    }
}

fn date_text(d: dbase::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn to_multi_polygon(
    shape: Shape,
    index: usize,
    place: &str,
    checker: &mut Rings<'_>,
) -> Result<MultiPolygon<f64>, ReadError> {
    fn rings<P: Copy>(
        rings: Vec<PolygonRing<P>>,
        coord: impl Fn(P) -> Coord<f64>,
    ) -> Vec<(bool, Vec<Coord<f64>>)> {
        rings
            .into_iter()
            .map(|ring| match ring {
                PolygonRing::Outer(points) => (true, points.into_iter().map(&coord).collect()),
                PolygonRing::Inner(points) => (false, points.into_iter().map(&coord).collect()),
            })
            .collect()
    }
    let rings = match shape {
        Shape::NullShape => return Ok(MultiPolygon::new(Vec::new())),
        Shape::Polygon(p) => rings(p.into_inner(), |p| Coord { x: p.x, y: p.y }),
        Shape::PolygonM(p) => rings(p.into_inner(), |p| Coord { x: p.x, y: p.y }),
        Shape::PolygonZ(p) => rings(p.into_inner(), |p| Coord { x: p.x, y: p.y }),
        other => {
            return Err(ReadError::invalid(
                checker.path(),
                place,
                format!("expected a Polygon shape, found {}", other.shapetype()),
            ));
        }
    };
    let mut kept = Vec::with_capacity(rings.len());
    for (r, (outer, coords)) in rings.into_iter().enumerate() {
        if let Some(coords) = checker.ring(index, place, &format!("ring {r}"), coords)? {
            kept.push((outer, coords));
        }
    }
    Ok(assemble(kept))
}

/// An outer ring and the holes found inside it.
type Part = (Vec<Coord<f64>>, Vec<LineString<f64>>);

/// Builds polygons from outer rings and holes. Shapefiles list rings in any order, so each
/// hole goes to the smallest outer ring that contains it; a hole inside no outer ring is most
/// likely an outer ring drawn the wrong way round, so it becomes a polygon of its own.
fn assemble(rings: Vec<(bool, Vec<Coord<f64>>)>) -> MultiPolygon<f64> {
    let (outers, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|(outer, _)| *outer);
    let mut polygons: Vec<Part> = outers.into_iter().map(|(_, c)| (c, Vec::new())).collect();
    for (_, hole) in holes {
        let owner = polygons
            .iter()
            .enumerate()
            .filter(|(_, (outer, _))| mostly_inside(&hole, outer))
            .min_by(|(_, (a, _)), (_, (b, _))| ring_area(a).total_cmp(&ring_area(b)))
            .map(|(i, _)| i);
        match owner.and_then(|i| polygons.get_mut(i)) {
            Some((_, interiors)) => interiors.push(LineString::new(hole)),
            None => polygons.push((hole, Vec::new())),
        }
    }
    MultiPolygon::new(
        polygons
            .into_iter()
            .map(|(exterior, interiors)| Polygon::new(LineString::new(exterior), interiors))
            .collect(),
    )
}

/// Whether most of the ring's vertices lie inside `outer`: a hole may touch its outer ring at
/// a vertex, so one vertex alone is not decisive.
fn mostly_inside(ring: &[Coord<f64>], outer: &[Coord<f64>]) -> bool {
    let inside = ring.iter().filter(|&&p| point_in_ring(p, outer)).count();
    inside * 2 > ring.len()
}

/// Even-odd ray casting.
fn point_in_ring(p: Coord<f64>, ring: &[Coord<f64>]) -> bool {
    let mut inside = false;
    for pair in ring.windows(2) {
        let [a, b] = pair else { continue };
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y) {
            inside = !inside;
        }
    }
    inside
}

fn ring_area(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|pair| match pair {
            [a, b] => a.x * b.y - b.x * a.y,
            _ => 0.0,
        })
        .sum::<f64>()
        .abs()
        / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::shapefile::dbase::{FieldName, Record, TableWriterBuilder};
    use ::shapefile::{Point, Writer};
    use geo::{Area, BoundingRect};

    fn name(n: &str) -> FieldName {
        FieldName::try_from(n).unwrap()
    }

    fn table() -> TableWriterBuilder {
        TableWriterBuilder::new()
            .add_character_field(name("NAME"), 40)
            .add_character_field(name("ADM2_DA"), 60)
            .add_numeric_field(name("CODE"), 10, 2)
            .add_date_field(name("VALID"))
            .add_logical_field(name("OK"))
    }

    fn record(n: &str, dari: &str, code: Option<f64>) -> Record {
        let mut r = Record::default();
        r.insert("NAME".into(), FieldValue::Character(Some(n.into())));
        r.insert("ADM2_DA".into(), FieldValue::Character(Some(dari.into())));
        r.insert("CODE".into(), FieldValue::Numeric(code));
        r.insert(
            "VALID".into(),
            FieldValue::Date(Some(dbase::Date::new(22, 5, 2018).unwrap())),
        );
        r.insert("OK".into(), FieldValue::Logical(Some(true)));
        r
    }

    fn ring(points: &[(f64, f64)]) -> Vec<Point> {
        points.iter().map(|&(x, y)| Point::new(x, y)).collect()
    }

    /// A 10x10 square with a 2x2 hole, and a 1x1 square listed between them; outer rings
    /// clockwise, the hole counter-clockwise.
    fn squares() -> ::shapefile::Polygon {
        // Assigning the hole to the preceding outer ring would give it to the small square.
        let rings = vec![
            PolygonRing::Outer(ring(&[
                (0., 0.),
                (0., 10.),
                (10., 10.),
                (10., 0.),
                (0., 0.),
            ])),
            PolygonRing::Outer(ring(&[
                (20., 0.),
                (20., 1.),
                (21., 1.),
                (21., 0.),
                (20., 0.),
            ])),
            PolygonRing::Inner(ring(&[(2., 2.), (4., 2.), (4., 4.), (2., 4.), (2., 2.)])),
        ];
        ::shapefile::Polygon::with_rings(rings)
    }

    fn write_fixture(dir: &Path) -> PathBuf {
        let shp = dir.join("fixture.shp");
        let mut writer = Writer::from_path(&shp, table()).unwrap();
        writer
            .write_shape_and_record(&squares(), &record("Square", "آب بند", Some(12.0)))
            .unwrap();
        let small = ::shapefile::Polygon::new(PolygonRing::Outer(ring(&[
            (30., 0.),
            (30., 1.),
            (31., 1.),
            (31., 0.),
        ])));
        writer
            .write_shape_and_record(&small, &record("Small", "غزنی", None))
            .unwrap();
        drop(writer);
        std::fs::write(dir.join("fixture.cpg"), "UTF-8").unwrap();
        shp
    }

    fn message(result: Result<Layer, ReadError>) -> String {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_written_shapefile() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        let layer = read(&shp, &GeometryOptions::default()).unwrap();
        assert_eq!(layer.format, BoundaryFormat::Shapefile);
        assert_eq!(layer.fields, ["NAME", "ADM2_DA", "CODE", "VALID", "OK"]);
        assert_eq!(layer.features.len(), 2);
        let first = &layer.features[0];
        assert_eq!(first.properties["NAME"], "Square");
        assert_eq!(first.properties["ADM2_DA"], "آب بند");
        assert_eq!(first.properties["CODE"], "12");
        assert_eq!(first.properties["VALID"], "2018-05-22");
        assert_eq!(first.properties["OK"], "true");
        assert_eq!(first.geometry.0.len(), 2);
        let big = first
            .geometry
            .0
            .iter()
            .find(|p| p.exterior().0.len() == 5 && p.unsigned_area() > 50.0)
            .unwrap();
        assert_eq!(
            big.interiors().len(),
            1,
            "hole assigned to the square holding it"
        );
        assert_eq!(first.geometry.unsigned_area(), 96.0 + 1.0);
        let second = &layer.features[1];
        assert_eq!(second.index, 1);
        assert_eq!(second.properties["CODE"], "");
        assert_eq!(second.properties["ADM2_DA"], "غزنی");
    }

    #[test]
    fn cpg_overrides_the_dbf_code_page_mark() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        // Mark the (UTF-8) table as Windows-1252 in its header: only the .cpg then says UTF-8.
        let dbf = dir.path().join("fixture.dbf");
        let mut bytes = std::fs::read(&dbf).unwrap();
        bytes[29] = 0x03;
        std::fs::write(&dbf, bytes).unwrap();
        let layer = read(&shp, &GeometryOptions::default()).unwrap();
        assert_eq!(layer.features[0].properties["ADM2_DA"], "آب بند");
        std::fs::remove_file(dir.path().join("fixture.cpg")).unwrap();
        let layer = read(&shp, &GeometryOptions::default()).unwrap();
        assert_ne!(layer.features[0].properties["ADM2_DA"], "آب بند");
    }

    #[test]
    fn text_that_is_not_utf8_under_a_utf8_cpg_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        // Replace the first byte of record 0's Dari name (ADM2_DA) with 0xFF.
        let dbf = dir.path().join("fixture.dbf");
        let mut bytes = std::fs::read(&dbf).unwrap();
        let at = bytes
            .windows("آب".len())
            .position(|w| w == "آب".as_bytes())
            .unwrap();
        bytes[at] = 0xFF;
        std::fs::write(&dbf, bytes).unwrap();
        // Unused by the map: one note naming the record and the field, the value empty.
        let layer = read(&shp, &GeometryOptions::default()).unwrap();
        assert_eq!(layer.features[0].properties["ADM2_DA"], "");
        assert_eq!(layer.features[1].properties["ADM2_DA"], "غزنی");
        let note = layer.notes.unreadable[0].to_string();
        assert!(
            note.contains(
                "fixture.dbf: field `ADM2_DA`: 1 value(s) cannot be read (first: record 0:"
            ),
            "{note}"
        );
        // The map's name field: an error naming both.
        let options = super::super::FieldOptions {
            name_field: Some("ADM2_DA".into()),
            ..Default::default()
        };
        let err = super::super::read_boundaries(&shp, &options)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("fixture.dbf: record 0, field `ADM2_DA`:"),
            "{err}"
        );
        assert!(err.contains("the map's name field"), "{err}");
    }

    #[test]
    fn missing_dbf_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        std::fs::remove_file(dir.path().join("fixture.dbf")).unwrap();
        let msg = message(read(&shp, &GeometryOptions::default()));
        assert!(msg.contains("a Shapefile needs its .dbf"), "{msg}");
        assert!(msg.contains("fixture.dbf does not exist"), "{msg}");
    }

    #[test]
    fn record_count_mismatch() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        let mut dbf = table()
            .build_with_file_dest(dir.path().join("fixture.dbf"))
            .unwrap();
        dbf.write_record(&record("Only", "", None)).unwrap();
        drop(dbf);
        let msg = message(read(&shp, &GeometryOptions::default()));
        assert!(msg.contains("record 1: the .shp has 2 shapes but"), "{msg}");
        assert!(msg.contains("has 1 records"), "{msg}");
    }

    #[test]
    fn truncated_shp_names_record() {
        let dir = tempfile::tempdir().unwrap();
        let shp = write_fixture(dir.path());
        for remove_shx in [false, true] {
            if remove_shx {
                std::fs::remove_file(dir.path().join("fixture.shx")).unwrap();
            }
            let bytes = std::fs::read(&shp).unwrap();
            std::fs::write(&shp, bytes.get(..bytes.len() - 20).unwrap()).unwrap();
            let msg = message(read(&shp, &GeometryOptions::default()));
            assert!(msg.contains("record 1:"), "{msg}");
        }
    }

    #[test]
    fn point_shapes_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let shp = dir.path().join("points.shp");
        let mut writer = Writer::from_path(&shp, table()).unwrap();
        writer
            .write_shape_and_record(&Point::new(1.0, 2.0), &record("P", "", None))
            .unwrap();
        drop(writer);
        let msg = message(read(&shp, &GeometryOptions::default()));
        assert!(
            msg.ends_with("record 0: expected a Polygon shape, found Point"),
            "{msg}"
        );
    }

    #[test]
    fn orphan_hole_becomes_a_polygon() {
        let outer = vec![
            Coord { x: 0., y: 0. },
            Coord { x: 0., y: 1. },
            Coord { x: 1., y: 1. },
            Coord { x: 0., y: 0. },
        ];
        let far: Vec<_> = outer
            .iter()
            .map(|c| Coord {
                x: c.x + 5.,
                y: c.y,
            })
            .collect();
        let multi = assemble(vec![(true, outer), (false, far)]);
        assert_eq!(multi.0.len(), 2);
        assert!(multi.0.iter().all(|p| p.interiors().is_empty()));
    }

    fn shared(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(path)
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
    fn real_ocha_adm2() {
        let layer = read(
            &shared("ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp"),
            &GeometryOptions::default(),
        )
        .unwrap();
        assert_eq!(layer.features.len(), 399);
        assert_eq!(layer.fields.len(), 22);
        assert_eq!(
            layer.fields.get(..5).unwrap(),
            [
                "Shape_Leng",
                "Shape_Area",
                "ADM2_EN",
                "ADM2_DA",
                "ADM2_PCODE"
            ]
        );
        let first = &layer.features[0].properties;
        assert_eq!(first["ADM2_EN"], "Ab Band");
        assert_eq!(first["ADM2_DA"], "آب بند");
        assert_eq!(first["ADM2_PCODE"], "AF1113");
        assert_eq!(first["ADM1_EN"], "Ghazni");
        assert_eq!(first["date"], "2017-08-23");
        assert_eq!(first["ValidTo"], "");
        assert!(
            first["Shape_Leng"].starts_with("1.393551"),
            "{}",
            first["Shape_Leng"]
        );
        assert!(layer.features.iter().all(|f| !f.geometry.0.is_empty()));
        assert_near(bbox(&layer), [60.47198, 29.37706, 74.88956, 38.49074]);
    }

    #[test]
    fn real_ocha_adm1_and_geoboundaries() {
        let adm1 = read(
            &shared("ocha-adm1-2018/afg_admbnda_adm1_agcho_20180522.shp"),
            &GeometryOptions::default(),
        )
        .unwrap();
        assert_eq!(adm1.features.len(), 34);
        assert_eq!(adm1.features[0].properties["ADM1_DA"], "بدخشان");
        let gb = read(
            &shared("geoboundaries-adm2/geoBoundaries-AFG-ADM2.shp"),
            &GeometryOptions::default(),
        )
        .unwrap();
        assert_eq!(gb.features.len(), 398);
        assert_eq!(
            gb.fields,
            [
                "shapeName",
                "shapeISO",
                "shapeID",
                "shapeGroup",
                "shapeType"
            ]
        );
        assert_eq!(gb.features[0].properties["shapeName"], "Deh Bala");
        assert_eq!(gb.features[0].properties["shapeISO"], "");
        assert_near(bbox(&gb), [60.47208, 29.37706, 74.88945, 38.49079]);
    }
}
