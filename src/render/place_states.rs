//! Place states by date (`--place-status`): a marker over a place's dot saying what happened
//! to the city on the map's date ("Taliban entered the city", "Fighting near the city").
//!
//! The states are defined by the style ([`PlaceState`]: key, legend label, marker shape and
//! colour; [`defaults`] unless the style file's `[place_states.NAME]` changes or adds one).
//! Which state a place is in on a date is decided by the map (the latest record on or before
//! the date, see [`crate::places::PlaceTimeline`]); this module lays the markers and their
//! legend lines out as typed items ([`super::draw`]). Both change with the date, so they are
//! drawn with the frame's changing parts, like the captured capitals.
//!
//! The marker is drawn over the place's own dot and no wider than the gap to its label, so
//! labels keep their places from date to date. A place's record wins over the captured
//! marking (`--captured-category`): on a date when the place has a state, its capital is not
//! drawn (nor counted) as captured by its district.

use super::draw::{Anchor, Group, Item, Layer, Stroke, TextRun};
use super::markup::Part;
use super::{Frame, Scene};
use crate::status::Color;
pub use crate::style::place_states::{Marker, PlaceState, PlaceStateOverlay, StateOn, defaults};

impl PlaceStateOverlay {
    /// Whether the map draws place states at all.
    pub fn is_on(&self) -> bool {
        !self.used.is_empty()
    }

    /// Whether place `source` (its index among the places given) has records.
    pub fn stated(&self, source: usize) -> bool {
        self.stated.get(source).copied().unwrap_or(false)
    }
}

/// Half the width of a marker over a capital's dot, in page units: inside the gap between
/// the dot and its label.
const HALF: f64 = 6.5;
/// The same over an ordinary place's smaller dot and nearer label.
const HALF_SMALL: f64 = 5.0;

/// A marker centred on `c`, `half` page px across from its centre to its edge, outlined in
/// the halo colour so that it stands out from any fill.
pub(crate) fn marker_items(
    marker: Marker,
    color: Color,
    halo: Color,
    c: (f64, f64),
    half: f64,
) -> Vec<Item> {
    let outline = Some(Stroke::solid(halo, 0.25 * half));
    let (x, y) = c;
    let path = |points: Vec<(f64, f64)>| Item::Path {
        subpaths: vec![points],
        closed: true,
        fill: Some(color),
        stroke: outline.clone(),
    };
    match marker {
        Marker::Dot => vec![Item::Circle {
            center: c,
            radius: 0.8 * half,
            fill: Some(color),
            stroke: outline.clone(),
        }],
        Marker::Ring => vec![
            Item::Circle {
                center: c,
                radius: 0.8 * half,
                fill: Some(halo),
                stroke: Some(Stroke::solid(color, 0.34 * half)),
            },
            Item::Circle {
                center: c,
                radius: 0.34 * half,
                fill: Some(color),
                stroke: None,
            },
        ],
        Marker::Square => {
            let h = 0.8 * half;
            vec![path(vec![
                (x - h, y - h),
                (x + h, y - h),
                (x + h, y + h),
                (x - h, y + h),
            ])]
        }
        Marker::Diamond => vec![path(vec![
            (x, y - half),
            (x + half, y),
            (x, y + half),
            (x - half, y),
        ])],
        Marker::Triangle => {
            // Centred on its centroid, so that the dot under it is covered evenly.
            let (top, base, side) = (y - half, y + 0.6 * half, 0.95 * half);
            vec![path(vec![(x, top), (x + side, base), (x - side, base)])]
        }
    }
}

/// The id of the layer of the place-state markers, as a frame holds it ([`crate::Map::frame`]).
pub const LAYER: &str = "place-states";

/// The markers of the places that are in a state on the frame's date, in the layer
/// `place-states`; `None` when the map has no place states. Every place with records gets
/// its group (`data-state` only when it is in a state on this date), so that the web page
/// can find it on any date.
pub(crate) fn layer(scene: &Scene, frame: &Frame) -> Option<Layer> {
    let overlay = &scene.extras.place_states;
    if !overlay.is_on() {
        return None;
    }
    let u = scene.layout.u;
    let halo = scene.style.halo_color;
    let items = scene
        .places
        .iter()
        .filter(|p| overlay.stated(p.source))
        .map(|p| {
            let on = frame.place_states.get(p.source).and_then(Option::as_ref);
            let state = on.and_then(|on| scene.style.place_states.get(on.state));
            let mut data = vec![("name".to_string(), p.name.clone())];
            if let Some(d) = &p.district {
                data.push(("district".into(), d.clone()));
            }
            let items = match state {
                Some(s) => {
                    data.push(("state".into(), s.key.clone()));
                    for (key, value) in on
                        .iter()
                        .flat_map(|on| [("note", &on.note), ("source", &on.source)])
                    {
                        if let Some(v) = value {
                            data.push((key.into(), v.clone()));
                        }
                    }
                    let half = if p.capital { HALF } else { HALF_SMALL } * u;
                    marker_items(s.marker, s.color, halo, (p.x, p.y), half)
                }
                None => Vec::new(),
            };
            Item::Group(Group {
                id: Some(format!("state-{}", p.element_id)),
                class: Some("place".into()),
                data,
                items,
            })
        })
        .collect();
    Some(Layer {
        id: LAYER.into(),
        label: LAYER.into(),
        items,
    })
}

