//! Readers: district boundaries (one file per format) and the status timeline.
//!
//! Every reader reports a malformed input as a [`ReadError`] that names the file, the place
//! (feature index, line, field) and what was expected; none of them panics on bad input.

mod aliases;
pub mod annotations;
mod crosswalk;
mod crs;
mod csv_lines;
mod fields;
mod geojson;
mod geometry;
mod place_status;
mod places;
mod shapefile;
pub mod style;
mod table;
mod timeline_csv;
mod timeline_json;
mod topojson;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use geo::MultiPolygon;

use crate::timeline::Timeline;
pub use aliases::{Alias, Aliases, read_aliases};
pub use crosswalk::{Crosswalk, CrosswalkRow, read_crosswalk};
pub use crs::{CrsOrigin, SourceCrs};
pub use geometry::{GeometryOptions, GeometryRepair};

pub use annotations::{Annotation, AnnotationTarget, read_annotations};
pub use fields::{FieldChoice, FieldOptions};
pub use place_status::{PlaceStatusRecord, PlaceStatuses, read_place_status};
pub use places::read_places;
pub use style::{StyleFile, load_style, read_style};
pub use timeline_csv::{DateFormat, TimelineOptions};
// The district types moved to `crate::district`; re-exported so that `read::District` still
// names them.
pub use crate::district::{District, DistrictId};

/// A problem reading an input file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file's content is not what was expected at some place in it.
    #[error("{}: {place}: {expected}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where: "feature 12", "line 40, column `date`", "arc 7", ...
        place: String,
        /// What was expected there, and what was found.
        expected: String,
    },
    /// The file is none of the supported formats.
    #[error(
        "{}: not a recognised boundary file (expected GeoJSON, TopoJSON or an ESRI Shapefile .shp)",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A field (property or column) named on the command line, or needed, is not there.
    #[error("{}: no {role} field `{field}`; available: {}", path.display(), available.join(", "))]
    MissingField {
        /// The file.
        path: PathBuf,
        /// What the field was for: "id", "name", "province", "date", ...
        role: &'static str,
        /// The field asked for.
        field: String,
        /// The fields the file has.
        available: Vec<String>,
    },
    /// The file is larger than the input limit ([`set_max_input_bytes`]).
    #[error(
        "{}: {} MB is more than the input limit of {} MB; raise it with --max-input-mb",
        path.display(), size.div_ceil(1 << 20), limit >> 20
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// No field could be detected for a role, and none was named.
    #[error("{}: cannot tell which field holds the {role}; name it with --{flag} (fields: {})", path.display(), available.join(", "))]
    UndetectedField {
        /// The file.
        path: PathBuf,
        /// What the field is for.
        role: &'static str,
        /// The command-line flag that names it.
        flag: &'static str,
        /// The fields the file has.
        available: Vec<String>,
    },
    /// [`read_timelines`] was given no file.
    #[error("no status timeline file given")]
    NoTimeline,
}

/// The default input limit: far above any real district boundary set (the largest in
/// ../shared/data is 4.5 MB), far below what would exhaust memory once parsed.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 512 << 20;

static MAX_INPUT_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest input file any reader accepts (process-wide: the CLI sets it once from
/// `--max-input-mb`). Parsed geometry takes several times the file's size in memory, so an
/// unbounded read of a stray multi-gigabyte file would end in an out-of-memory kill instead
/// of an error.
pub fn set_max_input_bytes(limit: u64) {
    MAX_INPUT_BYTES.store(limit, Ordering::Relaxed);
}

/// Refuses a file larger than the input limit, before reading it.
pub(crate) fn check_input_size(path: &Path) -> Result<(), ReadError> {
    if is_stdin(path) {
        // Its size is not known; the bounded read below counts it.
        return Ok(());
    }
    let limit = MAX_INPUT_BYTES.load(Ordering::Relaxed);
    let size = std::fs::metadata(path)
        .map_err(|e| ReadError::io(path, e))?
        .len();
    if size > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    Ok(())
}

/// Reads a whole input file, within the input limit. The read itself is bounded too, for
/// files whose size the metadata does not tell (pipes, growing files).
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    check_input_size(path)?;
    let limit = MAX_INPUT_BYTES.load(Ordering::Relaxed);
    let (file, size): (Box<dyn Read>, u64) = if is_stdin(path) {
        (Box::new(std::io::stdin().lock()), 0)
    } else {
        let file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
        let size = file.metadata().map_or(0, |m| m.len());
        (Box::new(file), size)
    };
    // Sized from the file at once: grown by doubling, each larger buffer is fresh memory
    // the kernel zeroes (2% of a small map's time).
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0) + 1);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// `-`: the standard input, for `--boundaries -` and `--status -`.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Refuses `-` (stdin) for more than one input: the first reader would take it all.
/// `inputs` are (option, path) pairs; the error names the options.
pub fn check_stdin_once<'a>(
    inputs: impl IntoIterator<Item = (&'a str, &'a Path)>,
) -> Result<(), String> {
    let on_stdin: Vec<&str> = inputs
        .into_iter()
        .filter(|(_, p)| is_stdin(p))
        .map(|(option, _)| option)
        .collect();
    if on_stdin.len() > 1 {
        return Err(format!(
            "{}: only one input can be read from stdin (`-`)",
            on_stdin.join(" and ")
        ));
    }
    Ok(())
}

