//! One map: boundaries + timeline + categories, joined, projected and laid out once, then
//! drawn for any date.

use geo::{MultiPolygon, Rect};

use crate::join::{Join, JoinOptions, JoinReport};
use crate::project::Projection;
use crate::read::Boundaries;
use crate::render::change::{self, Note, Since};
use crate::render::labels::DistrictLabels;
use crate::render::zoom::{self, Extent};
use crate::render::{Frame, LegendEntry, Overlays, Place, Scene, SceneInput, Style, Text};
use crate::status::{Categories, CategoryId, Color, StatusError};
use crate::timeline::{Date, Timeline};

/// Everything that shapes a map besides its data.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// How to join.
    pub join: JoinOptions,
    /// A PROJ string; `None` = chosen for the data's extent ([`Projection::automatic`]).
    pub projection: Option<String>,
    /// A fixed lon/lat frame; `None` = fit the data with a margin.
    pub bbox: Option<Rect<f64>>,
    /// Look and size.
    pub style: Style,
    /// Title, subtitle, source.
    pub text: Text,
    /// Province polygons to draw instead of the borders dissolved from the districts.
    pub provinces: Option<Vec<MultiPolygon<f64>>>,
    /// Labelled points.
    pub places: Vec<Place>,
    /// Zoom on a region: the frame fits its districts, the others are drawn faded and the
    /// legend counts the region's districts only.
    pub extent: Option<Extent>,
    /// Draw a locator map; `None`: with a region zoom.
    pub locator: Option<bool>,
    /// Label districts: `Some(true)` every district that has room, `Some(false)` none,
    /// `None` the zoomed region's districts in a region zoom and none otherwise.
    pub district_labels: Option<bool>,
    /// Mark the districts whose category changed since an earlier date.
    pub since: Option<Since>,
    /// Which capitals (places whose kind says `capital`) are marked as captured.
    pub captured: Captured,
    /// The legend line of captured capitals: `{label}` (the category's label) and `{count}`;
    /// `None` for [`DEFAULT_CAPTURED_LABEL`].
    pub captured_label: Option<String>,
    /// Places' states by date (`--place-status`), drawn as markers; a place's state wins
    /// over the captured marking on the dates it has one.
    pub place_status: Option<crate::read::PlaceStatuses>,
    /// Callouts (`--annotations`, `[[annotation]]` in a style file).
    pub annotations: Vec<crate::read::Annotation>,
}

/// Which capitals are marked as captured: those in a district of a category on the date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Captured {
    /// The first category (in legend order).
    #[default]
    FirstCategory,
    /// The category with this key.
    Category(String),
    /// None: capitals are drawn as ordinary places.
    Off,
}

/// The legend line of a `--bbox` map whose frame leaves some districts out: the counts are
/// of the districts drawn in it.
pub const VIEW_NOTE: &str = "Counts: the districts in this view";

/// The legend line of captured capitals.
pub const DEFAULT_CAPTURED_LABEL: &str = "Capitals in {label} districts: {count}";

impl Default for MapOptions {
    fn default() -> MapOptions {
        MapOptions {
            join: JoinOptions::default(),
            projection: None,
            bbox: None,
            style: Style::default(),
            text: Text {
                title: "District control".into(),
                subtitle: None,
                source: None,
                date_line: Some("As of {date}".into()),
            },
            provinces: None,
            places: Vec::new(),
            extent: None,
            locator: None,
            district_labels: None,
            since: None,
            captured: Captured::default(),
            captured_label: None,
            place_status: None,
            annotations: Vec::new(),
        }
    }
}

/// The change marks a map draws: every district's category on the earlier date.
#[derive(Debug)]
struct Marks {
    before: Vec<Option<CategoryId>>,
    only: Option<CategoryId>,
    template: String,
}

/// The captured-capitals marking: the category, and each place's district.
#[derive(Debug)]
struct CapturedMarks {
    category: CategoryId,
    districts: Vec<Option<usize>>,
    template: String,
}

