//! Replays the inputs under `tests/fuzz_regressions/<target>/` through the readers, as the
//! fuzz targets in `fuzz/` do: crashing inputs the fuzzer found (kept once fixed) and
//! hand-made hostile ones. None may panic; the hostile ones must be refused with an error.

use std::path::{Path, PathBuf};

use controlmap::read;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// Copies an input into a scratch directory under the name the reader expects.
fn staged(dir: &Path, input: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(input, &path).unwrap();
    path
}

/// Hand-made inputs (not named `crash-…` by the fuzzer) are all malformed.
fn must_fail(input: &Path) -> bool {
    let name = input.file_name().unwrap().to_string_lossy();
    !name.starts_with("crash-") && !name.starts_with("oom-") && !name.starts_with("timeout-")
}

#[test]
fn boundary_json_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("boundaries_json") {
        let path = staged(dir.path(), &input, "input.json");
        let result = read::read_layer(&path, None);
        assert!(
            !must_fail(&input) || result.is_err(),
            "{} was accepted",
            input.display()
        );
    }
}

#[test]
fn shapefile_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("shapefile") {
        // The fuzz target's format: .shp bytes, the marker FF 00 FF, .dbf bytes.
        let data = std::fs::read(&input).unwrap();
        let split = data
            .windows(3)
            .position(|w| w == [0xff, 0x00, 0xff])
            .unwrap_or(data.len());
        let shp = dir.path().join("input.shp");
        std::fs::write(&shp, &data[..split]).unwrap();
        std::fs::write(
            shp.with_extension("dbf"),
            data.get(split + 3..).unwrap_or(&[]),
        )
        .unwrap();
        let result = read::read_layer(&shp, None);
        assert!(
            !must_fail(&input) || result.is_err(),
            "{} was accepted",
            input.display()
        );
    }
}

#[test]
fn timeline_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("timeline_csv") {
        let path = staged(dir.path(), &input, "input.csv");
        replay_timeline(&input, &path);
    }
}

/// Reads the staged copy of a timeline input and classifies it with every preset: no panic,
/// and an error where the input's name says it must fail.
fn replay_timeline(input: &Path, path: &Path) {
    let result = read::read_timeline(path, &Default::default());
    if let Ok(timeline) = &result {
        for preset in ["lwj", "binary"] {
            let categories = controlmap::status::Categories::preset(preset).unwrap();
            let _ = categories.classify_timeline(timeline);
        }
    }
    assert!(
        !must_fail(input) || result.is_err(),
        "{} was accepted",
        input.display()
    );
}

#[test]
fn timeline_json_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("timeline_json") {
        // As the fuzz target does: an input that would be sniffed as CSV gets a `[` in front.
        let data = std::fs::read(&input).unwrap();
        let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
        let json = matches!(
            text.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'[' | b'{')
        );
        let path = dir.path().join("input.json");
        std::fs::write(&path, [if json { &b""[..] } else { b"[" }, &data].concat()).unwrap();
        replay_timeline(&input, &path);
    }
}

#[test]
fn places_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("places_csv") {
        let path = staged(dir.path(), &input, "places.csv");
        let result = read::read_places(&path);
        assert!(
            !must_fail(&input) || result.is_err(),
            "{} was accepted",
            input.display()
        );
    }
}

#[test]
fn style_inputs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs("style_toml") {
        let path = staged(dir.path(), &input, "style.toml");
        let result = read::read_style(&path);
        if let Ok(file) = &result {
            // As the fuzz target does: apply it and build its categories.
            let mut style = controlmap::render::Style::default();
            controlmap::render::styling::apply(file, &mut style);
            let _ = controlmap::render::check_size(&style);
        }
        assert!(
            !must_fail(&input) || result.is_err(),
            "{} was accepted",
            input.display()
        );
    }
}

/// As the `crs` target: the first 16 bytes are a coordinate pair, the rest a CRS text.
#[test]
fn crs_inputs_never_panic() {
    use controlmap::read::{CrsOrigin, SourceCrs};
    for input in inputs("crs") {
        let data = std::fs::read(&input).unwrap();
        let (xy, text) = if data.len() >= 16 {
            data.split_at(16)
        } else {
            (&[][..], &data[..])
        };
        let text = String::from_utf8_lossy(text);
        if let Ok(crs) = SourceCrs::parse(&text, CrsOrigin::Prj) {
            let x = f64::from_le_bytes(xy.get(..8).map_or([0; 8], |b| b.try_into().unwrap()));
            let y = f64::from_le_bytes(xy.get(8..16).map_or([0; 8], |b| b.try_into().unwrap()));
            let _ = crs.to_lonlat(x, y);
        }
    }
}
