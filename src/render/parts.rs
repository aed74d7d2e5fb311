//! The laid-out parts a [`super::Scene`] holds: district labels, callouts, the overlays, what
//! label placement found, the pixels prepared for the PNG writer. Defined here, below the
//! modules that build and draw them (which all take the scene), so that the scene imports
//! none of those and no file imports in a cycle.

use super::boxes::Box;
use super::draw::Anchor;
use super::locator::Locator;
use crate::project::Area;
use crate::style::place_states::PlaceStateOverlay;

/// A district label ready to draw, in page pixels.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DistrictLabel {
    /// The district (scene order).
    pub(crate) district: usize,
    /// The baseline's centre.
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// A neighbour of a zoomed region (drawn lighter).
    pub(crate) context: bool,
}

/// An annotation laid out on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    /// Its index among the annotations given.
    pub(crate) index: usize,
    /// The lines of text.
    pub(crate) lines: Vec<String>,
    /// The box, page px.
    pub(crate) bounds: Box,
    /// The target, page px.
    pub(crate) target: (f64, f64),
    /// Whether to draw a dot at the target (a point or a district; a place has its own).
    pub(crate) dot: bool,
    /// The target's name, for `data-target`.
    pub(crate) label: String,
    pub(crate) anchor: Anchor,
    /// Whether the box is clear of every obstacle.
    pub(crate) clear: bool,
}

/// What placing the labels left for the user to know, by place name.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Outcome {
    /// Labels that fit nowhere, drawn over something at their least crowded position.
    pub(crate) crowded: Vec<String>,
    /// Labels set by hand over another label or dot, or out of the map area.
    pub(crate) hand_overlaps: Vec<String>,
    /// Places dropped with their dot because their label fits nowhere.
    pub(crate) dropped: Vec<String>,
}

/// The overlays of a scene, laid out.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// Changed districts are hatched (the pattern is defined).
    pub(crate) hatch: bool,
    /// Capitals are drawn per frame, captured ones marked.
    pub(crate) captured: bool,
    /// A legend slot is kept for the "in this view" line.
    pub(crate) view_note: bool,
    /// The map frame the districts and lines are clipped to (page px, whole device
    /// pixels), when it is not the whole page.
    pub(crate) clip: Option<Area>,
    /// Per district: in the zoomed region; empty without a zoom.
    pub(crate) focus: Vec<bool>,
    pub(crate) locator: Option<Locator>,
    pub(crate) district_labels: Vec<DistrictLabel>,
    pub(crate) district_labels_dropped: usize,
    /// Places with states by date.
    pub(crate) place_states: PlaceStateOverlay,
    /// The annotations, laid out once the labels are.
    pub(crate) annotations: Vec<Placed>,
    /// What laying out the annotations found (see [`super::Scene::annotation_warnings`]).
    pub(crate) annotation_warnings: Vec<String>,
}

/// Consecutive pixels (in page order) of one owner: a district index (each pixel covered
/// fully by it alone), `EMPTY`, or `EDGE | i` for edge pixels `i`, `i + 1`, ...
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    pub(super) len: u32,
    pub(super) owner: u32,
}

/// Per-map raster preparation (see the module doc).
#[derive(Debug)]
pub(crate) struct Raster {
    pub(super) width: u32,
    pub(super) height: u32,
    /// The pixels in page order as runs (see [`Run`]).
    pub(super) runs: Vec<Run>,
    /// For edge pixel `i`: its coverage entries are `entries[starts[i]..starts[i + 1]]`.
    pub(super) starts: Vec<u32>,
    /// `(district, coverage)` in drawing order.
    pub(super) entries: Vec<(u32, u8)>,
    /// The fixed overlay: `(pixel, premultiplied RGBA)` for every pixel it touches.
    pub(super) overlay: Vec<(u32, [u8; 4])>,
    /// The alpha of the change hatch at every pixel, when changes are marked.
    pub(super) hatch: Option<Vec<u8>>,
    /// Pixel buffers of frames already encoded, for the next frames: a fresh page-sized
    /// buffer is mapped and zeroed by the kernel, which costs a series more than drawing the
    /// frame into it does.
    pub(super) spare: std::sync::Mutex<Vec<Vec<u8>>>,
}
