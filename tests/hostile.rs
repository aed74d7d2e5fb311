//! Hostile inputs of issue 11, replayed: special output files, outputs that are inputs or
//! each other, signals other than SIGINT, and inputs whose work is out of proportion to
//! their size. Every input is made here; none is committed.

mod common;

use std::path::Path;

use common::{controlmap, data, fixture};
use predicates::prelude::*;

/// 400 identical 1° squares, each its own district, and a timeline for them.
fn squares(dir: &Path, n: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let features: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"D{i}","province":"P"}},"geometry":{{"type":"Polygon","coordinates":[[[60,30],[61,30],[61,31],[60,31],[60,30]]]}}}}"#
            )
        })
        .collect();
    let geojson = dir.join("squares.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let mut csv = String::from("district,province,date,status\n");
    for i in 0..n {
        csv.push_str(&format!("D{i},P,2021-01-01,Taliban\n"));
    }
    let timeline = dir.join("squares.csv");
    std::fs::write(&timeline, csv).unwrap();
    (geojson, timeline)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symlink_to_a_device_keeps_the_link_and_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("null.svg");
    std::os::unix::fs::symlink("/dev/null", &out).unwrap();
    controlmap()
        .args(["render", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::metadata(&out)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(names(tmp.path()), ["null.svg"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_output_receives_the_map_and_stays_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("map.svg");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    controlmap()
        .args(["render", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "-q", "-o"])
        .arg(&fifo)
        .assert()
        .success();
    let svg = reader.join().unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..40]
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(names(tmp.path()), ["map.svg"]);
}

#[test]
fn a_series_output_that_is_the_alias_file_is_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let aliases = tmp.path().join("al.svg");
    std::fs::write(&aliases, "alias,name\nAlfa,Alpha\n").unwrap();
    controlmap()
        .args(["series", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--dates", "2021-06-01", "-q", "--aliases"])
        .arg(&aliases)
        .arg("-o")
        .arg(&aliases)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o").and(predicate::str::contains(
            "refusing to overwrite the input --aliases",
        )));
    assert_eq!(
        std::fs::read_to_string(&aliases).unwrap(),
        "alias,name\nAlfa,Alpha\n"
    );
}

#[test]
fn report_and_manifest_on_one_path_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let same = tmp.path().join("out.json");
    controlmap()
        .args(["series", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--dates", "2021-06-01", "-q", "--report"])
        .arg(&same)
        .arg("--manifest")
        .arg(&same)
        .arg("-o")
        .arg(tmp.path().join("{date}.svg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--manifest").and(predicate::str::contains("--report")))
        .stderr(predicate::str::contains("are the same file"));
    assert!(names(tmp.path()).is_empty());
    // --report equal to -o in render, through a hard link to an existing file.
    let out = tmp.path().join("map.svg");
    std::fs::write(&out, "old").unwrap();
    let link = tmp.path().join("report.json");
    std::fs::hard_link(&out, &link).unwrap();
    controlmap()
        .args(["render", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "-q", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("are the same file"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
}

#[test]
fn an_unwritable_manifest_is_found_before_any_frame() {
    let tmp = tempfile::tempdir().unwrap();
    controlmap()
        .args(["series", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--dates", "2021-05-01,2021-06-01", "-q", "--manifest"])
        .arg(tmp.path().join("no-such-dir/manifest.json"))
        .arg("-o")
        .arg(tmp.path().join("{date}.svg"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("cannot write").and(predicate::str::contains("manifest.json")),
        );
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

#[test]
fn absurd_jobs_and_grids_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], out: &str| {
        controlmap()
            .args(["series", "--boundaries"])
            .arg(fixture("districts.geojson"))
            .arg("--status")
            .arg(fixture("timeline.csv"))
            .args(["--dates", "2021-06-01", "-q"])
            .args(extra)
            .arg("-o")
            .arg(tmp.path().join(out))
            .assert()
            .code(2)
    };
    run(&["--jobs", "100000"], "{date}.svg")
        .stderr(predicate::str::contains("--jobs 100000: at most"));
    run(&["--grid", "4294967296x4294967296"], "grid.svg")
        .stderr(predicate::str::contains("at most 10000 panels"));
    assert!(names(tmp.path()).is_empty());
}

#[test]
fn a_hundred_thousand_unknown_status_values_make_a_short_message() {
    let tmp = tempfile::tempdir().unwrap();
    let (geojson, _) = squares(tmp.path(), 3);
    let mut csv = String::from("district,province,date,status\n");
    for i in 0..100_000 {
        csv.push_str(&format!("D{},P,2021-01-01,S{i}\n", i % 3));
    }
    let timeline = tmp.path().join("many.csv");
    std::fs::write(&timeline, csv).unwrap();
    let out = controlmap()
        .args(["check", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "many.csv: status values that map to no category: \"S0\" (1 row, line 2)",
        ))
        .stderr(predicate::str::contains("and 99980 more values"))
        .get_output()
        .stderr
        .len();
    assert!(out < 4000, "{out} bytes of message");
}

#[test]
fn a_topojson_arc_shared_by_a_thousand_polygons_is_refused_naming_the_geometry() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 10_000;
    let mut arc = vec!["[0,0]".to_string()];
    for k in 1..n {
        arc.push(if k < n / 2 { "[1,1]" } else { "[1,-1]" }.to_string());
    }
    arc.push(format!("[{},1]", -(n as i64 - 1)));
    let geometries: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"type":"Polygon","arcs":[[0]],"properties":{{"name":"D{i}"}}}}"#))
        .collect();
    let topo = tmp.path().join("shared.json");
    std::fs::write(
        &topo,
        format!(
            r#"{{"type":"Topology","transform":{{"scale":[0.0001,0.0001],"translate":[60,30]}},"arcs":[[{}]],"objects":{{"d":{{"type":"GeometryCollection","geometries":[{}]}}}}}}"#,
            arc.join(","),
            geometries.join(",")
        ),
    )
    .unwrap();
    controlmap()
        .arg("inspect")
        .arg(&topo)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "shared.json: object `d`, geometry ",
        ))
        .stderr(predicate::str::contains("arcs shared by too many polygons"));
}

#[test]
fn hundred_thousand_character_names_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let long = |seed: u32| -> String {
        // A deterministic, varied 100,000-letter name.
        (0..100_000u32)
            .map(|i| char::from(b'a' + ((i.wrapping_mul(2_654_435_761) ^ seed) % 10) as u8))
            .collect()
    };
    let features: Vec<String> = (0..3)
        .map(|i| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{}","province":"P"}},"geometry":{{"type":"Polygon","coordinates":[[[{a},30],[{b},30],[{b},31],[{a},31],[{a},30]]]}}}}"#,
                long(i),
                a = 60 + i,
                b = 61 + i
            )
        })
        .collect();
    let geojson = tmp.path().join("long.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let mut csv = String::from("district,province,date,status\n");
    for i in 10..13 {
        csv.push_str(&format!("{},P,2021-01-01,Taliban\n", long(i)));
    }
    let timeline = tmp.path().join("long.csv");
    std::fs::write(&timeline, csv).unwrap();
    // Every name is unmatched; the check ends (it took minutes when the whole names were
    // compared) and says so.
    controlmap()
        .args(["check", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .assert()
        .success()
        .stdout(predicate::str::contains("unmatched").or(predicate::str::contains("Unmatched")));
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_gif_series_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let gif = tmp.path().join("anim.gif");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("controlmap"))
        .arg("series")
        .arg("--boundaries")
        .arg(data(common::TOPO))
        .arg("--status")
        .arg(data(common::TAKEOVER))
        .args([
            "--map",
            "1=taliban",
            "--map",
            "2=taliban",
            "--map",
            "0=no-report",
        ])
        .args([
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
            "--every",
            "1d",
        ])
        // Full-size frames, so that the signal lands while the GIF is being written.
        .args(["-q", "-o"])
        .arg(&gif)
        .spawn()
        .unwrap();
    // Signal once the animation's temporary file exists (or the run is over).
    while child.try_wait().unwrap().is_none() && names(tmp.path()).is_empty() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 143)), "{status:?}");
    let left = names(tmp.path());
    assert!(
        left.iter().all(|n| !n.starts_with('.')),
        "a temporary file was left: {left:?}"
    );
    if status.code() == Some(143) {
        assert!(left.is_empty(), "{left:?}");
    }
}

