//! The interactive web page: one self-contained HTML file with a time slider, tooltips and
//! live legend counts.
//!
//! The page is a writer over the same [`Scene`] as the SVG: its map *is* the SVG document of
//! the last date, inline, so that without JavaScript (or before it runs) the page shows that
//! map, with every `data-*` attribute the SVG has. The geometry is written once. What changes
//! from date to date travels as a small JSON table: every distinct district state (fill,
//! status, since when, source, note, changed mark) once, each district's state on the first
//! date, and per later date only the districts whose state changed. The hand-written script
//! (`assets/web/page.js`, no framework, no network request) applies a date by rewriting the
//! attributes of the paths that differ, the legend counts, the date line and the notes.
//!
//! Every string from the data reaches the page either XML-escaped in the SVG (as the SVG
//! writer escapes it) or inside the JSON block with `<`, `>` and `&` written as `\u` escapes,
//! so no district name can close the `<script>` element; the script puts data into the page
//! through `textContent` and attributes only.

use std::collections::HashMap;
use std::fmt::Write;

use super::text::escape;
use super::{Frame, Scene};
use crate::status::NO_DATA;
use crate::timeline::{Date, History};

/// The page's script, kept in its own file so that it can be read and linted as JavaScript.
const SCRIPT: &str = include_str!("../../assets/web/page.js");
/// The page's style sheet.
const CSS: &str = include_str!("../../assets/web/page.css");

/// The CSS font stack of the page: the bundled face the layout was measured with first,
/// then faces of about its width, so that labels sized for it still fit.
pub const FONT_STACK: &str =
    r#""DejaVu Sans", "Bitstream Vera Sans", Verdana, "Helvetica Neue", Arial, sans-serif"#;

/// The page's font stack: a user font's family (embedded by [`font_faces`]) before
/// [`FONT_STACK`], whose first face is its fallback in the PNG and PDF too.
fn font_stack(face: &super::typeface::Typeface) -> String {
    match face.is_user() {
        // The family inside a CSS string: a quote or backslash in it would end it.
        true => format!(
            "\"{}\", {FONT_STACK}",
            face.family().replace(['"', '\\', '<', '>', '&'], "")
        ),
        false => FONT_STACK.to_string(),
    }
}

/// `@font-face` rules embedding a user font's files as data URLs, so that the page draws
/// with the faces the layout was measured in; nothing for the bundled face, which the stack
/// names and most systems have (or one of its width).
fn font_faces(face: &super::typeface::Typeface) -> String {
    use base64::Engine;
    let family = face.family().replace(['"', '\\', '<', '>', '&'], "");
    face.web_faces()
        .into_iter()
        .map(|(bytes, weight)| {
            // CFF outlines (`OTTO`) are OpenType proper; the rest TrueType.
            let (mime, format) = match bytes.starts_with(b"OTTO") {
                true => ("font/otf", "opentype"),
                false => ("font/ttf", "truetype"),
            };
            format!(
                "@font-face{{font-family:\"{family}\";font-weight:{weight};src:url(data:{mime};base64,{}) format(\"{format}\")}}\n",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            )
        })
        .collect()
}

/// A problem making a page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// No date to show.
    #[error("a web page needs at least one date")]
    NoDates,
    /// The frames given are not one per date.
    #[error("a web page needs one frame per date: {dates} dates, {frames} frames")]
    Frames {
        /// Dates given.
        dates: usize,
        /// Frames given.
        frames: usize,
    },
}

/// Interns strings (and other values) into a table, handing out their indices.
struct Table<T> {
    items: Vec<T>,
    index: HashMap<T, usize>,
}

