//! Property tests: the as-of lookup, name normalisation, TopoJSON decoding, projection,
//! page fitting and series dates, each checked against a plain reference on random inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use controlmap::join::normalize_name;
use controlmap::project::{Area, PageTransform, Projection, bounds, parse_bbox};
use controlmap::read::read_layer;
use controlmap::series::dates::{DateSelection, MAX_FRAMES, Step, Template};
use controlmap::status::CategoryId;
use controlmap::timeline::{Date, History};
use proptest::prelude::*;
use serde_json::json;

/// Days from 2000-01-01 to 2030-12-31 inclusive.
const DAYS_2000_2030: i64 = 11_323;

fn day(offset: i64) -> Date {
    Date::from_ymd(2000, 1, 1)
        .unwrap()
        .add_days(offset)
        .unwrap()
}

fn a_date() -> impl Strategy<Value = Date> {
    (0..DAYS_2000_2030).prop_map(day)
}

/// Unique dates (the join removes same-date duplicates first), an optional undated step,
/// in shuffled order since `History::new` must not rely on the caller sorting.
fn steps() -> impl Strategy<Value = Vec<(Option<Date>, CategoryId)>> {
    (
        prop::collection::btree_map(0..DAYS_2000_2030, 0usize..6, 0..12),
        prop::option::of(0usize..6),
    )
        .prop_flat_map(|(dated, undated): (BTreeMap<i64, usize>, _)| {
            let mut steps: Vec<_> = dated
                .into_iter()
                .map(|(d, c)| (Some(day(d)), CategoryId(c)))
                .collect();
            steps.extend(undated.map(|c| (None, CategoryId(c))));
            Just(steps).prop_shuffle()
        })
}

/// The definition spelled out: the latest step dated on or before `date`; `None` sorts
/// before every date, so an undated step is the earliest.
fn as_of_reference(steps: &[(Option<Date>, CategoryId)], date: Date) -> Option<CategoryId> {
    steps
        .iter()
        .filter(|(d, _)| d.is_none_or(|d| d <= date))
        .max_by_key(|(d, _)| *d)
        .map(|(_, c)| *c)
}

proptest! {
    /// If this broke, a district would be coloured with a status from the wrong record:
    /// a takeover shown a day early or late, or an old status outliving a newer one.
    #[test]
    fn as_of_matches_the_definition(
        steps in steps(),
        // A little before 2000 and after 2030, to query outside every history.
        queries in prop::collection::vec(-400..DAYS_2000_2030 + 400, 1..20),
    ) {
        let history = History::new(steps.clone());
        for q in queries {
            let date = day(q);
            prop_assert_eq!(history.at(date), as_of_reference(&steps, date), "on {}", date);
        }
    }

    /// If this broke, a district's last known status would flicker or vanish on maps drawn
    /// after the timeline ends.
    #[test]
    fn after_the_last_step_the_last_status_holds(steps in steps(), later in 0i64..5000) {
        let history = History::new(steps);
        let Some(&(last_date, last)) = history.steps.last() else {
            prop_assert_eq!(history.at(day(later)), None);
            return Ok(());
        };
        let from = last_date.unwrap_or_else(|| day(-400));
        // The day of the last step itself is where an off-by-one would show.
        for date in [from, from.add_days(later).unwrap()] {
            prop_assert_eq!(history.at(date), Some(last), "on {}", date);
        }
    }
}

/// Words as district names come: Latin letters, some accented, digits now and then.
fn word() -> impl Strategy<Value = String> {
    "[A-Za-z0-9àáâäçéèêëíîïñóôöúüýāīū]{1,8}"
}

/// Separators that mean nothing to a match: what sources put between words.
fn gap() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "  ", "-", "- ", " - "])
}

fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // Scripts boundary files are written in (Latin, Greek, Cyrillic, Arabic, Georgian),
        // which arbitrary Unicode rarely reaches.
        "[\\x20-\\x7e\\u{a0}-\\u{24f}\\u{370}-\\u{4ff}\\u{600}-\\u{6ff}\\u{10a0}-\\u{10ff}\\u{1c90}-\\u{1cbf}]{0,30}",
        prop::collection::vec((word(), gap()), 1..6)
            .prop_map(|words| words.into_iter().map(|(w, g)| w + g).collect::<String>()),
        "[A-Za-z \\-'(),.]{0,30}(-e-|-i-| e | i )[A-Za-z \\-'(),.]{0,30}",
    ]
}