/// A map ready to be drawn for any date.
#[derive(Debug)]
pub struct Map {
    boundaries: Boundaries,
    timeline: Timeline,
    categories: Categories,
    join: Join,
    projection: Projection,
    groups: Vec<Option<usize>>,
    options: MapOptions,
    scene: Scene,
    overlays: Overlays,
    marks: Option<Marks>,
    captured: Option<CapturedMarks>,
    /// Each place's district (see [`crate::places`]).
    bindings: crate::places::Bindings,
    /// Each place's states by date (`--place-status`).
    place_timeline: Option<crate::places::PlaceTimeline>,
    /// Each district's geodesic area in km², measured on first use (see [`Map::district_areas`]).
    areas: std::sync::OnceLock<Vec<f64>>,
    /// The timeline has no dates (a snapshot): decided once, not on every frame.
    snapshot: bool,
}

impl Map {
    /// Classifies the timeline's statuses, joins it to the districts, finds the shared
    /// borders, projects and lays out the page.
    pub fn new(
        boundaries: Boundaries,
        timeline: Timeline,
        categories: Categories,
        options: &MapOptions,
    ) -> Result<Map, crate::Error> {
        let mut provinces: Vec<String> = Vec::new();
        let groups: Vec<Option<usize>> = boundaries
            .districts
            .iter()
            .map(|d| {
                let p = crate::names::normalize_name(d.province.as_deref()?);
                Some(provinces.iter().position(|q| *q == p).unwrap_or_else(|| {
                    provinces.push(p);
                    provinces.len() - 1
                }))
            })
            .collect();

        let focus = match &options.extent {
            Some(e) => zoom::resolve(&boundaries.districts, e)?,
            None => Vec::new(),
        };
        let projection = match &options.projection {
            Some(p) => Projection::parse(p)?,
            None => {
                let extent = match options.bbox {
                    Some(b) => Some(crate::project::LonLatExtent::from_bbox(b)),
                    // A region zoom is projected for the region, so that it is not skewed.
                    None => crate::project::LonLatExtent::of(
                        boundaries
                            .districts
                            .iter()
                            .zip(focus.iter().chain(std::iter::repeat(&true)))
                            .filter(|(_, f)| **f)
                            .map(|(d, _)| &d.geometry),
                    ),
                };
                Projection::automatic(&extent.ok_or(crate::project::ProjectError::Empty)?)?
            }
        };

        let marks = options
            .since
            .as_ref()
            .map(|s| {
                marks(
                    s,
                    &categories,
                    timeline.records.iter().filter_map(|r| r.date).min(),
                )
            })
            .transpose()?;
        let bindings =
            crate::places::bind(&boundaries, &options.places, options.join.aliases.as_ref());
        let captured = captured_marks(&bindings, &categories, options)?;
        let place_timeline = options
            .place_status
            .as_ref()
            .map(|f| {
                crate::places::PlaceTimeline::new(f, &options.places, &options.style.place_states)
            })
            .transpose()?;
        let callouts = callouts(&options.annotations, &options.places, &boundaries, options)?;
        let place_districts: Vec<Option<String>> = bindings
            .places
            .iter()
            .map(|b| b.district.map(|i| boundaries.districts[i].name.clone()))
            .collect();
        let overlays = Overlays {
            locator: options.locator.unwrap_or(!focus.is_empty()),
            district_labels: match options.district_labels {
                Some(true) => DistrictLabels::All,
                Some(false) => DistrictLabels::None,
                None => DistrictLabels::Focus,
            },
            focus,
            change_note: marks.as_ref().map(|(_, m)| m.template.clone()),
            captured_note: captured.as_ref().map(|c| c.template.clone()),
            view_note: (options.bbox.is_some() && !options.style.legend.national_counts)
                .then(|| VIEW_NOTE.to_string()),
            place_states: place_timeline
                .as_ref()
                .map(crate::places::PlaceTimeline::overlay)
                .unwrap_or_default(),
            annotations: callouts,
        };
        // The join needs only the timeline's side and the layout only the geometry's: do
        // both at once.
        let (join, scene) = rayon::join(
            || -> Result<Join, crate::Error> {
                let record_categories = categories.classify_timeline(&timeline)?;
                let join = Join::new(&boundaries, &timeline, &record_categories, &options.join)?;
                // A district cannot be drawn with two statuses at once.
                match join.conflict() {
                    Some(e) => Err(e.into()),
                    None => Ok(join),
                }
            },
            || {
                layout(
                    (&boundaries, &place_districts),
                    &groups,
                    &projection,
                    &categories,
                    options,
                    &overlays,
                    options.style.clone(),
                    options.text.clone(),
                )
            },
        );
        let join = join?;
        let marks = marks.map(|(since, m)| Marks {
            before: join.categories_on(since),
            ..m
        });
        Ok(Map {
            snapshot: timeline.records.iter().all(|r| r.date.is_none()),
            join,
            scene: scene?,
            overlays,
            marks,
            captured,
            bindings,
            place_timeline,
            boundaries,
            timeline,
            categories,
            projection,
            groups,
            options: options.clone(),
            areas: std::sync::OnceLock::new(),
        })
    }

