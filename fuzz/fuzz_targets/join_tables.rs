//! Alias files and crosswalks: any bytes give a table or an error, never a panic; a table that
//! reads is then used in a join without panicking.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("table.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(aliases) = controlmap::read::read_aliases(&path) {
        assert!(aliases.rows.iter().all(|r| !r.alias.is_empty() && !r.name.is_empty()));
    }
    let from = ["old".to_string(), "older".to_string()];
    if let Ok(crosswalk) = controlmap::read::read_crosswalk(&path, &from, "code") {
        assert!(crosswalk.rows.iter().all(|r| r.from.len() == 2 && !r.to.is_empty()));
    }
});