impl<T: Clone + Eq + std::hash::Hash> Table<T> {
    fn new() -> Table<T> {
        Table {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn id(&mut self, item: T) -> usize {
        if let Some(&i) = self.index.get(&item) {
            return i;
        }
        self.items.push(item.clone());
        self.index.insert(item, self.items.len() - 1);
        self.items.len() - 1
    }
}

/// What the page shows of one district on one date. Indices into the page's tables; `None`
/// is written as -1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    fill: usize,
    status: usize,
    since: Option<usize>,
    source: Option<usize>,
    note: Option<usize>,
    changed: bool,
}

/// The step of `history` in effect on `date`, and the date the district has held that
/// step's category since (the first of the run of steps with the same category); `None`
/// for no record yet.
fn in_effect(history: &History, date: Date) -> Option<(usize, Option<Date>)> {
    let n = history
        .steps
        .partition_point(|(d, _)| d.is_none_or(|d| d <= date));
    let now = n.checked_sub(1)?;
    let category = history.steps[now].1;
    let mut first = now;
    while first > 0 && history.steps[first - 1].1 == category {
        first -= 1;
    }
    Some((now, history.steps[first].0))
}

/// JSON for inclusion in a `<script>` element: `<`, `>` and `&` (and the two line separators
/// old JavaScript parsers reject) as `\u` escapes, which JSON reads back unchanged.
fn script_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in value.to_string().chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // Characters an HTML parser reports as errors (C1 controls, DEL, the BMP's
            // non-characters) as escapes too: the page stays valid and the value unchanged.
            c if matches!(c, '\u{7f}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}' | '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out
}

/// What a web page is made of.
#[derive(Debug, Clone, Copy)]
pub struct PageInput<'a> {
    /// The map laid out.
    pub scene: &'a Scene,
    /// The dates, ascending.
    pub dates: &'a [Date],
    /// One frame per date.
    pub frames: &'a [Frame],
    /// Per district (scene order): its history, for the page's per-district table.
    pub histories: &'a [crate::history::History],
    /// The timeline's records the histories point into.
    pub records: &'a [crate::timeline::Record],
}

/// The page for `dates` (ascending; one date for a single map). The map shown without
/// JavaScript is the last date's. A plain style ([`super::Style::plain`]) makes a bare page:
/// the map alone, without controls, for screenshots and embedding.
/// The map gives the frames and the records ([`crate::Map::web_page`]): render does not import
/// the map, which renders through it.
pub fn page(input: PageInput<'_>) -> Result<String, PageError> {
    let PageInput {
        scene,
        dates,
        frames,
        histories,
        records,
    } = input;
    let &last = dates.last().ok_or(PageError::NoDates)?;
    if frames.len() != dates.len() {
        return Err(PageError::Frames {
            dates: dates.len(),
            frames: frames.len(),
        });
    }
    let last_frame = &frames[frames.len() - 1];
    let data = data(scene, dates, frames, (histories, records));
    let style = scene.style();
    let bare = style.plain;

    let svg = inline_svg(scene, last_frame);
    let title = match last_frame.text.title.trim() {
        "" => "Map".to_string(),
        t => t.to_string(),
    };
    let mut out = String::with_capacity(svg.len() + SCRIPT.len() + CSS.len() + 16_384);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing on the page may reach the network: no fetch, no image, no font, no frame.
    // A user font travels inside the page, as a data URL.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(
        out,
        "<style>\n{}:root{{--cm-font:{}}}\n{CSS}</style>",
        font_faces(&style.typeface),
        font_stack(&style.typeface)
    );
    let _ = writeln!(
        out,
        "</head>\n<body{}>",
        if bare { " class=\"cm-bare\"" } else { "" }
    );
    let _ = writeln!(
        out,
        "<figure class=\"cm\" id=\"cm\" style=\"max-width:{}px\">\n<div class=\"cm-stage\" id=\"cm-stage\">",
        style.width
    );
    out.push_str(&svg);
    out.push_str("<div class=\"cm-tip\" id=\"cm-tip\" role=\"tooltip\" hidden></div>\n</div>\n");
    let last_long = last.long();
    if dates.len() > 1 {
        let _ = writeln!(
            out,
            "<noscript><p class=\"cm-note\">The map of {}, the last of {} dates; the time slider needs JavaScript.</p></noscript>",
            escape(&last_long),
            dates.len()
        );
    }
    if !bare {
        let n = dates.len();
        let _ = writeln!(
            out,
            concat!(
                "<div class=\"cm-controls\" id=\"cm-controls\" hidden>",
                "<button type=\"button\" id=\"cm-play\" aria-pressed=\"false\" title=\"Play / pause (space)\">&#9654;&#xFE0E; Play</button>",
                "<button type=\"button\" id=\"cm-prev\" aria-label=\"Previous date\" title=\"Previous date (←)\">&#9664;&#xFE0E;</button>",
                "<input type=\"range\" id=\"cm-slider\" min=\"0\" max=\"{}\" step=\"1\" value=\"{}\" aria-label=\"Date\" aria-valuetext=\"{}\">",
                "<button type=\"button\" id=\"cm-next\" aria-label=\"Next date\" title=\"Next date (→)\">&#9654;&#xFE0E;</button>",
                "<output id=\"cm-when\" for=\"cm-slider\">{}</output></div>"
            ),
            n - 1,
            n - 1,
            escape(&last_long),
            escape(&last_long)
        );
    }
    out.push_str("<p class=\"cm-sr\" id=\"cm-live\" aria-live=\"polite\"></p>\n</figure>\n");
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"cm-data\">{}</script>",
        script_json(&data)
    );
    let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
    Ok(out)
}