    /// Lays out the map again for another page style and text (small multiples draw each
    /// panel with a plain scene of the panel's size). The legend slots are sized for the
    /// largest possible count, so that counts changing with the date never move anything.
    pub fn scene_for(&self, style: Style, text: Text) -> Result<Scene, crate::Error> {
        let place_districts: Vec<Option<String>> = self
            .bindings
            .places
            .iter()
            .map(|b| {
                b.district
                    .map(|i| self.boundaries.districts[i].name.clone())
            })
            .collect();
        layout(
            (&self.boundaries, &place_districts),
            &self.groups,
            &self.projection,
            &self.categories,
            &self.options,
            &self.overlays,
            style,
            text,
        )
    }

    /// Each `--places` place's district, and the warnings binding them gave (see
    /// [`crate::places`]).
    pub fn place_bindings(&self) -> &crate::places::Bindings {
        &self.bindings
    }

    /// The places (`--places`), in the order given.
    pub fn places(&self) -> &[Place] {
        &self.options.places
    }

    /// The join report.
    pub fn join_report(&self) -> &JoinReport {
        &self.join.report
    }

    /// The districts.
    pub fn boundaries(&self) -> &Boundaries {
        &self.boundaries
    }

    /// The timeline.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The categories.
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// The projection in use (its PROJ string is [`Projection::definition`]).
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// Every district's status history as joined (steps, their sources and timeline rows),
    /// in district order; empty for an unjoined district.
    pub fn histories(&self) -> &[crate::history::History] {
        &self.join.histories
    }

    /// The self-contained web page for `dates` (ascending; see [`crate::render::html`]).
    pub fn web_page(&self, dates: &[Date]) -> Result<String, crate::render::html::PageError> {
        let frames: Vec<crate::render::Frame> = dates.iter().map(|&d| self.frame(d)).collect();
        crate::render::html::page(crate::render::html::PageInput {
            scene: self.scene(),
            dates,
            frames: &frames,
            histories: self.histories(),
            records: &self.timeline.records,
        })
    }

    /// The prepared scene (paths, layout, interior points).
    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// Every district's status key on `date` (a category key, or `no-data`), in district order.
    pub fn statuses(&self, date: Date) -> Vec<&str> {
        self.join
            .categories_on(date)
            .into_iter()
            .map(|c| match c {
                Some(id) => self.categories.get(id).key.as_str(),
                None => self.categories.no_data.key.as_str(),
            })
            .collect()
    }

    /// Every district's category on `date` (`None` = no data: no record yet, unjoined or
    /// ambiguous), in district order.
    pub fn categories_on(&self, date: Date) -> Vec<Option<crate::status::CategoryId>> {
        self.join.categories_on(date)
    }