#[test]
fn two_hundred_thousand_places_stop_at_the_limit_naming_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("name,lon,lat\n");
    for i in 0..200_000 {
        csv.push_str(&format!(
            "P{i},{},{}\n",
            62.0 + (i % 100) as f64 * 0.1,
            33.0
        ));
    }
    let places = tmp.path().join("places.csv");
    std::fs::write(&places, csv).unwrap();
    let out = tmp.path().join("map.svg");
    controlmap()
        .args(["render", "--boundaries"])
        .arg(data(common::OCHA))
        .arg("--status")
        .arg(data(common::LWJ))
        .arg("--places")
        .arg(&places)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "places.csv: line 10002: more than 10000 places",
        ));
    assert!(!out.exists(), "a map was written");
}

/// Class 4: every numeric style flag is range-checked as the style file is, before any
/// work: exit 2, the flag named, no output file.
#[test]
fn out_of_range_style_flags_are_usage_errors_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let flags = [
        "--border-width",
        "--province-width",
        "--outline-width",
        "--simplify",
        "--scale",
    ];
    for (format, out) in [("svg", "map.svg"), ("png", "map.png")] {
        for flag in flags {
            for value in ["1e20", "NaN", "inf", "-inf", "-1", "1e-9"] {
                // 1e-9 is a fine width or tolerance; it is only too small for a scale.
                if value == "1e-9" && flag != "--scale" {
                    continue;
                }
                controlmap()
                    .args(["render", "--boundaries"])
                    .arg(fixture("districts.geojson"))
                    .arg("--status")
                    .arg(fixture("timeline.csv"))
                    .args(["--date", "2021-06-01", "-q", "--format", format])
                    .arg(format!("{flag}={value}"))
                    .arg("-o")
                    .arg(tmp.path().join(out))
                    .assert()
                    .code(2)
                    .stderr(predicate::str::contains(format!("{flag} (")).and(
                        predicate::str::contains("expected").and(predicate::str::contains(
                            format!("found {}", value.parse::<f64>().unwrap()),
                        )),
                    ));
                assert!(names(tmp.path()).is_empty(), "{flag}={value}");
            }
        }
    }
    for (flag, value) in [
        ("--width", "0"),
        ("--height", "4294967295"),
        ("--width", "15"),
    ] {
        controlmap()
            .args(["render", "--boundaries"])
            .arg(fixture("districts.geojson"))
            .arg("--status")
            .arg(fixture("timeline.csv"))
            .args(["--date", "2021-06-01", "-q"])
            .arg(format!("{flag}={value}"))
            .arg("-o")
            .arg(tmp.path().join("map.svg"))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{flag} (")));
        assert!(names(tmp.path()).is_empty(), "{flag}={value}");
    }
}

