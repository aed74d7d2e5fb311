//! The SVG writer.
//!
//! Written by hand rather than through an SVG crate so that the output is byte-stable for
//! golden files and easy to edit: one `<path>` per district with its id, name, province and
//! status as attributes, grouped in layers (`districts`, `provinces`, `outline`, `labels`,
//! `text`, `legend`).

use std::fmt::Write;

use super::draw::{Item, Layer, Stroke};
use super::furniture::NoDataEntry;
pub(crate) use super::markup::{INKSCAPE_NS, Part, layer, num, root};
use super::template::{self, Context};
use super::text::{self, escape};
use super::{Frame, Layout, LegendEntry, Scene, Style, Text};
use crate::status::NO_DATA;

/// The places and district labels, which the PNG renderer draws once over the district
/// lines (`None` when there are none): an SVG of them alone, for their text.
pub(crate) fn fixed_marks(scene: &Scene) -> Option<String> {
    let mut body = String::new();
    marks(&mut body, scene, "");
    (!body.is_empty()).then(|| page(scene, &body))
}

/// What the PNG renderer draws once over the map and its layers: the locator, the scale bar
/// and the texts and legend entries that do not change (`None` when there are none).
pub(crate) fn fixed_furniture(scene: &Scene) -> Option<String> {
    let mut out = String::new();
    if let Some(locator) = &scene.extras.locator {
        locator.write(&mut out);
    }
    if let Some(bar) = &scene.scale_bar {
        bar.write(&mut out, &scene.style, scene.layout.u);
    }
    if !scene.style.plain {
        // Only the texts without placeholders are drawn here: they need no frame.
        let fixed = scene.text.expand(&Context {
            date: None,
            legend: &[],
            locale: scene.style.locale,
        });
        furniture(
            &mut out,
            &scene.style,
            &scene.layout,
            &scene.text,
            &fixed,
            &scene.legend_keys(),
            None,
            Part::Fixed,
        );
    }
    (!out.is_empty()).then(|| page(scene, &out))
}

/// A page of the scene's size holding `body`.
pub(crate) fn page(scene: &Scene, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 400);
    root(&mut out, &scene.style);
    out.push_str(body);
    out.push_str("</svg>\n");
    out
}

/// What changes with the frame besides the fills, the hatch and the frame's typed layers
/// (drawn by the caller): the capitals when captured ones are marked, the date line, the
/// counts and the legend notes (`None` when nothing does: a plain map without captured
/// capitals).
pub(crate) fn changing_overlay(scene: &Scene, frame: &Frame) -> Option<String> {
    if scene.style.plain && !scene.extras.captured {
        return None;
    }
    let mut out = String::new();
    root(&mut out, &scene.style);
    if scene.extras.hatch {
        out.push_str("<defs>");
        super::change::defs(&mut out, scene, "");
        out.push_str("</defs>\n");
    }
    super::labels::write_capitals(&mut out, scene, frame, "");
    if !scene.style.plain {
        furniture(
            &mut out,
            &scene.style,
            &scene.layout,
            &scene.text,
            &frame.text,
            &frame.legend,
            frame.date_line.as_deref(),
            Part::Changing,
        );
        super::change::notes(
            &mut out,
            scene,
            (&scene.layout, scene.legend_keys().len()),
            frame,
            Part::Changing,
        );
        editorial_legend(&mut out, scene, frame, Part::Changing);
    }
    out.push_str("</svg>\n");
    Some(out)
}