    /// Every district's geodesic area in km² (on the lon/lat geometry as read, not the
    /// projected or simplified one), in district order. Measured once per map, on first use,
    /// so statistics for many dates only add them up.
    pub fn district_areas(&self) -> &[f64] {
        self.areas
            .get_or_init(|| crate::district::district_areas(&self.boundaries.districts))
    }

    /// The number of districts in each category on `date`, in legend order, `no-data` last.
    pub fn counts(&self, date: Date) -> Vec<(String, usize)> {
        self.categories
            .list
            .iter()
            .chain(std::iter::once(&self.categories.no_data))
            .zip(self.tally(&self.join.categories_on(date)))
            .map(|(c, n)| (c.key.clone(), n))
            .collect()
    }

    /// Districts per category (legend order, no-data last) for already looked-up statuses.
    fn tally(&self, cats: &[Option<crate::status::CategoryId>]) -> Vec<usize> {
        let mut counts = vec![0usize; self.categories.list.len() + 1];
        for c in cats {
            counts[c.map_or(self.categories.list.len(), |c| c.0)] += 1;
        }
        counts
    }

    /// What is drawn on `date`: fills, legend, date line, and the change marks and captured
    /// capitals when they are on. In a region zoom the neighbours' fills are faded, and the
    /// legend counts the region's districts only: what the map shows. Its `layers` hold the
    /// place-state markers and the annotations of the date, laid out on [`Map::scene`].
    pub fn frame(&self, date: Date) -> Frame {
        self.frame_for(self.scene(), date)
    }

    /// [`Map::frame`] with its layers laid out on `scene`, a scene of this map drawn at
    /// another size ([`Map::scene_for`]; a small-multiples panel): the markers and callouts
    /// sit where that scene puts the places.
    pub fn frame_for(&self, scene: &Scene, date: Date) -> Frame {
        let mut frame = self.frame_data(date);
        // They depend on the frame's place states and shown annotations, so come after it.
        let layers = [
            crate::render::place_states::layer(scene, &frame),
            crate::render::annotations::layer(scene, &frame),
        ];
        frame.layers.extend(layers.into_iter().flatten());
        frame
    }