/// Class 4, the file path: the same ranges, with the file and the line.
#[test]
fn an_out_of_range_style_file_value_names_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let style = tmp.path().join("style.toml");
    std::fs::write(&style, "[size]\nscale = 1e-9\n").unwrap();
    controlmap()
        .args(["render", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "-q", "--style"])
        .arg(&style)
        .arg("-o")
        .arg(tmp.path().join("map.png"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("style.toml: line 2")
                .and(predicate::str::contains("expected a scale from 0.1 to 16")),
        );
    assert_eq!(names(tmp.path()), ["style.toml"]);
}

/// The `data-status` values of an SVG, in drawing order.
fn statuses(svg: &Path) -> Vec<String> {
    std::fs::read_to_string(svg)
        .unwrap()
        .split("data-status=\"")
        .skip(1)
        .map(|p| p[..p.find('"').unwrap()].to_string())
        .collect()
}

/// Class 8: boundaries (GeoJSON and TopoJSON) and timelines from stdin (`-`) and from a FIFO
/// draw the same map as from the files; a Shapefile or an over-limit stream is refused.
#[cfg(unix)]
#[test]
fn boundaries_and_status_from_stdin_and_a_fifo_draw_the_same_map() {
    let tmp = tempfile::tempdir().unwrap();
    let render = |boundaries: &Path, status: &Path, out: &str| {
        let mut cmd = controlmap();
        cmd.args(["render", "--boundaries"])
            .arg(boundaries)
            .arg("--status")
            .arg(status)
            .args(["--date", "2021-06-01", "-q", "-o"])
            .arg(tmp.path().join(out));
        cmd
    };
    for geometry in ["districts.geojson", "counties.topojson"] {
        let (status, id): (_, &[&str]) = if geometry == "districts.geojson" {
            (fixture("timeline.csv"), &[])
        } else {
            (fixture("counties-status.csv"), &["--id-column", "fips"])
        };
        render(&fixture(geometry), &status, "file.svg")
            .args(id)
            .assert()
            .success();
        let expected = statuses(&tmp.path().join("file.svg"));
        assert!(expected.iter().any(|s| s != "no-data"), "{expected:?}");

        render(Path::new("-"), &status, "stdin.svg")
            .args(id)
            .pipe_stdin(fixture(geometry))
            .unwrap()
            .assert()
            .success();
        assert_eq!(
            statuses(&tmp.path().join("stdin.svg")),
            expected,
            "{geometry}"
        );

        render(&fixture(geometry), Path::new("-"), "status.svg")
            .args(id)
            .pipe_stdin(&status)
            .unwrap()
            .assert()
            .success();
        assert_eq!(
            statuses(&tmp.path().join("status.svg")),
            expected,
            "{geometry}"
        );

        let fifo = tmp.path().join("boundaries.fifo");
        mkfifo(&fifo);
        let source = fixture(geometry);
        let (to, from) = (fifo.clone(), source.clone());
        let writer = std::thread::spawn(move || {
            std::fs::write(&to, std::fs::read(&from).unwrap()).unwrap();
        });
        render(&fifo, &status, "fifo.svg")
            .args(id)
            .assert()
            .success();
        writer.join().unwrap();
        assert_eq!(
            statuses(&tmp.path().join("fifo.svg")),
            expected,
            "{geometry}"
        );
        std::fs::remove_file(&fifo).unwrap();
    }

    // Both on stdin: refused before anything is read.
    render(Path::new("-"), Path::new("-"), "both.svg")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--boundaries and --status: only one input can be read from stdin",
        ));
    // A Shapefile cannot come from a pipe (its .dbf is a separate file).
    render(Path::new("-"), &fixture("timeline.csv"), "shp.svg")
        .pipe_stdin(fixture("utm42n.shp"))
        .unwrap()
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("-: format: ").and(predicate::str::contains(
                "a Shapefile cannot come from a pipe or stdin",
            )),
        );
    // A stream over --max-input-mb is cut off at the limit, naming the input.
    let big = tmp.path().join("big.geojson");
    std::fs::write(&big, " ".repeat(3 << 20)).unwrap();
    controlmap()
        .args([
            "--max-input-mb",
            "1",
            "render",
            "--boundaries",
            "-",
            "--status",
        ])
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "-q", "-o"])
        .arg(tmp.path().join("big.svg"))
        .pipe_stdin(&big)
        .unwrap()
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-: 2 MB is more than the input limit of 1 MB",
        ));
    assert_eq!(
        names(tmp.path()),
        [
            "big.geojson",
            "fifo.svg",
            "file.svg",
            "status.svg",
            "stdin.svg"
        ]
    );
}

