//! Place labels: placed by the renderer, or by hand from the places file.
//!
//! Every label is tried right of its dot, then left, above, below and on the four diagonals
//! (the order cartographers rank them), and takes the first position that overlaps no other
//! dot, label or the locator and stays in the map area. Places go in order of their
//! `priority` column (higher first; file order among equals), after the labels set by hand.
//!
//! A label set by hand (`dx`, `dy` or `anchor` in the places file) goes where it is told,
//! even over something else (with a warning): the editor decided. A label that fits nowhere
//! is, by the `[labels] unplaced` choice, kept at its least crowded position with a warning
//! ([`Unplaced::Keep`], the default), or dropped together with its dot ([`Unplaced::Drop`]):
//! a dot without its name is an anonymous mark a reader cannot use.

use super::draw::Anchor;
use super::labels::{Box, overlaps};
pub(crate) use super::parts::Outcome;
use super::{PlacePoint, furniture};
use crate::project::Area;
pub use crate::style::labels::{LabelHand, MAX_OFFSET, Unplaced};

/// A label position: the baseline's anchor point and SVG `text-anchor`, and the box it takes.
type Position = ((f64, f64, &'static str), Box);

/// The label box of a text `w` px wide at `size` px whose anchor point (on the baseline) is
/// `(x, y)`: the same extent [`place_labels`] measures, for tests and for hand positions.
pub fn label_box(x: f64, y: f64, anchor: Anchor, w: f64, size: f64) -> Box {
    let left = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    // Ascenders reach about 0.95 em above the baseline, descenders 0.2 em below it (DejaVu).
    (left, y - 0.95 * size, left + w, y + 0.2 * size)
}

/// The eight automatic positions around a dot, best first. The boxes are the ones the
/// renderer always used (a little tighter than [`label_box`] beside the dot), so that maps
/// without hand placement keep their labels where they were.
fn candidates(x: f64, y: f64, r: f64, gap: f64, w: f64, size: f64) -> [Position; 8] {
    let beside = (y - 0.6 * size, y + 0.45 * size);
    let above = (y - r - gap - 0.95 * size, y - r - gap + 0.2 * size);
    let below = (y + r + gap - 0.1 * size, y + r + gap + 1.0 * size);
    let (mid, up, down) = (y + 0.35 * size, y - r - gap, y + r + gap + 0.8 * size);
    [
        (
            (x + r + gap, mid, "start"),
            (x + r + gap, beside.0, x + r + gap + w, beside.1),
        ),
        (
            (x - r - gap, mid, "end"),
            (x - r - gap - w, beside.0, x - r - gap, beside.1),
        ),
        (
            (x, up, "middle"),
            (x - w / 2.0, above.0, x + w / 2.0, above.1),
        ),
        (
            (x, down, "middle"),
            (x - w / 2.0, below.0, x + w / 2.0, below.1),
        ),
        // The diagonals, as cartographers rank them after the four sides.
        ((x + r, up, "start"), (x + r, above.0, x + r + w, above.1)),
        ((x + r, down, "start"), (x + r, below.0, x + r + w, below.1)),
        ((x - r, up, "end"), (x - r - w, above.0, x - r, above.1)),
        ((x - r, down, "end"), (x - r - w, below.0, x - r, below.1)),
    ]
}

/// Where a hand-set label goes: its anchor's side of the dot (right for `start`, left for
/// `end`, above for `middle`; right when only an offset is given), moved by the offset.
fn by_hand(x: f64, y: f64, r: f64, gap: f64, w: f64, size: f64, hand: &LabelHand) -> Position {
    let anchor = hand.anchor.unwrap_or(Anchor::Start);
    let (ax, ay) = match anchor {
        Anchor::Start => (x + r + gap, y + 0.35 * size),
        Anchor::End => (x - r - gap, y + 0.35 * size),
        Anchor::Middle => (x, y - r - gap),
    };
    let (dx, dy) = hand.offset.unwrap_or((0.0, 0.0));
    let (ax, ay) = (ax + dx, ay + dy);
    ((ax, ay, anchor.svg()), label_box(ax, ay, anchor, w, size))
}

fn overlap_area(a: Box, b: Box) -> f64 {
    let w = a.2.min(b.2) - a.0.max(b.0);
    let h = a.3.min(b.3) - a.1.max(b.1);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

fn inside(b: Box, area: Area) -> bool {
    b.0 >= area.x && b.1 >= area.y && b.2 <= area.x + area.width && b.3 <= area.y + area.height
}

/// Places the labels of `places` (see the module documentation), avoiding `obstacles` (the
/// locator), inside `area`. Places dropped by [`Unplaced::Drop`] are removed from `places`.
pub(crate) fn place_labels(
    places: &mut Vec<PlacePoint>,
    u: f64,
    area: Area,
    font: &furniture::Font,
    face: &super::typeface::Typeface,
    obstacles: &[Box],
    unplaced: Unplaced,
) -> Outcome {
    let dot = |p: &PlacePoint| p.radius(u) + 1.0 * u;
    // Every dot is taken first: no label covers a dot, whatever the order.
    let mut taken: Vec<Box> = places
        .iter()
        .map(|p| (p.x - dot(p), p.y - dot(p), p.x + dot(p), p.y + dot(p)))
        .collect();
    taken.extend_from_slice(obstacles);
    let size = font.size * u;
    let gap = 3.0 * u;
    // Hand-set labels first (the editor's choice is not moved), then by priority; the sort
    // is stable, so file order decides among equals.
    let mut order: Vec<usize> = (0..places.len())
        .filter(|&i| !places[i].hand.hidden)
        .collect();
    order.sort_by_key(|&i| {
        let h = &places[i].hand;
        (!h.by_hand(), std::cmp::Reverse(h.priority))
    });
    let mut outcome = Outcome::default();
    let mut drop = vec![false; places.len()];
    for i in order {
        let p = &places[i];
        let w = f64::from(face.measure(&p.shown, size as f32, p.capital || font.bold()));
        let r = p.radius(u);
        let own = taken[i];
        let foreign = |b: Box, taken: &[Box]| -> f64 {
            taken
                .iter()
                .enumerate()
                .filter(|(k, t)| *k != i && **t != own)
                .map(|(_, t)| overlap_area(*t, b))
                .sum()
        };
        let chosen = if p.hand.by_hand() {
            let position = by_hand(p.x, p.y, r, gap, w, size, &p.hand);
            let clashes = taken
                .iter()
                .enumerate()
                .any(|(k, t)| k != i && *t != own && overlaps(*t, position.1));
            if clashes || !inside(position.1, area) {
                outcome.hand_overlaps.push(p.name.clone());
            }
            Some(position)
        } else {
            let all = candidates(p.x, p.y, r, gap, w, size);
            let free = all
                .iter()
                .find(|(_, b)| inside(*b, area) && foreign(*b, &taken) == 0.0)
                .copied();
            match (free, unplaced) {
                (Some(position), _) => Some(position),
                (None, Unplaced::Keep) => {
                    // The least crowded position in the map area (any, if none is inside).
                    let best = all
                        .iter()
                        .filter(|(_, b)| inside(*b, area))
                        .min_by(|a, b| foreign(a.1, &taken).total_cmp(&foreign(b.1, &taken)))
                        .or_else(|| {
                            all.iter().min_by(|a, b| {
                                foreign(a.1, &taken).total_cmp(&foreign(b.1, &taken))
                            })
                        })
                        .copied();
                    outcome.crowded.push(p.name.clone());
                    best
                }
                (None, Unplaced::Drop) => {
                    outcome.dropped.push(p.name.clone());
                    drop[i] = true;
                    None
                }
            }
        };
        if let Some((anchor, b)) = chosen {
            taken.push(b);
            places[i].label = Some(anchor);
            places[i].label_box = Some(b);
        }
    }
    let mut k = 0;
    places.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::typeface::Typeface;

    const AREA: Area = Area {
        x: 0.0,
        y: 0.0,
        width: 400.0,
        height: 300.0,
    };

    fn point(name: &str, x: f64, y: f64, hand: LabelHand) -> PlacePoint {
        PlacePoint {
            source: 0,
            name: name.into(),
            shown: hand.text.clone().unwrap_or_else(|| name.into()),
            district: None,
            element_id: name.to_lowercase(),
            x,
            y,
            capital: false,
            label: None,
            label_box: None,
            hand,
        }
    }

    fn font() -> furniture::Font {
        furniture::Fonts::default().labels
    }

    /// A ring of dots that leaves no room around the middle one.
    fn crowded(middle: LabelHand) -> Vec<PlacePoint> {
        let mut places = vec![point("Middle", 200.0, 150.0, middle)];
        for (k, (dx, dy)) in [(-30.0, 0.0), (30.0, 0.0), (0.0, -18.0), (0.0, 18.0)]
            .into_iter()
            .enumerate()
        {
            for step in 1..=6 {
                let f = f64::from(step);
                places.push(point(
                    &format!("n{k}{step}"),
                    200.0 + dx * f / 2.0,
                    150.0 + dy * f / 2.0,
                    LabelHand {
                        hidden: true,
                        ..LabelHand::default()
                    },
                ));
            }
        }
        for (dx, dy) in [(-15.0, -9.0), (15.0, -9.0), (-15.0, 9.0), (15.0, 9.0)] {
            for step in 1..=8 {
                let f = f64::from(step);
                places.push(point(
                    "d",
                    200.0 + dx * f,
                    150.0 + dy * f,
                    LabelHand {
                        hidden: true,
                        ..LabelHand::default()
                    },
                ));
            }
        }
        places
    }

    #[test]
    fn a_label_that_fits_nowhere_is_kept_with_a_warning_or_dropped_with_its_dot() {
        let mut kept = crowded(LabelHand::default());
        let n = kept.len();
        let outcome = place_labels(
            &mut kept,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        assert_eq!(outcome.crowded, ["Middle"]);
        assert_eq!(kept.len(), n);
        assert!(kept[0].label.is_some(), "kept at its best position");

        let mut dropped = crowded(LabelHand::default());
        let outcome = place_labels(
            &mut dropped,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Drop,
        );
        assert_eq!(outcome.dropped, ["Middle"]);
        assert_eq!(dropped.len(), n - 1);
        assert!(
            dropped.iter().all(|p| p.name != "Middle"),
            "its dot goes too"
        );
    }

    #[test]
    fn hidden_labels_leave_the_dot_and_take_no_room() {
        let mut places = vec![point(
            "Quiet",
            100.0,
            100.0,
            LabelHand {
                hidden: true,
                ..LabelHand::default()
            },
        )];
        let outcome = place_labels(
            &mut places,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        assert_eq!(outcome, Outcome::default());
        assert_eq!(places.len(), 1);
        assert!(places[0].label.is_none());
    }

    #[test]
    fn a_higher_priority_takes_the_contested_spot() {
        // Two dots side by side: the first placed takes the space between them.
        let two = |priority: i32| {
            vec![
                point("Aaaa", 100.0, 100.0, LabelHand::default()),
                point(
                    "Bbbb",
                    160.0,
                    100.0,
                    LabelHand {
                        priority,
                        ..LabelHand::default()
                    },
                ),
            ]
        };
        let mut places = two(0);
        place_labels(
            &mut places,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        assert_eq!(
            places[0].label.unwrap().2,
            "start",
            "file order: A goes right"
        );
        assert_eq!(places[1].label.unwrap().2, "start");
        // B before A: B's right side is free, so B still goes right, and so does A; put B's
        // dot where A's right label would go, so they compete for the same spot.
        let mut places = vec![
            point("Aaaa", 100.0, 100.0, LabelHand::default()),
            point(
                "Bbbbbbbbbbbb",
                145.0,
                100.0,
                LabelHand {
                    priority: 5,
                    ..LabelHand::default()
                },
            ),
        ];
        place_labels(
            &mut places,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        let (a, b) = (places[0].label_box.unwrap(), places[1].label_box.unwrap());
        assert!(!overlaps(a, b));
        assert_eq!(
            places[1].label.unwrap().2,
            "start",
            "B got its first choice"
        );
    }

    #[test]
    fn a_hand_label_goes_where_it_is_told_with_its_own_text() {
        let hand = LabelHand {
            text: Some("Mazar".into()),
            offset: Some((-10.0, 20.0)),
            anchor: Some(Anchor::End),
            ..LabelHand::default()
        };
        let mut places = vec![point("Mazar-i-Sharif", 200.0, 100.0, hand)];
        let outcome = place_labels(
            &mut places,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        assert!(outcome.hand_overlaps.is_empty());
        let (x, y, anchor) = places[0].label.unwrap();
        let r = places[0].radius(1.0);
        assert_eq!(anchor, "end");
        assert!((x - (200.0 - r - 3.0 - 10.0)).abs() < 1e-9);
        assert!((y - (100.0 + 0.35 * 15.0 + 20.0)).abs() < 1e-9);
        let w = f64::from(Typeface::bundled().measure("Mazar", 15.0, false));
        assert_eq!(
            places[0].label_box.unwrap(),
            label_box(x, y, Anchor::End, w, 15.0)
        );
        // Over another dot: drawn anyway, and said.
        let hand = LabelHand {
            offset: Some((0.0, 0.0)),
            ..LabelHand::default()
        };
        let mut places = vec![
            point("Here", 100.0, 100.0, hand),
            point("There", 120.0, 100.0, LabelHand::default()),
        ];
        let outcome = place_labels(
            &mut places,
            1.0,
            AREA,
            &font(),
            &Typeface::bundled(),
            &[],
            Unplaced::Keep,
        );
        assert_eq!(outcome.hand_overlaps, ["Here"]);
        assert!(places[0].label.is_some());
    }
}
