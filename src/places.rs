//! Places bound to their districts by name, not by where their dot falls.
//!
//! A provincial capital is "captured" when its own district is: the dot of a city often
//! lies a few hundred metres inside a neighbouring district (Maidan Shahr's point falls in
//! Nirkh, Maimana's in Khwaja Sabz), so looking the dot up would mark the wrong capitals.
//! Each place is bound, first step that decides:
//!
//! 1. the places file's `district` column (with its `province` column, when there is one),
//!    looked up by the join's own name rules ([`NameLookup`]: normalised and loose names,
//!    province spellings, the `--aliases` file); several matches are settled by the dot when
//!    it lies in exactly one of them;
//! 2. the place's own name, by the same rules (a capital is often its district's namesake);
//! 3. only then the dot: the district whose lon/lat geometry contains it.
//!
//! Every binding that is not by name, and every name binding whose dot lies in another
//! district than the named one, comes with a warning ([`PlaceWarning`]).

use geo::{BoundingRect, Contains};

use crate::join::{NameLookup, district_label};
use crate::read::{Aliases, Boundaries};
use crate::style::Place;

/// How a place was bound to its district.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundBy {
    /// The places file's `district` column named it.
    DistrictColumn,
    /// The place's own name is the district's name.
    PlaceName,
    /// The dot lies in it (no name found a district).
    Position,
    /// Not bound: no name found a district, or one found several, and the dot did not settle it.
    Unbound,
}

/// One place's district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The district (index into [`Boundaries::districts`]), if any.
    pub district: Option<usize>,
    /// How it was found.
    pub by: BoundBy,
}

/// Something a user should know about a place's binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceWarning {
    /// The place (index into the places given).
    pub place: usize,
    /// What happened, e.g. "bound to Maydan Shahr (Wardak, AF0401) by its district column,
    /// but its dot lies in Nirkh (Wardak, AF0406)".
    pub message: String,
}

/// The bindings of all places, and the warnings.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// Per place, in the order given.
    pub places: Vec<Binding>,
    /// In place order.
    pub warnings: Vec<PlaceWarning>,
}

/// Whether a place is a capital (its kind says so), as the renderer decides.
pub fn is_capital(p: &Place) -> bool {
    p.kind.as_deref().is_some_and(|k| k.contains("capital"))
}