    /// The frame of `date` without its layers.
    fn frame_data(&self, date: Date) -> Frame {
        let cats = self.join.categories_on(date);
        let background = self.options.style.background.unwrap_or(Color {
            r: 255,
            g: 255,
            b: 255,
        });
        let fills = cats
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cat = c.map_or(&self.categories.no_data, |c| self.categories.get(c));
                let color = if self.overlays.in_focus(i) {
                    cat.color
                } else {
                    fade(cat.color, background)
                };
                (cat.key.clone(), color)
            })
            .collect();
        let shown: Vec<Option<CategoryId>> = if self.overlays.focus.is_empty() {
            Vec::new()
        } else {
            cats.iter()
                .zip(&self.overlays.focus)
                .filter(|(_, f)| **f)
                .map(|(c, _)| *c)
                .collect()
        };
        // A --bbox frame counts the districts drawn in it, unless national counts are asked
        // for (then `view_note` is off).
        let in_view = self.scene.in_view();
        let partial_view = self.overlays.view_note.is_some() && in_view.iter().any(|v| !v);
        let viewed = |i: usize| !partial_view || in_view[i];
        let shown: Vec<Option<CategoryId>> = if partial_view && shown.is_empty() {
            cats.iter()
                .enumerate()
                .filter(|(i, _)| viewed(*i))
                .map(|(_, c)| *c)
                .collect()
        } else {
            shown
        };
        let counted = if shown.is_empty() && !partial_view {
            &cats
        } else {
            &shown
        };
        let changed: Vec<bool> = self.marks.as_ref().map_or_else(Vec::new, |m| {
            cats.iter()
                .zip(&m.before)
                .enumerate()
                .map(|(i, (now, before))| {
                    self.overlays.in_focus(i)
                        && viewed(i)
                        && change::is_change(*before, *now, m.only)
                })
                .collect()
        });
        let change_note = self.marks.as_ref().map(|m| Note {
            template: m.template.clone(),
            count: changed.iter().filter(|c| **c).count(),
        });
        let place_states = self
            .place_timeline
            .as_ref()
            .map_or_else(Vec::new, |t| t.states_on(date));
        // A place's own record wins over its district's category: a capital in a state on
        // the date is not marked (nor counted) as captured.
        let captured: Vec<bool> = self.captured.as_ref().map_or_else(Vec::new, |c| {
            c.districts
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    d.is_some_and(|d| cats[d] == Some(c.category))
                        && place_states.get(i).is_none_or(Option::is_none)
                })
                .collect()
        });
        // What the map shows: capitals drawn (on the map, not under the locator).
        let captured_note = self.captured.as_ref().map(|c| Note {
            template: c.template.clone(),
            count: self
                .scene
                .places
                .iter()
                .filter(|p| p.capital && captured.get(p.source) == Some(&true))
                .count(),
        });
        let legend: Vec<LegendEntry> = self
            .categories
            .list
            .iter()
            .chain(std::iter::once(&self.categories.no_data))
            // The statuses are looked up once per frame, for the fills and the counts alike.
            .zip(self.tally(counted))
            .map(|(c, count)| LegendEntry {
                key: c.key.clone(),
                label: c.label.clone(),
                color: c.color,
                count,
            })
            .collect();
        let sources = if self.join.histories.iter().any(|h| !h.sources.is_empty()) {
            self.join
                .histories
                .iter()
                .map(|h| h.source_at(date).map(str::to_string))
                .collect()
        } else {
            Vec::new()
        };
        // A snapshot drawn without a date has no date to name.
        let undated = date == Date::SNAPSHOT && self.snapshot;
        let text = self.scene().text.expand(&crate::render::template::Context {
            date: (!undated).then_some(date),
            legend: &legend,
            locale: self.scene().style().locale,
        });
        Frame {
            fills,
            sources,
            legend,
            date_line: text.date_line.clone(),
            text,
            changed,
            change_note,
            captured,
            captured_note,
            view_note: partial_view
                .then(|| self.overlays.view_note.clone())
                .flatten(),
            place_states,
            annotations: self
                .overlays
                .annotations
                .iter()
                .map(|a| a.shown_on(date))
                .collect(),
            layers: Vec::new(),
        }
    }

    /// The SVG document for `date`.
    pub fn render_svg(&self, date: Date) -> String {
        self.scene().svg(&self.frame(date))
    }

    /// The rasterised map for `date` (what [`Map::render_png`] encodes), drawn directly as
    /// resvg draws [`Map::render_svg`]: the quickest way to one map.
    pub fn render_pixmap(&self, date: Date) -> Result<resvg::tiny_skia::Pixmap, crate::Error> {
        Ok(self.scene().pixmap_once(&self.frame(date))?)
    }

    /// The rasterised map for `date` as one frame of many (what [`Map::frame_png`]
    /// encodes): the first call prepares what every date shares (which district covers each
    /// pixel, the lines, labels and fixed texts), later frames only colour it in. Pixels on
    /// anti-aliased edges may differ from [`Map::render_pixmap`] by a few units of 255 (see
    /// [`crate::render::raster`]).
    pub fn frame_pixmap(&self, date: Date) -> Result<resvg::tiny_skia::Pixmap, crate::Error> {
        Ok(self.scene().pixmap(&self.frame(date))?)
    }

    /// Every date on which some district's status differs from the day before, or some
    /// place's state (`--place-status`) changes, ascending; the first record date is one of
    /// them.
    pub fn change_dates(&self) -> Vec<Date> {
        let mut dates: Vec<Date> = self
            .join
            .histories
            .iter()
            .flat_map(|h| h.steps.iter().filter_map(|(d, _)| *d))
            .collect();
        dates.sort_unstable();
        dates.dedup();
        dates.retain(|&d| {
            d.previous()
                .is_none_or(|p| self.join.categories_on(p) != self.join.categories_on(d))
        });
        // A place's state changing is a change of the map too (`--place-status`).
        if let Some(t) = &self.place_timeline {
            dates.extend(t.dates());
            dates.sort_unstable();
            dates.dedup();
        }
        dates
    }

    /// The PNG image for `date`, drawn directly (see [`Map::render_pixmap`]).
    pub fn render_png(&self, date: Date) -> Result<Vec<u8>, crate::Error> {
        Ok(self.scene().png_once(&self.frame(date))?)
    }

    /// The PNG image for `date` as one frame of many (see [`Map::frame_pixmap`]): what a
    /// series of dates should call.
    pub fn frame_png(&self, date: Date) -> Result<Vec<u8>, crate::Error> {
        Ok(self.scene().png(&self.frame(date))?)
    }

    /// The vector PDF for `date`: the SVG of [`Map::render_svg`] as one PDF page of the same
    /// size (1 px = 1 pt), with the bundled font embedded.
    #[cfg(feature = "pdf")]
    pub fn render_pdf(&self, date: Date) -> Result<Vec<u8>, crate::Error> {
        Ok(self.scene().pdf(&self.frame(date))?)
    }
}