/// Drops the characters whose case does not round-trip (lowercase of uppercase is not the
/// lowercase): "ᾀ" uppercases to "ἈΙ", the micro sign to a Greek capital. Changing the case of
/// those changes the text, not just its case.
fn case_reversible(names: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    names.prop_map(|name| {
        name.chars()
            .filter(|c| {
                c.to_uppercase()
                    .flat_map(char::to_lowercase)
                    .eq(c.to_lowercase())
            })
            .collect()
    })
}

proptest! {
    /// If this broke, normalising a name already normalised (as a key stored in a report and
    /// read back) would give a different key, and the district would fall out of the join.
    #[test]
    fn normalising_is_idempotent(name in any_name()) {
        let once = normalize_name(&name);
        prop_assert_eq!(normalize_name(&once), once.clone());
    }

    /// If this broke, keys would carry characters the two sources spell differently, and
    /// equal names would fail to match.
    #[test]
    fn normalised_names_are_lowercase_ascii_alphanumerics(name in any_name()) {
        let norm = normalize_name(&name);
        prop_assert!(
            norm.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{:?} -> {:?}", name, norm
        );
    }

    /// If this broke, "NAD ALI" in one file would not match "Nad Ali" in the other.
    #[test]
    fn case_does_not_matter(name in case_reversible(any_name())) {
        let norm = normalize_name(&name);
        prop_assert_eq!(normalize_name(&name.to_uppercase()), norm.clone());
        prop_assert_eq!(normalize_name(&name.to_lowercase()), norm);
    }

    /// If this broke, "Nad Ali", "Nad  Ali" and "Nad-Ali" would be three districts.
    #[test]
    fn word_separators_do_not_matter(
        words in prop::collection::vec((word(), gap()), 1..6),
    ) {
        let single = words.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ");
        let mixed = words.iter().map(|(w, g)| w.clone() + g).collect::<String>();
        prop_assert_eq!(normalize_name(&mixed), normalize_name(&single));
        prop_assert_eq!(normalize_name(&single.replace(' ', "  ")), normalize_name(&single));
        prop_assert_eq!(normalize_name(&single.replace(' ', "-")), normalize_name(&single));
    }

    /// If this broke, "Qala-e-Naw" in one source would not match "Qala Naw" in the other.
    #[test]
    fn izafa_between_words_does_not_matter(
        words in prop::collection::vec(word(), 2..6),
        at in any::<prop::sample::Index>(),
        izafa in prop::sample::select(vec!["-e-", "-i-", " e ", " i ", "-E-"]),
    ) {
        let k = at.index(words.len() - 1);
        let plain = words.join(" ");
        let with = format!("{}{izafa}{}", words[..=k].join(" "), words[k + 1..].join(" "));
        prop_assert_eq!(normalize_name(&with), normalize_name(&plain), "{:?}", with);
    }
}

/// A star-shaped ring on the 0..10000 grid: random points sorted by angle round the grid's
/// centre, so the ring does not cross itself. Not closed. Points share no angle and the ring
/// has area, so that the reader has nothing to repair (no spike, no sliver).
fn star_ring() -> impl Strategy<Value = Vec<(i64, i64)>> {
    let angle = |&(x, y): &(i64, i64)| ((y - 5000) as f64).atan2((x - 5000) as f64);
    prop::collection::vec((0i64..10_000, 0i64..10_000), 4..50)
        .prop_map(move |mut points| {
            points.sort_by(|a, b| angle(a).total_cmp(&angle(b)));
            points
        })
        .prop_filter("distinct angles and some area", move |points| {
            let distinct = points.windows(2).all(|w| angle(&w[0]) != angle(&w[1]))
                && points.iter().all(|&p| p != (5000, 5000));
            let n = points.len();
            let area: i64 = (0..n)
                .map(|i| {
                    let (a, b) = (points[i], points[(i + 1) % n]);
                    a.0 * b.1 - b.0 * a.1
                })
                .sum();
            distinct && area != 0
        })
}

/// What a TopoJSON writer emits: the first position absolute, then differences.
fn delta_encode(points: &[(i64, i64)]) -> Vec<[i64; 2]> {
    let mut previous = (0, 0);
    points
        .iter()
        .map(|&(x, y)| {
            let delta = [x - previous.0, y - previous.1];
            previous = (x, y);
            delta
        })
        .collect()
}

#[derive(Debug)]
struct Quantized {
    scale: (f64, f64),
    translate: (f64, f64),
}

