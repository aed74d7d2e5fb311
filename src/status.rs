//! Status values → categories: each category has a key, a label and a colour.
//!
//! Two presets (`lwj`, `binary`) know the usual spellings; `--map VALUE=CATEGORY` adds or
//! overrides values. A district with no record on or before the date is *no data*.

use std::fmt;

use crate::timeline::Timeline;

/// How many unknown status values an error lists; the rest are counted.
pub const MAX_LISTED: usize = 20;

/// A problem with status values or category options.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// Values in the timeline that map to no category.
    #[error("{path}: status values that map to no category: {}{}; map them with --map VALUE=CATEGORY or pick another --preset", list.join(", "), if *more > 0 { format!(" and {more} more values") } else { String::new() })]
    UnknownValues {
        /// The timeline file.
        path: String,
        /// Each unknown value with its count and first line, e.g. `"7" (3 rows, first at line 12)`,
        /// the first [`MAX_LISTED`] of them.
        list: Vec<String>,
        /// How many more unknown values there are beyond `list`.
        more: usize,
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
        let bad = || StatusError::BadColor(text.to_string());
        let hex = text.trim().strip_prefix('#').ok_or_else(bad)?;
        // Checked first so that the slicing below stays on character boundaries.
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).map_err(|_| bad());
        match hex.len() {
            6 => Ok(Color {
                r: channel(&hex[0..2])?,
                g: channel(&hex[2..4])?,
                b: channel(&hex[4..6])?,
            }),
            3 => {
                let short = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
                Ok(Color {
                    r: short(0)?,
                    g: short(1)?,
                    b: short(2)?,
                })
            }
            _ => Err(bad()),
        }
    }

    /// A colour from `0xrrggbb`, for the built-in tables.
    const fn hex(rgb: u32) -> Color {
        Color {
            r: (rgb >> 16) as u8,
            g: (rgb >> 8) as u8,
            b: rgb as u8,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Color {
    /// A colour in a style file: `"#rrggbb"` or `"#rgb"`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Color, D::Error> {
        let text = String::deserialize(deserializer)?;
        Color::parse(&text).map_err(serde::de::Error::custom)
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

/// A category as a style file describes it (`[[categories.category]]`).
///
/// With `values`, the entry defines a category (or adds spellings to one): the raw status
/// values that map to it. Without, it only sets the look of a category when the map has
/// it, so that one style file serves several data sets.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryStyle {
    /// The category key (`taliban`), or `no-data` for its label and colour.
    pub key: String,
    /// Legend label.
    pub label: Option<String>,
    /// Fill colour.
    pub color: Option<Color>,
    /// Raw status values that map to this category.
    pub values: Option<Vec<String>>,
}

/// Options that shape the category set (the CLI's `--preset`, `--map`, `--color`, `--label`,
/// and a style file's `[categories]`, which every command-line option overrides).
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
    /// A style file's preset, used when `preset` is `None`.
    pub style_preset: Option<String>,
    /// A style file's categories, in order. Those with values define categories (with
    /// `style_preset`'s, and before `maps`'), unless `preset` is given: a preset named on the
    /// command line replaces the style file's set. Labels and colours apply to the
    /// categories the map has; keys it does not have are skipped.
    pub styled: Vec<CategoryStyle>,
    /// Legend order: these keys first, in this order, then the others in theirs. Keys the
    /// map does not have are skipped; `no-data` is always last.
    pub order: Vec<String>,
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
        Categories::from_options(&CategoryOptions {
            preset: Some(name.to_string()),
            ..CategoryOptions::default()
        })
        .ok()
    }

    /// Builds the category set from options.
    ///
    /// ```
    /// use controlmap::status::{Categories, CategoryOptions};
    /// let maps = [("1", "taliban"), ("2", "taliban"), ("0", "no-report")];
    /// let options = CategoryOptions {
    ///     maps: maps.iter().map(|(v, k)| (v.to_string(), k.to_string())).collect(),
    ///     ..CategoryOptions::default()
    /// };
    /// let categories = Categories::from_options(&options).unwrap();
    /// let keys: Vec<&str> = categories.list.iter().map(|c| c.key.as_str()).collect();
    /// assert_eq!(keys, ["taliban", "no-report"]);
    /// assert_eq!(categories.classify("2"), categories.by_key("taliban"));
    /// ```
    pub fn from_options(options: &CategoryOptions) -> Result<Categories, StatusError> {
        // A preset on the command line replaces the style file's whole set.
        let defined: Vec<(String, &[String])> = match options.preset {
            Some(_) => Vec::new(),
            None => options
                .styled
                .iter()
                .filter_map(|s| Some((category_key(&s.key), s.values.as_deref()?)))
                .filter(|(key, _)| key != NO_DATA)
                .collect(),
        };
        let spellings: &[(&str, &[&str])] = match options
            .preset
            .as_deref()
            .or(options.style_preset.as_deref())
        {
            Some(name) => preset_spellings(name)
                .ok_or_else(|| StatusError::UnknownPreset(name.to_string()))?,
            None if options.maps.is_empty() && defined.is_empty() => LWJ,
            None => &[],
        };
        let mut keys: Vec<String> = spellings.iter().map(|(k, _)| k.to_string()).collect();
        for key in defined
            .iter()
            .map(|(k, _)| k)
            .chain(options.maps.iter().map(|(_, k)| k))
        {
            let key = category_key(key);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let mut unknown = 0;
        let mut list: Vec<Category> = keys
            .iter()
            .map(|key| {
                known(key).unwrap_or_else(|| {
                    let color = PALETTE[unknown % PALETTE.len()];
                    unknown += 1;
                    Category {
                        key: key.clone(),
                        label: label_from_key(key),
                        color,
                    }
                })
            })
            .collect();
        // The legend order: the listed keys first, the rest as they came. Sorted after the
        // colours are handed out, so that the order does not change them.
        if !options.order.is_empty() {
            let rank = |k: &str| {
                options
                    .order
                    .iter()
                    .position(|o| category_key(o) == k)
                    .unwrap_or(usize::MAX)
            };
            list.sort_by_key(|c| rank(&c.key));
            keys = list.iter().map(|c| c.key.clone()).collect();
        }
        let mut no_data = category(&NO_DATA_ENTRY);

        let mut values: Vec<(String, CategoryId)> = Vec::new();
        let mut set = |value: &str, key: &str| {
            let id = CategoryId(keys.iter().position(|k| k == key).unwrap_or_default());
            let value = normalize(value);
            match values.iter_mut().find(|(v, _)| *v == value) {
                Some(entry) => entry.1 = id,
                None => values.push((value, id)),
            }
        };
        for (key, words) in spellings {
            for word in *words {
                set(word, key);
            }
        }
        // Later entries overwrite earlier ones, so a style file's values win over the preset
        // and `--map` over both.
        for (key, words) in &defined {
            for word in *words {
                set(word, key);
            }
        }
        for (value, key) in &options.maps {
            set(value, &category_key(key));
        }

        for s in &options.styled {
            let key = category_key(&s.key);
            let category = match list.iter_mut().find(|c| c.key == key) {
                Some(c) => c,
                None if key == NO_DATA => &mut no_data,
                None => continue,
            };
            if let Some(label) = &s.label {
                category.label = label.clone();
            }
            if let Some(color) = s.color {
                category.color = color;
            }
        }

        for (key, color) in &options.colors {
            category_mut(&mut list, &mut no_data, "--color", key)?.color = *color;
        }
        for (key, label) in &options.labels {
            category_mut(&mut list, &mut no_data, "--label", key)?.label = label.clone();
        }

        Ok(Categories {
            list,
            no_data,
            values,
        })
    }

    /// The category a raw status value maps to, after normalising case, spaces and punctuation.
    pub fn classify(&self, raw: &str) -> Option<CategoryId> {
        let value = normalize(raw);
        self.values
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, id)| *id)
    }

    /// The category of every record of the timeline, in record order; all unknown values are
    /// reported together.
    pub fn classify_timeline(&self, timeline: &Timeline) -> Result<Vec<CategoryId>, StatusError> {
        let mut ids = Vec::with_capacity(timeline.records.len());
        // (normalised value, value as first written, rows, first line), in order of first line.
        let mut unknown: Vec<(String, &str, usize, (usize, u64))> = Vec::new();
        // Where each normalised unknown value is in `unknown`: 100,000 distinct values must
        // not cost a linear search each.
        let mut index: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        for record in &timeline.records {
            match self.classify(&record.value) {
                Some(id) => ids.push(id),
                None => {
                    let value = normalize(&record.value);
                    match index.get(&value) {
                        Some(&i) => {
                            let u = &mut unknown[i];
                            u.2 += 1;
                            u.3 = u.3.min((record.file, record.line));
                        }
                        None => {
                            index.insert(value.clone(), unknown.len());
                            unknown.push((value, &record.value, 1, (record.file, record.line)));
                        }
                    }
                }
            }
        }
        if unknown.is_empty() {
            return Ok(ids);
        }
        unknown.sort_by_key(|u| u.3);
        let many_files = timeline.files.len() > 1;
        let place = |&(file, line): &(usize, u64)| match (many_files, timeline.files.get(file)) {
            (true, Some(f)) => format!("{} line {line}", f.path.display()),
            _ => format!("line {line}"),
        };
        Err(StatusError::UnknownValues {
            path: timeline.path().display().to_string(),
            more: unknown.len().saturating_sub(MAX_LISTED),
            list: unknown
                .iter()
                .take(MAX_LISTED)
                .map(|(_, raw, rows, at)| match rows {
                    1 => format!("{raw:?} (1 row, {})", place(at)),
                    _ => format!("{raw:?} ({rows} rows, first at {})", place(at)),
                })
                .collect(),
        })
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

/// Splits a `KEY=VALUE` command-line option at its first `=`; both sides are trimmed and must
/// not be empty.
///
/// ```
/// use controlmap::status::parse_assignment;
/// assert_eq!(parse_assignment("--map", "a=b=c").unwrap(), ("a".into(), "b=c".into()));
/// assert!(parse_assignment("--map", "taliban").is_err());
/// ```
pub fn parse_assignment(option: &'static str, text: &str) -> Result<(String, String), StatusError> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() && !value.trim().is_empty() => {
            Ok((key.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(StatusError::BadAssignment {
            option,
            given: text.to_string(),
        }),
    }
}

/// The key of the *no data* pseudo-category.
/// The key of the no-data pseudo-category.
pub const NO_DATA: &str = "no-data";

/// Built-in categories: key, legend label, colour.
const KNOWN: &[(&str, &str, Color)] = &[
    ("taliban", "Taliban control", Color::hex(0xc0392b)),
    ("contested", "Contested", Color::hex(0xf5b041)),
    (
        "unconfirmed",
        "Unconfirmed Taliban claim",
        Color::hex(0x9b59b6),
    ),
    ("government", "Government control", Color::hex(0xaab7b8)),
    (
        "no-report",
        "No report of Taliban control",
        Color::hex(0xdde1e4),
    ),
];

const NO_DATA_ENTRY: (&str, &str, Color) = (NO_DATA, "No data", Color::hex(0xf0f0f0));

/// Colours for categories `--map` invents, in order; distinct from the built-in ones.
const PALETTE: &[Color] = &[
    Color::hex(0x1f77b4),
    Color::hex(0x2ca02c),
    Color::hex(0x17becf),
    Color::hex(0x8c564b),
    Color::hex(0xe377c2),
    Color::hex(0x7f7f7f),
];

/// FDD's Long War Journal classes, with the spellings seen in transcriptions of its map.
const LWJ: &[(&str, &[&str])] = &[
    (
        "taliban",
        &[
            "taliban",
            "taliban controlled",
            "taliban control",
            "controlled",
            "taliban-controlled",
            "under taliban control",
        ],
    ),
    ("contested", &["contested", "contested district"]),
    (
        "unconfirmed",
        &[
            "unconfirmed",
            "unconfirmed taliban claim",
            "taliban claim",
            "claimed",
        ],
    ),
    (
        "government",
        &[
            "government",
            "government controlled",
            "government control",
            "gov",
            "govt",
            "afghan government",
            "ana control",
        ],
    ),
];

/// Reported / not reported, as in the 2021 takeover data (0 means "no report", not
/// "government").
const BINARY: &[(&str, &[&str])] = &[
    (
        "taliban",
        &[
            "1",
            "true",
            "yes",
            "taliban",
            "taliban controlled",
            "taliban control",
            "under taliban control",
        ],
    ),
    ("no-report", &["0", "false", "no", "no report"]),
];

/// The names of the category presets.
pub const PRESETS: &[&str] = &["lwj", "binary"];

fn preset_spellings(name: &str) -> Option<&'static [(&'static str, &'static [&'static str])]> {
    match name.trim().to_lowercase().as_str() {
        "lwj" => Some(LWJ),
        "binary" => Some(BINARY),
        _ => None,
    }
}

