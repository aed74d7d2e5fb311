//! The states a place can be in (`--place-status`): key, legend label, marker and colour,
//! as the style defines them ([`defaults`] unless `[place_states.NAME]` changes or adds one).
//! Part of the style model, since the style-file reader builds them; the markers are drawn
//! by [`crate::render::place_states`].

use crate::status::Color;

/// A marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Marker {
    /// A filled circle.
    Dot,
    /// A ring around a dot (the captured capitals' marker).
    Ring,
    /// A filled square.
    Square,
    /// A filled diamond.
    Diamond,
    /// A filled triangle, point up.
    Triangle,
}

impl Marker {
    /// The names a style file uses.
    pub const NAMES: &'static str = "dot, ring, square, diamond or triangle";
}

/// One state a place can be in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceState {
    /// The key the `--place-status` file's `state` column gives (lower case).
    pub key: String,
    /// The legend line.
    pub label: String,
    /// The marker's shape.
    pub marker: Marker,
    /// The marker's colour.
    pub color: Color,
}

/// The states every map knows, in legend order (the order of escalation).
pub fn defaults() -> Vec<PlaceState> {
    let state = |key: &str, label: &str, marker, (r, g, b)| PlaceState {
        key: key.into(),
        label: label.into(),
        marker,
        color: Color { r, g, b },
    };
    vec![
        state(
            "contested",
            "Fighting near the city",
            Marker::Triangle,
            (0xe0, 0x82, 0x14),
        ),
        state(
            "besieged",
            "City besieged",
            Marker::Diamond,
            (0xd9, 0x48, 0x01),
        ),
        state(
            "entered",
            "Taliban entered the city",
            Marker::Square,
            (0xa5, 0x0f, 0x15),
        ),
        state(
            "captured",
            "City captured",
            Marker::Ring,
            (0x7b, 0x0d, 0x0d),
        ),
    ]
}

/// A place's state on a frame's date: the state and the note and source of the record
/// that set it (`data-note`, `data-source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateOn {
    /// An index into [`crate::style::Style::place_states`].
    pub state: usize,
    /// The record's note.
    pub note: Option<String>,
    /// The record's source.
    pub source: Option<String>,
}

/// What a scene keeps of the place states: which places have records, and the states the
/// records use (for the legend's room).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceStateOverlay {
    /// Per place (in the order given): it has at least one record.
    pub stated: Vec<bool>,
    /// The states any record uses, as indices into [`crate::style::Style::place_states`], in
    /// legend order; empty: no place states.
    pub used: Vec<usize>,
}