/// A neighbour's colour in a region zoom: a share of its colour over the background.
fn fade(c: Color, background: Color) -> Color {
    let mix = |a: u8, b: u8| {
        (zoom::FADE * f64::from(a) + (1.0 - zoom::FADE) * f64::from(b)).round() as u8
    };
    Color {
        r: mix(c.r, background.r),
        g: mix(c.g, background.g),
        b: mix(c.b, background.b),
    }
}

/// The category with a key typed on the command line (`Taliban` is `taliban`).
fn category(
    categories: &Categories,
    key: &str,
    option: &'static str,
) -> Result<CategoryId, StatusError> {
    let key = key.trim().to_lowercase();
    categories
        .by_key(&key)
        .ok_or_else(|| StatusError::UnknownCategory {
            key,
            option,
            known: categories.list.iter().map(|c| c.key.clone()).collect(),
        })
}

/// The change marks of `--since`, but for the earlier categories, which need the join: the
/// date to look them up on, and the marks without them.
fn marks(
    since: &Since,
    categories: &Categories,
    first_record: Option<Date>,
) -> Result<(Date, Marks), StatusError> {
    let only = since
        .only
        .as_deref()
        .map(|k| category(categories, k, "--since-only"))
        .transpose()?;
    let default = if only.is_some() {
        change::DEFAULT_ONLY_LABEL
    } else {
        change::DEFAULT_LABEL
    };
    let template = since
        .label
        .as_deref()
        .unwrap_or(default)
        .replace("{date}", &change::since_text(since.date, first_record))
        .replace(
            "{label}",
            only.map_or("", |o| categories.get(o).label.as_str()),
        );
    Ok((
        since.date,
        Marks {
            before: Vec::new(),
            only,
            template,
        },
    ))
}

/// The captured-capitals marking, when it is on and there are capitals to mark: each
/// capital's own district, as the places were bound (by name first; see [`crate::places`]).
fn captured_marks(
    bindings: &crate::places::Bindings,
    categories: &Categories,
    options: &MapOptions,
) -> Result<Option<CapturedMarks>, StatusError> {
    use crate::places::is_capital;
    let category = match &options.captured {
        Captured::Off => return Ok(None),
        Captured::FirstCategory if categories.list.is_empty() => return Ok(None),
        Captured::FirstCategory => CategoryId(0),
        Captured::Category(key) => self::category(categories, key, "--captured-category")?,
    };
    if !options.places.iter().any(is_capital) {
        return Ok(None);
    }
    let districts = options
        .places
        .iter()
        .zip(&bindings.places)
        .map(|(p, b)| b.district.filter(|_| is_capital(p)))
        .collect();
    let template = options
        .captured_label
        .as_deref()
        .unwrap_or(DEFAULT_CAPTURED_LABEL)
        .replace("{label}", &categories.get(category).label);
    Ok(Some(CapturedMarks {
        category,
        districts,
        template,
    }))
}