/// Writes a topology with one Polygon of ring `arcs`, and reads back its exterior.
fn read_back(
    quantized: &Quantized,
    arcs: &[Vec<[i64; 2]>],
    ring: &[i64],
) -> Result<Vec<(f64, f64)>, TestCaseError> {
    let topology = json!({
        "type": "Topology",
        "transform": {
            "scale": [quantized.scale.0, quantized.scale.1],
            "translate": [quantized.translate.0, quantized.translate.1],
        },
        "objects": {"districts": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "d", "arcs": [ring]}
        ]}},
        "arcs": arcs,
    });
    let mut file = tempfile::Builder::new()
        .suffix(".topojson")
        .tempfile()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    file.write_all(topology.to_string().as_bytes())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let layer = read_layer(file.path(), None).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(layer.features.len(), 1);
    prop_assert_eq!(layer.features[0].geometry.0.len(), 1);
    Ok(layer.features[0].geometry.0[0]
        .exterior()
        .coords()
        .map(|c| (c.x, c.y))
        .collect())
}

fn assert_decoded(
    decoded: &[(f64, f64)],
    closed: &[(i64, i64)],
    quantized: &Quantized,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(decoded.len(), closed.len());
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    for (k, (&(x, y), &(qx, qy))) in decoded.iter().zip(closed).enumerate() {
        let ex = quantized.translate.0 + qx as f64 * quantized.scale.0;
        let ey = quantized.translate.1 + qy as f64 * quantized.scale.1;
        prop_assert!(
            near(x, ex) && near(y, ey),
            "position {}: ({}, {}) != ({}, {})",
            k,
            x,
            y,
            ex,
            ey
        );
    }
    Ok(())
}

