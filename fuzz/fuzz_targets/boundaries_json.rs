//! GeoJSON and TopoJSON: any bytes give boundaries or an error, never a panic.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("input.json");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(layer) = controlmap::read::read_layer(&path, None) {
        // Whatever was read must also survive field detection.
        let _ = controlmap::read::read_boundaries(&path, &Default::default());
        assert!(layer.features.iter().all(|f| f.geometry.0.iter().all(|p| p
            .exterior()
            .0
            .iter()
            .all(|c| c.x.is_finite() && c.y.is_finite()))));
    }
});
