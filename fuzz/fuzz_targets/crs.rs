//! CRS declarations as a `.prj`, a GeoJSON `crs` name or `--source-crs` give them: WKT, PROJ
//! strings, EPSG codes. The first 16 bytes, when there are that many, are a coordinate pair to
//! transform, so proj4rs's projections are driven with hostile numbers too.
#![no_main]

use controlmap::read::{CrsOrigin, SourceCrs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (xy, text) = if data.len() >= 16 { data.split_at(16) } else { (&[][..], data) };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let Ok(crs) = SourceCrs::parse(text, CrsOrigin::Prj) else { return };
    let mut points = vec![(500_000.0, 3_800_000.0), (69.0, 34.0), (0.0, 0.0)];
    if xy.len() == 16 {
        let x = f64::from_le_bytes(xy[..8].try_into().unwrap());
        let y = f64::from_le_bytes(xy[8..].try_into().unwrap());
        points.push((x, y));
    }
    for (x, y) in points {
        let _ = crs.to_lonlat(x, y);
    }
});
