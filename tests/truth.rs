//! The map tells the truth on the real data: capitals are captured exactly when their own
//! district is, "since" counts what changed, a --bbox legend counts what is in the frame,
//! text stays on the page and `check` shows what did not join first. Every expected value is
//! computed here from the CSVs and the SVG, not by the library.

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{LWJ, OCHA, TAKEOVER, controlmap, data, repo, takeover};
use controlmap::timeline::Date;

const CAPITALS: &str = "assets/provincial-capitals.csv";

/// Lines of a CSV file, CRLF or LF, split at commas (neither file quotes a field).
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            l.trim_end_matches('\r')
                .split(',')
                .map(str::to_string)
                .collect()
        })
        .filter(|r: &Vec<String>| r.len() > 1)
        .collect()
}

/// `M/D/YYYY`, as the takeover CSV writes dates.
fn mdy(text: &str) -> Date {
    let p: Vec<u32> = text.split('/').map(|n| n.parse().unwrap()).collect();
    Date::from_ymd(p[2] as i32, p[0], p[1]).unwrap()
}

/// The takeover timeline read independently: per name, its (date, value) records.
fn timeline() -> HashMap<String, Vec<(Date, String)>> {
    let mut t: HashMap<String, Vec<(Date, String)>> = HashMap::new();
    for r in csv_rows(&data(TAKEOVER)) {
        t.entry(r[0].clone())
            .or_default()
            .push((mdy(&r[1]), r[2].clone()));
    }
    for v in t.values_mut() {
        v.sort();
    }
    t
}

/// Whether `name` is reported taken on `date`: its latest record on or before it is 1, or 2
/// (the rows where two Muqur districts were summed).
fn taken(t: &HashMap<String, Vec<(Date, String)>>, name: &str, date: Date) -> bool {
    t[name]
        .iter()
        .rev()
        .find(|(d, _)| *d <= date)
        .is_some_and(|(_, v)| v == "1" || v == "2")
}

/// The attribute `name` of an SVG tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// Every place marker: (data-name, data-district, data-captured).
fn markers(svg: &str) -> Vec<(String, String, String)> {
    svg.split("<g class=\"place\"")
        .skip(1)
        .map(|rest| {
            let tag = format!(" {}", &rest[..rest.find('>').unwrap()]);
            let get = |a| attr(&tag, a).unwrap().to_string();
            (get("data-name"), get("data-district"), get("data-captured"))
        })
        .collect()
}

/// The capitals file: name, district spellings, province spellings.
fn capitals() -> Vec<(String, Vec<String>, Vec<String>)> {
    csv_rows(&repo(CAPITALS))
        .into_iter()
        .filter(|r| r[3].contains("capital"))
        .map(|r| {
            let split = |s: &str| s.split('|').map(str::to_string).collect();
            (r[0].clone(), split(&r[4]), split(&r[5]))
        })
        .collect()
}

