//! Choosing the id, name and province fields of a boundary layer.

use std::collections::HashMap;

use super::{Boundaries, District, DistrictId, Layer, ReadError};

/// Which fields to use; `None` means detect.
#[derive(Debug, Clone, Default)]
pub struct FieldOptions {
    /// The property holding the district id (`--id-field`).
    pub id_field: Option<String>,
    /// The property holding the district name (`--name-field`).
    pub name_field: Option<String>,
    /// The property holding the province name (`--province-field`).
    pub province_field: Option<String>,
    /// The TopoJSON object to read (`--layer`).
    pub layer: Option<String>,
    /// `--strict-geometry` and `--source-crs`.
    pub geometry: super::GeometryOptions,
}

/// The fields that were used.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldChoice {
    /// Id field; `None` means ids are `#<feature index>`.
    pub id: Option<String>,
    /// Name field.
    pub name: String,
    /// Province field, if any.
    pub province: Option<String>,
}

/// Name fields of the well-known boundary sets (OCHA, geoBoundaries, GADM, ...), best first.
const NAME_FIELDS: &[&str] = &[
    "ADM2_EN",
    "shapeName",
    "NAME_2",
    "NAME",
    "DIST_NAME",
    "DISTRICT",
    "district",
    "name",
];

const ID_FIELDS: &[&str] = &[
    "ADM2_PCODE",
    "shapeID",
    "GID_2",
    "HASC_2",
    "DIST_CODE",
    "id",
    "ID",
];

const PROVINCE_FIELDS: &[&str] = &[
    "ADM1_EN",
    "PROVINCE",
    "NAME_1",
    "province",
    "PROV_NAME",
    "ADM1_NAME",
];

/// Picks the fields (named in `options`, else detected) and turns every feature into a
/// district, keeping features without geometry so that indices stay those of the file.
pub(super) fn districts(layer: Layer, options: &FieldOptions) -> Result<Boundaries, ReadError> {
    if layer.features.is_empty() {
        let place = match &layer.layer {
            Some(name) => format!("object `{name}`"),
            None => "features".to_string(),
        };
        return Err(ReadError::invalid(
            &layer.path,
            place,
            "no features: the file holds no district to draw",
        ));
    }
    let name = match &options.name_field {
        Some(wanted) => named(&layer, "name", wanted)?,
        None => detect(&layer.fields, NAME_FIELDS)
            .or_else(|| id_holding_names(&layer))
            .ok_or_else(|| ReadError::UndetectedField {
                path: layer.path.clone(),
                role: "name",
                flag: "name-field",
                available: layer.fields.clone(),
            })?,
    };
    let id = match &options.id_field {
        Some(wanted) => {
            let field = named(&layer, "id", wanted)?;
            if let Err((place, problem)) = check_unique(&layer, &field) {
                return Err(ReadError::invalid(&layer.path, place, problem));
            }
            Some(field)
        }
        // A detected field that is not a usable key is passed over, not an error.
        None => ID_FIELDS
            .iter()
            .filter_map(|candidate| find(&layer.fields, candidate))
            .find(|field| check_unique(&layer, field).is_ok()),
    };
    let province = match &options.province_field {
        Some(wanted) => Some(named(&layer, "province", wanted)?),
        None => detect(&layer.fields, PROVINCE_FIELDS),
    };

    // A value that could not be read is an error where the map needs it, and taken as empty
    // (with a warning, in `notes`) where it does not.
    let used = [
        ("id", id.as_deref()),
        ("name", Some(name.as_str())),
        ("province", province.as_deref()),
    ];
    for u in &layer.notes.unreadable {
        if let Some((role, _)) = used.iter().find(|(_, f)| *f == Some(u.field.as_str())) {
            return Err(ReadError::invalid(
                &u.file,
                format!("record {}, field `{}`", u.first_record, u.field),
                format!(
                    "{} (the map's {role} field; {} record(s) affected)",
                    u.problem, u.records
                ),
            ));
        }
    }

    let districts = layer
        .features
        .into_iter()
        .map(|feature| {
            let text = |field: &str| {
                feature
                    .properties
                    .get(field)
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            };
            District {
                index: feature.index,
                id: DistrictId(match &id {
                    Some(field) => text(field),
                    None => format!("#{}", feature.index),
                }),
                name: text(&name),
                province: province.as_deref().map(text).filter(|p| !p.is_empty()),
                geometry: feature.geometry,
            }
        })
        .collect();
    Ok(Boundaries {
        path: layer.path,
        format: layer.format,
        layer: layer.layer,
        fields: FieldChoice { id, name, province },
        available: layer.fields,
        districts,
        notes: layer.notes,
    })
}

/// The layer's field matching `wanted`, exactly or else ignoring ASCII case.
fn find(fields: &[String], wanted: &str) -> Option<String> {
    fields
        .iter()
        .find(|f| *f == wanted)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(wanted)))
        .cloned()
}