/// The SVG document of the last date as an element of the page: the same document the SVG
/// writer makes, with a root element that scales with the page.
fn inline_svg(scene: &Scene, frame: &Frame) -> String {
    let doc = scene.svg(frame);
    let style = scene.style();
    // The document's own root (after the XML declaration) gives way to one that scales
    // with its container: a viewBox, and the size as the CSS default only.
    let body = doc
        .find("<svg ")
        .and_then(|start| doc[start..].find('>').map(|end| &doc[start + end + 1..]))
        .unwrap_or(&doc);
    let mut out = String::with_capacity(body.len() + 256);
    let _ = write!(
        out,
        r#"<svg id="cm-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" aria-label="{label}">"#,
        w = style.width,
        h = style.height,
        label = escape(&frame.text.title)
    );
    out.push_str(body);
    out
}

/// The page's data: dates, tables, the change list and what changes with the date.
fn data(
    scene: &Scene,
    dates: &[Date],
    frames: &[Frame],
    (histories, records): (&[crate::history::History], &[crate::timeline::Record]),
) -> serde_json::Value {
    use serde_json::json;
    let legend = &frames[0].legend;
    let mut statuses: Table<String> = Table::new();
    for e in legend {
        statuses.id(e.key.clone());
    }
    let mut colors: Table<String> = Table::new();
    let mut strings: Table<String> = Table::new();
    let mut states: Table<State> = Table::new();
    let districts = scene.districts.len();

    let mut rows: Vec<Vec<usize>> = Vec::with_capacity(frames.len());
    for (&date, frame) in dates.iter().zip(frames) {
        let row = (0..districts)
            .map(|d| {
                let (key, fill) = &frame.fills[d];
                let effect = histories
                    .get(d)
                    .and_then(|h| in_effect(h, date).map(|e| (h, e)));
                let no_data = key == NO_DATA;
                let since = effect
                    .and_then(|(_, (_, since))| since)
                    .filter(|_| !no_data)
                    .map(|s| strings.id(s.long()));
                let note = effect
                    .filter(|_| !no_data)
                    .and_then(|(h, (step, _))| h.records.get(step))
                    .and_then(|&r| records.get(r))
                    .and_then(|r| r.note.clone())
                    .map(|n| strings.id(n));
                let source = frame
                    .sources
                    .get(d)
                    .cloned()
                    .flatten()
                    .map(|s| strings.id(s));
                states.id(State {
                    fill: colors.id(fill.to_string()),
                    status: statuses.id(key.clone()),
                    since,
                    source,
                    note,
                    changed: frame.changed.get(d) == Some(&true),
                })
            })
            .collect();
        rows.push(row);
    }
    let changes: Vec<Vec<usize>> = rows
        .windows(2)
        .map(|w| {
            w[0].iter()
                .zip(&w[1])
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .flat_map(|(d, (_, &b))| [d, b])
                .collect()
        })
        .collect();
    let opt = |v: Option<usize>| v.map_or(-1, |v| v as i64);
    let flat_states: Vec<i64> = states
        .items
        .iter()
        .flat_map(|s| {
            [
                s.fill as i64,
                s.status as i64,
                opt(s.since),
                opt(s.source),
                opt(s.note),
                i64::from(s.changed),
            ]
        })
        .collect();
    let labels: Vec<&str> = statuses
        .items
        .iter()
        .map(|k| {
            legend
                .iter()
                .find(|e| &e.key == k)
                .map_or(k.as_str(), |e| e.label.as_str())
        })
        .collect();
    let counts: Vec<Vec<usize>> = frames
        .iter()
        .map(|f| f.legend.iter().map(|e| e.count).collect())
        .collect();

    // Texts whose templates have placeholders change with the date.
    let templates = &scene.text;
    let mut text = serde_json::Map::new();
    if !scene.style().plain {
        let changing = |t: Option<&String>| t.is_some_and(|t| !super::template::is_static(t));
        if changing(Some(&templates.title)) {
            text.insert(
                "title".into(),
                json!(frames.iter().map(|f| &f.text.title).collect::<Vec<_>>()),
            );
        }
        for (id, template, pick) in [
            (
                "subtitle",
                templates.subtitle.as_ref(),
                (|f: &Frame| f.text.subtitle.clone()) as fn(&Frame) -> Option<String>,
            ),
            ("source", templates.source.as_ref(), |f: &Frame| {
                f.text.source.clone()
            }),
        ] {
            if changing(template) {
                text.insert(
                    id.into(),
                    json!(frames.iter().map(pick).collect::<Vec<_>>()),
                );
            }
        }
        if frames.iter().all(|f| f.date_line.is_some()) {
            text.insert(
                "date".into(),
                json!(frames.iter().map(|f| &f.date_line).collect::<Vec<_>>()),
            );
        }
    }
    let mut notes = serde_json::Map::new();
    if !scene.style().plain {
        if scene.extras.hatch && frames.iter().all(|f| f.change_note.is_some()) {
            notes.insert(
                "legend-changed-since".into(),
                json!(
                    frames
                        .iter()
                        .map(|f| f.change_note.as_ref().map_or(0, |n| n.count))
                        .collect::<Vec<_>>()
                ),
            );
        }
        if scene.extras.captured && frames.iter().all(|f| f.captured_note.is_some()) {
            notes.insert(
                "legend-captured".into(),
                json!(
                    frames
                        .iter()
                        .map(|f| f.captured_note.as_ref().map_or(0, |n| n.count))
                        .collect::<Vec<_>>()
                ),
            );
        }
    }

    let mut value = json!({
        "dates": dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "keys": statuses.items,
        "labels": labels,
        "colors": colors.items,
        "strings": strings.items,
        "st": flat_states,
        "s0": rows[0],
        "ch": changes,
        "counts": counts,
        "text": text,
        "notes": notes,
    });
    if let Some(editorial) = editorial(scene, frames) {
        value["ed"] = editorial;
    }
    if let Some(capitals) = capitals(scene, frames) {
        value["cap"] = capitals;
    }
    if let Some(entry) = no_data_entry(scene, frames) {
        value["nd"] = json!(entry);
    }
    // "No data" listed only on the dates some district has none.
    if scene.style().legend.no_data == super::furniture::NoDataEntry::Auto {
        value["ndAuto"] = json!(true);
    }
    value
}

