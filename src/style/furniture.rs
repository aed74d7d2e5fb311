//! The look of the furniture around the map: fonts, the legend's place and content, page
//! margins and named page sizes. A style file (`--style`) sets these; the defaults are the
//! look controlmap always had.
//!
//! Font sizes and margins are in px of a 1600×1200 page and scale with the page, as all
//! text does (see [`super::Style`]).

use serde::Deserialize;

use crate::status::Color;

/// Regular or bold: the two faces of the bundled font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weight {
    /// DejaVu Sans.
    #[serde(alias = "normal")]
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

/// The size, weight and colour of one kind of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    /// Size in px of a 1600×1200 page.
    pub size: f64,
    /// Regular or bold.
    pub weight: Weight,
    /// Text colour.
    pub color: Color,
}

impl Font {
    const fn new(size: f64, weight: Weight, rgb: u32) -> Font {
        Font {
            size,
            weight,
            color: Color {
                r: (rgb >> 16) as u8,
                g: (rgb >> 8) as u8,
                b: rgb as u8,
            },
        }
    }

    /// Whether the bold face is used.
    pub fn bold(&self) -> bool {
        self.weight == Weight::Bold
    }

    /// The SVG `font-weight`.
    pub(crate) fn svg_weight(&self) -> &'static str {
        if self.bold() { "bold" } else { "normal" }
    }
}

/// The fonts of every kind of text on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fonts {
    /// The title.
    pub title: Font,
    /// The subtitle.
    pub subtitle: Font,
    /// The date line (and each panel's date in small multiples).
    pub date: Font,
    /// Legend labels (counts are always bold).
    pub legend: Font,
    /// The source line.
    pub source: Font,
    /// Place labels (capitals are always bold).
    pub labels: Font,
}

impl Default for Fonts {
    fn default() -> Fonts {
        use super::size;
        Fonts {
            title: Font::new(size::TITLE, Weight::Bold, 0x111111),
            subtitle: Font::new(size::SUBTITLE, Weight::Regular, 0x444444),
            date: Font::new(size::DATE, Weight::Bold, 0x222222),
            legend: Font::new(size::LEGEND, Weight::Regular, 0x222222),
            source: Font::new(size::SOURCE, Weight::Regular, 0x666666),
            labels: Font::new(size::PLACE, Weight::Regular, 0x111111),
        }
    }
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegendPosition {
    /// In rows under the title, above the map.
    #[default]
    Top,
    /// In rows under the map, above the source line.
    Bottom,
    /// In a column left of the map.
    Left,
    /// In a column right of the map.
    Right,
}

/// When the legend lists the no-data entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoDataEntry {
    /// Only when some district has no data on the date (a fully joined map should not carry
    /// an empty class).
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The legend's place and content. Its order is the categories' order
/// ([`crate::status::CategoryOptions::order`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Legend {
    /// Where it goes.
    pub position: LegendPosition,
    /// Whether each entry shows its number of districts.
    pub counts: bool,
    /// When the no-data entry is listed.
    pub no_data: NoDataEntry,
    /// Count every district of the map, not only those in a `--bbox` frame.
    pub national_counts: bool,
}

impl Default for Legend {
    fn default() -> Legend {
        Legend {
            position: LegendPosition::Top,
            counts: true,
            no_data: NoDataEntry::Auto,
            national_counts: false,
        }
    }
}

/// Page margins, in px of a 1600×1200 page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Above the title.
    pub top: f64,
    /// Right of everything.
    pub right: f64,
    /// Below the source line.
    pub bottom: f64,
    /// Left of everything.
    pub left: f64,
}

impl Default for Margins {
    fn default() -> Margins {
        Margins {
            top: 32.0,
            right: 32.0,
            bottom: 32.0,
            left: 32.0,
        }
    }
}

/// The smallest text each size preset draws, in px of the page as drawn (after the page's
/// scaling of type): a 1080 px social card is read on a phone, where 10 px type is not.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TypeFloor {
    /// Title, subtitle, date line and source.
    pub text: f64,
    /// Legend labels and counts.
    pub legend: f64,
    /// Place and district labels.
    pub labels: f64,
}

/// Named page sizes (`--size`, `[size] preset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SizePreset {
    /// 1600×1200 px, the default.
    Web,
    /// 1080×1080 px, square.
    Social,
    /// A page of 8×6 in at 300 dpi: 2400×1800 px (see [`SizePreset::page`]).
    Print,
}

/// Points per inch: a page measured in inches or mm is laid out in points.
pub const POINTS_PER_INCH: f64 = 72.0;

/// The print preset's resolution.
pub const PRINT_DPI: f64 = 300.0;

