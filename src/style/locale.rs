//! The language of the words and numbers the map writes itself: month names and digits in
//! the date line and the templates (`{date}`, `{count.KEY}`), and the direction of the
//! legend (`--locale`, `[text] locale`).
//!
//! All four use the Gregorian calendar (the timelines' dates). Month names are CLDR's wide
//! format names: French from CLDR `fr`; Dari from CLDR `fa_AF` (the Afghan forms, جنوری…,
//! not Iran's ژانویه…), as in the Dojo toolkit's `cldr/nls/fa-af/gregorian.js`; Pashto from
//! CLDR `ps`, as in the `dateparser` package's `ps` language data (جنوري، فبروري…). Dari and
//! Pashto write numbers with the Extended Arabic-Indic digits (U+06F0–U+06F9, ۰۱۲…) that
//! CLDR gives as their default numbering system (`arabext`), and lay the legend out right to
//! left.

use serde::Deserialize;

use crate::timeline::Date;

/// A language of the map's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English: "June 20, 2021", "1234".
    #[default]
    En,
    /// French: "20 juin 2021", "1 234".
    Fr,
    /// Dari: "۲۰ جون ۲۰۲۱", right to left.
    Fa,
    /// Pashto: "۲۰ جون ۲۰۲۱", right to left.
    Ps,
}

const FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const FA: [&str; 12] = [
    "جنوری",
    "فبروری",
    "مارچ",
    "اپریل",
    "می",
    "جون",
    "جولای",
    "اگست",
    "سپتمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
];

const PS: [&str; 12] = [
    "جنوري",
    "فبروري",
    "مارچ",
    "اپریل",
    // CLDR `ps` writes May مۍ, with U+06CD (yeh with tail), which the bundled DejaVu Sans
    // does not have: it would be drawn as a box. می (U+06CC), the Dari form of the same
    // word, is what Afghan Pashto print commonly uses too.
    "می",
    "جون",
    "جولای",
    "اګست",
    "سپتمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
];

impl Locale {
    /// Parses `en`, `fr`, `fa` or `ps` (any case).
    ///
    /// ```
    /// use controlmap::render::locale::Locale;
    /// assert_eq!(Locale::parse("FR"), Some(Locale::Fr));
    /// assert_eq!(Locale::parse("de"), None);
    /// ```
    pub fn parse(code: &str) -> Option<Locale> {
        match code.to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            "fa" => Some(Locale::Fa),
            "ps" => Some(Locale::Ps),
            _ => None,
        }
    }

    /// Whether the language is written right to left (the legend is mirrored).
    pub fn right_to_left(self) -> bool {
        matches!(self, Locale::Fa | Locale::Ps)
    }

    /// A date written out: "June 20, 2021", "20 juin 2021" ("1er juin" on the first),
    /// "۲۰ جون ۲۰۲۱".
    ///
    /// ```
    /// use controlmap::render::locale::Locale;
    /// use controlmap::timeline::Date;
    /// let d = Date::parse_iso("2021-06-20").unwrap();
    /// assert_eq!(Locale::En.long_date(d), "June 20, 2021");
    /// assert_eq!(Locale::Fr.long_date(d), "20 juin 2021");
    /// assert_eq!(Locale::Fr.long_date(Date::parse_iso("2021-08-01").unwrap()), "1er août 2021");
    /// assert_eq!(Locale::Fa.long_date(d), "۲۰ جون ۲۰۲۱");
    /// ```
    pub fn long_date(self, date: Date) -> String {
        let (day, month, year) = (date.day(), date.month() as usize - 1, date.year());
        match self {
            Locale::En => date.long(),
            // French writes the first of the month as an ordinal, "1er".
            Locale::Fr if day == 1 => format!("1er {} {year}", FR[month]),
            Locale::Fr => format!("{day} {} {year}", FR[month]),
            Locale::Fa | Locale::Ps => {
                let names = if self == Locale::Fa { &FA } else { &PS };
                self.digits(&format!("{day} {} {year}", names[month]))
            }
        }
    }

    /// A count: "1234" in English, "1 234" in French (a narrow no-break space groups the
    /// thousands), "۱٬۲۳۴" in Dari and Pashto.
    ///
    /// ```
    /// use controlmap::render::locale::Locale;
    /// assert_eq!(Locale::En.number(1234), "1234");
    /// assert_eq!(Locale::Fr.number(1234), "1\u{202f}234");
    /// assert_eq!(Locale::Ps.number(41), "۴۱");
    /// assert_eq!(Locale::Fa.number(1234), "۱٬۲۳۴");
    /// ```
    pub fn number(self, n: usize) -> String {
        let plain = n.to_string();
        let separator = match self {
            // English counts were always written ungrouped; maps keep their look.
            Locale::En => return plain,
            Locale::Fr => '\u{202f}',
            // The Arabic thousands separator, as CLDR's `arabext` numbers use it.
            Locale::Fa | Locale::Ps => '\u{066c}',
        };
        let mut grouped = String::new();
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(c);
        }
        self.digits(&grouped)
    }

    /// `text` with its ASCII digits in the locale's digits.
    pub fn digits(self, text: &str) -> String {
        match self {
            Locale::En | Locale::Fr => text.to_string(),
            Locale::Fa | Locale::Ps => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => char::from_u32(0x06f0 + d).unwrap_or(c),
                    _ => c,
                })
                .collect(),
        }
    }
}