/// Captured capitals change with the date: each capital's markup plain and captured (as the
/// SVG writer draws them), which is which on the first date, and per later date the capitals
/// that turn over.
fn capitals(scene: &Scene, frames: &[Frame]) -> Option<serde_json::Value> {
    if !scene.extras.captured {
        return None;
    }
    let capitals: Vec<&super::PlacePoint> = scene.places.iter().filter(|p| p.capital).collect();
    let style = scene.style();
    let font = &style.fonts.labels;
    let units = (scene.layout.u, scene.decimals);
    let halo = (style.halo_color, style.halo_width);
    let variants: Vec<[String; 2]> = capitals
        .iter()
        .map(|p| {
            [false, true].map(|captured| {
                let mut s = String::new();
                super::labels::place_point(&mut s, p, font, units, captured, "", halo);
                s
            })
        })
        .collect();
    let flags: Vec<Vec<bool>> = frames
        .iter()
        .map(|f| {
            capitals
                .iter()
                .map(|p| f.captured.get(p.source).copied().unwrap_or(false))
                .collect()
        })
        .collect();
    let first: String = flags[0]
        .iter()
        .map(|&c| if c { '1' } else { '0' })
        .collect();
    let turns: Vec<Vec<usize>> = flags
        .windows(2)
        .map(|w| {
            (0..capitals.len())
                .filter(|&i| w[0][i] != w[1][i])
                .collect()
        })
        .collect();
    Some(serde_json::json!({ "v": variants, "c0": first, "ch": turns }))
}