/// A FIFO at `path`, through mkfifo(1): the test crate has no libc binding of its own.
fn mkfifo(path: &Path) {
    assert!(
        std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success()
    );
}

/// Class 6: names with terminal escapes, BEL, NUL, a bidi override and a line feed, in the
/// boundaries and in the timeline (matched, unmatched, near-miss).
fn control_character_inputs(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let pwned = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let forged = "Alpha\nerror: forged line";
    let feature = |name: &str, x: u32| {
        format!(
            r#"{{"type":"Feature","properties":{{"name":{},"province":"P\u0000\u202e"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},30],[{x1},30],[{x1},31],[{x},31],[{x},30]]]}}}}"#,
            serde_json::to_string(name).unwrap(),
            x1 = x + 1
        )
    };
    let geojson = dir.join("evil.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            feature(&format!("Kabul{pwned}"), 60),
            feature(forged, 62),
            feature("Quiet", 64)
        ),
    )
    .unwrap();
    let timeline = dir.join("evil.csv");
    std::fs::write(
        &timeline,
        format!(
            "district,province,date,status\n\"Kabul{pwned}\",\"P\0\u{202e}\",2021-01-01,Taliban\n\"Kabu{pwned}x\",P,2021-01-01,Taliban\n\"Other\nerror: forged\",P,2021-01-01,Taliban\n"
        ),
    )
    .unwrap();
    (geojson, timeline)
}

fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for bad in ['\u{1b}', '\u{7}', '\0', '\r', '\u{202e}'] {
        assert!(!text.contains(bad), "{what} has a raw {bad:?}:\n{text}");
    }
    for line in text.lines() {
        assert!(
            !line.starts_with("error: forged"),
            "{what} has a forged line:\n{text}"
        );
    }
}

#[test]
fn names_with_control_characters_reach_no_terminal_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let (geojson, timeline) = control_character_inputs(tmp.path());
    let out = tmp.path().join("map.svg");
    let render = controlmap()
        .args(["render", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .args(["--date", "2021-06-01", "-o"])
        .arg(&out)
        .assert()
        .success();
    let render = render.get_output();
    assert!(
        String::from_utf8_lossy(&render.stderr).contains("\\u{1b}]0;PWNED\\u{7}"),
        "the name is shown escaped: {}",
        String::from_utf8_lossy(&render.stderr)
    );
    assert_no_raw_controls("render stderr", &render.stderr);
    assert_no_raw_controls("render stdout", &render.stdout);

    let check = controlmap()
        .args(["check", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .output()
        .unwrap();
    assert!(check.status.code().is_some_and(|c| c <= 1), "{check:?}");
    assert!(String::from_utf8_lossy(&check.stdout).contains("\\n"));
    assert_no_raw_controls("check stderr", &check.stderr);
    assert_no_raw_controls("check stdout", &check.stdout);

    let inspect = controlmap().arg("inspect").arg(&geojson).assert().success();
    let inspect = inspect.get_output();
    assert!(String::from_utf8_lossy(&inspect.stdout).contains("Alpha\\nerror: forged line"));
    assert_no_raw_controls("inspect stderr", &inspect.stderr);
    assert_no_raw_controls("inspect stdout", &inspect.stdout);
    // An unknown status value quoting the same name: the error is escaped too.
    let strict = controlmap()
        .args(["render", "--strict", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .args(["--date", "2021-06-01", "-o"])
        .arg(tmp.path().join("strict.svg"))
        .assert()
        .code(1);
    assert_no_raw_controls("strict stderr", &strict.get_output().stderr);
    assert!(!tmp.path().join("strict.svg").exists());
    // An error quoting a cell: the line feed in it is shown as `\n`.
    let places = tmp.path().join("places.csv");
    std::fs::write(
        &places,
        "name,lat,lon\nTown,\"1\nerror: forged\u{1b}[2J\",60.5\n",
    )
    .unwrap();
    let bad = controlmap()
        .args(["render", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .arg("--places")
        .arg(&places)
        .args(["--date", "2021-06-01", "-o"])
        .arg(tmp.path().join("places.svg"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    assert!(stderr.contains("places.csv: line 2"), "{stderr}");
    assert!(stderr.contains("1\\nerror: forged\\u{1b}[2J"), "{stderr}");
    assert_no_raw_controls("places error", stderr.as_bytes());
    assert!(!tmp.path().join("places.svg").exists());
}

/// Class 5: names holding the characters XML 1.0 leaves out (U+FFFE, U+FFFF, C0 controls)
/// still give a well-formed SVG, a PNG, a PDF and an HTML page.
#[test]
fn names_with_xml_illegal_characters_render_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let feature = |name: &str, x: u32| {
        format!(
            r#"{{"type":"Feature","properties":{{"name":{},"province":"P\uffff"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},30],[{x1},30],[{x1},31],[{x},31],[{x},30]]]}}}}"#,
            serde_json::to_string(name).unwrap(),
            x1 = x + 1
        )
    };
    let geojson = tmp.path().join("nonchar.geojson");
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            feature("Kabul\u{fffe}\u{ffff}\u{1}", 60),
            feature("Quiet\u{fdd0}", 62)
        ),
    )
    .unwrap();
    let timeline = tmp.path().join("nonchar.csv");
    std::fs::write(
        &timeline,
        "district,province,date,status\n\"Kabul\u{fffe}\u{ffff}\u{1}\",\"P\u{ffff}\",2021-01-01,Taliban\n",
    )
    .unwrap();
    for ext in ["svg", "png", "pdf", "html"] {
        let out = tmp.path().join(format!("map.{ext}"));
        controlmap()
            .args(["render", "--district-labels", "--boundaries"])
            .arg(&geojson)
            .arg("--status")
            .arg(&timeline)
            .args([
                "--date",
                "2021-06-01",
                "--title",
                "Kabul\u{fffe}\u{ffff}",
                "-o",
            ])
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(&out).unwrap();
        assert!(!bytes.is_empty(), "{ext}");
        if ext == "svg" {
            let svg = String::from_utf8(bytes.clone()).unwrap();
            resvg::usvg::roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}"));
            assert!(
                svg.contains("Kabul\u{fffd}\u{fffd}"),
                "the name is kept, replaced"
            );
        }
        if ext == "html" {
            let html = String::from_utf8(bytes).unwrap();
            assert!(!html.contains(['\u{fffe}', '\u{ffff}']));
        }
    }
    let mut left = names(tmp.path());
    left.retain(|n| n.contains(".tmp"));
    assert!(left.is_empty(), "{left:?}");
}

/// Class 9: a legend-line template with a misspelt placeholder is refused before any work,
/// as `--title` is.
#[test]
fn unknown_placeholders_in_legend_line_templates_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for (flag, extra) in [
        ("--captured-label", &[][..]),
        ("--since-label", &["--since", "2021-05-01"][..]),
    ] {
        let out = tmp.path().join("map.svg");
        controlmap()
            .args(["render", "--boundaries"])
            .arg(fixture("districts.geojson"))
            .arg("--status")
            .arg(fixture("timeline.csv"))
            .args(["--date", "2021-06-01"])
            .args(extra)
            .args([flag, "Taken {nope}: {count}", "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{flag}: `{{nope}}`: unknown placeholder: expected {{"
            )));
        assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
    }
    // The placeholders the line knows still work.
    controlmap()
        .args(["render", "--boundaries"])
        .arg(fixture("districts.geojson"))
        .arg("--status")
        .arg(fixture("timeline.csv"))
        .args(["--date", "2021-06-01", "--since", "2021-05-01"])
        .args([
            "--since-label",
            "Moved {label} since {date}: {count}",
            "-q",
            "-o",
        ])
        .arg(tmp.path().join("ok.svg"))
        .assert()
        .success();
}

/// Class 9: a header naming one column twice, in every CSV the tool reads, is an error
/// naming the file, line 1 and the column, instead of silently using the first.
#[test]
fn a_duplicated_csv_header_is_an_error_naming_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let render = |extra: &[&std::ffi::OsStr], status: &Path| {
        let mut cmd = controlmap();
        cmd.args(["render", "--boundaries"])
            .arg(fixture("districts.geojson"))
            .arg("--status")
            .arg(status)
            .args(["--date", "2021-06-01", "-o"])
            .arg(tmp.path().join("map.svg"))
            .args(extra);
        cmd
    };
    let timeline = tmp.path().join("dup.csv");
    std::fs::write(
        &timeline,
        "district,province,date,status,District\nAlpha,North,2021-05-01,Government,Kohistan\n",
    )
    .unwrap();
    render(&[], &timeline)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "dup.csv: line 1, column 5: header `District` repeats column 1",
        ));
    let places = tmp.path().join("places.csv");
    std::fs::write(&places, "name,lat,lon,lat\nTown,34.5,65.5,0\n").unwrap();
    render(
        &["--places".as_ref(), places.as_os_str()],
        &fixture("timeline.csv"),
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "places.csv: line 1, column 4: header `lat` repeats column 2",
    ));
    let aliases = tmp.path().join("aliases.csv");
    std::fs::write(&aliases, "alias,name,name\nAlfa,Alpha,Bravo\n").unwrap();
    render(
        &["--aliases".as_ref(), aliases.as_os_str()],
        &fixture("timeline.csv"),
    )
    .assert()
    .code(1)
    .stderr(predicate::str::contains(
        "aliases.csv: line 1, column 3: header `name` repeats column 2",
    ));
    assert!(!tmp.path().join("map.svg").exists());
    let mut left = names(tmp.path());
    left.retain(|n| n.contains(".tmp"));
    assert!(left.is_empty(), "{left:?}");
}

