//! The page layout: where the title, subtitle, date line, legend, source and map go, and
//! the sizes of the furniture, from the style and the widest texts.

use super::furniture::{self, LegendPosition};
use super::{Style, Text, size, text};
use crate::project::Area;

/// Where the furniture goes, in page pixels. Font sizes scale with the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// Unit: 1 at 1600 px wide.
    pub(crate) u: f64,
    /// The left margin, where every line of text starts.
    pub(crate) margin: f64,
    pub(crate) title_y: f64,
    /// The distance between two lines of each text (title, subtitle, source) when it wraps.
    pub(crate) leading: Leading,
    /// The widest a line of text may be: the page less its margins.
    pub(crate) text_width: f64,
    /// Texts that do not fit the width even wrapped (a word too long), for a warning.
    pub(crate) overflow: Vec<String>,
    pub(crate) subtitle_y: Option<f64>,
    pub(crate) date_y: f64,
    /// Top-left of each legend slot, in legend order (as many slots as categories).
    pub(crate) legend_slots: Vec<(f64, f64)>,
    /// Side of a legend swatch.
    pub(crate) swatch: f64,
    pub(crate) source_y: Option<f64>,
    pub(crate) map: Area,
}

/// Line distances of the wrapped texts, page px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Leading {
    pub(crate) title: f64,
    pub(crate) subtitle: f64,
    pub(crate) source: f64,
}

/// A text template as wide as it can get when expanded, for the layout: `{date}` becomes the
/// longest date; other placeholders are measured as written, which is wider than the counts
/// and about as wide as the labels they stand for.
fn widest_text(template: &str) -> String {
    template.replace("{date}", "September 30, 2021")
}

