//! Shared by the fuzz targets: the readers take paths, so each input goes through a file in
//! a RAM-backed directory when there is one.

use std::path::PathBuf;

pub fn scratch(name: &str) -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("controlmap-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

/// The input as the timeline JSON target reads it: `read_timeline` sniffs the format, so an
/// input that would be taken for CSV gets a `[` in front, which keeps the fuzzer on the JSON
/// reader. `tests/fuzz_regressions.rs` does the same when it replays inputs.
#[allow(dead_code)]
pub fn as_json(data: &[u8]) -> Vec<u8> {
    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let json = matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'[' | b'{')
    );
    let mut bytes = Vec::with_capacity(data.len() + 1);
    if !json {
        bytes.push(b'[');
    }
    bytes.extend_from_slice(data);
    bytes
}
