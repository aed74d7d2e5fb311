//! Style files: any bytes give a style or an error, never a panic; a style that reads is
//! applied and its templates expanded without a panic either.
#![no_main]

use std::path::Path;

use controlmap::read::style::parse_style;
use controlmap::render::template::{Context, expand};
use controlmap::render::{LegendEntry, Style, styling};
use controlmap::status::{Categories, CategoryOptions, Color};
use controlmap::timeline::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = parse_style(Path::new("fuzz.toml"), text) else {
        return;
    };
    let mut style = Style::default();
    styling::apply(&file, &mut style);
    let _ = controlmap::render::check_size(&style);
    let categories = Categories::from_options(&CategoryOptions {
        style_preset: file.categories.preset.clone(),
        styled: file.categories.category.clone(),
        order: file.legend.order.clone().unwrap_or_default(),
        ..CategoryOptions::default()
    });
    let legend: Vec<LegendEntry> = match &categories {
        Ok(c) => c
            .list
            .iter()
            .chain([&c.no_data])
            .map(|c| LegendEntry {
                key: c.key.clone(),
                label: c.label.clone(),
                color: c.color,
                count: 7,
            })
            .collect(),
        Err(_) => vec![LegendEntry {
            key: "taliban".into(),
            label: "Taliban".into(),
            color: Color { r: 1, g: 2, b: 3 },
            count: 7,
        }],
    };
    let context = Context {
        date: Date::parse_iso("2021-06-20"),
        legend: &legend,
    };
    let t = &file.text;
    for template in [&t.title, &t.subtitle, &t.date_line, &t.source]
        .into_iter()
        .flatten()
    {
        let _ = expand(template, &context);
    }
});