/// The legend lines of the states shown on the frame's date (and only those), in the
/// legend slots after the categories and the other notes, in the layer
/// `legend-place-states`; `None` when the map has no place states. Small multiples
/// (`Part::Unnumbered`) list every state the records use, since panels differ.
pub(crate) fn legend(scene: &Scene, frame: &Frame, part: Part) -> Option<Layer> {
    legend_in(
        scene,
        (&scene.layout, scene.legend_keys().len()),
        frame,
        part,
    )
}

/// [`legend`] in another page's `layout` (small multiples), whose slots from
/// `categories` on follow its categories.
pub(crate) fn legend_in(
    scene: &Scene,
    (layout, categories): (&super::Layout, usize),
    frame: &Frame,
    part: Part,
) -> Option<Layer> {
    let overlay = &scene.extras.place_states;
    if !overlay.is_on() || (scene.style.plain && part != Part::Unnumbered) || part == Part::Fixed {
        return None;
    }
    let shown: Vec<usize> = overlay
        .used
        .iter()
        .copied()
        .filter(|s| {
            part == Part::Unnumbered || frame.place_states.iter().flatten().any(|on| on.state == *s)
        })
        .collect();
    let style = &scene.style;
    let u = layout.u;
    let font = &style.fonts.legend;
    let size = font.size * u;
    let sw = layout.swatch;
    let items = shown
        .iter()
        .zip(slots(scene, (layout, categories), frame, part))
        .filter_map(|(&s, (x, y))| {
            let state = style.place_states.get(s)?;
            let mut items = marker_items(
                state.marker,
                state.color,
                style.halo_color,
                (x + sw / 2.0, y + sw / 2.0),
                (sw / 2.0).min(HALF * u),
            );
            items.push(Item::Text(TextRun {
                x: x + sw + 8.0 * u,
                y: y + sw * 0.5 + size * 0.36,
                text: state.label.clone(),
                size,
                bold: font.bold(),
                anchor: Anchor::Start,
                color: font.color,
                halo: None,
            }));
            Some(Item::Group(Group {
                id: Some(format!("legend-state-{}", state.key)),
                class: None,
                data: vec![("state".into(), state.key.clone())],
                items,
            }))
        })
        .collect();
    Some(Layer {
        id: "legend-place-states".into(),
        label: "legend-place-states".into(),
        items,
    })
}

/// The legend labels the place states add after the other notes, for the layout: one slot
/// per state the records use.
pub(crate) fn legend_labels(overlay: &PlaceStateOverlay, states: &[PlaceState]) -> Vec<String> {
    overlay
        .used
        .iter()
        .filter_map(|&s| states.get(s))
        .map(|s| s.label.clone())
        .collect()
}

/// The legend slots of the place states: after the categories and the notes (change marks,
/// captured capitals, the view line), as [`super::change::note_slots`] lays them out.
fn slots(
    scene: &Scene,
    (layout, categories): (&super::Layout, usize),
    frame: &Frame,
    part: Part,
) -> Vec<(f64, f64)> {
    let extras = &scene.extras;
    let notes = match part {
        // Small multiples list the notes without counts, and no view line.
        Part::Unnumbered => super::change::unnumbered_notes(scene, frame).len(),
        _ => {
            usize::from(extras.hatch) + usize::from(extras.captured) + usize::from(extras.view_note)
        }
    };
    super::change::note_slots(scene, (layout, categories), frame, part)
        .into_iter()
        .skip(notes)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_has_the_state_colour_at_its_centre_and_stays_in_its_half_width() {
        let red = Color { r: 200, g: 0, b: 0 };
        let white = Color {
            r: 255,
            g: 255,
            b: 255,
        };
        for marker in [
            Marker::Dot,
            Marker::Ring,
            Marker::Square,
            Marker::Diamond,
            Marker::Triangle,
        ] {
            let items = marker_items(marker, red, white, (100.0, 50.0), 6.0);
            // The last item drawn covers the centre in the state's colour.
            let last = items.last().unwrap();
            match last {
                Item::Circle { fill, radius, .. } => {
                    assert_eq!(*fill, Some(red));
                    assert!(*radius <= 6.0);
                }
                Item::Path { subpaths, fill, .. } => {
                    assert_eq!(*fill, Some(red));
                    for (x, y) in &subpaths[0] {
                        assert!((x - 100.0).abs() <= 6.0 && (y - 50.0).abs() <= 6.0);
                    }
                }
                other => panic!("{marker:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_default_states_are_the_four_of_the_issue() {
        let keys: Vec<String> = defaults().into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["contested", "besieged", "entered", "captured"]);
        assert_eq!(defaults()[0].label, "Fighting near the city");
        assert_eq!(defaults()[2].label, "Taliban entered the city");
    }
}