/// The whole document for a frame.
pub(crate) fn document(scene: &Scene, frame: &Frame) -> String {
    let style = &scene.style;
    let mut out = String::with_capacity(
        scene
            .districts
            .iter()
            .map(|d| d.path.len_hint() + 160)
            .sum::<usize>()
            + scene.provinces.len_hint()
            + scene.outline.len_hint()
            + scene.borders.len_hint()
            + 4096,
    );
    root(&mut out, style);
    if let Some(bg) = style.background {
        let _ = writeln!(
            out,
            r#"<rect id="background" width="{}" height="{}" fill="{bg}"/>"#,
            style.width, style.height
        );
    }
    layers(&mut out, scene, Some(frame), "");
    if let Some(locator) = &scene.extras.locator {
        locator.write(&mut out);
    }
    if let Some(bar) = &scene.scale_bar {
        bar.write(&mut out, &scene.style, scene.layout.u);
    }
    if !style.plain {
        furniture(
            &mut out,
            style,
            &scene.layout,
            &scene.text,
            &frame.text,
            &frame.legend,
            frame.date_line.as_deref(),
            Part::Whole,
        );
        super::change::notes(
            &mut out,
            scene,
            (&scene.layout, scene.legend_keys().len()),
            frame,
            Part::Whole,
        );
        editorial_legend(&mut out, scene, frame, Part::Whole);
    }
    out.push_str("</svg>\n");
    out
}