fn named(layer: &Layer, role: &'static str, wanted: &str) -> Result<String, ReadError> {
    find(&layer.fields, wanted).ok_or_else(|| ReadError::MissingField {
        path: layer.path.clone(),
        role,
        field: wanted.to_string(),
        available: layer.fields.clone(),
    })
}

fn detect(fields: &[String], candidates: &[&str]) -> Option<String> {
    candidates.iter().find_map(|c| find(fields, c))
}

/// The `id` field when it holds names rather than codes, as in TopoJSON files whose
/// geometry ids are district names.
fn id_holding_names(layer: &Layer) -> Option<String> {
    let field = find(&layer.fields, "id")?;
    let values: Vec<&str> = layer
        .features
        .iter()
        .filter_map(|f| f.properties.get(&field))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    let textual = values.iter().filter(|v| v.parse::<f64>().is_err()).count();
    (textual * 2 > values.len()).then_some(field)
}

/// Checks that every feature has a distinct, non-empty value in `field`; on failure, the
/// place and the problem.
fn check_unique(layer: &Layer, field: &str) -> Result<(), (String, String)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for feature in &layer.features {
        let place = format!("feature {}", feature.index);
        let value = feature.properties.get(field).map_or("", |v| v.trim());
        if value.is_empty() {
            return Err((place, format!("the id field `{field}` is empty")));
        }
        if let Some(first) = seen.insert(value, feature.index) {
            return Err((
                place,
                format!(
                    "the id field `{field}` repeats `{value}` of feature {first}; ids must be unique"
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use super::super::{BoundaryFormat, Feature, read_boundaries};
    use super::*;
    use geo::MultiPolygon;

    fn layer(fields: &[&str], rows: &[&[&str]]) -> Layer {
        Layer {
            path: PathBuf::from("test.geojson"),
            format: BoundaryFormat::GeoJson,
            layer: None,
            other_layers: Vec::new(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
            notes: Default::default(),
            features: rows
                .iter()
                .enumerate()
                .map(|(index, row)| Feature {
                    index,
                    properties: fields
                        .iter()
                        .zip(row.iter())
                        .map(|(f, v)| (f.to_string(), v.to_string()))
                        .collect::<BTreeMap<_, _>>(),
                    geometry: MultiPolygon::new(Vec::new()),
                })
                .collect(),
        }
    }

    fn options(id: Option<&str>, name: Option<&str>, province: Option<&str>) -> FieldOptions {
        FieldOptions {
            id_field: id.map(str::to_string),
            name_field: name.map(str::to_string),
            province_field: province.map(str::to_string),
            layer: None,
            geometry: Default::default(),
        }
    }

    #[test]
    fn detects_ocha_style_fields() {
        let l = layer(
            &["Shape_Leng", "ADM2_EN", "ADM2_PCODE", "ADM1_EN"],
            &[
                &["1", " Ab Band ", "AF1113", "Ghazni"],
                &["2", "Ajristan", "AF1116", ""],
            ],
        );
        let b = districts(l, &FieldOptions::default()).unwrap();
        assert_eq!(
            b.fields,
            FieldChoice {
                id: Some("ADM2_PCODE".into()),
                name: "ADM2_EN".into(),
                province: Some("ADM1_EN".into()),
            }
        );
        assert_eq!(b.districts[0].name, "Ab Band");
        assert_eq!(b.districts[0].id, DistrictId("AF1113".into()));
        assert_eq!(b.districts[0].province.as_deref(), Some("Ghazni"));
        assert_eq!(b.districts[1].province, None, "empty province cell");
    }

    #[test]
    fn detection_ignores_case() {
        let l = layer(&["Name", "Province"], &[&["A", "P"]]);
        let b = districts(l, &FieldOptions::default()).unwrap();
        assert_eq!(b.fields.name, "Name");
        assert_eq!(b.fields.province.as_deref(), Some("Province"));
        assert_eq!(b.fields.id, None);
        assert_eq!(b.districts[0].id, DistrictId("#0".into()));
    }

    #[test]
    fn textual_id_becomes_name_and_repeating_id_is_passed_over() {
        let l = layer(
            &["id", "province"],
            &[
                &["Fayzabad", "Badakhshan"],
                &["Fayzabad", "Jawzjan"],
                &["Reg", ""],
            ],
        );
        let b = districts(l, &FieldOptions::default()).unwrap();
        assert_eq!(b.fields.name, "id");
        assert_eq!(b.fields.id, None);
        let ids: Vec<_> = b.districts.iter().map(|d| d.id.0.as_str()).collect();
        assert_eq!(ids, ["#0", "#1", "#2"]);
    }

    #[test]
    fn numeric_id_is_not_a_name() {
        let l = layer(&["id", "code"], &[&["1", "a"], &["2", "b"]]);
        let err = districts(l, &FieldOptions::default()).unwrap_err();
        assert!(matches!(
            err,
            ReadError::UndetectedField {
                role: "name",
                flag: "name-field",
                ..
            }
        ));
        assert!(err.to_string().contains("--name-field (fields: id, code)"));
    }

    #[test]
    fn auto_id_falls_back_to_next_candidate() {
        let l = layer(
            &["NAME", "GID_2", "HASC_2"],
            &[&["A", "x", "AF.1"], &["B", "x", "AF.2"]],
        );
        let b = districts(l, &FieldOptions::default()).unwrap();
        assert_eq!(b.fields.id.as_deref(), Some("HASC_2"));
    }

    #[test]
    fn named_fields_must_exist() {
        let l = layer(&["NAME", "CODE"], &[&["A", "1"]]);
        let err = districts(l.clone(), &options(None, Some("DIST"), None)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "test.geojson: no name field `DIST`; available: NAME, CODE"
        );
        let err = districts(l.clone(), &options(Some("PCODE"), None, None)).unwrap_err();
        assert!(matches!(err, ReadError::MissingField { role: "id", .. }));
        let err = districts(l.clone(), &options(None, None, Some("PROV"))).unwrap_err();
        assert!(matches!(
            err,
            ReadError::MissingField {
                role: "province",
                ..
            }
        ));
        let b = districts(l, &options(Some("code"), Some("NAME"), None)).unwrap();
        assert_eq!(b.fields.id.as_deref(), Some("CODE"));
        assert_eq!(b.districts[0].id, DistrictId("1".into()));
    }

    #[test]
    fn named_id_must_be_unique() {
        let l = layer(&["NAME", "CODE"], &[&["A", "1"], &["B", "2"], &["C", "1"]]);
        let err = districts(l, &options(Some("CODE"), None, None)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "test.geojson: feature 2: the id field `CODE` repeats `1` of feature 0; ids must be unique"
        );
    }

    fn shared(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data")
            .join(path)
    }

    fn choice(id: Option<&str>, name: &str, province: Option<&str>) -> FieldChoice {
        FieldChoice {
            id: id.map(str::to_string),
            name: name.to_string(),
            province: province.map(str::to_string),
        }
    }

    #[test]
    fn real_files_detect_fields() {
        let cases = [
            (
                "ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp",
                399,
                choice(Some("ADM2_PCODE"), "ADM2_EN", Some("ADM1_EN")),
            ),
            (
                "geoboundaries-adm2/geoBoundaries-AFG-ADM2.topojson",
                398,
                choice(Some("shapeID"), "shapeName", None),
            ),
            (
                "geoboundaries-adm2/geoBoundaries-AFG-ADM2_simplified.geojson",
                398,
                choice(Some("shapeID"), "shapeName", None),
            ),
            (
                "geoboundaries-adm2/geoBoundaries-AFG-ADM2.shp",
                398,
                choice(Some("shapeID"), "shapeName", None),
            ),
            (
                "gadm-districts/AFG_districts.json",
                328,
                choice(Some("GID_2"), "NAME", Some("PROVINCE")),
            ),
            (
                "taliban-takeover-2021/combined.json",
                329,
                choice(None, "id", Some("province")),
            ),
        ];
        for (file, count, fields) in cases {
            let b = read_boundaries(&shared(file), &FieldOptions::default()).unwrap();
            assert_eq!(b.districts.len(), count, "{file}");
            assert_eq!(b.fields, fields, "{file}");
            assert!(b.districts.iter().all(|d| !d.name.is_empty()), "{file}");
        }
    }

    #[test]
    fn real_takeover_districts() {
        let b = read_boundaries(
            &shared("taliban-takeover-2021/combined.json"),
            &FieldOptions::default(),
        )
        .unwrap();
        assert_eq!(b.format, BoundaryFormat::TopoJson);
        assert_eq!(b.layer.as_deref(), Some("districts"));
        assert_eq!(b.districts[0].id, DistrictId("#0".into()));
        assert_eq!(b.districts[328].id, DistrictId("#328".into()));
        assert_eq!(b.districts[0].name, "Darwaz");
        assert_eq!(b.districts[0].province.as_deref(), Some("Badakhshan"));
        let err = read_boundaries(
            &shared("taliban-takeover-2021/combined.json"),
            &options(Some("id"), None, None),
        )
        .unwrap_err();
        assert!(err.to_string().contains("ids must be unique"), "{err}");
    }

    #[test]
    fn real_ocha_names_are_dari_and_english() {
        let b = read_boundaries(
            &shared("ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp"),
            &options(None, Some("ADM2_DA"), None),
        )
        .unwrap();
        assert_eq!(b.districts[0].name, "آب بند");
        assert_eq!(b.districts[0].id, DistrictId("AF1113".into()));
        assert_eq!(b.districts[0].province.as_deref(), Some("Ghazni"));
    }
}