fn svg_of(mut cmd: assert_cmd::Command, args: &[&str]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    let run = cmd.args(args).arg("-o").arg(&out).output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (
        std::fs::read_to_string(&out).unwrap(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

#[test]
fn no_capital_is_marked_captured_unless_its_own_district_is_taken() {
    let t = timeline();
    let capitals = capitals();
    assert_eq!(capitals.len(), 34);
    let mut checked = 0;
    let mut captured_somewhere = 0;
    for date in [
        "2021-06-20",
        "2021-06-21",
        "2021-07-06",
        "2021-07-13",
        "2021-08-06",
        "2021-08-16",
    ] {
        let d = Date::parse_iso(date).unwrap();
        let (svg, stderr) = svg_of(takeover("render"), &["--date", date, "--places", CAPITALS]);
        // Every capital binds by name; none falls back on where its dot lies.
        assert!(!stderr.contains("bound by position"), "{stderr}");
        assert!(!stderr.contains("not bound"), "{stderr}");
        let markers = markers(&svg);
        assert_eq!(markers.len(), 34, "{date}: a marker per capital");
        for (name, spellings, _) in &capitals {
            // The capital's district in the timeline: the first spelling the CSV has.
            let district = spellings
                .iter()
                .find(|s| t.contains_key(*s))
                .unwrap_or_else(|| panic!("{name}: no spelling of {spellings:?} in the timeline"));
            let (_, bound, captured) = markers.iter().find(|m| &m.0 == name).unwrap();
            assert_eq!(bound, district, "{name} is bound to its own district");
            let want = taken(&t, district, d);
            assert_eq!(
                captured == "true",
                want,
                "{date}: {name} ({district}) captured={captured}, timeline says taken={want}"
            );
            captured_somewhere += usize::from(want);
            checked += 1;
        }
    }
    assert_eq!(checked, 34 * 6);
    // Not a vacuous test: by August 16 most capitals had fallen.
    assert!(captured_somewhere > 20, "{captured_somewhere}");
}

#[test]
fn maidan_shahr_and_maimana_keep_their_own_district_and_say_where_the_dot_is() {
    let (svg, stderr) = svg_of(
        takeover("render"),
        &["--date", "2021-06-21", "--places", CAPITALS],
    );
    let m = markers(&svg);
    let find = |n: &str| m.iter().find(|x| x.0 == n).unwrap().clone();
    assert_eq!(find("Maidan Shahr").1, "Maydan Shahr");
    assert_eq!(find("Maimana").1, "Maymana");
    assert!(
        stderr.contains("place `Maidan Shahr`: bound to Maydan Shahr")
            && stderr.contains("its dot lies in Nirkh"),
        "{stderr}"
    );
    assert!(stderr.contains("its dot lies in Khwaja Sabz"), "{stderr}");
}

#[test]
fn every_capital_binds_on_the_ocha_districts_and_follows_the_lwj_snapshot() {
    let lwj = csv_rows(&data(LWJ));
    let mut cmd = controlmap();
    cmd.arg("render")
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(data(LWJ));
    let (svg, stderr) = svg_of(cmd, &["--places", CAPITALS]);
    assert!(!stderr.contains("bound by position"), "{stderr}");
    assert!(!stderr.contains("not bound"), "{stderr}");
    let markers = markers(&svg);
    for (name, spellings, provinces) in capitals() {
        let row = spellings
            .iter()
            .find_map(|s| lwj.iter().find(|r| &r[0] == s && provinces.contains(&r[1])))
            .unwrap_or_else(|| panic!("{name}: {spellings:?} in {provinces:?} not in the LWJ CSV"));
        let (_, bound, captured) = markers.iter().find(|m| m.0 == name).unwrap();
        assert_eq!(bound, &row[0], "{name}");
        assert_eq!(
            captured == "true",
            row[2] == "Taliban-Controlled",
            "{name} ({}, {}): {}",
            row[0],
            row[1],
            row[2]
        );
    }
}

/// The district `<path>`s of a map: (data-name, data-status, d).
fn districts(svg: &str) -> Vec<(String, String, String)> {
    let layer = &svg[svg.find("<g id=\"districts\"").unwrap()..];
    let layer = &layer[..layer.find("</g>").unwrap()];
    layer
        .lines()
        .filter(|l| l.starts_with("<path "))
        .map(|l| {
            let get = |a| attr(l, a).unwrap().to_string();
            (get("data-name"), get("data-status"), get("d"))
        })
        .collect()
}

/// The legend's count of a category.
fn legend_count(svg: &str, key: &str) -> usize {
    let at = svg.find(&format!("<g data-key=\"{key}\">")).unwrap();
    let rest = &svg[at..];
    let rest = &rest[rest.find("class=\"count\"").unwrap()..];
    let rest = &rest[rest.find('>').unwrap() + 1..];
    rest[..rest.find('<').unwrap()].parse().unwrap()
}

#[test]
fn since_may_1_counts_every_district_taken_by_june_20() {
    let t = timeline();
    let d = Date::parse_iso("2021-06-20").unwrap();
    let (svg, _) = svg_of(
        takeover("render"),
        &[
            "--date",
            "2021-06-20",
            "--since",
            "2021-05-01",
            "--since-only",
            "taliban",
        ],
    );
    // The timeline starts on May 11, so on May 1 every district was no data: each one
    // taken on June 20 moved into the category. Counted over the drawn polygons, whose
    // names are the timeline's.
    let polygons = districts(&svg);
    let expected = polygons.iter().filter(|p| taken(&t, &p.0, d)).count();
    assert!(expected > 30, "{expected}");
    let note = &svg[svg.find("id=\"legend-changed-since\"").unwrap()..];
    let note = &note[..note.find("</g>").unwrap()];
    assert!(
        note.contains("since May 1, 2021 (first record May 11): <tspan font-weight=\"bold\">")
            && note.contains(&format!(">{expected}</tspan>")),
        "{note}"
    );
    let hatched = svg.matches(" data-changed=\"true\"").count();
    assert_eq!(hatched, expected);

    // stats --since gives the same number, in CSV and JSON, nationally and summed over the
    // provinces.
    let dir = tempfile::tempdir().unwrap();
    for file in ["s.csv", "s.json"] {
        let out = dir.path().join(file);
        takeover("stats")
            .args(["--date", "2021-06-20", "--since", "2021-05-01", "-q", "-o"])
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        let (national, provinces, left) = if file.ends_with(".csv") {
            let mut lines = text.lines();
            let header: Vec<&str> = lines.next().unwrap().split(',').collect();
            let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
            let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
            let taliban = |scope: &str| {
                rows.iter()
                    .filter(|r| r[col("scope")] == scope && r[col("category")] == "taliban")
                    .map(|r| r[col("entered")].parse::<usize>().unwrap())
                    .sum::<usize>()
            };
            let left: usize = rows
                .iter()
                .filter(|r| r[col("scope")] == "national" && r[col("category")] == "no-data")
                .map(|r| r[col("left")].parse::<usize>().unwrap())
                .sum();
            assert!(rows.iter().all(|r| r[col("since")] == "2021-05-01"));
            (taliban("national"), taliban("province"), left)
        } else {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["since"], "2021-05-01");
            let cat = |tally: &serde_json::Value, key: &str| {
                tally["categories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["category"] == key)
                    .unwrap()
                    .clone()
            };
            let national = cat(&v["national"], "taliban");
            // The JSON lists the districts by name: exactly the taken polygons' names.
            let mut names: Vec<String> = national["entered"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            let mut want: Vec<String> = polygons
                .iter()
                .filter(|p| taken(&t, &p.0, d))
                .map(|p| p.0.clone())
                .collect();
            names.sort();
            want.sort();
            assert_eq!(names, want);
            let provinces: usize = v["provinces"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| cat(p, "taliban")["entered"].as_array().unwrap().len())
                .sum();
            let left = cat(&v["national"], "no-data")["left"]
                .as_array()
                .unwrap()
                .len();
            (names.len(), provinces, left)
        };
        assert_eq!(national, expected, "{file}");
        assert_eq!(provinces, expected, "{file}");
        assert_eq!(left, polygons.len(), "{file}: every district left no data");
    }
}

/// Page points of a path's rings (`M x y l dx dy … Z`, as the SVG writer writes them).
fn rings(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut rings = Vec::new();
    for part in d.split('M').filter(|p| !p.is_empty()) {
        let part = part.trim_end_matches('Z');
        let (start, steps) = part.split_once('l').unwrap();
        let nums = |s: &str| -> Vec<f64> {
            // Numbers are separated by spaces or by their own minus sign.
            s.replace('-', " -")
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        };
        let s = nums(start);
        let mut p = (s[0], s[1]);
        let mut ring = vec![p];
        for pair in nums(steps).chunks(2) {
            p = (p.0 + pair[0], p.1 + pair[1]);
            ring.push(p);
        }
        rings.push(ring);
    }
    rings
}

/// Whether the segment a–b meets the rectangle (Liang–Barsky clipping).
fn segment_meets(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 <= t1
}

/// Even-odd point in rings.
fn inside(p: (f64, f64), rings: &[Vec<(f64, f64)>]) -> bool {
    let mut odd = false;
    for ring in rings {
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) {
                odd = !odd;
            }
        }
    }
    odd
}

#[test]
fn a_bbox_of_the_north_counts_only_the_districts_in_its_frame() {
    let (svg, _) = svg_of(
        takeover("render"),
        &["--date", "2021-06-20", "--bbox", "64,35.8,71.5,38.5"],
    );
    let clip = &svg[svg.find("<clipPath id=\"frame\"><rect").unwrap()..];
    let clip = &clip[..clip.find("/>").unwrap()];
    let n = |a| attr(clip, a).unwrap().parse::<f64>().unwrap();
    let frame = (n("x"), n("y"), n("x") + n("width"), n("y") + n("height"));
    let centre = ((frame.0 + frame.2) / 2.0, (frame.1 + frame.3) / 2.0);
    let mut in_view: BTreeMap<String, usize> = BTreeMap::new();
    let all = districts(&svg);
    for (_, status, d) in &all {
        let rings = rings(d);
        let meets = rings
            .iter()
            .any(|r| (0..r.len()).any(|i| segment_meets(r[i], r[(i + 1) % r.len()], frame)))
            || inside(centre, &rings);
        if meets {
            *in_view.entry(status.clone()).or_default() += 1;
        }
    }
    let taliban = in_view.get("taliban").copied().unwrap_or(0);
    let no_report = in_view.get("no-report").copied().unwrap_or(0);
    let national = all.iter().filter(|d| d.1 == "taliban").count();
    assert!(taliban > 0 && taliban < national, "{taliban} of {national}");
    assert!(taliban + no_report < all.len());
    assert_eq!(legend_count(&svg, "taliban"), taliban);
    assert_eq!(legend_count(&svg, "no-report"), no_report);
    assert!(svg.contains("in this view"));

    // --national-counts gives the whole map's numbers, and no "in this view".
    let (svg, _) = svg_of(
        takeover("render"),
        &[
            "--date",
            "2021-06-20",
            "--bbox",
            "64,35.8,71.5,38.5",
            "--national-counts",
        ],
    );
    assert_eq!(legend_count(&svg, "taliban"), national);
    assert!(!svg.contains("in this view"));
}

/// The `<text id="...">` element's lines: (x, y, text) of each tspan, or of the text itself.
fn text_lines(svg: &str, id: &str) -> (f64, Vec<(f64, String)>) {
    let el = &svg[svg.find(&format!("<text id=\"{id}\"")).unwrap()..];
    let el = &el[..el.find("</text>").unwrap()];
    let head = &el[..el.find('>').unwrap()];
    let size: f64 = attr(head, "font-size").unwrap().parse().unwrap();
    let body = &el[head.len() + 1..];
    let lines = if body.contains("<tspan") {
        body.split("<tspan")
            .skip(1)
            .map(|t| {
                let tag = &t[..t.find('>').unwrap()];
                let y = attr(tag, "y").unwrap().parse().unwrap();
                let text = &t[tag.len() + 1..t.find("</tspan>").unwrap()];
                (y, text.to_string())
            })
            .collect()
    } else {
        vec![(attr(head, "y").unwrap().parse().unwrap(), body.to_string())]
    };
    (size, lines)
}

#[test]
fn a_long_title_wraps_inside_a_social_canvas_and_a_newline_in_the_source_is_two_lines() {
    let title = "Districts reported under Taliban control as the offensive swept through the north of Afghanistan in the early summer of 2021";
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("m.png");
    let args = [
        "--date",
        "2021-06-20",
        "--size",
        "social",
        "--title",
        title,
        "--source",
        "Source: Tolo News\nBoundaries: AIMS",
    ];
    let (svg, stderr) = svg_of(takeover("render"), &args);
    assert!(!stderr.contains("runs off the page"), "{stderr}");
    let (size, lines) = text_lines(&svg, "title");
    assert!(lines.len() >= 2, "{lines:?}");
    let words: Vec<&str> = lines.iter().flat_map(|l| l.1.split(' ')).collect();
    assert_eq!(words.join(" "), title, "every word, in order");
    // Every line ends before the right margin (the left margin mirrored), and the lines
    // go down the page.
    let margin = 1080.0 * 32.0 / 1600.0;
    for (_, line) in &lines {
        let w = f64::from(controlmap::render::typeface::Typeface::bundled().measure(
            line,
            size as f32,
            true,
        ));
        assert!(margin + w <= 1080.0 - margin + 0.5, "`{line}`: {w} px");
    }
    assert!(lines.windows(2).all(|w| w[1].0 > w[0].0));
    let (_, source) = text_lines(&svg, "source");
    assert_eq!(
        source.iter().map(|l| l.1.as_str()).collect::<Vec<_>>(),
        ["Source: Tolo News", "Boundaries: AIMS"]
    );
    assert!(source[1].0 <= 1080.0 - margin + 0.01);

    // In the PNG, nothing of the title is drawn right of the margin.
    takeover("render")
        .args(args)
        .arg("-q")
        .arg("-o")
        .arg(&png)
        .assert()
        .success();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.line_size / info.width as usize;
    let bottom = (lines.last().unwrap().0 + size * 0.3) as usize;
    for y in 0..bottom {
        for x in (1080 - margin as usize + 1)..1080 {
            let p = &buf[y * info.line_size + x * channels..][..3];
            assert_eq!(p, [255, 255, 255], "title ink at ({x}, {y})");
        }
    }

    // A word that cannot fit is named in a warning.
    let long = "W".repeat(120);
    let run = takeover("render")
        .args([
            "--date",
            "2021-06-20",
            "--size",
            "social",
            "--title",
            &long,
            "-o",
        ])
        .arg(dir.path().join("w.svg"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("warning: title: `WWWW") && stderr.contains("runs off the page"),
        "{stderr}"
    );
}

#[test]
fn check_lists_every_unmatched_name_first_then_the_ambiguous_ones() {
    let run = controlmap()
        .arg("check")
        .arg("--boundaries")
        .arg(data("gadm-districts/AFG_districts.json"))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args(["--preset", "binary", "--map", "2=taliban", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let unmatched = json["join"]["unmatched_timeline"].as_array().unwrap().len();
    let without = json["join"]["unmatched_districts"]
        .as_array()
        .unwrap()
        .len();
    assert!(unmatched > 10 && without > 10, "{unmatched} {without}");
    let run = controlmap()
        .arg("check")
        .arg("--boundaries")
        .arg(data("gadm-districts/AFG_districts.json"))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args(["--preset", "binary", "--map", "2=taliban"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let at = |s: &str| lines.iter().position(|l| l.contains(s)).unwrap();
    // Every one listed, none hidden behind "… and N more", before anything else.
    let names = at("timeline names with no district");
    let districts = at("districts with no record");
    let ambiguous = at("ambiguous names");
    assert_eq!(districts - names - 1, unmatched, "{text}");
    assert_eq!(ambiguous - districts - 1, without, "{text}");
    assert!(ambiguous < at("Boundaries  "), "{text}");
    assert!(lines[names + 1].contains("`Archi` (line"), "{text}");
    assert!(!text.contains("more (see"), "{text}");
    assert!(lines[0].starts_with("join:"), "{text}");
}

#[test]
fn a_long_unmatched_list_goes_to_the_report_and_check_says_where() {
    // The takeover timeline on the OCHA districts leaves ~145 districts without a record.
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("join.json");
    let run = controlmap()
        .arg("check")
        .arg("--boundaries")
        .arg(data(OCHA))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args(["--preset", "binary", "--map", "2=taliban"])
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let without = json["unmatched_districts"].as_array().unwrap().len();
    assert!(without > controlmap::check::LONG_LIST, "{without}");
    let more = format!(
        "… and {} more: the full list is in {} (`unmatched_districts`)",
        without - controlmap::check::LONG_LIST,
        report.display()
    );
    assert!(text.contains(&more), "{text}");
}

#[test]
fn an_id_join_names_its_keys_never_an_empty_one() {
    let run = controlmap()
        .arg("check")
        .arg("--boundaries")
        .arg(repo("tests/fixtures/districts.geojson"))
        .arg("--status")
        .arg(repo("tests/fixtures/id-reversal.csv"))
        .args([
            "--id-field",
            "code",
            "--id-column",
            "code",
            "--preset",
            "lwj",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(text.contains("reverses: N1 (line 2): "), "{text}");
    assert!(!text.contains("``"), "{text}");
}