fn category(&(key, label, color): &(&str, &str, Color)) -> Category {
    Category {
        key: key.to_string(),
        label: label.to_string(),
        color,
    }
}

fn known(key: &str) -> Option<Category> {
    KNOWN
        .iter()
        .chain([&NO_DATA_ENTRY])
        .find(|(k, _, _)| *k == key)
        .map(category)
}

/// The category an option like `--color KEY=...` names; `no-data` included.
fn category_mut<'a>(
    list: &'a mut [Category],
    no_data: &'a mut Category,
    option: &'static str,
    key: &str,
) -> Result<&'a mut Category, StatusError> {
    let key = category_key(key);
    if key == NO_DATA {
        return Ok(no_data);
    }
    let known: Vec<String> = list
        .iter()
        .map(|c| c.key.clone())
        .chain([NO_DATA.to_string()])
        .collect();
    list.iter_mut()
        .find(|c| c.key == key)
        .ok_or(StatusError::UnknownCategory { key, option, known })
}

/// Keys are typed on the command line; `Taliban` and `taliban ` mean `taliban`.
fn category_key(key: &str) -> String {
    key.trim().to_lowercase()
}

/// "no-report" → "No report".
fn label_from_key(key: &str) -> String {
    let spaced = key.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// Trimmed, lower case, each run of spaces, `-` and `_` made one space.
fn normalize(value: &str) -> String {
    value
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
