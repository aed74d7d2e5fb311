//! Numbers for the story: districts and area per category on a date, nationally and per
//! province.
//!
//! Areas are geodesic (WGS 84 ellipsoid, Karney's method through [`geo::GeodesicArea`]) and
//! measured on the lon/lat geometry as read, not on the projected or simplified page
//! geometry, so they depend neither on the projection nor on the page size. A [`Map`]
//! measures each district once ([`Map::district_areas`]); a date then only adds them up, so a
//! series can ask for many dates cheaply.
//!
//! Districts with no status on the date (no record yet, unjoined or ambiguous) count under
//! `no-data`, so every scope's rows cover all of its districts and its shares sum to 1.

use std::collections::BTreeMap;
use std::io::Write;

use crate::Map;
use crate::status::CategoryId;
use crate::timeline::Date;

/// What the CSV's `province` column says for districts without a province.
pub const NO_PROVINCE: &str = "(none)";

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 8] = [
    "date",
    "scope",
    "province",
    "category",
    "label",
    "districts",
    "area_km2",
    "area_share",
];

/// The CSV columns added with a `since` date ([`Stats::with_since`]).
pub const SINCE_COLUMNS: [&str; 3] = ["since", "entered", "left"];

// The areas themselves are measured in `crate::district` (a `Map` caches them, and map.rs
// must not import stats back); re-exported so that `stats::area_km2` still names them.
pub use crate::district::{area_km2, district_areas};

/// One category (or `no-data`) within a scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CategoryStats {
    /// Category key, or `no-data`.
    pub category: String,
    /// Legend label.
    pub label: String,
    /// Districts in this category.
    pub districts: usize,
    /// Their area, km².
    pub area_km2: f64,
    /// Their share of the scope's area, 0–1 (0 when the scope has no area).
    pub area_share: f64,
    /// With a `since` date ([`Stats::with_since`]): the districts in this category now that
    /// were not on that date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered: Option<Vec<DistrictName>>,
    /// With a `since` date: the districts in this category on that date that are not now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<Vec<DistrictName>>,
}

/// A district as the statistics list it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DistrictName {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its province, if any.
    pub province: Option<String>,
}

/// The categories of one scope (the country or a province), in legend order, `no-data` last.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tally {
    /// Districts in the scope.
    pub districts: usize,
    /// The scope's area, km².
    pub area_km2: f64,
    /// Every category, even those with no district.
    pub categories: Vec<CategoryStats>,
}

/// One province's tally.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProvinceStats {
    /// The province as the boundary file spells it (its first spelling, when spellings that
    /// normalise alike differ); `None` for the districts that have no province.
    pub province: Option<String>,
    /// Its districts and areas.
    #[serde(flatten)]
    pub tally: Tally,
}

/// Districts and area per category on one date.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    /// The date; `None` for a snapshot without a date.
    pub date: Option<Date>,
    /// The earlier date the changes are counted from ([`Stats::with_since`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// The whole map.
    pub national: Tally,
    /// Each province, by name; the districts without a province last.
    pub provinces: Vec<ProvinceStats>,
}

/// Districts and area per legend slot, while adding up.
struct Sums {
    districts: Vec<usize>,
    area: Vec<f64>,
    /// Per slot, the districts that entered and left it since the `since` date, when asked.
    moves: Option<Vec<(Vec<usize>, Vec<usize>)>>,
}

impl Sums {
    fn new(slots: usize) -> Sums {
        Sums {
            districts: vec![0; slots],
            area: vec![0.0; slots],
            moves: None,
        }
    }

    fn with_moves(slots: usize, since: bool) -> Sums {
        Sums {
            moves: since.then(|| vec![(Vec::new(), Vec::new()); slots]),
            ..Sums::new(slots)
        }
    }

    /// District `d` was in slot `before` on the `since` date and is in `now`.
    fn moved(&mut self, d: usize, before: usize, now: usize) {
        if let Some(moves) = &mut self.moves
            && before != now
        {
            moves[now].0.push(d);
            moves[before].1.push(d);
        }
    }

    fn add(&mut self, slot: usize, area: f64) {
        self.districts[slot] += 1;
        self.area[slot] += area;
    }

