//! Colour-blindness check of the shipped styles (a test module).
//!
//! Each shipped style's category colours (no-data included) are seen as a person with
//! protanopia or deuteranopia would see them, by the Machado, Oliveira & Fernandes (2009)
//! simulation at severity 1.0, applied in linear RGB. Every pair must then still differ by
//! at least [`MIN_DELTA_E`] in CIEDE2000.
//!
//! The simulation matrices are written here: no small crate provides Machado's matrices.
//! The Lab conversion and CIEDE2000 come from `palette` (a test-only dependency).

use palette::color_difference::Ciede2000;
use palette::{IntoColor, Lab, LinSrgb, Srgb};

use crate::read::style::{SHIPPED, parse_style};
use crate::status::Color;

/// The smallest CIEDE2000 difference allowed between two category colours after the
/// simulation. 10 is a difference anyone notices at a glance on adjacent areas (about 2.3
/// is a "just noticeable difference"); map fills are read across the page, not side by
/// side, so they need much more than a just noticeable one.
const MIN_DELTA_E: f64 = 10.0;

/// Machado et al. (2009), Table 1, severity 1.0, for linear RGB.
const PROTANOPIA: [[f64; 3]; 3] = [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
];
const DEUTERANOPIA: [[f64; 3]; 3] = [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.011820, 0.042940, 0.968881],
];
const NORMAL: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

/// The colour as seen through `m`, in Lab (D65).
fn seen(c: Color, m: &[[f64; 3]; 3]) -> Lab<palette::white_point::D65, f64> {
    let lin: LinSrgb<f64> = Srgb::new(c.r, c.g, c.b).into_format::<f64>().into_linear();
    let v = [lin.red, lin.green, lin.blue];
    let row = |r: &[f64; 3]| (r[0] * v[0] + r[1] * v[1] + r[2] * v[2]).clamp(0.0, 1.0);
    LinSrgb::new(row(&m[0]), row(&m[1]), row(&m[2])).into_color()
}

/// The closest pair of colours under `m`: (ΔE2000, key, key).
fn worst_pair(colors: &[(String, Color)], m: &[[f64; 3]; 3]) -> (f64, String, String) {
    let mut worst = (f64::INFINITY, String::new(), String::new());
    for (i, (a, ca)) in colors.iter().enumerate() {
        for (b, cb) in &colors[i + 1..] {
            let d = seen(*ca, m).difference(seen(*cb, m));
            if d < worst.0 {
                worst = (d, a.clone(), b.clone());
            }
        }
    }
    worst
}

#[test]
fn ciede2000_matches_sharma_2005() {
    // The first pair of the test data of Sharma, Wu & Dalal (2005).
    let a: Lab<palette::white_point::D65, f64> = Lab::new(50.0, 2.6772, -79.7751);
    let b = Lab::new(50.0, 0.0, -82.7485);
    assert!((a.difference(b) - 2.0425).abs() < 1e-4);
}

#[test]
fn simulation_keeps_greys_and_merges_red_with_green() {
    let grey = Color {
        r: 128,
        g: 128,
        b: 128,
    };
    for m in [&PROTANOPIA, &DEUTERANOPIA] {
        assert!(seen(grey, m).difference(seen(grey, &NORMAL)) < 0.5);
    }
    // The classic confusion: a red and a green of similar lightness.
    let (red, green) = (
        Color {
            r: 0xcc,
            g: 0x55,
            b: 0x44,
        },
        Color {
            r: 0x88,
            g: 0x88,
            b: 0x22,
        },
    );
    let normal = worst_pair(&[("r".into(), red), ("g".into(), green)], &NORMAL).0;
    let deutan = worst_pair(&[("r".into(), red), ("g".into(), green)], &DEUTERANOPIA).0;
    assert!(deutan < normal / 2.0, "{normal} → {deutan}");
}

#[test]
fn shipped_palettes_stay_distinguishable_for_protans_and_deutans() {
    for (name, text) in SHIPPED {
        let file = parse_style(std::path::Path::new(name), text).unwrap();
        let colors: Vec<(String, Color)> = file
            .categories
            .category
            .iter()
            .filter_map(|c| Some((c.key.clone(), c.color?)))
            .collect();
        assert!(
            colors.iter().any(|(k, _)| k == crate::status::NO_DATA),
            "{name}: no colour for no-data"
        );
        for (vision, m) in [
            ("normal", &NORMAL),
            ("protanopia", &PROTANOPIA),
            ("deuteranopia", &DEUTERANOPIA),
        ] {
            let (d, a, b) = worst_pair(&colors, m);
            eprintln!("{name} {vision}: closest pair {a} / {b}, CIEDE2000 {d:.1}");
            assert!(
                d >= MIN_DELTA_E,
                "{name}: under {vision}, {a} and {b} differ by only {d:.1} (need {MIN_DELTA_E})"
            );
        }
    }
}
