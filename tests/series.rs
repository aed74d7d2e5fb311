//! `controlmap series` as a user runs it, on the 2021 takeover timeline and its TopoJSON.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

mod common;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel)
}

/// `series` (or `render`) on the takeover data, values mapped as the peers map them.
fn takeover(command: &str) -> Command {
    let mut cmd = Command::cargo_bin("controlmap").unwrap();
    cmd.arg(command)
        .arg("--boundaries")
        .arg(data("taliban-takeover-2021/combined.json"))
        .arg("--status")
        .arg(data("taliban-takeover-2021/taliban_takeover.csv"))
        .args([
            "--map",
            "1=taliban",
            "--map",
            "2=contested",
            "--map",
            "0=government",
        ])
        .args(["--ambiguous", "all", "-q"]);
    cmd
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn manifest(path: &Path) -> Vec<serde_json::Value> {
    serde_json::from_slice::<serde_json::Value>(&std::fs::read(path).unwrap())
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The record dates of the takeover CSV, read independently of controlmap.
fn csv_dates() -> Vec<String> {
    let text = std::fs::read_to_string(data("taliban-takeover-2021/taliban_takeover.csv")).unwrap();
    let mut dates: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| {
            let mdy: Vec<u32> = l
                .split(',')
                .nth(1)
                .unwrap()
                .split('/')
                .map(|p| p.parse().unwrap())
                .collect();
            format!("{:04}-{:02}-{:02}", mdy[2], mdy[0], mdy[1])
        })
        .collect();
    dates.sort();
    dates.dedup();
    dates
}

#[test]
fn frame_counts_for_each_date_selection() {
    let tmp = tempfile::tempdir().unwrap();
    let count = |args: &[&str], sub: &str| {
        let dir = tmp.path().join(sub);
        takeover("series")
            .args(args)
            .arg("-o")
            .arg(dir.join("{date}.svg"))
            .assert()
            .success();
        files(&dir).len()
    };
    // May 11 + 13 weeks = Aug 10; Aug 17 would pass --to.
    assert_eq!(
        count(
            &[
                "--from",
                "2021-05-11",
                "--to",
                "2021-08-16",
                "--every",
                "1w"
            ],
            "weekly"
        ),
        14
    );
    assert_eq!(
        count(
            &[
                "--from",
                "2021-05-11",
                "--to",
                "2021-08-16",
                "--every",
                "1d"
            ],
            "daily"
        ),
        98
    );
    assert_eq!(
        count(
            &[
                "--from",
                "2021-05-01",
                "--to",
                "2021-08-31",
                "--every",
                "1m"
            ],
            "monthly"
        ),
        4
    );
    assert_eq!(
        count(&["--dates", "2021-05-11,2021-06-20,2021-08-16"], "list"),
        3
    );
}

#[test]
fn changes_are_exactly_the_dates_on_which_a_district_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path().join("changes.json");
    takeover("series")
        .args(["--dates", "changes", "--manifest"])
        .arg(&m)
        .arg("-o")
        .arg(tmp.path().join("f/{date}.svg"))
        .assert()
        .success();
    let got: Vec<String> = manifest(&m)
        .iter()
        .map(|f| f["date"].as_str().unwrap().to_string())
        .collect();
    // The number of districts reported taken grows on every one of the 37 record dates
    // (PROVENANCE.md), and the first date turns every district from no data into a status.
    assert_eq!(got, csv_dates());
    // Every frame after the first lists what changed, and something did.
    for f in &manifest(&m)[1..] {
        assert!(!f["changed"].as_array().unwrap().is_empty(), "{f}");
    }

    // Limited to a range.
    let m2 = tmp.path().join("june.json");
    takeover("series")
        .args([
            "--dates",
            "changes",
            "--from",
            "2021-06-01",
            "--to",
            "2021-06-30",
        ])
        .arg("--manifest")
        .arg(&m2)
        .arg("-o")
        .arg(tmp.path().join("g/{date}.svg"))
        .assert()
        .success();
    let june: Vec<String> = csv_dates()
        .into_iter()
        .filter(|d| d.as_str() >= "2021-06-01" && d.as_str() <= "2021-06-30")
        .collect();
    let got: Vec<String> = manifest(&m2)
        .iter()
        .map(|f| f["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, june);
}

/// Districts per `data-status` in an SVG.
fn status_counts(svg: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for part in svg.split("data-status=\"").skip(1) {
        *counts
            .entry(part.split('"').next().unwrap().to_string())
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn manifest_counts_match_single_renders_and_frames_are_the_rendered_maps() {
    let tmp = tempfile::tempdir().unwrap();
    let dates = "2021-05-01,2021-06-20,2021-07-01,2021-08-16";
    let m = tmp.path().join("m.json");
    takeover("series")
        .args([
            "--dates",
            dates,
            "--width",
            "400",
            "--height",
            "300",
            "--manifest",
        ])
        .arg(&m)
        .arg("-o")
        .arg(tmp.path().join("frames/{date}.png"))
        .assert()
        .success();
    for frame in manifest(&m) {
        let date = frame["date"].as_str().unwrap();
        let svg = tmp.path().join(format!("{date}.svg"));
        let png = tmp.path().join(format!("{date}.png"));
        for out in [&svg, &png] {
            takeover("render")
                .args(["--date", date, "--width", "400", "--height", "300", "-o"])
                .arg(out)
                .assert()
                .success();
        }
        let from_render = status_counts(&std::fs::read_to_string(&svg).unwrap());
        for (key, n) in frame["counts"].as_object().unwrap() {
            assert_eq!(
                from_render.get(key).copied().unwrap_or(0),
                n.as_u64().unwrap(),
                "{date} {key}"
            );
        }
        // A series frame comes from pixels prepared once per map, the single map is drawn
        // directly: the same image up to the rounding of blended edge pixels (blending the
        // lines and texts in a layer of their own rounds twice; 5/255 at most seen here).
        let (_, _, frame) = common::decode_rgba(&tmp.path().join(format!("frames/{date}.png")));
        let (_, _, single) = common::decode_rgba(&png);
        assert_eq!(frame.len(), single.len(), "{date}: sizes differ");
        let worst = frame
            .iter()
            .zip(&single)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(
            worst <= 6,
            "{date}: series frame differs from render by {worst}/255"
        );
    }
}

#[test]
fn shards_together_are_byte_identical_to_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, sharded) = (tmp.path().join("one"), tmp.path().join("sharded"));
    takeover("series")
        .args(["--dates", "changes", "-o"])
        .arg(one.join("{index}-{date}.svg"))
        .assert()
        .success();
    for k in 0..3 {
        takeover("series")
            .args(["--dates", "changes", "--shard", &format!("{k}/3"), "-o"])
            .arg(sharded.join("{index}-{date}.svg"))
            .assert()
            .success();
    }
    let (a, b) = (files(&one), files(&sharded));
    assert_eq!(a.len(), 37);
    assert!(a == b, "the union of the shards differs from one run");
}

#[test]
fn a_template_that_writes_two_frames_to_one_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    takeover("series")
        .args(["--dates", "2021-05-11,2021-06-20", "-o"])
        .arg(tmp.path().join("out/map.png"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("same file"));
    assert!(!tmp.path().join("out").exists(), "work started anyway");
}

#[test]
fn skip_existing_leaves_frames_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("f");
    let run = || {
        let mut cmd = takeover("series");
        cmd.args(["--dates", "2021-05-11,2021-06-20", "--skip-existing", "-o"])
            .arg(dir.join("{date}.svg"));
        cmd
    };
    run().assert().success();
    std::fs::write(dir.join("2021-05-11.svg"), "kept").unwrap();
    run().assert().success();
    assert_eq!(std::fs::read(dir.join("2021-05-11.svg")).unwrap(), b"kept");
}

#[test]
fn small_multiples_make_one_image_with_a_panel_per_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("grid.svg");
    takeover("series")
        .args([
            "--every",
            "2w",
            "--from",
            "2021-05-11",
            "--to",
            "2021-08-16",
        ])
        .args(["--grid", "4x2", "--title", "The offensive"])
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(svg.matches("<g id=\"panel-").count(), 7);
    assert!(svg.contains("August 3, 2021"));
    assert_eq!(
        svg.matches(">The offensive<").count(),
        1,
        "one shared title"
    );
    // Too many dates for the grid is a usage error.
    takeover("series")
        .args(["--every", "1w", "--grid", "2x2", "-o"])
        .arg(tmp.path().join("small.svg"))
        .assert()
        .code(2);
}