    fn tally(&self, map: &Map) -> Tally {
        let categories = map.categories();
        // The total is the sum of the parts, so the shares add up to 1 to rounding.
        let total: f64 = self.area.iter().sum();
        Tally {
            districts: self.districts.iter().sum(),
            area_km2: total,
            categories: categories
                .list
                .iter()
                .chain(std::iter::once(&categories.no_data))
                .enumerate()
                .map(|(i, c)| CategoryStats {
                    category: c.key.clone(),
                    label: c.label.clone(),
                    districts: self.districts[i],
                    area_km2: self.area[i],
                    area_share: if total > 0.0 {
                        self.area[i] / total
                    } else {
                        0.0
                    },
                    entered: self.moves.as_ref().map(|m| names(map, &m[i].0)),
                    left: self.moves.as_ref().map(|m| names(map, &m[i].1)),
                })
                .collect(),
        }
    }
}

/// Districts by index, as listed.
fn names(map: &Map, list: &[usize]) -> Vec<DistrictName> {
    list.iter()
        .map(|&i| {
            let d = &map.boundaries().districts[i];
            DistrictName {
                id: d.id.0.clone(),
                name: d.name.clone(),
                province: d.province.clone(),
            }
        })
        .collect()
}

/// The statuses of `date` (`None`: the snapshot) as legend slots, `no-data` last.
fn slots(map: &Map, date: Option<Date>) -> Vec<usize> {
    let no_data = map.categories().list.len();
    map.categories_on(date.unwrap_or(Date::SNAPSHOT))
        .into_iter()
        .map(|c: Option<CategoryId>| c.map_or(no_data, |c| c.0))
        .collect()
}

/// The national tally alone, for a series that wants a number per frame.
pub fn national(map: &Map, date: Option<Date>) -> Tally {
    let mut sums = Sums::new(map.categories().list.len() + 1);
    for (slot, area) in slots(map, date).into_iter().zip(map.district_areas()) {
        sums.add(slot, *area);
    }
    sums.tally(map)
}

impl Stats {
    /// The statistics of `map` on `date`. `None` stands for a snapshot (a timeline without
    /// dates); a dated timeline has no status before its first record, so `None` there gives
    /// all districts as `no-data`.
    pub fn new(map: &Map, date: Option<Date>) -> Stats {
        Stats::with_since(map, date, None)
    }

