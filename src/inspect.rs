//! `controlmap inspect`: what a boundary file holds (format, layers, features, bbox, fields
//! with sample values, the fields the map would use), as text or JSON. Beside [`crate::check`]
//! and [`crate::stats`]: the library describes, the binary only prints.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::read::{self, BoundaryFormat, FieldChoice, FieldOptions, GeometryOptions, ReadError};

/// How many distinct sample values are shown per field.
const SAMPLES: usize = 3;

/// A boundary file described. Serialises to the JSON of `controlmap inspect --json`; its
/// members are declared in the order that JSON has always had (alphabetical).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inspection {
    /// The bounding box of the features in lon/lat: minlon, minlat, maxlon, maxlat.
    pub bbox: Option<[f64; 4]>,
    /// The CRS the coordinates were reprojected from (`None`: lon/lat as written).
    pub crs: Option<String>,
    /// The id, name and province fields the map would use, when a name field is found.
    pub detected: Option<FieldChoice>,
    /// Features whose geometry is empty.
    pub empty_geometries: usize,
    /// Features read.
    pub features: usize,
    /// Every field, with up to three distinct non-empty sample values.
    pub fields: Vec<FieldSamples>,
    /// The file described.
    pub file: PathBuf,
    /// Its format, detected from the content.
    pub format: BoundaryFormat,
    /// The layer (TopoJSON object) described, when the format has layers.
    pub layer: Option<String>,
    /// The other layers, with their feature counts.
    pub other_layers: Vec<(String, usize)>,
    /// What the reader repaired or dropped, one entry per feature.
    pub repaired_geometries: Vec<read::GeometryRepair>,
    /// What the reader found worth a warning (repairs, unreadable fields), for the caller
    /// to show.
    #[serde(skip)]
    pub notes: read::ReadNotes,
}

/// A field and some of its values.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldSamples {
    /// The field's name.
    pub name: String,
    /// Up to three distinct non-empty values, in feature order.
    pub samples: Vec<String>,
}

impl Inspection {
    /// Reads `file` (`layer`: a TopoJSON object; `geometry`: a CRS override) and describes
    /// it. Geometry is never refused here: describing a broken file is the point.
    pub fn new(
        file: &Path,
        layer: Option<&str>,
        geometry: &GeometryOptions,
    ) -> Result<Inspection, ReadError> {
        let read = read::read_layer_with(file, layer, geometry)?;
        // The field detection of a map; a file without a name field is still described.
        let detected = read::read_boundaries(
            file,
            &FieldOptions {
                layer: layer.map(str::to_string),
                geometry: geometry.clone(),
                ..FieldOptions::default()
            },
        )
        .ok()
        .map(|b| b.fields);
        let bbox = crate::project::polygon_bounds(read.features.iter().map(|f| &f.geometry))
            .map(|b| [b.min().x, b.min().y, b.max().x, b.max().y]);
        let empty_geometries = read
            .features
            .iter()
            .filter(|f| f.geometry.0.is_empty())
            .count();
        let fields = read
            .fields
            .iter()
            .map(|name| {
                let mut samples: Vec<String> = Vec::new();
                for f in &read.features {
                    if let Some(v) = f.properties.get(name).filter(|v| !v.is_empty())
                        && !samples.contains(v)
                    {
                        samples.push(v.clone());
                        if samples.len() == SAMPLES {
                            break;
                        }
                    }
                }
                FieldSamples {
                    name: name.clone(),
                    samples,
                }
            })
            .collect();
        Ok(Inspection {
            bbox,
            crs: read.notes.crs.clone(),
            detected,
            empty_geometries,
            features: read.features.len(),
            fields,
            file: file.to_path_buf(),
            format: read.format,
            layer: read.layer,
            other_layers: read.other_layers,
            repaired_geometries: read.notes.repairs.clone(),
            notes: read.notes,
        })
    }

    /// The description as text, one `key: value` line each, then the fields. Values from
    /// the file are escaped for the terminal.
    pub fn text(&self) -> String {
        let shown = crate::terminal::shown;
        let mut out = String::new();
        // Writing to a String cannot fail.
        let mut line = |text: String| {
            let _ = writeln!(out, "{text}");
        };
        line(format!("file:      {}", self.file.display()));
        line(format!("format:    {}", self.format));
        if let Some(l) = &self.layer {
            line(format!("layer:     {l}"));
        }
        for (name, n) in &self.other_layers {
            line(format!("also:      {name} ({n} features; --layer {name})"));
        }
        line(format!(
            "features:  {} ({} with empty geometry, {} repaired)",
            self.features,
            self.empty_geometries,
            self.repaired_geometries.len()
        ));
        if let Some(crs) = &self.crs {
            line(format!("crs:       {crs}, reprojected to lon/lat"));
        }
        if let Some([x0, y0, x1, y1]) = self.bbox {
            line(format!("bbox:      {x0:.5},{y0:.5},{x1:.5},{y1:.5}"));
        }
        line(match &self.detected {
            Some(d) => format!(
                "detected:  id={} name={} province={}",
                d.id.as_deref().unwrap_or("(feature index)"),
                d.name,
                d.province.as_deref().unwrap_or("(none)")
            ),
            None => "detected:  no name field; name one with --name-field".to_string(),
        });
        line("fields:".to_string());
        for field in &self.fields {
            let samples: Vec<_> = field.samples.iter().map(|s| shown(s)).collect();
            line(format!(
                "  {:<14} {}",
                shown(&field.name),
                samples.join(" | ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    #[test]
    fn describes_the_fixture_with_its_fields_and_samples() {
        let i = Inspection::new(
            &fixture("districts.geojson"),
            None,
            &GeometryOptions::default(),
        )
        .unwrap();
        assert!(i.features > 0);
        assert!(i.bbox.is_some());
        assert!(i.fields.iter().all(|f| f.samples.len() <= SAMPLES));
        let text = i.text();
        assert!(text.starts_with("file:      "), "{text}");
        assert!(text.contains("\nfields:\n"), "{text}");
        let json = serde_json::to_value(&i).unwrap();
        assert_eq!(json["features"], i.features);
        assert!(json.get("notes").is_none());
    }

    #[test]
    fn a_missing_file_is_a_read_error() {
        assert!(
            Inspection::new(
                &fixture("no-such.geojson"),
                None,
                &GeometryOptions::default()
            )
            .is_err()
        );
    }
}
