//! District labels (`--district-labels`) and captured provincial capitals.
//!
//! District labels sit at each district's pole of inaccessibility (the interior point
//! farthest from its edges, which polylabel finds), centred. They are placed greedily, after
//! the place labels: the zoomed region's districts first, then larger districts before
//! smaller ones; a label that would overlap a place, a place label, the locator or another
//! district label, or leave the map frame, is dropped and counted, never drawn over
//! something else.
//!
//! A provincial capital (a `--places` row whose kind says `capital`) in a district of the
//! captured category on the date is drawn with its own marker and a dark red label. Which
//! capitals are captured changes with the date, so when the marking is on, capitals are
//! drawn with the frame's changing parts (the PNG renderer draws them per frame).

use std::fmt::Write;

pub(crate) use super::boxes::{Box, overlaps};
use super::markup::num;
pub(crate) use super::parts::DistrictLabel;
use super::text::escape;
use super::{Frame, PlacePoint, Scene};
use crate::project::Area;

/// The font size of district labels, relative to the page unit.
const FONT: f64 = 13.0;

/// The font size of district labels on the page: [`FONT`], or the type floor's label size.
pub(crate) fn district_font(u: f64, floor: f64) -> f64 {
    (FONT * u).max(floor)
}

/// The colour of a captured capital's marker and label.
const CAPTURED: &str = "#7b0d0d";

/// Which districts get a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DistrictLabels {
    /// None.
    #[default]
    None,
    /// The districts of the zoomed region (none without a zoom).
    Focus,
    /// Every district whose label fits in the frame, the zoomed region's first.
    All,
}

fn inside(b: Box, area: Area) -> bool {
    b.0 >= area.x && b.1 >= area.y && b.2 <= area.x + area.width && b.3 <= area.y + area.height
}

/// A district that may get a label.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'a> {
    pub(crate) district: usize,
    pub(crate) name: &'a str,
    /// Its pole of inaccessibility on the page.
    pub(crate) point: (f64, f64),
    /// Its area on the page, to rank it.
    pub(crate) area: f64,
    /// In the zoomed region (or there is no zoom).
    pub(crate) focus: bool,
}

/// Places the labels of `candidates` greedily (zoomed region first, larger districts first),
/// each centred on its point, avoiding `taken` and each other and staying in `frame`.
/// Returns the labels placed and how many were dropped.
pub(crate) fn place(
    mut candidates: Vec<Candidate<'_>>,
    mut taken: Vec<Box>,
    frame: Area,
    u: f64,
    font: f64,
    face: &super::typeface::Typeface,
) -> (Vec<DistrictLabel>, usize) {
    candidates.sort_by(|a, b| {
        b.focus
            .cmp(&a.focus)
            .then(b.area.total_cmp(&a.area))
            .then(a.district.cmp(&b.district))
    });
    // The halo and a hair of air, so that neighbouring labels do not touch.
    let pad = 2.0 * u;
    let mut labels = Vec::new();
    let mut dropped = 0;
    for c in candidates {
        let w = f64::from(face.measure(c.name, font as f32, false));
        let (x, baseline) = (c.point.0, c.point.1 + 0.35 * font);
        let b = (
            x - w / 2.0 - pad,
            baseline - 0.8 * font - pad,
            x + w / 2.0 + pad,
            baseline + 0.25 * font + pad,
        );
        if inside(b, frame) && !taken.iter().any(|t| overlaps(*t, b)) {
            taken.push(b);
            labels.push(DistrictLabel {
                district: c.district,
                x,
                y: baseline,
                context: !c.focus,
            });
        } else {
            dropped += 1;
        }
    }
    (labels, dropped)
}