/// The district fills: one `<path>` per district with its id, name, province and status.
fn districts(out: &mut String, scene: &Scene, frame: &Frame, prefix: &str) {
    let _ = writeln!(
        out,
        r#"<g id="{prefix}districts" fill-rule="evenodd"{}>"#,
        layer("districts")
    );
    for (i, (d, (status, fill))) in scene.districts.iter().zip(&frame.fills).enumerate() {
        let _ = write!(
            out,
            r#"<path id="{prefix}{}" data-id="{}" data-name="{}""#,
            escape(&d.element_id),
            escape(&d.id),
            escape(&d.name)
        );
        if let Some(p) = &d.province {
            let _ = write!(out, r#" data-province="{}""#, escape(p));
        }
        if let Some(Some(source)) = frame.sources.get(i) {
            let _ = write!(out, r#" data-source="{}""#, escape(source));
        }
        if frame.changed.get(i) == Some(&true) {
            out.push_str(r#" data-changed="true""#);
        }
        if scene.extras.focus.get(i) == Some(&false) {
            out.push_str(r#" data-context="true""#);
        }
        let _ = write!(
            out,
            r#" data-status="{}" fill="{fill}" d=""#,
            escape(status)
        );
        d.path.write_d(out);
        out.push_str("\"/>\n");
    }
    out.push_str("</g>\n");
}

/// The districts, their change marks and the line layers, clipped to the map frame when
/// the map has one.
fn map(out: &mut String, scene: &Scene, frame: &Frame, prefix: &str) {
    let hatch = scene.extras.hatch;
    if hatch || scene.extras.clip.is_some() {
        out.push_str("<defs>");
        if hatch {
            super::change::defs(out, scene, prefix);
        }
        if let Some(c) = scene.extras.clip {
            let _ = write!(
                out,
                r#"<clipPath id="{prefix}frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
                num(c.x, 3),
                num(c.y, 3),
                num(c.width, 3),
                num(c.height, 3)
            );
        }
        out.push_str("</defs>\n");
    }
    // A zoomed or --bbox map is cut at its frame, so that neighbours stay off the title
    // and the legend.
    if scene.extras.clip.is_some() {
        let _ = writeln!(
            out,
            r#"<g id="{prefix}map" clip-path="url(#{prefix}frame)"{}>"#,
            layer("map")
        );
    }
    districts(out, scene, frame, prefix);
    super::change::layer(out, scene, frame, prefix);
    for (id, d, color, width) in scene.line_layers() {
        if !d.is_empty() && width > 0.0 {
            let _ = write!(
                out,
                r#"<g id="{prefix}{id}" fill="none" stroke="{color}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{}><path d=""#,
                num(f64::from(width), 3),
                layer(id)
            );
            d.write_d(out);
            out.push_str("\"/></g>\n");
        }
    }
    if scene.extras.clip.is_some() {
        out.push_str("</g>\n");
    }
}

/// The map itself: districts, province borders, outline, places and the extra layers.
/// `prefix` goes before every element id, so that several maps can share one document
/// (small multiples). Without a frame, only the places and district labels (what the PNG
/// renderer draws from SVG; it draws the geometry itself).
pub(crate) fn layers(out: &mut String, scene: &Scene, frame: Option<&Frame>, prefix: &str) {
    if let Some(frame) = frame {
        map(out, scene, frame, prefix);
    }
    marks(out, scene, prefix);
    if let Some(frame) = frame {
        super::labels::write_capitals(out, scene, frame, prefix);
        for layer in scene.layers().iter().chain(&frame.layers) {
            write_layer(out, layer, prefix);
        }
    }
}

/// The places that do not change with the date, and the district labels.
fn marks(out: &mut String, scene: &Scene, prefix: &str) {
    let style = &scene.style;
    let dec = scene.decimals;
    let u = scene.layout.u;
    // With captured capitals marked, capitals change with the date: they are drawn with
    // the frame (`write_capitals`), the other places here.
    let fixed = |p: &&super::PlacePoint| !(scene.extras.captured && p.capital);
    if scene.places.iter().any(|p| fixed(&p)) {
        let _ = writeln!(out, r#"<g id="{prefix}labels"{}>"#, layer("labels"));
        for p in scene.places.iter().filter(fixed) {
            super::labels::place_point(
                out,
                p,
                &style.fonts.labels,
                (u, dec),
                false,
                prefix,
                (style.halo_color, style.halo_width),
            );
        }
        out.push_str("</g>\n");
    }
    super::labels::write_district_labels(out, scene, prefix);
}

/// The legend lines of the place states shown on a frame.
pub(crate) fn editorial_legend(out: &mut String, scene: &Scene, frame: &Frame, part: Part) {
    if let Some(layer) = super::place_states::legend(scene, frame, part) {
        write_layer(out, &layer, "");
    }
}

/// Title, subtitle, date line, source and legend, or the `part` of them asked for.
/// `templates` are the scene's texts, which tell the texts that change from frame to frame
/// from those that do not; `shown` are the texts to draw, expanded for the frame.
#[allow(clippy::too_many_arguments)]
pub(crate) fn furniture(
    out: &mut String,
    style: &Style,
    l: &Layout,
    templates: &Text,
    shown: &Text,
    legend: &[LegendEntry],
    date_line: Option<&str>,
    part: Part,
) {
    let changing = matches!(part, Part::Whole | Part::Changing);
    // A text with placeholders changes with the frame; one without is drawn once.
    let drawn = |template: Option<&String>| match part {
        Part::Whole | Part::Unnumbered => true,
        Part::Fixed => template.is_some_and(|t| template::is_static(t)),
        Part::Changing => template.is_some_and(|t| !template::is_static(t)),
    };
    let fonts = &style.fonts;
    let u = l.u;
    // Right to left (Dari, Pashto): every line ends at the right margin, and the legend is
    // mirrored (see `locale::mirrored`).
    let rtl = style.locale.right_to_left();
    let x = match rtl {
        true => num(f64::from(style.width) - l.margin, 2),
        false => num(l.margin, 2),
    };
    let anchor = if rtl { r#" text-anchor="end""# } else { "" };
    let _ = writeln!(out, r#"<g id="text"{}>"#, layer("text"));
    // A text wraps at word breaks and at its newlines, one `<tspan>` per line, so that it
    // stays inside the margins.
    let mut line = |y: f64, leading: f64, font: &super::furniture::Font, id: &str, text: &str| {
        let size = font.size * u;
        let _ = write!(
            out,
            r#"<text id="{id}" x="{x}" y="{}"{anchor} font-size="{}" font-weight="{}" fill="{}">"#,
            num(y, 2),
            num(size, 2),
            font.svg_weight(),
            font.color,
        );
        let lines = text::wrap(
            &style.typeface,
            text,
            l.text_width,
            size as f32,
            font.bold(),
        );
        match lines.as_slice() {
            [one] => out.push_str(&escape(one)),
            lines => {
                for (i, t) in lines.iter().enumerate() {
                    let _ = write!(
                        out,
                        r#"<tspan x="{x}" y="{}">{}</tspan>"#,
                        num(y + i as f64 * leading, 2),
                        escape(t)
                    );
                }
            }
        }
        out.push_str("</text>\n");
    };
    if drawn(Some(&templates.title)) {
        line(
            l.title_y,
            l.leading.title,
            &fonts.title,
            "title",
            &shown.title,
        );
    }
    if let (Some(y), Some(sub), true) = (
        l.subtitle_y,
        &shown.subtitle,
        drawn(templates.subtitle.as_ref()),
    ) {
        line(y, l.leading.subtitle, &fonts.subtitle, "subtitle", sub);
    }
    if let (Some(y), Some(src), true) =
        (l.source_y, &shown.source, drawn(templates.source.as_ref()))
    {
        line(y, l.leading.source, &fonts.source, "source", src);
    }
    if let (true, Some(date)) = (changing, date_line) {
        line(l.date_y, 0.0, &fonts.date, "date", date);
    }
    out.push_str("</g>\n");
    let _ = writeln!(out, r#"<g id="legend"{}>"#, layer("legend"));
    let font = fonts.legend.size * u;
    for (entry, (x, y)) in legend.iter().zip(&l.legend_slots) {
        let no_data = entry.key == NO_DATA;
        let listed = !no_data
            || match style.legend.no_data {
                // "No data" is listed only when some district has none: a fully joined map
                // should not carry an empty class.
                NoDataEntry::Auto => entry.count > 0,
                NoDataEntry::Always => true,
                NoDataEntry::Never => false,
            };
        let counted = listed && style.legend.counts;
        let (show_entry, show_count) = match part {
            Part::Whole => (listed, counted),
            Part::Fixed | Part::Unnumbered => (!no_data, false),
            Part::Changing => (no_data && listed, counted),
        };
        if !show_entry && !show_count {
            continue;
        }
        let sw = l.swatch;
        let label_w = f64::from(style.typeface.measure(
            &entry.label,
            font as f32,
            fonts.legend.bold(),
        ));
        // A legend in rows is mirrored; a column beside the map keeps its side.
        let mirror = rtl
            && matches!(
                style.legend.position,
                super::furniture::LegendPosition::Top | super::furniture::LegendPosition::Bottom
            );
        let places = super::locale::mirrored(mirror, f64::from(style.width), *x, sw, 8.0 * u)
            .with_label(label_w, 0.3 * font);
        let (tx, ty) = (places.text, y + sw * 0.5 + font * 0.36);
        let anchor = if mirror { r#" text-anchor="end""# } else { "" };
        let _ = write!(out, r#"<g data-key="{}">"#, escape(&entry.key));
        if show_entry {
            let _ = write!(
                out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#888888" stroke-width="{}"/><text x="{}" y="{}"{anchor} font-size="{}"{} fill="{}">{}</text>"##,
                num(places.swatch, 2),
                num(*y, 2),
                num(sw, 2),
                num(sw, 2),
                entry.color,
                num(0.8 * u, 2),
                num(tx, 2),
                num(ty, 2),
                num(font, 2),
                if fonts.legend.bold() {
                    r#" font-weight="bold""#
                } else {
                    ""
                },
                fonts.legend.color,
                escape(&entry.label),
            );
        }
        if show_count {
            let _ = write!(
                out,
                r##"<text class="count" x="{}" y="{}"{anchor} font-size="{}" font-weight="bold" fill="{}">{}</text>"##,
                num(places.count, 2),
                num(ty, 2),
                num(font, 2),
                fonts.legend.color,
                style.locale.number(entry.count)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// Writes a layer of typed items (see [`super::draw`]) as an Inkscape/Illustrator layer.
pub fn write_layer(out: &mut String, layer: &Layer, prefix: &str) {
    let _ = writeln!(
        out,
        r#"<g id="{prefix}{}"{}>"#,
        escape(&layer.id),
        self::layer(&layer.label)
    );
    write_items(out, &layer.items, prefix);
    out.push_str("</g>\n");
}

fn paint(out: &mut String, fill: Option<&crate::status::Color>, stroke: Option<&Stroke>) {
    match fill {
        Some(c) => {
            let _ = write!(out, r#" fill="{c}""#);
        }
        None => out.push_str(r#" fill="none""#),
    }
    if let Some(s) = stroke {
        let _ = write!(
            out,
            r#" stroke="{}" stroke-width="{}""#,
            s.color,
            num(s.width, 2)
        );
        if !s.dash.is_empty() {
            let dash: Vec<String> = s.dash.iter().map(|d| num(*d, 2)).collect();
            let _ = write!(out, r#" stroke-dasharray="{}""#, dash.join(" "));
        }
    }
}

/// Writes typed items as SVG elements; ids get `prefix` (small multiples keep ids unique).
pub fn write_items(out: &mut String, items: &[Item], prefix: &str) {
    for item in items {
        match item {
            Item::Path {
                subpaths,
                closed,
                fill,
                stroke,
            } => {
                let mut d = String::new();
                for sub in subpaths.iter().filter(|s| !s.is_empty()) {
                    for (i, (x, y)) in sub.iter().enumerate() {
                        d.push(if i == 0 { 'M' } else { 'L' });
                        let _ = write!(d, "{} {}", num(*x, 2), num(*y, 2));
                    }
                    if *closed {
                        d.push('Z');
                    }
                }
                let _ = write!(out, r#"<path d="{d}""#);
                paint(out, fill.as_ref(), stroke.as_ref());
                out.push_str("/>\n");
            }
            Item::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="{}""#,
                    num(center.0, 2),
                    num(center.1, 2),
                    num(*radius, 2)
                );
                paint(out, fill.as_ref(), stroke.as_ref());
                out.push_str("/>\n");
            }
            Item::Rect {
                origin,
                size,
                corner,
                fill,
                stroke,
            } => {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}""#,
                    num(origin.0, 2),
                    num(origin.1, 2),
                    num(size.0, 2),
                    num(size.1, 2)
                );
                if *corner > 0.0 {
                    let _ = write!(out, r#" rx="{}""#, num(*corner, 2));
                }
                paint(out, fill.as_ref(), stroke.as_ref());
                out.push_str("/>\n");
            }
            Item::Text(run) => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="{}" fill="{}""#,
                    num(run.x, 2),
                    num(run.y, 2),
                    run.anchor.svg(),
                    num(run.size, 2),
                    if run.bold { "bold" } else { "normal" },
                    run.color
                );
                if let Some((color, width)) = run.halo {
                    let _ = write!(
                        out,
                        r#" stroke="{color}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke""#,
                        num(width, 2)
                    );
                }
                let _ = writeln!(out, ">{}</text>", escape(&run.text));
            }
            Item::Group(g) => {
                out.push_str("<g");
                if let Some(id) = &g.id {
                    let _ = write!(out, r#" id="{prefix}{}""#, escape(id));
                }
                if let Some(class) = &g.class {
                    let _ = write!(out, r#" class="{}""#, escape(class));
                }
                for (k, v) in &g.data {
                    let _ = write!(out, r#" data-{}="{}""#, escape(k), escape(v));
                }
                out.push_str(">\n");
                write_items(out, &g.items, prefix);
                out.push_str("</g>\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_written_with_their_identity_and_escaped_text() {
        use crate::render::draw::{Anchor, Group, TextRun};
        let black = crate::status::Color { r: 0, g: 0, b: 0 };
        let layer = Layer {
            id: "annotations".into(),
            label: "Annotations".into(),
            items: vec![Item::Group(Group {
                id: Some("note-1".into()),
                class: Some("annotation".into()),
                data: vec![("place".into(), "Kunduz & co".into())],
                items: vec![
                    Item::Path {
                        subpaths: vec![vec![(1.0, 2.0), (3.5, 4.25)]],
                        closed: false,
                        fill: None,
                        stroke: Some(Stroke::solid(black, 1.0)),
                    },
                    Item::Text(TextRun {
                        x: 10.0,
                        y: 20.0,
                        text: "<entered>".into(),
                        size: 14.0,
                        bold: false,
                        anchor: Anchor::Start,
                        color: black,
                        halo: None,
                    }),
                ],
            })],
        };
        let mut out = String::new();
        write_layer(&mut out, &layer, "p1-");
        assert!(out.starts_with(r#"<g id="p1-annotations" inkscape:groupmode="layer""#));
        assert!(
            out.contains(r#"<g id="p1-note-1" class="annotation" data-place="Kunduz &amp; co">"#)
        );
        assert!(out.contains(r##"d="M1 2L3.5 4.25" fill="none" stroke="#000000""##));
        assert!(out.contains(">&lt;entered&gt;</text>"));
    }
}
