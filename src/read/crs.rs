//! Coordinate reference systems of boundary files: a Shapefile's `.prj`, a GeoJSON `crs`
//! member, or `--source-crs`, turned into a proj4rs projection back to WGS 84 lon/lat.
//!
//! Two crates do the look-ups, both hand-written code would get wrong in small ways:
//! - `crs-definitions` (CC0, no dependencies, the EPSG registry as PROJ strings, built
//!   from the same crs-csv tables proj4js uses) maps `EPSG:32642` to `+proj=utm +zone=42 …`;
//!   only its `proj4` feature is on, so the WKT copies of the registry are not compiled in.
//! - `proj4wkt` (by the authors of proj4rs, made to feed it) turns ESRI and OGC WKT1 (and
//!   WKT2) into a PROJ string proj4rs understands, for `.prj` files without an EPSG code,
//!   which is what ArcGIS and most national mapping agencies write.
//!
//! A `.prj` whose WKT names an EPSG authority for the whole system goes through the registry
//! first: the registry's definition carries the datum shift the WKT may leave out.

use std::fmt;

use proj4rs::Proj;

/// Where a boundary file's coordinate reference system was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrsOrigin {
    /// `--source-crs` on the command line.
    Flag,
    /// The Shapefile's `.prj`.
    Prj,
    /// The GeoJSON `crs` member.
    GeoJsonMember,
}

impl fmt::Display for CrsOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CrsOrigin::Flag => "--source-crs",
            CrsOrigin::Prj => "the .prj",
            CrsOrigin::GeoJsonMember => "the GeoJSON `crs` member",
        })
    }
}

/// A coordinate reference system that boundary coordinates are given in.
#[derive(Debug, Clone)]
pub struct SourceCrs {
    /// A short human name: `EPSG:32642`, the WKT's own name, or the PROJ string.
    pub label: String,
    /// The PROJ string handed to proj4rs.
    pub proj4: String,
    /// Where it was declared.
    pub origin: CrsOrigin,
    proj: Proj,
    wgs84: Proj,
    /// Geographic (degrees) rather than projected (metres, feet).
    geographic: bool,
    /// Lon/lat on WGS 84 (or a datum within a millimetre of it): no transformation at all, so
    /// that files in plain lon/lat keep their coordinates bit for bit.
    identity: bool,
}

impl SourceCrs {
    /// Parses `EPSG:NNNN`, `urn:ogc:def:crs:EPSG::NNNN`, `CRS84` (and its OGC URN), a PROJ
    /// string (`+proj=…`) or WKT (`PROJCS[…]`, `GEOGCS[…]`, WKT2 too); `origin` says where it
    /// came from. The error says what was expected.
    ///
    /// ```
    /// use controlmap::read::{CrsOrigin, SourceCrs};
    /// let utm = SourceCrs::parse("EPSG:32642", CrsOrigin::Flag).unwrap();
    /// let (lon, lat) = utm.to_lonlat(500_000.0, 3_800_000.0).unwrap();
    /// assert!((lon - 69.0).abs() < 1e-9 && (lat - 34.34).abs() < 0.01);
    /// assert!(SourceCrs::parse("EPSG:1", CrsOrigin::Flag).is_err());
    /// ```
    pub fn parse(text: &str, origin: CrsOrigin) -> Result<SourceCrs, String> {
        let text = text.trim().trim_start_matches('\u{feff}').trim();
        let upper = text.to_ascii_uppercase();
        let (label, proj4) = if let Some(code) = epsg_code(&upper) {
            (format!("EPSG:{code}"), registry(code)?)
        } else if upper == "CRS84"
            || upper == "OGC:CRS84"
            || upper.starts_with("URN:OGC:DEF:CRS:OGC:") && upper.ends_with("CRS84")
        {
            (
                "CRS84".to_string(),
                "+proj=longlat +datum=WGS84 +no_defs".to_string(),
            )
        } else if text.starts_with('+') || text.starts_with("proj=") {
            (text.to_string(), text.to_string())
        } else if upper.contains('[') || upper.contains('(') {
            wkt(text)?
        } else {
            return Err(format!(
                "`{text}`: expected EPSG:NNNN, a PROJ string (+proj=…) or WKT (PROJCS[…])"
            ));
        };
        let proj = Proj::from_proj_string(&proj4)
            .map_err(|e| format!("{label} (`{proj4}`): proj4rs cannot use it: {e}"))?;
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|e| format!("WGS 84: {e}"))?;
        let geographic = proj.is_latlong();
        let mut crs = SourceCrs {
            label,
            proj4,
            origin,
            proj,
            wgs84,
            geographic,
            identity: false,
        };
        // Decided by transforming two probe points rather than by reading datum names, which
        // come in a dozen spellings (D_WGS_1984, WGS84, WGS_1984, …).
        crs.identity = geographic
            && [(10.0, 50.0), (-120.0, -30.0)].iter().all(|&(lon, lat)| {
                crs.to_lonlat(lon, lat)
                    .is_some_and(|(x, y)| (x - lon).abs() < 1e-8 && (y - lat).abs() < 1e-8)
            });
        Ok(crs)
    }

    /// Whether coordinates are degrees (a geographic CRS) rather than metres or feet.
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// Whether coordinates are already WGS 84 lon/lat, to be taken as they are.
    pub fn is_identity(&self) -> bool {
        self.identity
    }

    /// One coordinate in this CRS → WGS 84 lon/lat degrees; `None` when proj4rs cannot
    /// transform it (outside the projection's domain).
    pub fn to_lonlat(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if self.identity {
            return Some((x, y));
        }
        let mut p = if self.geographic {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(&self.proj, &self.wgs84, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }
}

impl fmt::Display for SourceCrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label, self.origin)
    }
}

