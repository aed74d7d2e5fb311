//! `--borders shared|each` on the peer benchmark's map (`../shared/peers`): `each` strokes
//! every district's own outline, so a shared 0.5 px white border is inked twice and comes
//! out whiter, as Mapnik, QGIS and geopandas draw it; nothing else on the map moves.

mod common;
#[path = "common/golden.rs"]
#[allow(dead_code)] // Only its decoder.
mod golden;

use std::path::Path;

use assert_cmd::Command;
use common::{TAKEOVER, TOPO, controlmap, data};
use predicates::prelude::*;

/// The government fill of the peer job.
const GREY: [u8; 3] = [0xd5, 0xd8, 0xdc];

/// The peer job's map of 2021-06-20 (`README.md`), with `extra` flags, written to `out`.
fn peer(out: &Path, extra: &[&str]) -> Command {
    let mut c = controlmap();
    c.arg("render")
        .arg("--boundaries")
        .arg(data(TOPO))
        .arg("--status")
        .arg(data(TAKEOVER))
        .args([
            "--map",
            "1=taliban",
            "--map",
            "2=contested",
            "--map",
            "0=government",
        ])
        .args(["--ambiguous", "all", "--proj", "+proj=longlat"])
        .args([
            "--bbox",
            "60.361389,28.422619,75.038015,39.430089",
            "--plain",
        ])
        .args(["--province-width", "0", "--outline-width", "0"])
        .args(["--border-width", "0.5", "--border-color", "#ffffff"])
        .args([
            "--color",
            "government=#d5d8dc",
            "--color",
            "no-data=#ffffff",
        ])
        .args(["--date", "2021-06-20", "-q"])
        .args(extra)
        .arg("-o")
        .arg(out);
    c
}

/// The peer map as SVG text and as a decoded PNG, drawn with `extra`.
fn render(dir: &Path, name: &str, extra: &[&str]) -> (String, golden::Image) {
    let svg = dir.join(format!("{name}.svg"));
    let png = dir.join(format!("{name}.png"));
    peer(&svg, extra).assert().success();
    peer(&png, extra).assert().success();
    (
        std::fs::read_to_string(&svg).unwrap(),
        golden::decode(&std::fs::read(&png).unwrap()),
    )
}

/// The `d` of every `<path>` inside the group `<g id="{id}" …>`.
fn paths_of<'a>(svg: &'a str, id: &str) -> Vec<&'a str> {
    let start = svg
        .find(&format!("<g id=\"{id}\""))
        .unwrap_or_else(|| panic!("no group {id}"));
    let group = &svg[start..];
    let group = &group[..group.find("</g>").unwrap()];
    group
        .split(" d=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

/// The subpaths of path data made of `M` (absolute) and `l` (relative) commands, as the
/// line layers are written, as absolute points; a closing `z` adds nothing.
fn subpaths(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut numbers = Vec::new();
    let mut command = ' ';
    let mut number = String::new();
    let flush = |number: &mut String, numbers: &mut Vec<f64>| {
        if !number.is_empty() {
            numbers.push(number.parse::<f64>().unwrap());
            number.clear();
        }
    };
    let emit = |command: char, numbers: &mut Vec<f64>, out: &mut Vec<Vec<(f64, f64)>>| {
        for (i, xy) in numbers.chunks_exact(2).enumerate() {
            match command {
                'M' if i == 0 => out.push(vec![(xy[0], xy[1])]),
                'M' => out.last_mut().unwrap().push((xy[0], xy[1])),
                'l' => {
                    let line = out.last_mut().unwrap();
                    let (x, y) = *line.last().unwrap();
                    line.push((x + xy[0], y + xy[1]));
                }
                other => panic!("unexpected path command {other}"),
            }
        }
        numbers.clear();
    };
    for c in d.chars() {
        match c {
            'M' | 'l' | 'z' | 'Z' => {
                flush(&mut number, &mut numbers);
                emit(command, &mut numbers, &mut out);
                command = c;
            }
            '-' => {
                flush(&mut number, &mut numbers);
                number.push(c);
            }
            '.' if number.contains('.') => {
                flush(&mut number, &mut numbers);
                number.push(c);
            }
            ' ' | ',' => flush(&mut number, &mut numbers),
            _ => number.push(c),
        }
    }
    flush(&mut number, &mut numbers);
    emit(command, &mut numbers, &mut out);
    out
}

/// The vertices of every subpath of these paths.
fn vertices(paths: &[&str]) -> usize {
    paths
        .iter()
        .flat_map(|d| subpaths(d))
        .map(|s| s.len())
        .sum()
}

fn rgb(image: &golden::Image, x: f64, y: f64) -> [u8; 3] {
    let i = 4 * (y.floor() as usize * image.width as usize + x.floor() as usize);
    [image.rgba[i], image.rgba[i + 1], image.rgba[i + 2]]
}

fn ink(p: [u8; 3]) -> u32 {
    p.iter().map(|&c| u32::from(c)).sum()
}

#[test]
fn each_strokes_every_district_outline_and_whitens_shared_borders() {
    let dir = tempfile::tempdir().unwrap();
    let (shared_svg, shared) = render(dir.path(), "shared", &["--borders", "shared"]);
    let (each_svg, each) = render(dir.path(), "each", &["--borders", "each"]);

    // The layer is every district ring, closed, as the districts layer draws them; a
    // border two districts share is in it twice, the outer edges once.
    let rings: Vec<Vec<(f64, f64)>> = paths_of(&each_svg, "districts")
        .iter()
        .flat_map(|d| subpaths(d))
        .collect();
    let each_vertices = vertices(&paths_of(&each_svg, "borders"));
    let ring_vertices: usize = rings.iter().map(|r| r.len() + 1).sum();
    assert_eq!(each_vertices, ring_vertices);
    let shared_vertices = vertices(&paths_of(&shared_svg, "borders"));
    assert!(
        each_vertices > shared_vertices * 3 / 2 && each_vertices < shared_vertices * 2,
        "each {each_vertices}, shared {shared_vertices}"
    );
    // Only the borders path differs between the two SVGs.
    let cut = |svg: &str| {
        let d = paths_of(svg, "borders")[0];
        svg.replacen(d, "", 1)
    };
    assert_eq!(cut(&shared_svg), cut(&each_svg));

    // Pixels on the middle of a long shared border segment between two government
    // districts: the two sides, 3 px away, are the grey fill.
    let mut on_border = Vec::new();
    for line in subpaths(paths_of(&shared_svg, "borders")[0]) {
        for w in line.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            let len = (x1 - x0).hypot(y1 - y0);
            if len < 6.0 {
                continue;
            }
            let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let (nx, ny) = (-(y1 - y0) / len * 3.0, (x1 - x0) / len * 3.0);
            if rgb(&shared, mx + nx, my + ny) == GREY && rgb(&shared, mx - nx, my - ny) == GREY {
                on_border.push((mx, my));
            }
        }
    }
    assert!(on_border.len() >= 20, "{} border samples", on_border.len());
    // Some neighbours in this TopoJSON do not share their vertices (README, *Data*): the mesh
    // holds both their edges already, so there `each` draws what `shared` does.
    let mut whiter = 0;
    for &(x, y) in &on_border {
        let (s, e) = (rgb(&shared, x, y), rgb(&each, x, y));
        assert!(ink(s) > ink(GREY), "({x}, {y}) is on a border: {s:?}");
        assert!(
            (0..3).all(|c| e[c] >= s[c]),
            "({x}, {y}): each {e:?}, shared {s:?}"
        );
        whiter += usize::from(ink(e) > ink(s));
    }
    assert!(
        whiter * 100 >= on_border.len() * 95,
        "{whiter} of {} border pixels whiter",
        on_border.len()
    );

    // Away from every line (a pixel whose 5×5 neighbourhood is one colour), nothing moves.
    let (w, h) = (shared.width as usize, shared.height as usize);
    let at = |x: usize, y: usize| 4 * (y * w + x);
    let mut deep = 0;
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let p = &shared.rgba[at(x, y)..at(x, y) + 4];
            let uniform = (y - 2..=y + 2)
                .all(|yy| (x - 2..=x + 2).all(|xx| &shared.rgba[at(xx, yy)..at(xx, yy) + 4] == p));
            if uniform && p[..3] != [255, 255, 255] {
                deep += 1;
                assert_eq!(p, &each.rgba[at(x, y)..at(x, y) + 4], "({x}, {y})");
            }
        }
    }
    assert!(deep > w * h / 4, "{deep} pixels deep inside districts");
}

