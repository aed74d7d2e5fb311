//! Places CSVs: any bytes give places or an error, never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("places.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(places) = controlmap::read::read_places(&path) {
        assert!(places.iter().all(|p| p.lon.is_finite() && p.lat.is_finite()));
    }
});