/// The district labels layer.
pub(crate) fn write_district_labels(out: &mut String, scene: &Scene, prefix: &str) {
    let labels = &scene.extras.district_labels;
    if labels.is_empty() {
        return;
    }
    let u = scene.layout.u;
    let dec = scene.decimals;
    let _ = writeln!(
        out,
        r#"<g id="{prefix}district-labels"{}>"#,
        super::markup::layer("district-labels")
    );
    for l in labels {
        let d = &scene.districts[l.district];
        let _ = writeln!(
            out,
            r##"<text id="{prefix}district-label-{}" x="{}" y="{}" data-id="{}" text-anchor="middle" font-size="{}" fill="{}" stroke="{}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            escape(&d.element_id),
            num(l.x, dec),
            num(l.y, dec),
            escape(&d.id),
            num(district_font(u, scene.style.type_floor.labels), 2),
            if l.context { "#777777" } else { "#222222" },
            scene.style.halo_color,
            num(f64::from(scene.style.halo_width) * u, 2),
            escape(&d.name)
        );
    }
    out.push_str("</g>\n");
}

/// A stable, XML-safe id made from a place's name, unique among `used`: lower case, with
/// runs of anything but letters, digits, `_` and `.` turned into one `-` (letters of any
/// script are XML name characters, so "کابل" stays readable); a repeated name gets `-2`,
/// `-3`… in the order the places were given. The marker is `place-{id}`, the label
/// `label-{id}`.
pub(crate) fn place_id(name: &str, used: &mut std::collections::HashSet<String>) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("place");
    }
    let mut id = slug.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{slug}-{n}");
    }
    id
}

/// The marker of a captured capital: a ring with a dot, no wider than a capital's dot and
/// the gap to its label, so labels keep their places from date to date.
pub(crate) fn captured_marker(out: &mut String, x: f64, y: f64, u: f64, dec: usize) {
    let _ = write!(
        out,
        r##"<circle cx="{0}" cy="{1}" r="{2}" fill="#ffffff" stroke="{CAPTURED}" stroke-width="{3}"/><circle cx="{0}" cy="{1}" r="{4}" fill="{CAPTURED}"/>"##,
        num(x, dec),
        num(y, dec),
        num(5.2 * u, 2),
        num(2.2 * u, 2),
        num(2.2 * u, 2)
    );
}