impl Layout {
    /// Lays out header, legend and footer for a page; `legend_labels` are the legend texts
    /// with room for the largest count, so the layout does not move from date to date.
    pub(crate) fn new(style: &Style, text: &Text, legend_labels: &[String]) -> Layout {
        let (w, h) = (f64::from(style.width), f64::from(style.height));
        // Text shrinks with the page, but not below what stays legible on a small map.
        let u = (w / 1600.0).min(h / 1200.0).max(0.5);
        let fonts = &style.fonts;
        // The swatch keeps its proportion to the legend's text.
        let swatch = size::SWATCH * fonts.legend.size / size::LEGEND * u;
        if style.plain {
            return Layout {
                u,
                margin: 0.0,
                title_y: 0.0,
                leading: Leading::default(),
                text_width: w,
                overflow: Vec::new(),
                subtitle_y: None,
                date_y: 0.0,
                legend_slots: Vec::new(),
                swatch,
                source_y: None,
                map: Area {
                    x: 0.0,
                    y: 0.0,
                    width: w,
                    height: h,
                },
            };
        }
        let m = &style.margins;
        let (top, right, bottom, left) = (m.top * u, m.right * u, m.bottom * u, m.left * u);
        // Each text wraps to the width between the margins; the layout makes room for as
        // many lines as the widest expansion of its template needs.
        let text_width = (w - left - right).max(1.0);
        let mut overflow = Vec::new();
        let mut lines = |what: &str, t: &str, font: &furniture::Font| {
            let size = (font.size * u) as f32;
            let face = &style.typeface;
            let lines = text::wrap(face, &widest_text(t), text_width, size, font.bold());
            for long in text::overflowing(face, &lines, text_width, size, font.bold()) {
                overflow.push(format!(
                    "{what}: `{long}` is {:.0} px wide, more than the {text_width:.0} px between the margins",
                    face.measure(long, size, font.bold())
                ));
            }
            lines.len() as f64
        };
        let leading = Leading {
            title: fonts.title.size * 1.2 * u,
            subtitle: fonts.subtitle.size * 1.3 * u,
            source: fonts.source.size * 1.3 * u,
        };
        let title_lines = lines("title", &text.title, &fonts.title);
        let subtitle_lines = text
            .subtitle
            .as_deref()
            .map_or(0.0, |t| lines("subtitle", t, &fonts.subtitle));
        let source_lines = text
            .source
            .as_deref()
            .map_or(0.0, |t| lines("source", t, &fonts.source));
        if let Some(d) = &text.date_line {
            lines("date line", d, &fonts.date);
        }
        let mut y = top + fonts.title.size * u;
        let title_y = y;
        y += (title_lines - 1.0) * leading.title;
        let subtitle_y = text.subtitle.as_ref().map(|_| {
            y += fonts.subtitle.size * 1.5 * u;
            let first = y;
            y += (subtitle_lines - 1.0) * leading.subtitle;
            first
        });
        if text.date_line.is_some() {
            y += fonts.date.size * 1.6 * u;
        }
        let date_y = y;
        y += 16.0 * u;
        let map_top = y + 8.0 * u;
        let extra_source = (source_lines - 1.0).max(0.0) * leading.source;
        let map_bottom = match text.source {
            Some(_) => h - bottom - fonts.source.size * 1.6 * u - extra_source,
            None => h - bottom,
        };
        // The baseline of the source's first line: its last line sits on the bottom margin.
        let source_y = text.source.as_ref().map(|_| h - bottom - extra_source);

        let gap = 28.0 * u;
        let row = swatch * 1.5;
        let items: Vec<f64> = legend_labels
            .iter()
            .map(|label| {
                swatch
                    + 8.0 * u
                    + f64::from(style.typeface.measure(
                        label,
                        (fonts.legend.size * u) as f32,
                        fonts.legend.bold(),
                    ))
            })
            .collect();
        // Items flow left to right and wrap, from (0, 0): the rows of a legend above or
        // below the map.
        let flow = || {
            let (mut x, mut y) = (left, 0.0);
            let mut slots = Vec::new();
            for item in &items {
                if x > left && x + item > w - right {
                    x = left;
                    y += row;
                }
                slots.push((x, y));
                x += item + gap;
            }
            let height = if items.is_empty() { 0.0 } else { y + row };
            (slots, height)
        };
        // A legend beside the map is a column, or several side by side when one would run
        // below the map.
        let column = items.iter().copied().fold(0.0, f64::max);
        let per_column = (((map_bottom - map_top) / row).floor() as usize).max(1);
        let columns = items.len().div_ceil(per_column).max(1) as f64;
        let beside = columns * column + (columns - 1.0) * gap;
        let stack = |x: f64| -> Vec<(f64, f64)> {
            (0..items.len())
                .map(|i| {
                    let (c, r) = (i / per_column, i % per_column);
                    (x + c as f64 * (column + gap), map_top + r as f64 * row)
                })
                .collect()
        };
        // A column that would take half the width leaves too little map: rows instead.
        let position = match style.legend.position {
            LegendPosition::Left if 2.0 * (beside + gap) > w - left - right => LegendPosition::Top,
            LegendPosition::Right if 2.0 * (beside + gap) > w - left - right => {
                LegendPosition::Bottom
            }
            p => p,
        };
        let (legend_slots, map) = match position {
            LegendPosition::Top => {
                let (slots, height) = flow();
                let slots = slots.into_iter().map(|(x, dy)| (x, y + dy)).collect();
                let map_top = y + height + 8.0 * u;
                (slots, area(left, map_top, w - right, map_bottom))
            }
            LegendPosition::Bottom => {
                let (slots, height) = flow();
                let legend_top = map_bottom - height;
                let slots = slots
                    .into_iter()
                    .map(|(x, dy)| (x, legend_top + dy))
                    .collect();
                (slots, area(left, map_top, w - right, legend_top - 8.0 * u))
            }
            LegendPosition::Left if !items.is_empty() => (
                stack(left),
                area(left + beside + gap, map_top, w - right, map_bottom),
            ),
            LegendPosition::Right if !items.is_empty() => (
                stack(w - right - beside),
                area(left, map_top, w - right - beside - gap, map_bottom),
            ),
            LegendPosition::Left | LegendPosition::Right => {
                (Vec::new(), area(left, map_top, w - right, map_bottom))
            }
        };
        Layout {
            u,
            margin: left,
            title_y,
            leading,
            text_width,
            overflow,
            subtitle_y,
            date_y,
            legend_slots,
            swatch,
            source_y,
            map,
        }
    }
}

/// The area between two corners; never empty, so that a crowded page still projects.
fn area(x0: f64, y0: f64, x1: f64, y1: f64) -> Area {
    Area {
        x: x0,
        y: y0,
        width: (x1 - x0).max(1.0),
        height: (y1 - y0).max(1.0),
    }
}