#[test]
fn shared_is_the_default_and_a_style_file_sets_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let svg = |name: &str, extra: &[&str]| {
        let out = dir.path().join(format!("{name}.svg"));
        peer(&out, extra).assert().success();
        std::fs::read_to_string(&out).unwrap()
    };
    let default = svg("default", &[]);
    let shared = svg("shared", &["--borders", "shared"]);
    let each = svg("each", &["--borders", "each"]);
    assert_eq!(default, shared);
    assert_ne!(shared, each);

    let style = dir.path().join("each.toml");
    std::fs::write(&style, "[lines.borders]\nmode = \"each\"\n").unwrap();
    let style = style.to_str().unwrap();
    assert_eq!(svg("file", &["--style", style]), each);
    // The flag wins over the file.
    assert_eq!(
        svg("flag", &["--style", style, "--borders", "shared"]),
        shared
    );
}

#[test]
fn a_bad_mode_names_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    for (text, expected) in [
        (
            "[lines.borders]\nmode = \"twice\"\n",
            "bad.toml: line 2, column 8 (`mode = \"twice\"`): unknown variant `twice`, expected `shared` or `each`",
        ),
        (
            "[lines]\nborders = { width = 0.5, mode = \"both\" }\n",
            "bad.toml: line 2, column 33 (`borders = { width = 0.5, mode = \"both\" }`): unknown variant `both`, expected `shared` or `each`",
        ),
    ] {
        let style = dir.path().join("bad.toml");
        std::fs::write(&style, text).unwrap();
        peer(&out, &["--style", style.to_str().unwrap()])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(expected));
        assert!(!out.exists());
    }
    peer(&out, &["--borders", "twice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'twice' for '--borders",
        ));
}

#[test]
fn small_multiples_draw_each_panel_with_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let grid = |name: &str, mode: &str| {
        let out = dir.path().join(format!("{name}.svg"));
        common::takeover("series")
            .args(["--dates", "2021-05-11,2021-08-16", "--grid", "2x1", "-q"])
            .args(["--borders", mode, "-o"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(&out).unwrap()
    };
    let (shared, each) = (grid("shared", "shared"), grid("each", "each"));
    for panel in ["p0-borders", "p1-borders"] {
        let (s, e) = (
            vertices(&paths_of(&shared, panel)),
            vertices(&paths_of(&each, panel)),
        );
        assert!(e * 2 > s * 3, "{panel}: each {e}, shared {s}");
    }
}
