//! Fuzzy name matching: a similarity score for transliterated names, and the cautious
//! one-to-one assignment `--fuzzy` uses.

/// Spelling changes that transliterations of the same Dari/Pashto name differ by (Taluqan /
/// Taloqan, Shibirghan / Shiberghan, Khogyani / Khogayani, Sayid / Sayed). Applied in order to
/// an already normalised name, so that the score sees through them.
const SKELETON: &[(&str, &str)] = &[
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("aa", "a"),
    ("ay", "ai"),
    ("ey", "ai"),
    ("e", "i"),
    ("o", "u"),
    ("y", "i"),
    ("q", "k"),
    ("w", "u"),
    ("dh", "d"),
    ("kh", "k"),
    ("gh", "g"),
];

/// The name with vowel and consonant spellings folded and doubled letters collapsed.
fn skeleton(norm: &str) -> String {
    let mut s = norm.to_string();
    for (from, to) in SKELETON {
        s = s.replace(from, to);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// How alike two normalised names are, from 0 to 1: the Jaro-Winkler similarity of the names
/// or of their spelling skeletons, whichever is higher.
///
/// Jaro-Winkler rewards a shared beginning, which suits district names (the distinctive
/// part comes first; suffixes like "Wa Badil" or "Posh" are dropped by some sources).
///
/// ```
/// use controlmap::join::similarity;
/// assert_eq!(similarity("taluqan", "taloqan"), 1.0);
/// assert!(similarity("achin", "acheen") > 0.95);
/// assert!(similarity("nuristan", "registan") < 0.9);
/// ```
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Jaro-Winkler is quadratic in the length: a 100,000-character "name" would take
    // minutes. No district name is near this long, and the beginning decides the score.
    let (a, b) = (prefix(a), prefix(b));
    strsim::jaro_winkler(a, b).max(strsim::jaro_winkler(&skeleton(a), &skeleton(b)))
}

/// The characters of a name that [`similarity`] compares.
const MAX_COMPARED: usize = 64;

fn prefix(name: &str) -> &str {
    name.char_indices()
        .nth(MAX_COMPARED)
        .map_or(name, |(i, _)| &name[..i])
}

/// How much better than every alternative a fuzzy match must score. Below this the match is
/// a coin toss between near-identical candidates (Dara-I-Suf → Dara-I-Sufi Bala or Payin),
/// which a person must settle with an alias.
pub const MARGIN: f64 = 0.03;

/// The threshold `--fuzzy` is recommended with (see the README's join section): on the 2021
/// timeline against GADM and geoBoundaries every match at or above it was checked by hand
/// and is right, and the first wrong one (Hisa-I-Awali Panjsher → Hisa-i-Awali Kohistan)
/// scores 0.894.
pub const RECOMMENDED_THRESHOLD: f64 = 0.9;

/// Pairs `keys` with `districts` one to one, best scores first: a pair is taken when its
/// score is at least `threshold`, both are still free, and it beats by [`MARGIN`] every
/// other pairing either of them still has. `allowed(k, d)` says whether key `k` may match
/// district `d` at all (the same province, say).
///
/// Returns `(key, district, score)` for every accepted pair, best first.
pub(crate) fn assign(
    keys: &[&str],
    districts: &[&str],
    threshold: f64,
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let mut score = vec![vec![f64::NEG_INFINITY; districts.len()]; keys.len()];
    let mut pairs = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        for (d, district) in districts.iter().enumerate() {
            if allowed(k, d) {
                let s = similarity(key, district);
                score[k][d] = s;
                if s >= threshold {
                    pairs.push((k, d, s));
                }
            }
        }
    }
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let (mut key_free, mut district_free) = (vec![true; keys.len()], vec![true; districts.len()]);
    let mut taken = Vec::new();
    for (k, d, s) in pairs {
        if !key_free[k] || !district_free[d] {
            continue;
        }
        let rival_district = (0..districts.len())
            .filter(|&o| o != d && district_free[o])
            .map(|o| score[k][o]);
        let rival_key = (0..keys.len())
            .filter(|&o| o != k && key_free[o])
            .map(|o| score[o][d]);
        let second = rival_district.chain(rival_key).fold(0.0, f64::max);
        if s - second >= MARGIN {
            key_free[k] = false;
            district_free[d] = false;
            taken.push((k, d, s));
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::normalize_name;

    fn sim(a: &str, b: &str) -> f64 {
        similarity(&normalize_name(a), &normalize_name(b))
    }

    #[test]
    fn transliteration_variants_score_high() {
        for (a, b) in [
            ("Taluqan", "Taloqan"),
            ("Shibirghan", "Shiberghan"),
            ("Musa Khel", "Mosa Khail"),
            ("Dih Bala", "Deh Bala"),
            ("Gardez", "Gardiz"),
            ("Sayid Karam", "Sayed Karam"),
        ] {
            assert!(sim(a, b) >= 0.95, "{a} / {b}: {}", sim(a, b));
        }
        assert!(sim("Nuristan", "Registan") < RECOMMENDED_THRESHOLD);
        assert!(sim("Murghab", "Qurghan") < RECOMMENDED_THRESHOLD);
        assert_eq!(similarity("", "kabul"), 0.0);
        // Symmetric and bounded.
        assert_eq!(sim("Achin", "Acheen"), sim("Acheen", "Achin"));
        assert!(sim("Kabul", "Kabul") <= 1.0);
    }

    #[test]
    fn assignment_is_one_to_one_and_refuses_close_calls() {
        let keys = ["musakhel", "darasuf", "gardez"];
        let districts = [
            "saydkhel",
            "musakhail",
            "darasufibala",
            "darasufipayin",
            "gardiz",
        ];
        let taken = assign(&keys, &districts, 0.8, |_, _| true);
        let pairs: Vec<(&str, &str)> = taken
            .iter()
            .map(|&(k, d, _)| (keys[k], districts[d]))
            .collect();
        assert_eq!(pairs, [("gardez", "gardiz"), ("musakhel", "musakhail")]);
        // Not allowed (another province) means never matched.
        assert!(
            assign(&keys, &districts, 0.8, |_, d| d != 4)
                .iter()
                .all(|&(_, d, _)| d != 4)
        );
        // Two keys wanting the same district: the better one gets it, if clearly better.
        let taken = assign(&["kushk", "kushki"], &["koshk"], 0.8, |_, _| true);
        assert!(taken.len() <= 1);
    }
}
