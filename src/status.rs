//! Status values → categories: each category has a key, a label and a colour.
//!
//! Two presets (`lwj`, `binary`) know the usual spellings; `--map VALUE=CATEGORY` adds or
//! overrides values. A district with no record on or before the date is *no data*.

use std::fmt;

use crate::timeline::Timeline;

/// A problem with status values or category options.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// Values in the timeline that map to no category.
    #[error("{path}: status values that map to no category: {}; map them with --map VALUE=CATEGORY or pick another --preset", list.join(", "))]
    UnknownValues {
        /// The timeline file.
        path: String,
        /// Each unknown value with its count and first line, e.g. `"7" (3 rows, first at line 12)`.
        list: Vec<String>,
    },
    /// A colour that is not `#rrggbb` / `#rgb`.
    #[error("bad colour `{0}`: expected #rrggbb")]
    BadColor(String),
    /// An unknown preset name.
    #[error("unknown preset `{0}`: expected lwj or binary")]
    UnknownPreset(String),
    /// An option names a category that does not exist.
    #[error("unknown category `{key}` in {option}; categories: {}", known.join(", "))]
    UnknownCategory {
        /// The category key given.
        key: String,
        /// The option it came from, e.g. "--color".
        option: &'static str,
        /// The keys that exist.
        known: Vec<String>,
    },
    /// A `KEY=VALUE` option without `=`.
    #[error("{option} expects KEY=VALUE, got `{given}`")]
    BadAssignment {
        /// The option.
        option: &'static str,
        /// What was given.
        given: String,
    },
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Color {
    /// Parses `#rrggbb` or `#rgb`.
    ///
    /// ```
    /// use controlmap::status::Color;
    /// assert_eq!(Color::parse("#c0392b").unwrap().to_string(), "#c0392b");
    /// assert_eq!(Color::parse("#fff").unwrap(), Color { r: 255, g: 255, b: 255 });
    /// assert!(Color::parse("red").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Color, StatusError> {
        todo!("{text}")
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// Index of a category in [`Categories::list`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CategoryId(pub usize);

/// A map category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Short key used on the command line and in outputs: `taliban`, `contested`, ...
    pub key: String,
    /// Legend label: "Taliban control".
    pub label: String,
    /// Fill colour.
    pub color: Color,
}

/// Options that shape the category set (the CLI's `--preset`, `--map`, `--color`, `--label`).
#[derive(Debug, Clone, Default)]
pub struct CategoryOptions {
    /// A preset name (`lwj`, `binary`). When `None`: `lwj` unless `maps` is given, in which
    /// case the categories are exactly those `maps` names, in order of first mention.
    pub preset: Option<String>,
    /// `(raw value, category key)` pairs; they win over the preset's spellings.
    pub maps: Vec<(String, String)>,
    /// `(category key or "no-data", colour)`.
    pub colors: Vec<(String, Color)>,
    /// `(category key or "no-data", label)`.
    pub labels: Vec<(String, String)>,
}

/// The categories of a map, in legend order, plus the *no data* pseudo-category.
#[derive(Debug, Clone)]
pub struct Categories {
    /// The categories, in legend order.
    pub list: Vec<Category>,
    /// How districts with no record are drawn (key `no-data`).
    pub no_data: Category,
    /// Normalised raw value → category.
    values: Vec<(String, CategoryId)>,
}

impl Categories {
    /// A preset by name: `lwj` or `binary`.
    pub fn preset(name: &str) -> Option<Categories> {
        todo!("{name}")
    }

    /// Builds the category set from options.
    pub fn from_options(options: &CategoryOptions) -> Result<Categories, StatusError> {
        todo!("{options:?}")
    }

    /// The category a raw status value maps to, after normalising case, spaces and punctuation.
    pub fn classify(&self, raw: &str) -> Option<CategoryId> {
        let _ = &self.values;
        todo!("{raw}")
    }

    /// The category of every record of the timeline, in record order; all unknown values are
    /// reported together.
    pub fn classify_timeline(&self, timeline: &Timeline) -> Result<Vec<CategoryId>, StatusError> {
        todo!("{timeline:?}")
    }

    /// The category with this id.
    pub fn get(&self, id: CategoryId) -> &Category {
        &self.list[id.0]
    }

    /// The id of the category with this key.
    pub fn by_key(&self, key: &str) -> Option<CategoryId> {
        self.list.iter().position(|c| c.key == key).map(CategoryId)
    }
}
