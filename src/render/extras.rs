//! What a scene adds to the plain choropleth for publication: a region zoom (clip, faded
//! neighbours, locator), change marks, district labels and captured capitals. The input is
//! [`Overlays`]; [`Extras`] is what the scene keeps of it, laid out.

use geo::{Area as _, MultiPolygon};

use super::labels::{self, Box, Candidate, DistrictLabels};
use super::locator::Locator;
pub(crate) use super::parts::Extras;
use super::{Layout, Scene, Style};
use crate::project::{Area, PageTransform};

/// What a scene draws besides the choropleth (all off by default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlays {
    /// Per district: in the zoomed region. The frame fits these districts, and the others
    /// are context (the map draws them faded). Empty: no zoom.
    pub focus: Vec<bool>,
    /// Draw a locator map (not on a plain map).
    pub locator: bool,
    /// Which districts get a label.
    pub district_labels: DistrictLabels,
    /// The legend line of the change marks, `{count}` where the count goes; `None`: no
    /// change marks.
    pub change_note: Option<String>,
    /// The legend line of captured capitals; `None`: capitals are not marked.
    pub captured_note: Option<String>,
    /// The legend line saying the counts are of the districts in a `--bbox` frame, drawn
    /// when the frame leaves some out; `None`: the counts are of every district.
    pub view_note: Option<String>,
    /// Places with states by date (`--place-status`); empty: none.
    pub place_states: super::place_states::PlaceStateOverlay,
    /// Annotations (`--annotations`); empty: none.
    pub annotations: Vec<super::annotations::Callout>,
}

impl Overlays {
    /// Whether a locator is drawn: asked for, and not on a plain map.
    pub(crate) fn draws_locator(&self, style: &Style) -> bool {
        self.locator && !style.plain
    }

    /// The legend texts these overlays add after the categories, with room for the largest
    /// count, for the layout.
    pub(crate) fn legend_labels(&self, districts: usize, places: usize) -> Vec<String> {
        let widest = |n: usize| "0".repeat(n.max(1).to_string().len());
        let mut labels = Vec::new();
        if let Some(t) = &self.change_note {
            labels.push(t.replace("{count}", &widest(districts)));
        }
        if let Some(t) = &self.captured_note {
            labels.push(t.replace("{count}", &widest(places)));
        }
        if let Some(t) = &self.view_note {
            labels.push(t.clone());
        }
        labels
    }

    /// Whether district `i` is in the zoomed region (every district is, without a zoom).
    pub(crate) fn in_focus(&self, i: usize) -> bool {
        self.focus.get(i).copied().unwrap_or(true)
    }
}

impl Extras {
    /// Lays out what does not depend on labels: the clip and the locator.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        overlays: &Overlays,
        framed: bool,
        style: &Style,
        layout: &Layout,
        page: &PageTransform,
        shapes: &[MultiPolygon<f64>],
        outline: &[geo::LineString<f64>],
        decimals: usize,
    ) -> Extras {
        // A zoom is always cut at its frame, even on a plain page: small multiples place
        // plain pages side by side. A --bbox map that fills its page needs no cut.
        let zoomed = !overlays.focus.is_empty();
        let clip = framed
            .then(|| pixel_aligned(layout.map, style))
            .filter(|c| {
                zoomed
                    || c.x > 0.0
                    || c.y > 0.0
                    || c.width < f64::from(style.width)
                    || c.height < f64::from(style.height)
            });
        let locator = overlays
            .draws_locator(style)
            .then(|| {
                Locator::new(
                    shapes,
                    outline,
                    &overlays.focus,
                    page,
                    layout.map,
                    layout.u,
                    decimals,
                )
            })
            .flatten();
        Extras {
            hatch: overlays.change_note.is_some(),
            captured: overlays.captured_note.is_some(),
            view_note: overlays.view_note.is_some(),
            clip,
            focus: overlays.focus.clone(),
            locator,
            district_labels: Vec::new(),
            district_labels_dropped: 0,
            place_states: overlays.place_states.clone(),
            annotations: Vec::new(),
            annotation_warnings: Vec::new(),
        }
    }

    /// Boxes the place labels must avoid.
    pub(crate) fn obstacles(&self) -> Vec<Box> {
        self.locator.iter().map(Locator::keep_clear).collect()
    }

    /// Whether a point is hidden under the locator.
    pub(crate) fn hides(&self, x: f64, y: f64) -> bool {
        self.locator.as_ref().is_some_and(|l| {
            let b = l.keep_clear();
            (b.0..=b.2).contains(&x) && (b.1..=b.3).contains(&y)
        })
    }
}

/// An area rounded inwards to whole device pixels, so that a clip to it has no
/// anti-aliased edge and the PNG renderer can apply it pixel by pixel.
fn pixel_aligned(a: Area, style: &Style) -> Area {
    let s = f64::from(style.scale);
    let (x0, y0) = ((a.x * s).ceil() / s, (a.y * s).ceil() / s);
    let (x1, y1) = (
        ((a.x + a.width) * s).floor() / s,
        ((a.y + a.height) * s).floor() / s,
    );
    Area {
        x: x0,
        y: y0,
        width: (x1 - x0).max(0.0),
        height: (y1 - y0).max(0.0),
    }
}

/// The district labels of a scene whose places are laid out: `(labels, dropped)`.
pub(crate) fn district_labels(
    scene: &Scene,
    overlays: &Overlays,
) -> (Vec<labels::DistrictLabel>, usize) {
    let zoomed = !overlays.focus.is_empty();
    let wanted = |i: usize| match overlays.district_labels {
        DistrictLabels::None => false,
        DistrictLabels::Focus => zoomed && overlays.in_focus(i),
        DistrictLabels::All => true,
    };
    if !(0..scene.districts.len()).any(wanted) {
        return (Vec::new(), 0);
    }
    let frame = scene.extras.clip.unwrap_or(scene.layout.map);
    let u = scene.layout.u;
    let page_area = scene.page.scale() * scene.page.scale();
    let candidates: Vec<Candidate<'_>> = scene
        .interior_points()
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted(*i))
        .filter_map(|(i, p)| {
            let (x, y) = (*p)?;
            // A district whose centre is off the frame is not on this map.
            let on_map = (frame.x..=frame.x + frame.width).contains(&x)
                && (frame.y..=frame.y + frame.height).contains(&y);
            on_map.then(|| Candidate {
                district: i,
                name: &scene.districts[i].name,
                point: (x, y),
                area: scene.shapes[i].unsigned_area() * page_area,
                focus: overlays.in_focus(i),
            })
        })
        .collect();
    let mut taken = scene.extras.obstacles();
    for p in &scene.places {
        let marked =
            scene.extras.place_states.stated(p.source) || p.capital && scene.extras.captured;
        let r = p.radius(u).max(if marked { 6.5 * u } else { 0.0 }) + u;
        taken.push((p.x - r, p.y - r, p.x + r, p.y + r));
        taken.extend(p.label_box);
    }
    labels::place(
        candidates,
        taken,
        frame,
        u,
        labels::district_font(u, scene.style.type_floor.labels),
        &scene.style.typeface,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clip_is_rounded_inwards_to_whole_output_pixels() {
        let style = Style {
            scale: 2.0,
            ..Style::default()
        };
        let a = pixel_aligned(
            Area {
                x: 10.2,
                y: 20.75,
                width: 100.5,
                height: 50.0,
            },
            &style,
        );
        assert_eq!((a.x, a.y), (10.5, 21.0));
        assert_eq!((a.x + a.width, a.y + a.height), (110.5, 70.5));
    }
}