/// The EPSG code of `EPSG:NNNN`, `EPSG::NNNN` or `urn:ogc:def:crs:EPSG:[version]:NNNN`
/// (already upper case).
fn epsg_code(upper: &str) -> Option<u32> {
    let rest = upper
        .strip_prefix("URN:OGC:DEF:CRS:EPSG:")
        .or_else(|| upper.strip_prefix("EPSG:"))?;
    rest.rsplit(':').next()?.trim().parse().ok()
}

fn registry(code: u32) -> Result<String, String> {
    // EPSG:4326's axis order is lat/lon on paper; every GeoJSON and Shapefile writer that
    // names it still writes lon/lat, as GDAL does.
    u16::try_from(code)
        .ok()
        .and_then(crs_definitions::from_code)
        .map(|d| d.proj4.to_string())
        .ok_or_else(|| format!("EPSG:{code} is not in the EPSG registry this build knows"))
}

/// A WKT definition → (its name, a PROJ string).
fn wkt(text: &str) -> Result<(String, String), String> {
    let name = wkt_name(text).unwrap_or_else(|| "WKT".to_string());
    // proj4wkt parses by recursion, so a hostile nesting overflows the stack (found by
    // fuzzing). A real definition nests a handful of levels (WKT2's deepest about 8).
    let depth = wkt_depth(text);
    if depth > MAX_WKT_DEPTH {
        return Err(format!(
            "`{name}`: WKT nested {depth} levels deep; a CRS definition needs at most {MAX_WKT_DEPTH}"
        ));
    }
    if let Some(code) = wkt_top_authority(text)
        && let Ok(proj4) = registry(code)
    {
        return Ok((format!("{name} (EPSG:{code})"), proj4));
    }
    let proj4 = proj4wkt::wkt_to_projstring(text)
        .map_err(|e| format!("`{name}`: cannot read this WKT ({e})"))?;
    Ok((name, proj4))
}

/// The deepest WKT nesting accepted.
const MAX_WKT_DEPTH: usize = 32;