/// One place: its dot (or a captured capital's marker) and its label, if it has room.
pub(crate) fn place_point(
    out: &mut String,
    p: &PlacePoint,
    font: &super::furniture::Font,
    (u, dec): (f64, usize),
    captured: bool,
    prefix: &str,
    (halo, halo_width): (crate::status::Color, f32),
) {
    let halo_width = f64::from(halo_width);
    let id = format!("{prefix}{}", p.element_id);
    // Each marker says which place it is, the district it is bound to and whether it is
    // marked as captured, so that a reader of the SVG can check the map against the data.
    let _ = writeln!(
        out,
        r#"<g class="place" data-name="{}" data-district="{}" data-captured="{captured}">"#,
        escape(&p.name),
        escape(p.district.as_deref().unwrap_or_default())
    );
    if captured {
        let _ = write!(out, r#"<g id="place-{}">"#, escape(&id));
        captured_marker(out, p.x, p.y, u, dec);
        out.push_str("</g>\n");
    } else {
        let _ = writeln!(
            out,
            r##"<circle id="place-{}" cx="{}" cy="{}" r="{}" fill="#111111" stroke="{halo}" stroke-width="{}"/>"##,
            escape(&id),
            num(p.x, dec),
            num(p.y, dec),
            num(p.radius(u), 2),
            num(1.2 * u, 2)
        );
    }
    let Some((lx, ly, anchor)) = p.label else {
        out.push_str("</g>\n");
        return;
    };
    let _ = writeln!(
        out,
        r##"<text id="label-{}" x="{}" y="{}" text-anchor="{anchor}" font-size="{}" font-weight="{}" fill="{}" stroke="{halo}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
        escape(&id),
        num(lx, dec),
        num(ly, dec),
        num(font.size * u, 2),
        if p.capital { "bold" } else { font.svg_weight() },
        if captured {
            CAPTURED.to_string()
        } else {
            font.color.to_string()
        },
        // A captured capital sits on a dark fill, often hatched: a wider halo keeps it legible.
        num(if captured { 1.5 } else { 1.0 } * halo_width * u, 2),
        escape(&p.shown)
    );
    out.push_str("</g>\n");
}

/// The capitals, drawn for the frame: captured ones with their own marker and colour.
/// Only when the marking is on; otherwise they are ordinary places.
pub(crate) fn write_capitals(out: &mut String, scene: &Scene, frame: &Frame, prefix: &str) {
    if !scene.extras.captured {
        return;
    }
    let _ = writeln!(
        out,
        r#"<g id="{prefix}capitals"{}>"#,
        super::markup::layer("capitals")
    );
    for p in scene.places.iter().filter(|p| p.capital) {
        let captured = frame.captured.get(p.source).copied().unwrap_or(false);
        place_point(
            out,
            p,
            &scene.style.fonts.labels,
            (scene.layout.u, scene.decimals),
            captured,
            prefix,
            (scene.style.halo_color, scene.style.halo_width),
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(district: usize, name: &str, point: (f64, f64), area: f64) -> Candidate<'_> {
        Candidate {
            district,
            name,
            point,
            area,
            focus: true,
        }
    }

    const FRAME: Area = Area {
        x: 0.0,
        y: 0.0,
        width: 400.0,
        height: 300.0,
    };

    #[test]
    fn place_ids_are_xml_names_made_from_the_name_and_unique() {
        let mut used = std::collections::HashSet::new();
        let ids: Vec<String> = [
            "Mazar-i-Sharif",
            "Qala-i-Naw",
            "Qala i Naw",
            "<script> & \"x\"",
            "کابل",
            "!!!",
            "",
        ]
        .iter()
        .map(|n| place_id(n, &mut used))
        .collect();
        assert_eq!(
            ids,
            [
                "mazar-i-sharif",
                "qala-i-naw",
                "qala-i-naw-2",
                "script-x",
                "کابل",
                "place",
                "place-2"
            ]
        );
        // The same names give the same ids on every run.
        let mut again = std::collections::HashSet::new();
        assert_eq!(place_id("Mazar-i-Sharif", &mut again), ids[0]);
    }

    #[test]
    fn the_larger_district_wins_a_contested_spot() {
        let (labels, dropped) = place(
            vec![
                candidate(0, "Small", (100.0, 100.0), 10.0),
                candidate(1, "Large", (104.0, 102.0), 500.0),
                candidate(2, "Apart", (300.0, 200.0), 1.0),
            ],
            Vec::new(),
            FRAME,
            1.0,
            FONT,
            &crate::render::typeface::Typeface::bundled(),
        );
        let placed: Vec<usize> = labels.iter().map(|l| l.district).collect();
        assert_eq!(placed, [1, 2]);
        assert_eq!(dropped, 1);
    }

    #[test]
    fn labels_avoid_taken_boxes_and_stay_in_the_frame() {
        let (labels, dropped) = place(
            vec![
                candidate(0, "Under a place label", (100.0, 100.0), 10.0),
                candidate(1, "Off the edge", (2.0, 150.0), 10.0),
            ],
            vec![(90.0, 90.0, 110.0, 110.0)],
            FRAME,
            1.0,
            FONT,
            &crate::render::typeface::Typeface::bundled(),
        );
        assert!(labels.is_empty());
        assert_eq!(dropped, 2);
    }

    #[test]
    fn focus_districts_go_first() {
        let mut small = candidate(0, "Focus", (100.0, 100.0), 1.0);
        small.focus = true;
        let mut big = candidate(1, "Neighbour", (100.0, 100.0), 1000.0);
        big.focus = false;
        let (labels, _) = place(
            vec![big, small],
            Vec::new(),
            FRAME,
            1.0,
            FONT,
            &crate::render::typeface::Typeface::bundled(),
        );
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].district, 0);
        assert!(!labels[0].context);
    }
}