/// Transforms that keep the 0..10000 grid within lon/lat (at most 50° a side), which the
/// reader insists on.
fn quantized() -> impl Strategy<Value = Quantized> {
    (
        1e-7..0.005f64,
        1e-7..0.005f64,
        -180.0..130.0f64,
        -90.0..40.0f64,
    )
        .prop_map(|(sx, sy, tx, ty)| Quantized {
            scale: (sx, sy),
            translate: (tx, ty),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// If this broke, districts from quantized TopoJSON (most published boundary sets) would
    /// be drawn displaced, scaled or torn.
    #[test]
    fn quantized_arcs_decode_to_their_positions(ring in star_ring(), quantized in quantized()) {
        let mut closed = ring.clone();
        closed.push(ring[0]);
        let decoded = read_back(&quantized, &[delta_encode(&closed)], &[0])?;
        assert_decoded(&decoded, &closed, &quantized)?;
    }

    /// If this broke, a district whose border is shared with a neighbour (an arc the ring
    /// walks backwards) would be drawn with a spike or a missing edge.
    #[test]
    fn a_ring_of_two_arcs_one_reversed_decodes_whole(
        ring in star_ring(),
        split in any::<prop::sample::Index>(),
        quantized in quantized(),
    ) {
        let mut closed = ring.clone();
        closed.push(ring[0]);
        // Both arcs keep at least two positions: the shared junction and one more.
        let k = 1 + split.index(closed.len() - 2);
        let first = &closed[..=k];
        let second: Vec<(i64, i64)> = closed[k..].iter().rev().copied().collect();
        let arcs = [delta_encode(first), delta_encode(&second)];
        let decoded = read_back(&quantized, &arcs, &[0, !1])?;
        assert_decoded(&decoded, &closed, &quantized)?;
    }
}

fn round_trips(projection: &Projection, lon: f64, lat: f64) -> Result<(), TestCaseError> {
    let (x, y) = projection
        .forward(lon, lat)
        .ok_or_else(|| TestCaseError::fail(format!("forward({lon}, {lat}) failed")))?;
    let (lon2, lat2) = projection
        .inverse(x, y)
        .ok_or_else(|| TestCaseError::fail(format!("inverse({x}, {y}) failed")))?;
    prop_assert!(
        (lon2 - lon).abs() < 1e-7 && (lat2 - lat).abs() < 1e-7,
        "({}, {}) -> ({}, {}) -> ({}, {})",
        lon,
        lat,
        x,
        y,
        lon2,
        lat2
    );
    Ok(())
}

proptest! {
    /// If this broke, the default map projection would not be the one we think it is, and
    /// anything placed by inverting it (a clicked point, a label) would land off its place.
    #[test]
    fn fitted_lcc_inverts_its_forward(lon in 55.0..80.0f64, lat in 25.0..42.0f64) {
        let bbox = parse_bbox("60.4,29.3,74.9,38.5").unwrap();
        let projection = Projection::fitted_lcc(bbox).unwrap();
        round_trips(&projection, lon, lat)?;
    }

    /// As above, for `--proj "+proj=longlat"`, whose map units are degrees, not radians.
    #[test]
    fn longlat_inverts_its_forward(lon in 55.0..80.0f64, lat in 25.0..42.0f64) {
        let projection = Projection::parse("+proj=longlat +datum=WGS84").unwrap();
        round_trips(&projection, lon, lat)?;
    }
}

/// Extents as projections give them: metres or degrees, never a speck far from the origin.
fn extent_corners() -> impl Strategy<Value = ((f64, f64), (f64, f64))> {
    (-1e6..1e6f64, -1e6..1e6f64, 10.0..4e6f64, 10.0..4e6f64)
        .prop_map(|(x, y, w, h)| ((x, y), (x + w, y + h)))
}

fn area() -> impl Strategy<Value = Area> {
    (
        0.0..1000.0f64,
        0.0..1000.0f64,
        1.0..5000.0f64,
        1.0..5000.0f64,
    )
        .prop_map(|(x, y, width, height)| Area {
            x,
            y,
            width,
            height,
        })
}

proptest! {
    /// If this broke, the map would spill over its frame into the legend or title, or be
    /// stretched: districts wider or taller than they are.
    #[test]
    fn fitting_keeps_the_extent_inside_the_area_and_its_shape(
        ((x0, y0), (x1, y1)) in extent_corners(),
        area in area(),
    ) {
        let extent = bounds([(x0, y0), (x1, y1)]).unwrap();
        let t = PageTransform::fit(extent, area, 0.0);
        // Relative to the page's coordinates: their rounding error grows with their size.
        let tol = 1e-9 * (area.x + area.y + area.width + area.height);
        for (x, y) in [(x0, y0), (x0, y1), (x1, y0), (x1, y1)] {
            let (px, py) = t.apply(x, y);
            prop_assert!(
                area.x - tol <= px && px <= area.x + area.width + tol
                    && area.y - tol <= py && py <= area.y + area.height + tol,
                "({}, {}) -> ({}, {}) outside {:?}", x, y, px, py, area
            );
        }
        let (p0, p1) = (t.apply(x0, y0), t.apply(x1, y1));
        let (dx_page, dy_page) = (p1.0 - p0.0, p1.1 - p0.1);
        let (page_ratio, ratio) = ((dx_page / dy_page).abs(), ((x1 - x0) / (y1 - y0)).abs());
        prop_assert!(
            (page_ratio - ratio).abs() <= 1e-9 * ratio,
            "aspect {} on the page, {} in map units", page_ratio, ratio
        );
    }
}

fn step_days(step: Step) -> i64 {
    match step {
        Step::Days(n) => n.into(),
        Step::Weeks(n) => 7 * i64::from(n),
        Step::Months(_) => unreachable!("months have no fixed length"),
    }
}

proptest! {
    /// If this broke, a series would skip or repeat frames, start late, or draw past `--to`
    /// (or stop a step short of it).
    #[test]
    fn every_steps_evenly_from_from_to_to(
        from in a_date(),
        // At most 3000 days, so even a daily series stays under MAX_FRAMES.
        span in 0i64..3000,
        step in prop_oneof![(1u32..30).prop_map(Step::Days), (1u32..30).prop_map(Step::Weeks)],
    ) {
        let to = from.add_days(span).unwrap();
        let dates = DateSelection::Every { from, to, step }
            .dates(&[], MAX_FRAMES)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(dates[0], from);
        for pair in dates.windows(2) {
            prop_assert!(pair[0] < pair[1]);
            prop_assert_eq!(pair[0].add_days(step_days(step)), Some(pair[1]));
        }
        let last = dates[dates.len() - 1];
        prop_assert!(last <= to);
        prop_assert!(last.add_days(step_days(step)) > Some(to), "stopped early at {}", last);
    }

    /// If this broke, every frame of a series would overwrite the one before, leaving a
    /// single file after hours of rendering.
    #[test]
    fn a_template_that_cannot_tell_frames_apart_is_refused(
        template in "[a-z{}/._-]{1,20}",
        offsets in prop::collection::btree_set(0..DAYS_2000_2030, 2..20),
    ) {
        prop_assume!(!template.contains("{date}") && !template.contains("{index}"));
        let dates: Vec<Date> = offsets.into_iter().map(day).collect();
        prop_assert!(Template::new(&template).paths(&dates).is_err());
    }

    /// If this broke, a dated template would be refused, or two frames would share a file.
    #[test]
    fn a_dated_template_names_every_frame_apart(
        prefix in "[a-z/._-]{0,10}",
        suffix in "[a-z/._-]{0,10}",
        offsets in prop::collection::btree_set(0..DAYS_2000_2030, 1..20),
    ) {
        let dates: Vec<Date> = offsets.into_iter().map(day).collect();
        let paths = Template::new(&format!("{prefix}{{date}}{suffix}"))
            .paths(&dates)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(paths.iter().collect::<BTreeSet<_>>().len(), dates.len());
    }
}
