//! Change maps (`--since DATE`): the districts whose category on the map's date differs from
//! their category on an earlier date are hatched over their fill, and a legend line counts
//! them. Also the legend lines the change marks and the captured capitals add after the
//! categories ([`Note`]).
//!
//! The hatch is an SVG `<pattern>` of dark translucent stripes. The PNG renderer draws the
//! same stripes from the pattern rasterised once over the whole page (see
//! [`super::raster`]), so a frame costs one pass over its pixels, not one per district.

use std::fmt::Write;

use super::markup::{Part, num};
use super::text::escape;
use super::{Frame, Layout, Scene, size};
use crate::status::{CategoryId, NO_DATA};
use crate::timeline::Date;

/// What `--since` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Since {
    /// The earlier date the map is compared with.
    pub date: Date,
    /// Mark only the districts that moved into this category (a category key).
    pub only: Option<String>,
    /// The legend line: `{date}` (e.g. "May 1, 2021"), `{count}` and `{label}` (the label
    /// of the `only` category); `None` for the default.
    pub label: Option<String>,
}

/// The legend line of the change marks.
pub const DEFAULT_LABEL: &str = "Changed since {date}: {count}";
/// The legend line of the change marks with [`Since::only`].
pub const DEFAULT_ONLY_LABEL: &str = "Changed to {label} since {date}: {count}";

/// Whether a district is marked: its category differs between the two dates, "no data"
/// counting as a category of its own, and with `only`, it is now `only`. A district with no
/// record on the earlier date was no data then, so one that is in a category now has changed
/// (the 2021 timeline starts on May 11: "since May 1" counts every district taken by the
/// map's date).
///
/// ```
/// use controlmap::render::change::is_change;
/// use controlmap::status::CategoryId;
/// let (a, b) = (Some(CategoryId(0)), Some(CategoryId(1)));
/// assert!(is_change(a, b, None));
/// assert!(!is_change(a, a, None));
/// assert!(is_change(None, b, None));
/// assert!(!is_change(None, None, None));
/// assert!(is_change(a, b, Some(CategoryId(1))));
/// assert!(is_change(None, b, Some(CategoryId(1))));
/// assert!(!is_change(b, a, Some(CategoryId(1))));
/// ```
pub fn is_change(
    before: Option<CategoryId>,
    now: Option<CategoryId>,
    only: Option<CategoryId>,
) -> bool {
    before != now && only.is_none_or(|o| now == Some(o))
}

/// The `--since` date as the legend writes it: "May 1, 2021", and when it precedes the
/// timeline's first record, which day that is ("May 1, 2021 (first record May 11)"), so
/// that a reader knows the baseline is "no data", not a count.
///
/// ```
/// use controlmap::render::change::since_text;
/// use controlmap::timeline::Date;
/// let d = |s| Date::parse_iso(s).unwrap();
/// assert_eq!(since_text(d("2021-05-01"), Some(d("2021-05-11"))), "May 1, 2021 (first record May 11)");
/// assert_eq!(since_text(d("2020-12-01"), Some(d("2021-05-11"))), "December 1, 2020 (first record May 11, 2021)");
/// assert_eq!(since_text(d("2021-05-11"), Some(d("2021-05-11"))), "May 11, 2021");
/// ```
pub fn since_text(since: Date, first_record: Option<Date>) -> String {
    match first_record {
        Some(first) if since < first => {
            let long = first.long();
            let first = if first.year() == since.year() {
                long.rsplit_once(", ")
                    .map_or(long.clone(), |(md, _)| md.to_string())
            } else {
                long
            };
            format!("{} (first record {first})", since.long())
        }
        _ => since.long(),
    }
}

/// A legend line after the categories: a template whose `{count}` is drawn in bold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The text, with `{count}` where the count goes (if anywhere).
    pub template: String,
    /// The count.
    pub count: usize,
}

impl Note {
    /// The line as plain text.
    ///
    /// ```
    /// use controlmap::render::change::Note;
    /// let n = Note { template: "Changed since May 1, 2021: {count}".into(), count: 53 };
    /// assert_eq!(n.text(), "Changed since May 1, 2021: 53");
    /// ```
    pub fn text(&self) -> String {
        self.template.replace("{count}", &self.count.to_string())
    }
}

/// The hatch's tile size in page units: about 8 px at 1600 px wide, rounded to whole output
/// pixels. A whole number of pixels makes every row of stripes the row above shifted by one
/// pixel, which PNG's deflate stores cheaply, and keeps the stripes equally sharp everywhere.
fn period(u: f64, scale: f64) -> f64 {
    (8.0 * u * scale).round().max(4.0) / scale
}