/// The annotations with their targets resolved: a place by its name in the places file
/// (as the join compares names), a district by the join's name rules (with the aliases).
fn callouts(
    annotations: &[crate::read::Annotation],
    places: &[Place],
    boundaries: &Boundaries,
    options: &MapOptions,
) -> Result<Vec<crate::render::annotations::Callout>, crate::read::ReadError> {
    use crate::read::{AnnotationTarget, ReadError};
    use crate::render::annotations::{Callout, Target};
    use crate::terminal::shown;
    let lookup = crate::join::NameLookup::new(boundaries, options.join.aliases.as_ref());
    annotations
        .iter()
        .map(|a| {
            let bad = |expected: String| ReadError::invalid(&a.path, &a.target_place, expected);
            let target = match &a.target {
                AnnotationTarget::Point { lon, lat } => Target::Point {
                    lon: *lon,
                    lat: *lat,
                },
                AnnotationTarget::Place(name) => {
                    let key = crate::join::normalize_name(name);
                    let matching: Vec<usize> = (0..places.len())
                        .filter(|&i| crate::join::normalize_name(&places[i].name) == key)
                        .collect();
                    match matching.first().copied() {
                        Some(_) if matching.len() > 1 => {
                            return Err(bad(format!(
                                "one place, but `{}` names {} places of the places file (lines {}); rename one, or point at it with lon and lat",
                                shown(name),
                                matching.len(),
                                matching
                                    .iter()
                                    .map(|&i| places[i].line.to_string())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )));
                        }
                        Some(i) => Target::Place(i),
                        None if places.is_empty() => {
                            return Err(bad(format!(
                                "a place of the places file, but no --places file was given (`{}`)",
                                shown(name)
                            )));
                        }
                        None => {
                            return Err(bad(format!(
                                "a place of the places file, found `{}`; nearest: {}",
                                shown(name),
                                crate::places::nearest(name, places.iter().map(|p| p.name.as_str()))
                                    .join(", ")
                            )));
                        }
                    }
                }
                AnnotationTarget::District(name) => {
                    match lookup.find(name, None).districts.as_slice() {
                        [one] => Target::District(*one),
                        [] => {
                            return Err(bad(format!(
                                "a district of the boundaries, found `{}`; nearest: {}",
                                shown(name),
                                crate::places::nearest(
                                    name,
                                    boundaries.districts.iter().map(|d| d.name.as_str())
                                )
                                .join(", ")
                            )));
                        }
                        many => {
                            return Err(bad(format!(
                                "one district, but `{}` names {} of them; point at it with lon and lat instead",
                                shown(name),
                                many.len()
                            )));
                        }
                    }
                }
            };
            Ok(Callout {
                text: a.text.clone(),
                target,
                offset: a.offset,
                anchor: a.anchor,
                width: a.width,
                from: a.from,
                to: a.to,
                origin: format!("{}: {}", a.path.display(), a.place),
            })
        })
        .collect()
}

/// Projects and lays out the districts for a page.
#[allow(clippy::too_many_arguments)]
fn layout(
    (boundaries, place_districts): (&Boundaries, &[Option<String>]),
    groups: &[Option<usize>],
    projection: &Projection,
    categories: &Categories,
    options: &MapOptions,
    overlays: &Overlays,
    style: Style,
    text: Text,
) -> Result<Scene, crate::Error> {
    let legend: Vec<LegendEntry> = categories
        .list
        .iter()
        .chain(std::iter::once(&categories.no_data))
        .map(|c| LegendEntry {
            key: c.key.clone(),
            label: c.label.clone(),
            color: c.color,
            count: 0,
        })
        .collect();
    Ok(Scene::new(
        SceneInput {
            districts: &boundaries.districts,
            groups,
            provinces: options.provinces.as_deref(),
            projection,
            bbox: options.bbox,
            places: &options.places,
            place_districts,
            legend: &legend,
            overlays,
        },
        style,
        text,
    )?)
}