/// Binds every place to its district (see the module documentation); `aliases` are the
/// join's.
pub fn bind(boundaries: &Boundaries, places: &[Place], aliases: Option<&Aliases>) -> Bindings {
    let lookup = NameLookup::new(boundaries, aliases);
    let mut out = Bindings::default();
    let label = |i: usize| {
        let d = &boundaries.districts[i];
        district_label(&crate::join::DistrictRef {
            index: d.index,
            id: d.id.0.clone(),
            name: d.name.clone(),
            province: d.province.clone(),
        })
    };
    let labels = |list: &[usize]| {
        list.iter()
            .map(|&i| label(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (n, place) in places.iter().enumerate() {
        let dot = containing(boundaries, place.lon, place.lat);
        // Warnings quote names from the files: escaped here, once, for the terminal.
        let mut warn = |message: String| {
            let message = crate::terminal::shown(&message).into_owned();
            out.warnings.push(PlaceWarning { place: n, message })
        };
        // A cell may give the district's names in several boundary sets, `|` between them
        // (`Parun|Wama`), tried in order; the province column likewise (`Daykundi|Uruzgan`).
        let provinces: Vec<Option<&str>> = match place.province.as_deref() {
            Some(p) => p.split('|').map(|p| Some(p.trim())).collect(),
            None => vec![None],
        };
        let in_province = place
            .province
            .as_deref()
            .map_or(String::new(), |p| format!(" in {p}"));
        let attempts = place
            .district
            .as_deref()
            .map(|d| (d, BoundBy::DistrictColumn, "its district column"))
            .into_iter()
            .chain(std::iter::once((
                place.name.as_str(),
                BoundBy::PlaceName,
                "its name",
            )));
        let mut binding = None;
        let mut ambiguous = None;
        for (name, by, how) in attempts {
            let found = name
                .split('|')
                .flat_map(|n| provinces.iter().map(move |p| (n.trim(), *p)))
                .map(|(n, p)| lookup.find(n, p).districts)
                .find(|found| !found.is_empty())
                .unwrap_or_default();
            let chosen = match found.as_slice() {
                [] => continue,
                [one] => *one,
                many => {
                    // The dot settles which of several same-name districts is meant.
                    let settled: Vec<usize> =
                        many.iter().copied().filter(|i| dot.contains(i)).collect();
                    match settled.as_slice() {
                        [one] => *one,
                        _ => {
                            ambiguous.get_or_insert((name, labels(many)));
                            continue;
                        }
                    }
                }
            };
            if !dot.is_empty() && !dot.contains(&chosen) {
                warn(format!(
                    "bound to {} by {how}, but its dot lies in {}",
                    label(chosen),
                    labels(&dot)
                ));
            }
            binding = Some(Binding {
                district: Some(chosen),
                by,
            });
            break;
        }
        let binding = binding.unwrap_or_else(|| {
            if let Some((name, candidates)) = ambiguous {
                warn(format!(
                    "`{name}`{in_province} names several districts ({candidates}) and its dot lies in none of them alone; not bound (add a province column)"
                ));
                return Binding {
                    district: None,
                    by: BoundBy::Unbound,
                };
            }
            let named = match &place.district {
                Some(d) => format!("no district named `{d}`{in_province} (district column)"),
                None => format!("no district named `{}`{in_province}", place.name),
            };
            match dot.first() {
                Some(&i) => {
                    // A town that is not its district's namesake is bound by position
                    // silently; a capital (whose marking depends on it) or a place whose
                    // district column names nothing is worth a line.
                    if place.district.is_some() || is_capital(place) {
                        warn(format!("{named}; bound by position to {}", label(i)));
                    }
                    Binding {
                        district: Some(i),
                        by: BoundBy::Position,
                    }
                }
                None => {
                    warn(format!("{named}, and its dot lies in no district; not bound"));
                    Binding {
                        district: None,
                        by: BoundBy::Unbound,
                    }
                }
            }
        });
        out.places.push(binding);
    }
    out
}

/// The districts (file order) whose lon/lat geometry contains the point.
pub fn containing(boundaries: &Boundaries, lon: f64, lat: f64) -> Vec<usize> {
    let p = geo::Point::new(lon, lat);
    boundaries
        .districts
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.geometry.bounding_rect().is_some_and(|r| r.contains(&p)) && d.geometry.contains(&p)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Each place's states by date (`--place-status`), its records checked against the places
/// and the style's states. A place's state on a date is its latest record on or before it
/// (the as-of rule of the district timeline); before its first record it has none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceTimeline {
    /// Per place (in the order given): `(date, state)` ascending, with the record's note and
    /// source.
    steps: Vec<Vec<(crate::timeline::Date, crate::style::place_states::StateOn)>>,
    /// The states any record uses, in the style's order.
    used: Vec<usize>,
}

impl PlaceTimeline {
    /// Checks every record's place (a name of `places`, compared as the join compares
    /// names) and state (a key of `states`), naming the file, the line and what was
    /// expected: the nearest place names, or the states defined.
    pub fn new(
        file: &crate::read::PlaceStatuses,
        places: &[Place],
        states: &[crate::style::place_states::PlaceState],
    ) -> Result<PlaceTimeline, crate::read::ReadError> {
        use crate::join::normalize_name;
        use crate::read::ReadError;
        use crate::terminal::shown;
        // Names to places once: a file of many rows is not a scan of the places per row.
        let mut by_name: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, p) in places.iter().enumerate() {
            by_name.entry(normalize_name(&p.name)).or_default().push(i);
        }
        let mut steps = vec![Vec::new(); places.len()];
        let mut used = vec![false; states.len()];
        let (place_column, state_column) = &file.columns;
        for r in &file.records {
            let at = |column: &str| format!("line {}, column `{column}`", r.line);
            let key = normalize_name(&r.place);
            let matching = by_name.get(&key).map_or(&[][..], Vec::as_slice);
            let place = match matching {
                [one] => *one,
                [] => {
                    let expected = if places.is_empty() {
                        format!(
                            "a place of the places file, but no --places file was given (`{}`)",
                            shown(&r.place)
                        )
                    } else {
                        format!(
                            "a place of the places file, found `{}`; nearest: {}",
                            shown(&r.place),
                            nearest(&r.place, places.iter().map(|p| p.name.as_str())).join(", ")
                        )
                    };
                    return Err(ReadError::invalid(&file.path, at(place_column), expected));
                }
                many => {
                    return Err(ReadError::invalid(
                        &file.path,
                        at(place_column),
                        format!(
                            "one place, but `{}` names {} places of the places file (lines {}); rename one",
                            shown(&r.place),
                            many.len(),
                            many.iter()
                                .map(|&i| places[i].line.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            };
            let Some(state) = states.iter().position(|s| s.key == r.state) else {
                return Err(ReadError::invalid(
                    &file.path,
                    at(state_column),
                    format!(
                        "a state the style defines ({}), found `{}`; add others with [place_states.NAME] in a style file",
                        states
                            .iter()
                            .map(|s| s.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        shown(&r.state)
                    ),
                ));
            };
            used[state] = true;
            steps[place].push((
                r.date,
                crate::style::place_states::StateOn {
                    state,
                    note: r.note.clone(),
                    source: r.source.clone(),
                },
            ));
        }
        for s in &mut steps {
            // The reader refused two states for one place and day, so the order is total.
            s.sort_by_key(|(d, _)| *d);
            // The same state twice on one day (a repeated row) is one step.
            s.dedup_by(|a, b| a.0 == b.0);
        }
        Ok(PlaceTimeline {
            steps,
            used: (0..states.len()).filter(|&i| used[i]).collect(),
        })
    }

    /// Every place's state on `date`, with its record's note and source.
    pub fn states_on(
        &self,
        date: crate::timeline::Date,
    ) -> Vec<Option<crate::style::place_states::StateOn>> {
        self.steps
            .iter()
            .map(|s| {
                s.iter()
                    .rev()
                    .find(|(d, _)| *d <= date)
                    .map(|(_, on)| on.clone())
            })
            .collect()
    }

    /// The dates on which some place's state changes, ascending.
    pub fn dates(&self) -> Vec<crate::timeline::Date> {
        let mut dates: Vec<_> = self.steps.iter().flatten().map(|(d, _)| *d).collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    }

    /// What the scene needs to know: which places have records, which states are used.
    pub fn overlay(&self) -> crate::style::place_states::PlaceStateOverlay {
        crate::style::place_states::PlaceStateOverlay {
            stated: self.steps.iter().map(|s| !s.is_empty()).collect(),
            used: self.used.clone(),
        }
    }
}

/// The three names of `candidates` nearest to `name` (Jaro-Winkler on normalised names),
/// for a message about a name that matches none.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let key = crate::join::normalize_name(name);
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| {
            (
                strsim::jaro_winkler(&key, &crate::join::normalize_name(c)),
                c,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| crate::terminal::shown(c).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{BoundaryFormat, District, DistrictId, FieldChoice};
    use geo::{MultiPolygon, Rect};

    fn district(index: usize, name: &str, province: &str, x: f64) -> District {
        District {
            index,
            id: DistrictId(format!("D{index}")),
            name: name.into(),
            province: Some(province.into()),
            geometry: MultiPolygon::new(vec![Rect::new((x, 0.0), (x + 1.0, 1.0)).to_polygon()]),
        }
    }

    /// Four unit squares side by side: Centre (North), Rim (North), Twin (North), Twin
    /// (South).
    fn boundaries() -> Boundaries {
        Boundaries {
            path: "b.geojson".into(),
            format: BoundaryFormat::GeoJson,
            layer: None,
            fields: FieldChoice {
                id: None,
                name: "name".into(),
                province: Some("province".into()),
            },
            available: Vec::new(),
            districts: vec![
                district(0, "Centre", "North", 0.0),
                district(1, "Rim", "North", 1.0),
                district(2, "Twin", "North", 2.0),
                district(3, "Twin", "South", 3.0),
            ],
            notes: Default::default(),
        }
    }

    fn place(name: &str, lon: f64, district: Option<&str>, province: Option<&str>) -> Place {
        Place {
            name: name.into(),
            lon,
            lat: 0.5,
            kind: Some("capital".into()),
            district: district.map(str::to_string),
            province: province.map(str::to_string),
            line: 2,
            hand: Default::default(),
        }
    }

    #[test]
    fn the_district_column_wins_over_the_dot_and_says_so() {
        // The city's dot lies in Rim, but it is Centre's capital.
        let b = bind(
            &boundaries(),
            &[place("Centre City", 1.5, Some("centre"), None)],
            None,
        );
        assert_eq!(
            b.places[0],
            Binding {
                district: Some(0),
                by: BoundBy::DistrictColumn
            }
        );
        assert_eq!(b.warnings.len(), 1);
        assert!(
            b.warnings[0]
                .message
                .contains("by its district column, but its dot lies in Rim (North, D1)"),
            "{:?}",
            b.warnings
        );
    }

    #[test]
    fn the_place_name_binds_before_the_dot() {
        let b = bind(&boundaries(), &[place("Centre", 1.5, None, None)], None);
        assert_eq!(b.places[0].district, Some(0));
        assert_eq!(b.places[0].by, BoundBy::PlaceName);
    }

    #[test]
    fn aliases_are_the_joins() {
        let aliases = Aliases {
            path: "aliases.csv".into(),
            rows: vec![crate::read::Alias {
                alias: "Markaz".into(),
                name: "Centre".into(),
                province: None,
                line: 2,
            }],
        };
        let b = bind(
            &boundaries(),
            &[place("X", 0.5, Some("Markaz"), None)],
            Some(&aliases),
        );
        assert_eq!(b.places[0].district, Some(0));
        assert!(b.warnings.is_empty());
    }

    #[test]
    fn a_province_or_the_dot_settles_a_shared_name() {
        let b = bind(
            &boundaries(),
            &[
                place("A", 0.5, Some("Twin"), Some("South")),
                place("B", 2.5, Some("Twin"), None),
                place("C", 0.5, Some("Twin"), None),
            ],
            None,
        );
        assert_eq!(b.places[0].district, Some(3));
        assert_eq!(b.places[1].district, Some(2));
        assert_eq!(b.places[2].district, None, "the dot is in neither Twin");
        assert_eq!(b.places[2].by, BoundBy::Unbound);
        assert!(
            b.warnings
                .iter()
                .any(|w| w.place == 2 && w.message.contains("names several districts"))
        );
    }

    #[test]
    fn the_dot_is_the_last_resort_with_a_warning() {
        let b = bind(
            &boundaries(),
            &[
                place("Nowhere", 1.5, Some("Atlantis"), None),
                place("Outside", 9.5, None, None),
            ],
            None,
        );
        assert_eq!(
            b.places[0],
            Binding {
                district: Some(1),
                by: BoundBy::Position
            }
        );
        assert!(
            b.warnings[0]
                .message
                .contains("no district named `Atlantis`")
        );
        assert!(b.warnings[0].message.contains("bound by position to Rim"));
        assert_eq!(b.places[1].by, BoundBy::Unbound);
        assert!(b.warnings[1].message.contains("lies in no district"));
    }

    fn statuses(rows: &[(&str, &str, &str)]) -> crate::read::PlaceStatuses {
        crate::read::PlaceStatuses {
            path: "states.csv".into(),
            columns: ("place".into(), "state".into()),
            records: rows
                .iter()
                .enumerate()
                .map(|(i, (place, date, state))| crate::read::PlaceStatusRecord {
                    place: place.to_string(),
                    date: crate::timeline::Date::parse_iso(date).unwrap(),
                    state: state.to_string(),
                    note: None,
                    source: None,
                    line: i as u64 + 2,
                })
                .collect(),
        }
    }

    #[test]
    fn a_place_state_is_its_latest_record_on_or_before_the_date() {
        let places = [
            place("Centre City", 0.5, None, None),
            place("Rim", 1.5, None, None),
        ];
        let states = crate::style::place_states::defaults();
        // Out of order in the file, a name spelt another way.
        let t = PlaceTimeline::new(
            &statuses(&[
                ("centre-city", "2021-06-20", "entered"),
                ("Centre City", "2021-06-14", "contested"),
            ]),
            &places,
            &states,
        )
        .unwrap();
        let on = |d: &str| -> Vec<Option<usize>> {
            t.states_on(crate::timeline::Date::parse_iso(d).unwrap())
                .into_iter()
                .map(|s| s.map(|s| s.state))
                .collect()
        };
        assert_eq!(on("2021-06-13"), [None, None]);
        assert_eq!(on("2021-06-14"), [Some(0), None]);
        assert_eq!(on("2021-06-19"), [Some(0), None]);
        assert_eq!(on("2021-08-01"), [Some(2), None]);
        let overlay = t.overlay();
        assert_eq!(overlay.stated, [true, false]);
        assert_eq!(overlay.used, [0, 2], "legend order, not file order");
        assert_eq!(t.dates().len(), 2);
    }

    #[test]
    fn unknown_places_and_states_name_the_line_and_the_nearest_or_defined_ones() {
        let places = [
            place("Kunduz", 0.5, None, None),
            place("Kunar", 1.5, None, None),
            place("Herat", 2.5, None, None),
        ];
        let states = crate::style::place_states::defaults();
        let e = PlaceTimeline::new(
            &statuses(&[("Kundus", "2021-06-20", "entered")]),
            &places,
            &states,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("states.csv: line 2, column `place`: a place of the places file, found `Kundus`; nearest: Kunduz, Kunar"),
            "{e}"
        );
        let e = PlaceTimeline::new(
            &statuses(&[
                ("Herat", "2021-06-20", "entered"),
                ("Herat", "2021-06-21", "fallen"),
            ]),
            &places,
            &states,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 3, column `state`: a state the style defines (contested, besieged, entered, captured), found `fallen`"),
            "{e}"
        );
        let e = PlaceTimeline::new(
            &statuses(&[("Herat", "2021-06-20", "entered")]),
            &[],
            &states,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no --places file was given"), "{e}");
    }
}