impl SizePreset {
    /// The page width and height (px of the page) and the scale (output pixels per page px).
    ///
    /// A print page is laid out in points (1/72 in), so that text and lines have print
    /// sizes, and drawn at 300 dpi: 8×6 in is a 576×432 pt page at scale 300/72, which is
    /// 2400×1800 pixels.
    ///
    /// ```
    /// use controlmap::render::furniture::SizePreset;
    /// assert_eq!(SizePreset::Social.page(), (1080, 1080, 1.0));
    /// let (w, h, scale) = SizePreset::Print.page();
    /// assert_eq!(((w as f32 * scale).round(), (h as f32 * scale).round()), (2400.0, 1800.0));
    /// ```
    pub fn page(self) -> (u32, u32, f32) {
        match self {
            SizePreset::Web => (1600, 1200, 1.0),
            SizePreset::Social => (1080, 1080, 1.0),
            SizePreset::Print => (
                (8.0 * POINTS_PER_INCH) as u32,
                (6.0 * POINTS_PER_INCH) as u32,
                (PRINT_DPI / POINTS_PER_INCH) as f32,
            ),
        }
    }
}

impl SizePreset {
    /// The preset's type scale floor: at least 16 px legend and 14 px labels and text on a
    /// social card; 7 pt on a print page (its defaults are above that already); none on the
    /// web page, whose defaults are its type scale.
    pub fn type_floor(self) -> TypeFloor {
        match self {
            SizePreset::Web => TypeFloor::default(),
            SizePreset::Social => TypeFloor {
                text: 14.0,
                legend: 16.0,
                labels: 14.0,
            },
            SizePreset::Print => TypeFloor {
                text: 7.0,
                legend: 7.0,
                labels: 7.0,
            },
        }
    }
}

impl std::str::FromStr for SizePreset {
    type Err = String;

    fn from_str(s: &str) -> Result<SizePreset, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "web" => Ok(SizePreset::Web),
            "social" => Ok(SizePreset::Social),
            "print" => Ok(SizePreset::Print),
            _ => Err(format!("unknown size `{s}`: expected web, social or print")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Layout, Style, Text};

    type Box = (f64, f64, f64, f64);

    fn overlaps(a: Box, b: Box) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn the_legend_never_overlaps_the_map_the_header_or_itself() {
        let text = Text {
            title: "Title".into(),
            subtitle: Some("Subtitle".into()),
            source: Some("Source".into()),
            date_line: Some("As of {date}".into()),
        };
        for (w, h) in [
            (1600, 1200),
            (480, 360),
            (1080, 1080),
            (576, 432),
            (400, 1000),
        ] {
            for position in [
                LegendPosition::Top,
                LegendPosition::Bottom,
                LegendPosition::Left,
                LegendPosition::Right,
            ] {
                for n in [1, 4, 12, 40] {
                    let labels: Vec<String> = (0..n).map(|i| format!("Category {i} 000")).collect();
                    let style = Style {
                        width: w,
                        height: h,
                        legend: Legend {
                            position,
                            ..Legend::default()
                        },
                        ..Style::default()
                    };
                    let l = Layout::new(&style, &text, &labels);
                    let font = (style.fonts.legend.size * l.u) as f32;
                    let boxes: Vec<Box> = l
                        .legend_slots
                        .iter()
                        .zip(&labels)
                        .map(|(&(x, y), label)| {
                            let width = l.swatch
                                + 8.0 * l.u
                                + f64::from(style.typeface.measure(label, font, false));
                            (x, y, x + width, y + l.swatch)
                        })
                        .collect();
                    let map = (
                        l.map.x,
                        l.map.y,
                        l.map.x + l.map.width,
                        l.map.y + l.map.height,
                    );
                    let case = format!("{w}x{h} {position:?} {n}");
                    assert_eq!(boxes.len(), n, "{case}");
                    assert!(l.map.x >= 0.0 && map.2 <= f64::from(w) + 1e-9, "{case}");
                    for (i, b) in boxes.iter().enumerate() {
                        assert!(
                            !overlaps(*b, map),
                            "{case}: entry {i} {b:?} on the map {map:?}"
                        );
                        assert!(b.1 > l.date_y, "{case}: entry {i} in the header");
                        assert!(
                            l.source_y
                                .is_none_or(|s| b.3 < s - style.fonts.source.size * l.u),
                            "{case}: entry {i} on the source line"
                        );
                        for c in &boxes[..i] {
                            assert!(!overlaps(*b, *c), "{case}: entries overlap");
                        }
                    }
                }
            }
        }
    }
}
