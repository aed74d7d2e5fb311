//! District and province names as every layer compares them: the join, the alias table's
//! checks, `--extent`, places and stats all fold a name the same way. A module of its own so
//! that the readers and render need not import the join for it.

/// Normalises a district or province name for comparison: Unicode folded to ASCII,
/// lower-case, izafa (`-e-`, `-i-`) dropped, and everything but letters and digits removed.
///
/// ```
/// use controlmap::names::normalize_name;
/// assert_eq!(normalize_name("Mazar-e-Sharif"), normalize_name("Mazar Sharif"));
/// assert_eq!(normalize_name("Zinda  Jan"), normalize_name("Zinda Jan"));
/// assert_eq!(normalize_name("Dawlat Abad"), normalize_name("Dawlatabad"));
/// ```
pub fn normalize_name(name: &str) -> String {
    name_words(name).concat()
}

/// [`normalize_name`], and also an izafa glued to the word before it dropped: "Dashti
/// Archi", "Puli Khumri", "Dashte Archi" for Dasht-e-Archi, Pul-e-Khumri. Only a fallback
/// when the normal form finds nothing: a final "i"/"e" is sometimes part of the word ("Tere
/// Zayi"). Short words keep their last letter ("Ali Khel").
///
/// ```
/// use controlmap::names::loose_name;
/// assert_eq!(loose_name("Dashti Archi"), loose_name("Dasht-e-Archi"));
/// assert_eq!(loose_name("Ali Khel"), "alikhel");
/// ```
pub fn loose_name(name: &str) -> String {
    let words = name_words(name);
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i < last && w.len() >= 4 {
                w.strip_suffix(['i', 'e']).unwrap_or(w)
            } else {
                w
            }
        })
        .collect()
}

/// The words of a name, folded to lower-case ASCII, without a free-standing izafa.
fn name_words(name: &str) -> Vec<String> {
    // Lower-case before transliterating: deunicode spells some capitals differently from
    // their small letters (Ukrainian Є "E", є "ie"), so "СЄВЄРОДОНЕЦЬК" missed "Сєвєродонецьк".
    let folded = deunicode::deunicode(&name.to_lowercase()).to_ascii_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        // Only between two words is a lone "e"/"i" the izafa; at either end it is a word.
        .filter(|&(i, w)| !(0 < i && i < last && matches!(*w, "e" | "i")))
        .map(|(_, w)| w.to_string())
        .collect()
}

/// Province spellings that name the same province, already normalised; the first of each
/// group is the canonical form. Sources disagree on transliteration (OCHA "Hilmand", GADM
/// "Helmand", ...), and a province must match for a district to match.
const PROVINCE_ALIASES: &[&[&str]] = &[
    &["helmand", "hilmand"],
    &["herat", "hirat"],
    &["paktia", "paktya"],
    &["saripul", "sarpul", "sarpol", "saripol"],
    &["wardak", "maidanwardak", "maydanwardak", "wardag"],
    &["nimroz", "nimruz"],
    &["daykundi", "daikundi", "daykondi", "daikondi"],
    &["panjshir", "panjsher"],
    &["jawzjan", "jowzjan", "jozjan"],
    &["uruzgan", "oruzgan", "urozgan"],
    &["nangarhar", "nangahar"],
    &["bamyan", "bamiyan"],
    &["kunar", "konar"],
    &["kandahar", "qandahar"],
    &["kunduz", "qunduz"],
    &["khost", "khowst"],
    &["ghor", "ghowr"],
    &["nuristan", "nooristan"],
    &["parwan", "parvan"],
];

/// The normalised province name, with known alternative spellings mapped to one form.
///
/// ```
/// use controlmap::names::canonical_province;
/// assert_eq!(canonical_province("Qunduz"), canonical_province("Kunduz"));
/// ```
pub fn canonical_province(name: &str) -> String {
    let norm = normalize_name(name);
    PROVINCE_ALIASES
        .iter()
        .find(|group| group.contains(&norm.as_str()))
        .map_or(norm, |group| group[0].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_spelling_variants() {
        let same = [
            ("Mazar-e-Sharif", "Mazar Sharif"),
            ("Mazar-i-Sharif", "mazar sharif"),
            ("Hisa-I-Awali", "Hisa Awali"),
            ("Qala i Naw", "Qala-e-Naw"),
            ("Dawlat Abad", "Dawlatabad"),
            ("Zinda  Jan", "Zinda Jan"),
            ("Sar-e Pol", "Sarpol"),
            ("Fayẓābād", "Fayzabad"),
            ("Wal-e-Muhammad-e-Shahid", "Wal Muhammad Shahid"),
            ("  Ab Band ", "ab_band"),
        ];
        for (a, b) in same {
            assert_eq!(normalize_name(a), normalize_name(b), "{a:?} vs {b:?}");
        }
        assert_eq!(normalize_name("Kabul (city)"), "kabulcity");
        assert_eq!(normalize_name("Hisa-e-Awal-e-Kohistan"), "hisaawalkohistan");
        assert_eq!(normalize_name(""), "");
        assert_eq!(normalize_name(" -- "), "");
        // At either end a lone letter is a word, not an izafa.
        assert_eq!(normalize_name("Nahia I"), "nahiai");
        assert_eq!(normalize_name("E Kalay"), "ekalay");
        assert_ne!(normalize_name("Kohistan"), normalize_name("Kohistanat"));
    }

    #[test]
    fn normalisation_is_idempotent() {
        let inputs = [
            "",
            " ",
            "-e-",
            "e",
            "i e i",
            "e-i-e-i",
            "Mazar-e-Sharif",
            "Hisa-I-Awali",
            "Qala i Naw",
            "Kabul (city)",
            "Zinda  Jan",
            "Fayẓābād",
            "ÆØÅ straße",
            "日本",
            "کابل",
            "Ab-e-",
            "Dara-e-Suf-e-Bala",
            "Reg-i-Khan Nishin",
            "1st District (Nahia-e-1)",
            "\u{feff}Bala\tBuluk\n",
        ];
        for input in inputs {
            let once = normalize_name(input);
            assert_eq!(normalize_name(&once), once, "{input:?}");
            assert!(
                once.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            );
        }
    }

    #[test]
    fn province_aliases_are_normalised_and_canonical() {
        for group in PROVINCE_ALIASES {
            for alias in *group {
                assert_eq!(normalize_name(alias), *alias);
                assert_eq!(canonical_province(alias), group[0]);
            }
        }
        for (a, b) in [
            ("Hilmand", "Helmand"),
            ("Sar-e-Pul", "Sari Pul"),
            ("Sar-e Pol", "Saripul"),
            ("Maidan Wardak", "Wardag"),
            ("Day Kundi", "Daykondi"),
            ("Panjsher", "Panjshir"),
        ] {
            assert_eq!(canonical_province(a), canonical_province(b), "{a} vs {b}");
        }
        assert_ne!(canonical_province("Kabul"), canonical_province("Kapisa"));
    }
}
