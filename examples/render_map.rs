//! Using controlmap as a library: the 2021 takeover timeline on its own district TopoJSON,
//! one PNG and one SVG for a date, and the join report.
//!
//! `cargo run --release --example render_map -- 2021-07-01 /tmp/takeover`

use controlmap::join::Ambiguous;
use controlmap::read::{self, FieldOptions, TimelineOptions};
use controlmap::status::{Categories, CategoryOptions, parse_assignment};
use controlmap::timeline::Date;
use controlmap::{Map, MapOptions, output};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let date = args.next().unwrap_or_else(|| "2021-07-01".into());
    let date = Date::parse_iso(&date).ok_or("the date must be YYYY-MM-DD")?;
    let stem = args.next().unwrap_or_else(|| "takeover".into());

    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let boundaries = read::read_boundaries(
        &data.join("taliban-takeover-2021/combined.json"),
        &FieldOptions::default(),
    )?;
    let timeline = read::read_timeline(
        &data.join("taliban-takeover-2021/taliban_takeover.csv"),
        &TimelineOptions::default(),
    )?;
    // The file says 1 (Taliban reported in control), 0 (no report), and 2 where two
    // districts named Muqur were summed.
    let categories = Categories::from_options(&CategoryOptions {
        maps: ["1=taliban", "2=taliban", "0=no-report"]
            .iter()
            .map(|m| parse_assignment("--map", m))
            .collect::<Result<_, _>>()?,
        ..CategoryOptions::default()
    })?;
    let mut options = MapOptions::default();
    options.join.ambiguous = Ambiguous::All;
    options.text.title = "Districts reported under Taliban control".into();

    let map = Map::new(boundaries, timeline, categories, &options)?;
    eprintln!("{}", map.join_report().summary());
    for (key, count) in map.counts(date) {
        println!("{date} {key}: {count}");
    }
    output::write_atomic(
        format!("{stem}.svg").as_ref(),
        map.render_svg(date).as_bytes(),
    )?;
    output::write_atomic(format!("{stem}.png").as_ref(), &map.render_png(date)?)?;
    Ok(())
}