/// How deep the brackets of a WKT text nest, outside its quoted strings.
fn wkt_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_string) = (0usize, 0usize, false);
    for b in text.bytes() {
        match b {
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'(' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The quoted name right after the outermost keyword: `PROJCS["WGS 84 / UTM zone 42N", …`.
fn wkt_name(text: &str) -> Option<String> {
    let open = text.find(['[', '('])?;
    let rest = text.get(open + 1..)?.trim_start().strip_prefix('"')?;
    Some(rest.get(..rest.find('"')?)?.to_string())
}

/// The EPSG code of the outermost node's own `AUTHORITY["EPSG","NNNN"]` (WKT1) or
/// `ID["EPSG",NNNN]` (WKT2): the last one at nesting depth 1, so that the datum's or the
/// base geographic system's code is not taken for the whole system's.
fn wkt_top_authority(text: &str) -> Option<u32> {
    let mut depth = 0usize;
    let mut found = None;
    let bytes = text.as_bytes();
    let mut in_string = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth = depth.saturating_sub(1),
            // A keyword starts with an ASCII letter; a byte inside a multi-byte character is
            // no place to slice the text at (found by fuzzing).
            _ if depth == 1 && b.is_ascii_alphabetic() => {
                let Some(rest) = text.get(i..) else { continue };
                let upper = rest.get(..10).unwrap_or(rest).to_ascii_uppercase();
                if upper.starts_with("AUTHORITY[") || upper.starts_with("ID[") {
                    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
                        continue;
                    };
                    let Some(inner) = rest.get(open + 1..close) else {
                        continue;
                    };
                    let mut parts = inner.split(',').map(|p| p.trim().trim_matches('"'));
                    if parts.next()?.eq_ignore_ascii_case("EPSG") {
                        found = parts.next().and_then(|c| c.parse().ok());
                    }
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_UTM42: &str = r#"PROJCS["WGS_1984_UTM_Zone_42N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",69.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    fn close(a: (f64, f64), b: (f64, f64), tol: f64) -> bool {
        (a.0 - b.0).abs() < tol && (a.1 - b.1).abs() < tol
    }

    #[test]
    fn deeply_nested_wkt_is_refused_before_the_parser_recurses() {
        let deep = format!("{}1{}", "PROJCS[".repeat(10_000), "]".repeat(10_000));
        let err = SourceCrs::parse(&deep, CrsOrigin::Prj).unwrap_err();
        assert!(err.contains("10000 levels deep"), "{err}");
        assert_eq!(wkt_depth(ESRI_UTM42), 4);
    }

    #[test]
    fn a_multibyte_character_in_wkt_is_no_place_to_cut() {
        // Found by fuzzing: a non-ASCII letter at depth 1 used to be sliced inside.
        assert_eq!(
            wkt_top_authority("X[Ĵ AUTHORITY[\"EPSG\",\"4326\"]]"),
            Some(4326)
        );
        assert_eq!(wkt_top_authority("G:1AUTHORITY[ 2IĴ"), None);
        assert!(SourceCrs::parse("G:340AUS:341AUTHORITY[ 2IĴ", CrsOrigin::Prj).is_err());
    }

    #[test]
    fn esri_wkt_and_epsg_code_agree() {
        let wkt = SourceCrs::parse(ESRI_UTM42, CrsOrigin::Prj).unwrap();
        assert_eq!(wkt.label, "WGS_1984_UTM_Zone_42N");
        assert!(!wkt.is_geographic());
        let epsg = SourceCrs::parse("EPSG:32642", CrsOrigin::Flag).unwrap();
        let urn =
            SourceCrs::parse("urn:ogc:def:crs:EPSG::32642", CrsOrigin::GeoJsonMember).unwrap();
        // Kabul in UTM 42N (from the zone's own formulas: 69.2°E, 34.5°N).
        for crs in [&wkt, &epsg, &urn] {
            let p = crs.to_lonlat(518_340.0, 3_817_960.0).unwrap();
            assert!(close(p, (69.2, 34.5), 0.01), "{crs}: {p:?}");
        }
        let a = wkt.to_lonlat(400_000.0, 3_500_000.0).unwrap();
        let b = epsg.to_lonlat(400_000.0, 3_500_000.0).unwrap();
        assert!(close(a, b, 1e-9), "{a:?} {b:?}");
    }

    #[test]
    fn ocgc_wkt_with_authority_uses_the_registry() {
        let wkt = r#"PROJCS["WGS 84 / UTM zone 42N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",69],UNIT["metre",1],AUTHORITY["EPSG","32642"]]"#;
        assert_eq!(wkt_top_authority(wkt), Some(32642));
        let crs = SourceCrs::parse(wkt, CrsOrigin::Prj).unwrap();
        assert_eq!(crs.label, "WGS 84 / UTM zone 42N (EPSG:32642)");
        assert!(crs.proj4.contains("+zone=42"), "{}", crs.proj4);
    }

    #[test]
    fn wgs84_lon_lat_is_the_identity() {
        for text in [
            r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#,
            "EPSG:4326",
            "urn:ogc:def:crs:OGC:1.3:CRS84",
            "+proj=longlat +datum=WGS84",
        ] {
            let crs = SourceCrs::parse(text, CrsOrigin::Prj).unwrap();
            assert!(crs.is_geographic() && crs.is_identity(), "{text}");
            assert_eq!(
                crs.to_lonlat(65.123456789, 33.1),
                Some((65.123456789, 33.1))
            );
        }
    }

    #[test]
    fn unknown_crs_is_explained() {
        let e = SourceCrs::parse("EPSG:99999", CrsOrigin::Flag).unwrap_err();
        assert!(e.contains("EPSG:99999 is not in the EPSG registry"), "{e}");
        let e = SourceCrs::parse("UTM 42", CrsOrigin::Flag).unwrap_err();
        assert!(e.contains("expected EPSG:NNNN"), "{e}");
        let e = SourceCrs::parse("+proj=nonsense", CrsOrigin::Flag).unwrap_err();
        assert!(e.contains("proj4rs cannot use it"), "{e}");
        let e = SourceCrs::parse("PROJCS[\"x\",GARBAGE", CrsOrigin::Prj).unwrap_err();
        assert!(e.contains("cannot read this WKT"), "{e}");
    }
}