/// Whether an input can only be read once, front to back (stdin, a pipe, a process
/// substitution, a FIFO): such an input is read into memory whole, and sniffed from the
/// bytes, since a sniff that reads its start would leave the parser the rest.
fn is_stream(path: &Path) -> bool {
    is_stdin(path) || std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

impl ReadError {
    /// Shorthand for [`ReadError::Invalid`].
    pub fn invalid(path: &Path, place: impl Into<String>, expected: impl Into<String>) -> Self {
        ReadError::Invalid {
            path: path.to_path_buf(),
            place: place.into(),
            expected: expected.into(),
        }
    }

    /// Shorthand for [`ReadError::Io`].
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        ReadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Reads a status timeline, telling its format from the content: JSON when the first
/// character (after a UTF-8 byte order mark and white space) is `[` or `{`, CSV otherwise.
///
/// - CSV, long: one row per district and date (no date column: a snapshot, valid for every
///   date); wide: one row per district and one column per date, the header being the date.
/// - JSON: an array of flat records (`[{"district": "Ab Band", "date": "2021-05-11",
///   "status": "0"}, ...]`), or a FeatureCollection whose features' `properties` are the
///   records (geometry is ignored). Keys play the part of CSV headers.
///
/// Columns are named in `options` or detected from the headers, and dates may be ISO or
/// `M/D/YYYY` / `D/M/YYYY`, the same way for every format.
pub fn read_timeline(path: &Path, options: &TimelineOptions) -> Result<Timeline, ReadError> {
    let bytes = read_file(path)?;
    // The csv crate would keep a BOM as part of the first header name; serde_json refuses it.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[' | b'{') => timeline_json::read(path, bytes, options),
        _ => timeline_csv::read(path, bytes, options),
    }
}

/// Reads several status timelines (each as [`read_timeline`] does, with the same options)
/// into one, file after file, so that a later file wins where two give the same district a
/// status on the same date. At least one path is needed.
pub fn read_timelines(paths: &[PathBuf], options: &TimelineOptions) -> Result<Timeline, ReadError> {
    let (first, rest) = paths.split_first().ok_or(ReadError::NoTimeline)?;
    let mut timeline = read_timeline(first, options)?;
    for path in rest {
        timeline.merge(read_timeline(path, options)?);
    }
    Ok(timeline)
}

/// The boundary file formats controlmap reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BoundaryFormat {
    /// A GeoJSON FeatureCollection of Polygon / MultiPolygon features.
    GeoJson,
    /// A TopoJSON Topology (arcs, optionally quantized).
    TopoJson,
    /// An ESRI Shapefile (`.shp` + `.dbf`, `.cpg` for the encoding).
    Shapefile,
}

impl fmt::Display for BoundaryFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BoundaryFormat::GeoJson => "GeoJSON",
            BoundaryFormat::TopoJson => "TopoJSON",
            BoundaryFormat::Shapefile => "Shapefile",
        })
    }
}

/// One polygon feature as a reader found it: geometry in lon/lat and every property as text.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Position of the feature in the file (0-based), used in every message about it.
    pub index: usize,
    /// The feature's properties, values rendered as text (numbers as written, null as "").
    /// A GeoJSON / TopoJSON feature-level `id` appears as the property `id` unless a property
    /// of that name already exists.
    pub properties: BTreeMap<String, String>,
    /// The geometry, lon/lat degrees. Features with a null or empty geometry have no polygons.
    pub geometry: MultiPolygon<f64>,
}

/// All polygon features of one layer of a boundary file, before fields are chosen.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file read.
    pub path: PathBuf,
    /// Its format, detected from the content.
    pub format: BoundaryFormat,
    /// The layer (TopoJSON object) read, when the format has layers.
    pub layer: Option<String>,
    /// The other layers in the file (TopoJSON objects), with their feature counts.
    pub other_layers: Vec<(String, usize)>,
    /// Field names in the order the file declares them (first-seen order for JSON formats).
    pub fields: Vec<String>,
    /// The features.
    pub features: Vec<Feature>,
    /// What the reader repaired, and the CRS it read.
    pub notes: ReadNotes,
}

/// What a reader found worth telling besides the features: geometry it repaired or dropped,
/// attribute values it could not read, and the CRS it reprojected from.
#[derive(Debug, Clone, Default)]
pub struct ReadNotes {
    /// One entry per feature whose geometry was repaired or partly dropped.
    pub repairs: Vec<GeometryRepair>,
    /// Attribute values that could not be read and were taken as empty (null), for fields
    /// the map does not use: one message per field.
    pub unreadable: Vec<UnreadableField>,
    /// The CRS the coordinates were reprojected from (`None`: lon/lat as written).
    pub crs: Option<String>,
}

