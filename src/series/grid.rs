//! Small multiples: the dates of a series side by side in one image, each panel with its
//! date, under one shared title, legend and source line.

use std::fmt::Write;

use super::SeriesError;
use crate::Map;
use crate::render::text::escape;
use crate::render::{Frame, Layout, Style, Text, change, svg};
use crate::timeline::Date;

/// The small-multiples SVG of `dates` in a `cols`×`rows` grid, on the map's page size.
/// Panels are filled row by row; the legend shows the categories without counts (they
/// differ from panel to panel), and each panel is labelled with its date.
pub fn svg(map: &Map, dates: &[Date], cols: usize, rows: usize) -> Result<String, SeriesError> {
    let page = map.scene().style().clone();
    let mut text = map.scene().text.clone();
    text.date_line = None;
    // Category swatches and labels only: counts differ from panel to panel.
    let legend = map.scene().legend_keys();
    // The change marks and captured capitals are explained after the categories, uncounted.
    let first = map.frame(dates[0]);
    let labels: Vec<String> = legend
        .iter()
        .map(|e| e.label.clone())
        .chain(change::unnumbered_notes(map.scene(), &first))
        .chain(crate::render::place_states::legend_labels(
            &map.scene().extras.place_states,
            &page.place_states,
        ))
        .collect();
    let layout = Layout::new(
        &Style {
            plain: false,
            ..page.clone()
        },
        &text,
        &labels,
    );
    let u = layout.u;
    let date_font = page.fonts.date;
    let label_h = (date_font.size * 1.3 * u).ceil();
    let gap = (12.0 * u).round();
    let cell_w = ((layout.map.width - gap * (cols as f64 - 1.0)) / cols as f64).floor();
    let cell_h = ((layout.map.height - gap * (rows as f64 - 1.0)) / rows as f64).floor();
    if cell_w < 16.0 || cell_h - label_h < 16.0 {
        return Err(SeriesError::Usage(format!(
            "--grid {cols}x{rows}: panels of {cell_w}x{cell_h} px are too small for a {}x{} page",
            page.width, page.height
        )));
    }
    // Lines drawn for a whole page are too heavy on a panel a fraction of its width: they
    // thin with the square root of the panel's share of the page (half as wide for a
    // quarter of it), never below a third.
    let thin = (cell_w / f64::from(page.width))
        .sqrt()
        .clamp(1.0 / 3.0, 1.0) as f32;
    let panel_style = Style {
        width: cell_w as u32,
        height: (cell_h - label_h) as u32,
        scale: 1.0,
        background: None,
        plain: true,
        border_width: page.border_width * thin,
        province_width: page.province_width * thin,
        outline_width: page.outline_width * thin,
        ..page.clone()
    };
    let panel = map
        .scene_for(panel_style, Text::default())
        .map_err(|e| SeriesError::Frame {
            date: dates[0],
            source: Box::new(e),
        })?;

    // Each map sits right under its panel's date line, and the rows are as tall as the maps
    // (a map fitted to the panel's width leaves room below it, not above and below).
    let (map_top, map_height) = panel.drawn_box().map_or((0.0, cell_h - label_h), |b| {
        (b.1.max(0.0), (b.3 - b.1).clamp(1.0, cell_h - label_h))
    });
    let row_pitch = (label_h + map_height.ceil() + gap).min(cell_h + gap);

    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{}" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}">"#,
        svg::INKSCAPE_NS,
        f64::from(page.width) * f64::from(page.scale),
        f64::from(page.height) * f64::from(page.scale),
        page.width,
        page.height,
        page.typeface.svg_family()
    );
    if let Some(bg) = page.background {
        let _ = writeln!(
            out,
            r#"<rect id="background" width="{}" height="{}" fill="{bg}"/>"#,
            page.width, page.height
        );
    }
    if map.scene().extras.hatch {
        // The legend's swatch of the change marks.
        out.push_str("<defs>");
        change::defs(&mut out, map.scene(), "");
        out.push_str("</defs>\n");
    }
    for (i, &date) in dates.iter().enumerate() {
        let (col, row) = (i % cols, i / cols);
        let x = layout.map.x + col as f64 * (cell_w + gap);
        let y = layout.map.y + row as f64 * row_pitch;
        // The frame's markers and callouts laid out on the panel, not on the page.
        let frame: Frame = map.frame_for(&panel, date);
        // The date line's template, expanded with this panel's date and counts; the date
        // alone when the map has no date line.
        let line = frame
            .date_line
            .clone()
            .unwrap_or_else(|| page.locale.long_date(date));
        // A long line shrinks to its panel's width rather than run into the next panel.
        let mut size = date_font.size * 0.9 * u;
        let width = f64::from(page.typeface.measure(&line, size as f32, date_font.bold()));
        if width > cell_w {
            size *= cell_w / width;
        }
        let _ = writeln!(
            out,
            r##"<g id="panel-{i}" data-date="{date}"{}><text id="p{i}-date" x="{x:.1}" y="{:.1}" font-size="{:.2}" font-weight="{}" fill="{}">{}</text>"##,
            svg::layer(&format!("panel {date}")),
            y + date_font.size * 0.95 * u,
            size,
            date_font.svg_weight(),
            date_font.color,
            escape(&line)
        );
        let _ = writeln!(
            out,
            r#"<g transform="translate({x:.1} {:.1})">"#,
            y + label_h - map_top
        );
        svg::layers(&mut out, &panel, Some(&frame), &format!("p{i}-"));
        out.push_str("</g></g>\n");
    }
    // Texts with placeholders read as of the last panel.
    let last = dates.last().map(|&d| map.frame(d));
    svg::furniture(
        &mut out,
        &page,
        &layout,
        &text,
        last.as_ref().map_or(&text, |f| &f.text),
        &legend,
        None,
        svg::Part::Unnumbered,
    );
    change::notes(
        &mut out,
        map.scene(),
        (&layout, legend.len()),
        &first,
        svg::Part::Unnumbered,
    );
    if let Some(states) = crate::render::place_states::legend_in(
        map.scene(),
        (&layout, legend.len()),
        &first,
        svg::Part::Unnumbered,
    ) {
        svg::write_layer(&mut out, &states, "");
    }
    out.push_str("</svg>\n");
    Ok(out)
}