/// The layers of place states, their legend lines and the annotations change with the
/// date: per layer, its content on each distinct date (as the SVG writer draws it) once, and
/// which of them each date shows. The script swaps a layer's content when it changes.
fn editorial(scene: &Scene, frames: &[Frame]) -> Option<serde_json::Value> {
    // The markers and callouts are the frames' own layers, as every writer draws them; the
    // legend lines are drawn with the furniture, so made here.
    let in_frame =
        |id: &'static str| move |frame: &Frame| frame.layers.iter().find(|l| l.id == id).cloned();
    let legend =
        |frame: &Frame| super::place_states::legend(scene, frame, super::markup::Part::Whole);
    type Make<'a> = &'a dyn Fn(&Frame) -> Option<super::draw::Layer>;
    let makers: [Make<'_>; 3] = [
        &in_frame(super::place_states::LAYER),
        &legend,
        &in_frame(super::annotations::LAYER),
    ];
    let layers: Vec<serde_json::Value> = makers
        .iter()
        .filter_map(|make| {
            let mut id = None;
            let mut variants: Vec<String> = Vec::new();
            let mut at = Vec::with_capacity(frames.len());
            for frame in frames {
                let layer = make(frame)?;
                let mut inner = String::new();
                super::svg::write_items(&mut inner, &layer.items, "");
                id.get_or_insert(layer.id);
                let i = variants
                    .iter()
                    .position(|v| *v == inner)
                    .unwrap_or_else(|| {
                        variants.push(inner);
                        variants.len() - 1
                    });
                at.push(i);
            }
            Some(serde_json::json!({ "id": id?, "v": variants, "at": at }))
        })
        .collect();
    (!layers.is_empty()).then_some(serde_json::Value::Array(layers))
}

/// The legend's no-data entry, when the last date does not list it (no district without
/// data, and the style lists it only then) but another date does: the script adds it then.
fn no_data_entry(scene: &Scene, frames: &[Frame]) -> Option<String> {
    let style = scene.style();
    if style.plain || style.legend.no_data != super::furniture::NoDataEntry::Auto {
        return None;
    }
    let last = &frames[frames.len() - 1];
    let needed = frames.iter().any(|f| {
        f.legend
            .last()
            .is_some_and(|e| e.key == NO_DATA && e.count > 0)
    });
    let listed = last
        .legend
        .last()
        .is_some_and(|e| e.key == NO_DATA && e.count > 0);
    if !needed || listed {
        return None;
    }
    let mut legend = last.legend.clone();
    if let Some(e) = legend.last_mut() {
        e.count = 1;
    }
    let mut out = String::new();
    super::svg::furniture(
        &mut out,
        style,
        &scene.layout,
        &scene.text,
        &last.text,
        &legend,
        None,
        super::svg::Part::Changing,
    );
    // The entry is one group of the legend the SVG writer wrote.
    let start = out.find(&format!(r#"<g data-key="{}">"#, escape(NO_DATA)))?;
    let end = out[start..].find("</g>")? + start + "</g>".len();
    Some(out[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::CategoryId;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script> & <!--"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn script_json_escapes_what_an_html_parser_reports() {
        let v = serde_json::json!({"name": "a\u{fffe}b\u{ffff}c\u{85}d\u{fdd0}"});
        let s = script_json(&v);
        assert!(
            !s.contains(['\u{fffe}', '\u{ffff}', '\u{85}', '\u{fdd0}']),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn since_is_the_start_of_the_run_of_the_same_category() {
        let d = |s| Date::parse_iso(s);
        let h = History::new(vec![
            (d("2021-05-01"), CategoryId(0)),
            (d("2021-06-01"), CategoryId(1)),
            (d("2021-06-10"), CategoryId(1)),
            (d("2021-07-01"), CategoryId(0)),
        ]);
        assert_eq!(in_effect(&h, d("2021-04-01").unwrap()), None);
        assert_eq!(
            in_effect(&h, d("2021-06-20").unwrap()),
            Some((2, d("2021-06-01")))
        );
        assert_eq!(
            in_effect(&h, d("2021-07-02").unwrap()),
            Some((3, d("2021-07-01")))
        );
    }
}