/// Where one legend entry's swatch, label and count go (x in page px; the text's anchor is
/// its start, or its end when mirrored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EntryPlaces {
    /// The swatch's left edge.
    pub(crate) swatch: f64,
    /// The label's anchor.
    pub(crate) text: f64,
    /// The count's anchor.
    pub(crate) count: f64,
    rtl: bool,
}

impl EntryPlaces {
    /// The count's place after a label `width` px wide, `space` px from it.
    pub(crate) fn with_label(mut self, width: f64, space: f64) -> EntryPlaces {
        self.count = match self.rtl {
            true => self.text - width - space,
            false => self.text + width + space,
        };
        self
    }
}

/// The places of a legend entry whose slot starts at `x` (left to right) on a page `page` px
/// wide: swatch, `gap`, label, count. Mirrored for a right-to-left language, the whole legend
/// reads from the right margin: the swatch on the right, the label ending at its left, then
/// the count, each slot where its left-to-right twin is, reflected.
pub(crate) fn mirrored(rtl: bool, page: f64, x: f64, swatch: f64, gap: f64) -> EntryPlaces {
    match rtl {
        false => EntryPlaces {
            swatch: x,
            text: x + swatch + gap,
            count: x + swatch + gap,
            rtl,
        },
        true => {
            let right = page - x;
            EntryPlaces {
                swatch: right - swatch,
                text: right - swatch - gap,
                count: right - swatch - gap,
                rtl,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mirrored_legend_entry_reads_from_the_right() {
        let ltr = mirrored(false, 1000.0, 40.0, 20.0, 8.0).with_label(100.0, 5.0);
        assert_eq!((ltr.swatch, ltr.text, ltr.count), (40.0, 68.0, 173.0));
        let rtl = mirrored(true, 1000.0, 40.0, 20.0, 8.0).with_label(100.0, 5.0);
        // The swatch touches the right margin where the left-to-right one touches the left.
        assert_eq!(rtl.swatch + 20.0, 1000.0 - 40.0);
        assert_eq!((rtl.text, rtl.count), (932.0, 827.0));
    }

    #[test]
    fn every_month_has_its_name_in_every_locale() {
        // (Pashto's August is اګست with its own letter ګ; Dari's is اگست.)
        assert_ne!(PS[7], FA[7]);
        for locale in [Locale::En, Locale::Fr, Locale::Fa, Locale::Ps] {
            let names: std::collections::HashSet<String> = (1..=12)
                .map(|m| locale.long_date(Date::from_ymd(2021, m, 15).unwrap()))
                .collect();
            assert_eq!(names.len(), 12, "{locale:?}");
        }
        let d = Date::from_ymd(2021, 5, 11).unwrap();
        assert_eq!(Locale::Ps.long_date(d), "۱۱ می ۲۰۲۱");
        assert_eq!(Locale::Fa.long_date(d), "۱۱ می ۲۰۲۱");
    }

    #[test]
    fn the_bundled_face_has_the_digits_and_letters_of_dari_and_pashto() {
        // A glyph missing from DejaVu would be drawn as a box, and measured at 0.6 em.
        use skrifa::MetadataProvider;
        let font = skrifa::FontRef::new(crate::render::text::regular_font()).unwrap();
        let charmap = font.charmap();
        let text = format!(
            "{}{}{}",
            FA.concat(),
            PS.concat(),
            Locale::Fa.number(1234567890)
        );
        let missing: Vec<String> = text
            .chars()
            .filter(|c| charmap.map(*c).is_none())
            .map(|c| format!("{c} U+{:04X}", c as u32))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