/// An attribute field some of whose values could not be read (a `.dbf` date of zeros, say):
/// they read as empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnreadableField {
    /// The file holding the values (the `.dbf`).
    pub file: PathBuf,
    /// The field.
    pub field: String,
    /// How many records have an unreadable value in it.
    pub records: usize,
    /// The first such record (0-based).
    pub first_record: usize,
    /// What was wrong with the first one.
    pub problem: String,
}

impl fmt::Display for UnreadableField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: field `{}`: {} value(s) cannot be read (first: record {}: {}); read as empty",
            self.file.display(),
            self.field,
            self.records,
            self.first_record,
            self.problem
        )
    }
}

/// The districts of a boundary file, with the fields that were used.
#[derive(Debug, Clone)]
pub struct Boundaries {
    /// The file read.
    pub path: PathBuf,
    /// Its format.
    pub format: BoundaryFormat,
    /// The layer read (TopoJSON object).
    pub layer: Option<String>,
    /// Which fields gave the id, name and province.
    pub fields: FieldChoice,
    /// Every field of the layer, in file order.
    pub available: Vec<String>,
    /// The districts, in file order.
    pub districts: Vec<District>,
    /// What the reader repaired, and the CRS it read.
    pub notes: ReadNotes,
}

/// Reads every polygon feature of a boundary file, detecting the format from the content.
///
/// `layer` picks a TopoJSON object; by default the object with the most polygon features.
pub fn read_layer(path: &Path, layer: Option<&str>) -> Result<Layer, ReadError> {
    read_layer_with(path, layer, &GeometryOptions::default())
}

/// [`read_layer`], with the geometry options: `--strict-geometry` and `--source-crs`.
pub fn read_layer_with(
    path: &Path,
    layer: Option<&str>,
    options: &GeometryOptions,
) -> Result<Layer, ReadError> {
    let streamed = if is_stream(path) {
        let bytes = read_file(path)?;
        if format_of(path, &bytes)? == BoundaryFormat::Shapefile {
            return Err(ReadError::invalid(
                path,
                "format",
                "expected GeoJSON or TopoJSON (a Shapefile cannot come from a pipe or stdin: \
                 it needs its .shx and .dbf beside it; give the .shp path)",
            ));
        }
        Some(bytes)
    } else {
        None
    };
    let format = match &streamed {
        Some(bytes) => format_of(path, bytes)?,
        None => detect_format(path)?,
    };
    match format {
        BoundaryFormat::Shapefile => shapefile::read(path, options),
        format => {
            let bytes = match streamed {
                Some(bytes) => bytes,
                None => read_file(path)?,
            };
            let text = std::str::from_utf8(&bytes).map_err(|e| {
                ReadError::invalid(
                    path,
                    format!("byte {}", e.valid_up_to()),
                    "UTF-8 text (JSON must be UTF-8)",
                )
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if format == BoundaryFormat::TopoJson {
                topojson::read(path, text, layer, options)
            } else {
                geojson::read(path, text, options)
            }
        }
    }
}

/// Reads a boundary file and picks the id, name and province fields
/// (named in `options`, or detected for the well-known boundary sets).
pub fn read_boundaries(path: &Path, options: &FieldOptions) -> Result<Boundaries, ReadError> {
    let layer = read_layer_with(path, options.layer.as_deref(), &options.geometry)?;
    fields::districts(layer, options)
}

/// Tells the format of a boundary file from its content (and, for a Shapefile, its magic
/// number), so that a TopoJSON named `.json` is read as TopoJSON.
pub fn detect_format(path: &Path) -> Result<BoundaryFormat, ReadError> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let mut file = std::fs::File::open(path).map_err(|e| ReadError::io(path, e))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(ReadError::io(path, e)),
        }
    }
    format_of(path, &head[..n])
}

/// [`detect_format`] from the first bytes of the file (any number; 4096 are enough).
fn format_of(path: &Path, head: &[u8]) -> Result<BoundaryFormat, ReadError> {
    let head = &head[..head.len().min(4096)];
    // The Shapefile main header starts with the big-endian file code 9994.
    if head.len() >= 4 && head[..4] == [0x00, 0x00, 0x27, 0x0a] {
        return Ok(BoundaryFormat::Shapefile);
    }
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('{') {
        return Err(ReadError::UnknownFormat {
            path: path.to_path_buf(),
        });
    }
    // A TopoJSON's top-level "type" is "Topology"; look for it anywhere in the head, since
    // key order is free ("arcs" may come first).
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let topology = compact.contains("\"type\":\"Topology\"")
        || (compact.contains("\"arcs\":") && !compact.contains("\"features\":"));
    if topology {
        Ok(BoundaryFormat::TopoJson)
    } else {
        Ok(BoundaryFormat::GeoJson)
    }
}