/// The `<pattern>` of the hatch: diagonal stripes, a tile with one corner-to-corner stroke
/// and the two corner pieces that continue its neighbours' strokes.
pub(crate) fn defs(out: &mut String, scene: &Scene, prefix: &str) {
    let p = period(scene.layout.u, f64::from(scene.style.scale));
    let q = p / 4.0;
    let n = |v: f64| num(v, 3);
    let _ = write!(
        out,
        r##"<pattern id="{prefix}hatch" patternUnits="userSpaceOnUse" width="{0}" height="{0}"><path d="M{1} {2}L{2} {1}M0 {0}L{0} 0M{3} {4}L{4} {3}" stroke="#000000" stroke-opacity="0.5" stroke-width="{5}"/></pattern>"##,
        n(p),
        n(-q),
        n(q),
        n(p - q),
        n(p + q),
        n(0.3 * p)
    );
}

/// The hatch over each changed district (`frame.changed`), in the layer `changed-since`.
pub(crate) fn layer(out: &mut String, scene: &Scene, frame: &Frame, prefix: &str) {
    if !scene.extras.hatch {
        return;
    }
    let _ = writeln!(
        out,
        r#"<g id="{prefix}changed-since" fill="url(#{prefix}hatch)" fill-rule="evenodd"{}>"#,
        super::markup::layer("changed-since")
    );
    for (d, _) in scene
        .districts
        .iter()
        .zip(&frame.changed)
        .filter(|(_, c)| **c)
    {
        let _ = write!(out, r#"<path data-id="{}" d=""#, escape(&d.id));
        d.path.write_d(out);
        out.push_str("\"/>\n");
    }
    out.push_str("</g>\n");
}

/// A page filled with the hatch alone: what the PNG renderer lays over changed districts.
pub(crate) fn hatch_svg(scene: &Scene) -> String {
    let mut out = String::new();
    super::markup::root(&mut out, &scene.style);
    out.push_str("<defs>");
    defs(&mut out, scene, "");
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" fill="url(#hatch)"/>"#,
        scene.style.width, scene.style.height
    );
    out.push_str("</svg>\n");
    out
}

/// The legend lines of the change marks and the captured capitals, in `layout`'s legend
/// slots from `first_slot` on (the categories take those before). They change with the date,
/// so the PNG renderer draws them with the changing part; small multiples
/// (`Part::Unnumbered`) show them without their counts, which differ from panel to panel.
pub(crate) fn notes(
    out: &mut String,
    scene: &Scene,
    (layout, first_slot): (&Layout, usize),
    frame: &Frame,
    part: Part,
) {
    if part == Part::Fixed {
        return;
    }
    let u = layout.u;
    let slots = note_slots(scene, (layout, first_slot), frame, part);
    let mut slots = slots.iter();
    let sw = size::SWATCH * u;
    // The notes are legend lines: the style's legend font, like the category entries.
    let legend_font = &scene.style.fonts.legend;
    let font = legend_font.size * u;
    // Right to left, a legend in rows is mirrored as the category entries are (see
    // `locale::mirrored`): `at` gives a slot's swatch x and text x.
    let locale = scene.style.locale;
    let mirror = locale.right_to_left()
        && matches!(
            scene.style.legend.position,
            super::furniture::LegendPosition::Top | super::furniture::LegendPosition::Bottom
        );
    let page = f64::from(scene.style.width);
    let at = |x: f64| super::locale::mirrored(mirror, page, x, sw, 8.0 * u);
    let anchor = if mirror { r#" text-anchor="end""# } else { "" };
    let line = |out: &mut String, (x, y): (f64, f64), note: &Note, swatch: &dyn Fn(&mut String)| {
        let (tx, ty) = (at(x).text, y + sw * 0.5 + legend_font.size * 0.36 * u);
        swatch(out);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}"{anchor} font-size="{}" font-weight="{}" fill="{}">"##,
            num(tx, 2),
            num(ty, 2),
            num(font, 2),
            legend_font.svg_weight(),
            legend_font.color
        );
        match note.template.split_once("{count}") {
            _ if part == Part::Unnumbered => out.push_str(&escape(&unnumbered(note))),
            Some((before, after)) => {
                let _ = write!(
                    out,
                    r#"{}<tspan font-weight="bold">{}</tspan>{}"#,
                    escape(before),
                    locale.number(note.count),
                    escape(&after.replace("{count}", &locale.number(note.count)))
                );
            }
            None => out.push_str(&escape(&note.template)),
        }
        out.push_str("</text></g>\n");
    };
    if scene.extras.hatch
        && let (Some(&(x, y)), Some(note)) = (slots.next(), &frame.change_note)
    {
        out.push_str(r#"<g id="legend-changed-since">"#);
        let swatch = |out: &mut String| {
            let _ = write!(
                out,
                r##"<rect x="{0}" y="{1}" width="{2}" height="{2}" fill="#ffffff"/><rect x="{0}" y="{1}" width="{2}" height="{2}" fill="url(#hatch)" stroke="#888888" stroke-width="{3}"/>"##,
                num(at(x).swatch, 2),
                num(y, 2),
                num(sw, 2),
                num(0.8 * u, 2)
            );
        };
        line(out, (x, y), note, &swatch);
    }
    if scene.extras.captured
        && let (Some(&(x, y)), Some(note)) = (slots.next(), &frame.captured_note)
    {
        out.push_str(r#"<g id="legend-captured">"#);
        let swatch = |out: &mut String| {
            let x = at(x).swatch;
            super::labels::captured_marker(out, x + sw / 2.0, y + sw / 2.0, u, scene.decimals);
        };
        line(out, (x, y), note, &swatch);
    }
    if scene.extras.view_note
        && let (Some(&(x, y)), Some(text)) = (slots.next(), &frame.view_note)
    {
        // No swatch: the line is about the counts, not a class of districts.
        let _ = writeln!(
            out,
            r##"<g id="legend-view"><text x="{}" y="{}"{anchor} font-size="{}" font-style="italic" fill="{}">{}</text></g>"##,
            num(if mirror { page - x } else { x }, 2),
            num(y + sw * 0.5 + legend_font.size * 0.36 * u, 2),
            num(font, 2),
            legend_font.color,
            escape(text)
        );
    }
}

/// The legend slots of the lines after the categories (`categories` = the category entries
/// and no data, as laid out), in order. No data's slot is kept only when the legend may list
/// it: when it is not listed on this frame, the lines on its row move up into it rather than
/// leave a hole; a legend that never lists it has no slot for it, and one that always does
/// keeps it.
pub(crate) fn note_slots(
    scene: &Scene,
    (layout, categories): (&Layout, usize),
    frame: &Frame,
    part: Part,
) -> Vec<(f64, f64)> {
    use super::furniture::NoDataEntry;
    let policy = match part {
        // Small multiples draw no no-data entry, but their layout keeps its slot.
        Part::Unnumbered => NoDataEntry::Auto,
        _ => scene.style.legend.no_data,
    };
    let first = categories - usize::from(policy == NoDataEntry::Never && categories > 0);
    let mut slots: Vec<(f64, f64)> = layout.legend_slots.iter().skip(first).copied().collect();
    let listed = match policy {
        NoDataEntry::Never | NoDataEntry::Always => true,
        NoDataEntry::Auto => {
            part != Part::Unnumbered
                && frame
                    .legend
                    .last()
                    .is_some_and(|e| e.key == NO_DATA && e.count > 0)
        }
    };
    if let (false, Some(&(nx, ny)), Some(&(fx, _))) = (
        listed,
        first
            .checked_sub(1)
            .and_then(|i| layout.legend_slots.get(i)),
        slots.first(),
    ) {
        for s in slots.iter_mut().filter(|s| s.1 == ny) {
            s.0 -= fx - nx;
        }
    }
    slots
}

/// A note's text without its count, for small multiples: "Changed since May 1, 2021".
pub(crate) fn unnumbered(note: &Note) -> String {
    note.template
        .replace("{count}", "")
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_string()
}

/// The notes a scene shows, without counts, as legend texts for the small multiples'
/// layout.
pub(crate) fn unnumbered_notes(scene: &Scene, frame: &Frame) -> Vec<String> {
    let change = frame.change_note.as_ref().filter(|_| scene.extras.hatch);
    let captured = frame
        .captured_note
        .as_ref()
        .filter(|_| scene.extras.captured);
    change.into_iter().chain(captured).map(unnumbered).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_without_a_count_is_its_template() {
        let n = Note {
            template: "Hatched: changed".into(),
            count: 4,
        };
        assert_eq!(n.text(), "Hatched: changed");
    }

    #[test]
    fn small_multiples_drop_the_count() {
        let n = |t: &str| Note {
            template: t.into(),
            count: 4,
        };
        assert_eq!(
            unnumbered(&n("Changed since May 1: {count}")),
            "Changed since May 1"
        );
        assert_eq!(unnumbered(&n("{count} taken")), "taken");
    }
}
