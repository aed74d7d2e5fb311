//! Peak memory on inputs whose work is out of proportion to their size (issue 11, class 2),
//! measured as the child process's own peak RSS (getrusage after it exits). Alone in its
//! test binary, so no other test's children count.

#![cfg(unix)]

mod common;

use common::controlmap;

/// The largest peak RSS of the children waited for so far, in MB.
fn children_peak_mb() -> i64 {
    // SAFETY: getrusage writes into the struct it is given and reads nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss / 1024 // KiB on Linux
}

#[test]
fn four_hundred_overlapping_squares_render_to_png_under_500_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let features: Vec<String> = (0..400)
        .map(|i| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"D{i}","province":"P"}},"geometry":{{"type":"Polygon","coordinates":[[[60,30],[61,30],[61,31],[60,31],[60,30]]]}}}}"#
            )
        })
        .collect();
    let geojson = tmp.path().join("squares.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let mut csv = String::from("district,province,date,status\n");
    for i in 0..400 {
        csv.push_str(&format!("D{i},P,2021-01-01,Taliban\n"));
    }
    let timeline = tmp.path().join("squares.csv");
    std::fs::write(&timeline, csv).unwrap();
    let png = tmp.path().join("squares.png");
    controlmap()
        .args(["render", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .args(["--date", "2021-01-02", "-q", "-o"])
        .arg(&png)
        .assert()
        .success();
    let peak = children_peak_mb();
    assert!(peak < 500, "peak RSS {peak} MB");
    // The map is drawn: the middle of the page is the taliban colour, not the background.
    let (w, h, buf) = common::decode_rgba(&png);
    let (w, h) = (w as usize, h as usize);
    let px = &buf[4 * (h / 2 * w + w / 2)..][..3];
    assert_ne!(px, [255, 255, 255], "the middle pixel is background");
}
