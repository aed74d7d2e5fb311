//! How labels are set: by hand from the places file (text, offset, anchor, priority, hidden),
//! and what becomes of one that fits nowhere. Part of the style model, since the places
//! reader builds it; the placing itself is [`crate::render::placement`].

use serde::Deserialize;

/// Where a text run's `x` is: its start, middle or end (SVG's `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is where the text starts.
    Start,
    /// `x` is the middle of the text.
    Middle,
    /// `x` is where the text ends.
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// The largest `dx`/`dy` accepted, in page px: a hand offset moves a label beside its dot,
/// not across a page (a larger value is a typo, e.g. a coordinate in the wrong column).
pub const MAX_OFFSET: f64 = 2000.0;

/// How a place's label is set by hand: the places file's optional `label`, `dx`, `dy`,
/// `anchor`, `priority` and `hide_label` columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelHand {
    /// The text shown instead of the place's name (the name still identifies the place in
    /// `data-name` and in messages).
    pub text: Option<String>,
    /// The label's offset from where its anchor puts it, page px (x right, y down).
    pub offset: Option<(f64, f64)>,
    /// Which end of the label is at the dot: `start` (label right of the dot), `end` (left
    /// of it) or `middle` (centred above it).
    pub anchor: Option<Anchor>,
    /// Higher is placed earlier, so it gets the better position (default 0).
    pub priority: i32,
    /// The dot without a label, on purpose.
    pub hidden: bool,
}

impl LabelHand {
    /// Whether the position is set by hand (an offset or an anchor).
    pub fn by_hand(&self) -> bool {
        self.offset.is_some() || self.anchor.is_some()
    }
}

/// What becomes of a label that fits nowhere (`[labels] unplaced`, `--unplaced-labels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unplaced {
    /// Drawn at its least crowded position, with a warning.
    #[default]
    Keep,
    /// Not drawn, and its dot neither, with a warning.
    Drop,
}