#[test]
fn gif_and_apng_have_a_frame_per_date_with_their_delays() {
    let tmp = tempfile::tempdir().unwrap();
    let dates = "2021-05-11,2021-06-20,2021-07-13,2021-08-16";
    let (gif_path, apng_path) = (tmp.path().join("a.gif"), tmp.path().join("a.png"));
    for (out, extra) in [(&gif_path, None), (&apng_path, Some("--animate"))] {
        takeover("series")
            .args(["--dates", dates, "--width", "320", "--height", "240"])
            .args(["--frame-ms", "500", "--hold-ms", "2000"])
            .args(extra)
            .arg("-o")
            .arg(out)
            .assert()
            .success();
    }

    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options
        .read_info(std::fs::File::open(&gif_path).unwrap())
        .unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!((frame.width, frame.height), (320, 240));
        delays.push(frame.delay);
    }
    assert_eq!(delays, [50, 50, 50, 200], "GIF delays in 1/100 s");

    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&apng_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let control = reader.info().animation_control.expect("an animated PNG");
    assert_eq!(control.num_frames, 4);
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let mut delays = Vec::new();
    for _ in 0..4 {
        reader.next_frame(&mut buf).unwrap();
        let fc = reader.info().frame_control.expect("frame control");
        delays.push(f64::from(fc.delay_num) / f64::from(fc.delay_den.max(1)));
    }
    assert_eq!(delays, [0.5, 0.5, 0.5, 2.0]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_keeps_finished_frames_and_leaves_no_partial_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("frames");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("controlmap"))
        .arg("series")
        .arg("--boundaries")
        .arg(data("taliban-takeover-2021/combined.json"))
        .arg("--status")
        .arg(data("taliban-takeover-2021/taliban_takeover.csv"))
        .args([
            "--map",
            "1=taliban",
            "--map",
            "2=taliban",
            "--map",
            "0=no-report",
            "-q",
        ])
        .args([
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
            "--every",
            "1d",
        ])
        .args(["--width", "400", "--height", "300", "-o"])
        .arg(dir.join("{date}.png"))
        .spawn()
        .unwrap();
    // Interrupt once the first frame is on disk (or the run is over, on a fast machine).
    while child.try_wait().unwrap().is_none()
        && std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_none())
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 130)), "{status:?}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.is_empty());
    for name in &names {
        assert!(!name.starts_with('.'), "a temporary file was left: {name}");
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(
            bytes.ends_with(&[0xae, 0x42, 0x60, 0x82]),
            "{name} is incomplete"
        );
    }
    if status.code() == Some(130) {
        assert!(names.len() < 365);
    }
}

#[test]
fn csv_manifest_has_a_row_per_frame_with_counts_and_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path().join("m.csv");
    takeover("series")
        .args(["--dates", "2021-05-11,2021-05-12,2021-06-07", "--manifest"])
        .arg(&m)
        .arg("-o")
        .arg(tmp.path().join("f/{date}.svg"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&m).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "index",
            "date",
            "file",
            "skipped",
            "taliban",
            "contested",
            "government",
            "no-data",
            "changed_count",
            "changed_ids",
            "area_share.taliban",
            "area_share.contested",
            "area_share.government",
            "area_share.no-data"
        ]
    );
    assert_eq!(rows.len(), 4);
    // May 11: nothing reported taken yet; May 12: one district (PROVENANCE.md), and it is
    // the one change since May 11.
    assert_eq!(&rows[1][4..8], ["0", "0", "329", "0"]);
    assert_eq!(&rows[2][4..9], ["1", "0", "328", "0", "1"]);
}
