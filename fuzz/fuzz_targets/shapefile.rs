//! Shapefile + DBF: the input is split in two at its first 0xFF 0x00 0xFF marker (the .shp
//! before, the .dbf after), so both files and their mismatches get explored.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data
        .windows(3)
        .position(|w| w == [0xff, 0x00, 0xff])
        .unwrap_or(data.len());
    let (shp, dbf) = (&data[..split], data.get(split + 3..).unwrap_or(&[]));
    let path = common::scratch("input.shp");
    if std::fs::write(&path, shp).is_err() || std::fs::write(path.with_extension("dbf"), dbf).is_err() {
        return;
    }
    let _ = controlmap::read::read_layer(&path, None);
});
