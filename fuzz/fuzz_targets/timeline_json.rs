//! Timeline JSON: any bytes after a `[` give a timeline or an error, never a panic; and
//! whatever is read classifies under both presets without panicking.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("input.json");
    let bytes = common::as_json(data);
    if std::fs::write(&path, &bytes).is_err() {
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