/// Class 9: text cells of CSV outputs that a spreadsheet would run as a formula get a `'`;
/// numbers stay numbers.
#[test]
fn csv_outputs_neutralise_formula_cells_but_keep_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let geojson = tmp.path().join("f.geojson");
    let feature = |name: &str, province: &str, x: u32| {
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}","province":"{province}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},30],[{x1},30],[{x1},31],[{x},31],[{x},30]]]}}}}"#,
            x1 = x + 1
        )
    };
    std::fs::write(
        &geojson,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
            feature("A", "=HYPERLINK(1)", 60),
            feature("B", "@SUM(1)", 62),
            feature("C", "-2+3", 64)
        ),
    )
    .unwrap();
    let timeline = tmp.path().join("t.csv");
    std::fs::write(
        &timeline,
        "district,province,date,status\nA,=HYPERLINK(1),2021-01-01,Taliban\nB,@SUM(1),2021-01-01,Government\nC,-2+3,2021-01-01,Contested\n",
    )
    .unwrap();
    let out = tmp.path().join("stats.csv");
    controlmap()
        .args(["stats", "--boundaries"])
        .arg(&geojson)
        .arg("--status")
        .arg(&timeline)
        .args(["--date", "2021-06-01", "--label", "taliban=+Taken", "-o"])
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(&out).unwrap();
    for cell in ["'=HYPERLINK(1)", "'@SUM(1)", "'-2+3", "'+Taken"] {
        assert!(csv.contains(cell), "{cell} not neutralised:\n{csv}");
    }
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "raw formula cell {cell}:\n{csv}"
            );
        }
        // The numeric columns (districts, area, share) still read as numbers.
        let cells: Vec<&str> = line.split(',').collect();
        if cells[1] == "province" {
            assert!(cells[5].parse::<u64>().is_ok(), "{line}");
            assert!(cells[6].parse::<f64>().is_ok(), "{line}");
        }
    }
}
