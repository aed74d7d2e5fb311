//! Where the time of one map goes, phase by phase, on the real data in ../shared/data:
//! load (read boundaries + timeline), join, prepare (shared borders, projection,
//! simplification, layout), SVG, PNG rasterisation and PNG encoding.
//!
//! `cargo bench --bench phases` (release build); `bench/run.sh` adds whole-process times and
//! peak memory. Each phase is run several times and the median is printed.

use std::path::Path;
use std::time::{Duration, Instant};

use controlmap::join::{Ambiguous, Join, JoinOptions};
use controlmap::read::{self, FieldOptions, TimelineOptions};
use controlmap::render::png;
use controlmap::status::{Categories, CategoryOptions, parse_assignment};
use controlmap::timeline::Date;
use controlmap::{Map, MapOptions};

const RUNS: usize = 7;

fn median<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort_unstable();
    (times[RUNS / 2], last.expect("RUNS > 0"))
}

fn ms(d: Duration) -> String {
    format!("{:7.1} ms", d.as_secs_f64() * 1e3)
}

fn case(name: &str, boundaries: &str, status: &str, maps: &[&str], date: &str) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let (b, t) = (data.join(boundaries), data.join(status));
    let options = CategoryOptions {
        maps: maps
            .iter()
            .map(|m| parse_assignment("--map", m).expect("valid --map"))
            .collect(),
        ..Default::default()
    };
    let categories = Categories::from_options(&options).expect("categories");
    let date = Date::parse_iso(date).expect("date");

    let (load, (boundaries, timeline)) = median(|| {
        (
            read::read_boundaries(&b, &FieldOptions::default()).expect("boundaries"),
            read::read_timeline(&t, &TimelineOptions::default()).expect("timeline"),
        )
    });
    let join_options = JoinOptions {
        ambiguous: Ambiguous::All,
        ..JoinOptions::default()
    };
    let (join, _) = median(|| {
        let cats = categories.classify_timeline(&timeline).expect("classify");
        Join::new(&boundaries, &timeline, &cats, &join_options).expect("join")
    });
    let map_options = MapOptions {
        join: join_options.clone(),
        ..MapOptions::default()
    };
    let (prepare, map) = median(|| {
        Map::new(
            boundaries.clone(),
            timeline.clone(),
            categories.clone(),
            &map_options,
        )
        .expect("map")
    });
    let (svg_time, svg) = median(|| map.render_svg(date));
    let style = map.scene().style().clone();
    let (resvg_time, _) = median(|| png::rasterize(&svg, &style).expect("raster"));
    // One map: its pixels drawn directly.
    let (once, _) = median(|| map.render_pixmap(date).expect("one map"));
    // The first frame of a series also prepares the per-map pixels (coverage, fixed overlay).
    let t = Instant::now();
    map.frame_pixmap(date).expect("first frame");
    let first = t.elapsed();
    let (raster, pixmap) = median(|| map.frame_pixmap(date).expect("frame"));
    let (encode, bytes) = median(|| png::encode(&pixmap).expect("encode"));
    // A series frame as the series makes it: pixels (into a recycled buffer) and encoding.
    let (frame_png, _) = median(|| map.frame_png(date).expect("frame"));
    // The encoder's previous setting, for the record (same pixels as RGBA, adaptive filter).
    let (up, up_bytes) = median(|| {
        let mut out = Vec::new();
        let mut e = ::png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        e.set_color(::png::ColorType::Rgba);
        e.set_compression(::png::Compression::Fast);
        let mut w = e.write_header().expect("header");
        w.write_image_data(pixmap.data()).expect("data");
        w.finish().expect("finish");
        out
    });

    println!(
        "{name}: {} districts, {} timeline rows, 1600x1200",
        boundaries.districts.len(),
        timeline.records.len()
    );
    println!("  load (read files)        {}", ms(load));
    println!("  join (classify + match)  {}", ms(join));
    println!(
        "  prepare (join, borders, project, simplify, layout) {}",
        ms(prepare)
    );
    println!(
        "  SVG render               {}  ({} KB)",
        ms(svg_time),
        svg.len() / 1024
    );
    println!("  PNG pixels, one map      {}  (drawn directly)", ms(once));
    println!(
        "  PNG pixels, series first frame {}  (prepares coverage and the fixed overlay once)",
        ms(first)
    );
    println!("  PNG pixels, next frames  {}", ms(raster));
    println!(
        "  PNG encode               {}  ({} KB)",
        ms(encode),
        bytes.len() / 1024
    );
    println!(
        "  (PNG encode as RGBA, adaptive filter {}  ({} KB))",
        ms(up),
        up_bytes.len() / 1024
    );
    println!(
        "  (whole SVG through resvg {}, for comparison)",
        ms(resvg_time)
    );
    println!(
        "  one PNG map, in process  {}",
        ms(load + prepare + once + encode)
    );
    println!(
        "  PNG frame after the first, pixels + encode {}",
        ms(frame_png)
    );
    println!(
        "  series frame / PNG encode: {:.2} (frame = pixels + encode; target <= 1.5)",
        frame_png.as_secs_f64() / encode.as_secs_f64()
    );
}

fn main() {
    case(
        "2021 takeover TopoJSON + timeline",
        "taliban-takeover-2021/combined.json",
        "taliban-takeover-2021/taliban_takeover.csv",
        &["1=taliban", "2=taliban", "0=no-report"],
        "2021-06-20",
    );
    case(
        "OCHA 2018 Shapefile + LWJ snapshot",
        "ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp",
        "lwj-control-2018/afg_districts.csv",
        &[],
        "2019-01-01",
    );
}