    /// [`Stats::new`], and with `since`, per category and scope the districts that entered
    /// and left the category between `since` and `date`. A district with no record on
    /// `since` was `no-data` then, so it entered its category of `date` (see
    /// [`crate::render::change::is_change`]): these are the districts a `--since` map hatches.
    pub fn with_since(map: &Map, date: Option<Date>, since: Option<Date>) -> Stats {
        let slot_count = map.categories().list.len() + 1;
        let before = since.map(|s| slots(map, Some(s)));
        let mut national = Sums::with_moves(slot_count, since.is_some());
        // Keyed by (no province, normalised name): name order, the province-less last, and
        // spellings that differ only in case or punctuation in one province, as on the map.
        let mut provinces: BTreeMap<(bool, String), (Option<String>, Sums)> = BTreeMap::new();
        let districts = &map.boundaries().districts;
        for (i, ((slot, area), d)) in slots(map, date)
            .into_iter()
            .zip(map.district_areas())
            .zip(districts)
            .enumerate()
        {
            national.add(slot, *area);
            let was = before.as_ref().map(|b| b[i]);
            if let Some(was) = was {
                national.moved(i, was, slot);
            }
            let name = d
                .province
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty());
            let key = (
                name.is_none(),
                name.map(crate::names::normalize_name).unwrap_or_default(),
            );
            let sums = &mut provinces
                .entry(key)
                .or_insert_with(|| {
                    (
                        name.map(str::to_string),
                        Sums::with_moves(slot_count, since.is_some()),
                    )
                })
                .1;
            sums.add(slot, *area);
            if let Some(was) = was {
                sums.moved(i, was, slot);
            }
        }
        Stats {
            date,
            since,
            national: national.tally(map),
            provinces: provinces
                .into_values()
                .map(|(province, sums)| ProvinceStats {
                    province,
                    tally: sums.tally(map),
                })
                .collect(),
        }
    }

    /// The number of districts without a province (listed under [`NO_PROVINCE`] in the CSV).
    pub fn districts_without_province(&self) -> usize {
        self.provinces
            .iter()
            .filter(|p| p.province.is_none())
            .map(|p| p.tally.districts)
            .sum()
    }

    /// Writes the CSV: a header ([`CSV_COLUMNS`]), then one row per (scope, province,
    /// category), the national rows first. Numbers are written in full (the shortest text
    /// that reads back as the same number); round them for display.
    ///
    /// With a `since` date, three more columns follow: `since`, `entered` and `left` (the
    /// numbers of districts; the JSON lists them).
    pub fn write_csv(&self, out: impl Write) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let since = self.since.map(|d| d.to_string());
        let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
        if since.is_some() {
            header.extend(SINCE_COLUMNS);
        }
        w.write_record(&header)?;
        let date = self.date.map(|d| d.to_string()).unwrap_or_default();
        let scopes = std::iter::once(("national", "", &self.national)).chain(
            self.provinces.iter().map(|p| {
                (
                    "province",
                    p.province.as_deref().unwrap_or(NO_PROVINCE),
                    &p.tally,
                )
            }),
        );
        for (scope, province, tally) in scopes {
            for c in &tally.categories {
                let mut row = vec![
                    date.clone(),
                    scope.to_string(),
                    crate::output::spreadsheet_text(province).into_owned(),
                    crate::output::spreadsheet_text(&c.category).into_owned(),
                    crate::output::spreadsheet_text(&c.label).into_owned(),
                    c.districts.to_string(),
                    c.area_km2.to_string(),
                    c.area_share.to_string(),
                ];
                if let Some(since) = &since {
                    let count =
                        |l: &Option<Vec<DistrictName>>| l.as_ref().map_or(0, Vec::len).to_string();
                    row.extend([since.clone(), count(&c.entered), count(&c.left)]);
                }
                w.write_record(&row)?;
            }
        }
        w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Categories;
    use crate::{Map, MapOptions, read};
    use geo::{LineString, MultiPolygon, Polygon};

    /// A lon/lat square, its ring clockwise as in a Shapefile when `clockwise`.
    fn square(x: f64, y: f64, size: f64, clockwise: bool) -> MultiPolygon<f64> {
        let mut ring = vec![
            (x, y),
            (x + size, y),
            (x + size, y + size),
            (x, y + size),
            (x, y),
        ];
        if clockwise {
            ring.reverse();
        }
        MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])])
    }

    /// Two 1°×1° cells on the equator (East: Taliban, West: Government; the province spelt
    /// two ways), and a 1°×1° cell further north with no province and no record.
    fn map() -> Map {
        let dir = tempfile::tempdir().unwrap();
        let geojson = dir.path().join("squares.geojson");
        std::fs::write(
            &geojson,
            r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "East", "province": "Equator"},
   "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
  {"type": "Feature", "properties": {"name": "West", "province": "equator"},
   "geometry": {"type": "Polygon", "coordinates": [[[-1,0],[-1,1],[0,1],[0,0],[-1,0]]]}},
  {"type": "Feature", "properties": {"name": "North", "province": ""},
   "geometry": {"type": "Polygon", "coordinates": [[[0,10],[1,10],[1,11],[0,11],[0,10]]]}}
]}"#,
        )
        .unwrap();
        let csv = dir.path().join("t.csv");
        std::fs::write(
            &csv,
            "district,province,date,status\nEast,Equator,2021-05-01,Taliban\nWest,Equator,2021-05-01,Government\n",
        )
        .unwrap();
        let options = MapOptions {
            style: crate::render::Style {
                width: 200,
                height: 150,
                ..Default::default()
            },
            ..Default::default()
        };
        Map::new(
            read::read_boundaries(&geojson, &read::FieldOptions::default()).unwrap(),
            read::read_timeline(&csv, &read::TimelineOptions::default()).unwrap(),
            Categories::preset("lwj").unwrap(),
            &options,
        )
        .unwrap()
    }

    fn find<'a>(t: &'a Tally, key: &str) -> &'a CategoryStats {
        t.categories.iter().find(|c| c.category == key).unwrap()
    }

    #[test]
    fn a_degree_cell_at_the_equator_is_12308_km2_either_way_round() {
        let ccw = area_km2(&square(0.0, 0.0, 1.0, false));
        let cw = area_km2(&square(0.0, 0.0, 1.0, true));
        // The band between the equator and 1°N over 1° of longitude on the WGS 84
        // ellipsoid is 12,308.46 km² (closed form, authalic latitude); the cell's northern
        // edge is a geodesic, which bulges poleward by a fraction of a km². A sphere of the
        // mean radius (6,371 km) gives 12,364 km², 0.45% more: that is not what we measure.
        assert!((ccw - 12_308.46).abs() < 1.0, "{ccw}");
        assert!((ccw - 12_364.0).abs() > 50.0);
        assert_eq!(ccw, cw);
        // Further from the equator a degree of longitude is shorter.
        assert!(area_km2(&square(0.0, 10.0, 1.0, false)) < ccw * 0.99);
    }

    #[test]
    fn holes_are_not_area() {
        let outer = square(0.0, 0.0, 1.0, false).0.remove(0).into_inner().0;
        let mut hole = square(0.25, 0.25, 0.5, false).0.remove(0).into_inner().0;
        hole.0.reverse();
        let holed = MultiPolygon::new(vec![Polygon::new(outer, vec![hole])]);
        let expected = area_km2(&square(0.0, 0.0, 1.0, false)) * 0.75;
        assert!((area_km2(&holed) - expected).abs() < 1.0);
    }

    #[test]
    fn empty_and_degenerate_geometries_have_no_area() {
        assert_eq!(area_km2(&MultiPolygon::new(vec![])), 0.0);
        let line = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![],
        )]);
        assert_eq!(area_km2(&line), 0.0);
    }

    #[test]
    fn national_and_province_tallies_of_two_equator_cells() {
        let map = map();
        let date = Date::from_ymd(2021, 6, 1);
        let stats = Stats::new(&map, date);
        let cell = area_km2(&square(0.0, 0.0, 1.0, false));
        let north = area_km2(&square(0.0, 10.0, 1.0, false));

        let n = &stats.national;
        assert_eq!(n.districts, 3);
        assert!((n.area_km2 - (2.0 * cell + north)).abs() < 1e-6);
        let keys: Vec<&str> = n.categories.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(
            keys,
            [
                "taliban",
                "contested",
                "unconfirmed",
                "government",
                "no-data"
            ]
        );
        assert_eq!(find(n, "taliban").districts, 1);
        assert_eq!(find(n, "government").districts, 1);
        assert_eq!(find(n, "no-data").districts, 1, "no record");
        assert_eq!(find(n, "contested").area_share, 0.0);
        let sum: f64 = n.categories.iter().map(|c| c.area_share).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        assert!((find(n, "taliban").area_km2 - cell).abs() < 1e-9);

        // `Equator` and `equator` are one province, spelt as first seen; then no province.
        assert_eq!(stats.provinces.len(), 2);
        assert_eq!(stats.provinces[0].province.as_deref(), Some("Equator"));
        let eq = &stats.provinces[0].tally;
        assert_eq!(eq.districts, 2);
        assert!((find(eq, "taliban").area_share - 0.5).abs() < 1e-12);
        assert!((find(eq, "government").area_share - 0.5).abs() < 1e-12);
        assert_eq!(stats.provinces[1].province, None);
        assert_eq!(stats.districts_without_province(), 1);
        assert_eq!(find(&stats.provinces[1].tally, "no-data").area_share, 1.0);
    }

    #[test]
    fn before_the_first_record_everything_is_no_data() {
        let map = map();
        let n = national(&map, Date::from_ymd(2020, 1, 1));
        assert_eq!(find(&n, "no-data").districts, 3);
        assert_eq!(find(&n, "no-data").area_share, 1.0);
    }

    #[test]
    fn csv_has_a_row_per_scope_province_and_category() {
        let map = map();
        let stats = Stats::new(&map, Date::from_ymd(2021, 6, 1));
        let mut out = Vec::new();
        stats.write_csv(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows[0], CSV_COLUMNS);
        assert_eq!(rows.len(), 1 + 3 * 5);
        assert_eq!(
            rows[1][..6],
            [
                "2021-06-01",
                "national",
                "",
                "taliban",
                "Taliban control",
                "1"
            ]
        );
        assert_eq!(
            rows[6][..4],
            ["2021-06-01", "province", "Equator", "taliban"]
        );
        assert_eq!(
            rows[15][..4],
            ["2021-06-01", "province", NO_PROVINCE, "no-data"]
        );
        let share: f64 = rows[1][7].parse().unwrap();
        assert_eq!(share, stats.national.categories[0].area_share);
    }
}
