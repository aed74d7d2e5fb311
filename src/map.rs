//! One map: boundaries + timeline + categories, joined, projected and laid out once, then
//! drawn for any date.

use geo::{MultiPolygon, Rect};

use crate::join::{Join, JoinOptions, JoinReport};
use crate::project::{Projection, bounds};
use crate::read::Boundaries;
use crate::render::{Frame, LegendEntry, Place, Scene, SceneInput, Style, Text};
use crate::status::Categories;
use crate::timeline::{Date, Timeline};

/// Everything that shapes a map besides its data.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// How to join.
    pub join: JoinOptions,
    /// A PROJ string; `None` = a Lambert conformal conic fitted to the data.
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
}

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
        }
    }
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
    /// Each district's geodesic area in km², measured on first use (see [`Map::district_areas`]).
    areas: std::sync::OnceLock<Vec<f64>>,
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
                let p = crate::join::normalize_name(d.province.as_deref()?);
                Some(provinces.iter().position(|q| *q == p).unwrap_or_else(|| {
                    provinces.push(p);
                    provinces.len() - 1
                }))
            })
            .collect();

        let projection = match &options.projection {
            Some(p) => Projection::parse(p)?,
            None => {
                let extent = options.bbox.or_else(|| {
                    bounds(
                        boundaries
                            .districts
                            .iter()
                            .flat_map(|d| d.geometry.0.iter())
                            .flat_map(|p| p.exterior().0.iter())
                            .map(|c| (c.x, c.y)),
                    )
                });
                Projection::fitted_lcc(extent.ok_or(crate::project::ProjectError::Empty)?)?
            }
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
                    &boundaries,
                    &groups,
                    &projection,
                    &categories,
                    options,
                    options.style.clone(),
                    options.text.clone(),
                )
            },
        );
        Ok(Map {
            join: join?,
            scene: scene?,
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
        layout(
            &self.boundaries,
            &self.groups,
            &self.projection,
            &self.categories,
            &self.options,
            style,
            text,
        )
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
            .get_or_init(|| crate::stats::district_areas(&self.boundaries.districts))
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

    /// What is drawn on `date`: fills, legend, date line.
    pub fn frame(&self, date: Date) -> Frame {
        let cats = self.join.categories_on(date);
        let fills = cats
            .iter()
            .map(|c| {
                let cat = c.map_or(&self.categories.no_data, |c| self.categories.get(c));
                (cat.key.clone(), cat.color)
            })
            .collect();
        let legend: Vec<LegendEntry> = self
            .categories
            .list
            .iter()
            .chain(std::iter::once(&self.categories.no_data))
            // The statuses are looked up once per frame, for the fills and the counts alike.
            .zip(self.tally(&cats))
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
        let undated =
            date == Date::SNAPSHOT && self.timeline.records.iter().all(|r| r.date.is_none());
        let text = self.scene().text.expand(&crate::render::template::Context {
            date: (!undated).then_some(date),
            legend: &legend,
        });
        Frame {
            fills,
            sources,
            legend,
            date_line: text.date_line.clone(),
            text,
        }
    }

    /// The SVG document for `date`.
    pub fn render_svg(&self, date: Date) -> String {
        self.scene().svg(&self.frame(date))
    }

    /// The rasterised map for `date` (what [`Map::render_png`] encodes).
    pub fn render_pixmap(&self, date: Date) -> Result<resvg::tiny_skia::Pixmap, crate::Error> {
        Ok(self.scene().pixmap(&self.frame(date))?)
    }

    /// Every date on which some district's status differs from the day before, ascending;
    /// the first record date is one of them.
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
        dates
    }

    /// The PNG image for `date`.
    pub fn render_png(&self, date: Date) -> Result<Vec<u8>, crate::Error> {
        Ok(self.scene().png(&self.frame(date))?)
    }

    /// The vector PDF for `date`: the SVG of [`Map::render_svg`] as one PDF page of the same
    /// size (1 px = 1 pt), with the bundled font embedded.
    pub fn render_pdf(&self, date: Date) -> Result<Vec<u8>, crate::Error> {
        Ok(self.scene().pdf(&self.frame(date))?)
    }
}

/// Projects and lays out the districts for a page.
fn layout(
    boundaries: &Boundaries,
    groups: &[Option<usize>],
    projection: &Projection,
    categories: &Categories,
    options: &MapOptions,
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
            legend: &legend,
        },
        style,
        text,
    )?)
}
