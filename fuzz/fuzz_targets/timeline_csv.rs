//! Timeline CSVs: any bytes give a timeline or an error, never a panic; and whatever is read
//! classifies under both presets without panicking.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("input.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(timeline) = controlmap::read::read_timeline(&path, &Default::default()) {
        for preset in ["lwj", "binary"] {
            if let Some(categories) = controlmap::status::Categories::preset(preset) {
                let _ = categories.classify_timeline(&timeline);
            }
        }
        let _ = timeline.dates();
    }
});
