//! Applying a style file ([`StyleFile`], read by [`crate::read::style`]) to a [`Style`].
//!
//! The order of precedence is: built-in defaults, then the style file, then the command
//! line. The caller starts from [`Style::default`], calls [`apply`], then sets what the
//! command line gives. The file's categories and texts go to
//! [`crate::status::CategoryOptions`] and [`super::Text`] the same way.

use super::Style;
use super::furniture::{Font, POINTS_PER_INCH, PRINT_DPI, SizePreset};
use crate::read::style::{FontSection, Length, LineSection, StyleFile};
use crate::status::Color;

/// Sets everything `file` gives on `style`: size, fonts, lines, background, legend,
/// margins, `plain`.
///
/// ```
/// use std::path::Path;
/// use controlmap::read::style::parse_style;
/// use controlmap::render::{Style, styling::apply};
/// let file = parse_style(Path::new("s.toml"), "[size]\npreset = \"print\"\n").unwrap();
/// let mut style = Style::default();
/// apply(&file, &mut style);
/// assert_eq!(controlmap::render::png::pixel_size(&style), (2400, 1800));
/// ```
pub fn apply(file: &StyleFile, style: &mut Style) {
    place_states(file, style);
    let size = &file.size;
    if let Some(preset) = size.preset {
        (style.width, style.height, style.scale) = preset.page();
        style.type_floor = preset.type_floor();
    }
    let mut physical = size.preset == Some(SizePreset::Print);
    for (length, side) in [
        (size.width, &mut style.width),
        (size.height, &mut style.height),
    ] {
        match length {
            Some(Length::Px(px)) => *side = px,
            Some(Length::Points(pt)) => {
                *side = pt.round() as u32;
                physical = true;
            }
            None => {}
        }
    }
    // A page measured in inches is laid out in points and drawn at the file's resolution.
    if physical {
        style.scale = (size.dpi.unwrap_or(PRINT_DPI) / POINTS_PER_INCH) as f32;
    }
    if let Some(scale) = size.scale {
        style.scale = scale;
    }

    let fonts = &file.fonts;
    for (section, font) in [
        (&fonts.title, &mut style.fonts.title),
        (&fonts.subtitle, &mut style.fonts.subtitle),
        (&fonts.date, &mut style.fonts.date),
        (&fonts.legend, &mut style.fonts.legend),
        (&fonts.source, &mut style.fonts.source),
        (&fonts.labels, &mut style.fonts.labels),
    ] {
        apply_font(section, font);
    }

    let lines = &file.lines;
    let borders = lines.borders.line();
    if let Some(mode) = lines.borders.mode {
        style.borders = mode;
    }
    for (section, color, width) in [
        (&borders, &mut style.border_color, &mut style.border_width),
        (
            &lines.provinces,
            &mut style.province_color,
            &mut style.province_width,
        ),
        (
            &lines.outline,
            &mut style.outline_color,
            &mut style.outline_width,
        ),
    ] {
        apply_line(section, color, width);
    }
    if let Some(background) = lines.background {
        style.background = background;
    }
    if let Some(simplify) = lines.simplify {
        style.simplify = simplify;
    }

    let legend = &file.legend;
    if let Some(position) = legend.position {
        style.legend.position = position;
    }
    if let Some(counts) = legend.counts {
        style.legend.counts = counts;
    }
    if let Some(no_data) = legend.no_data {
        style.legend.no_data = no_data;
    }
    if let Some(national) = legend.national_counts {
        style.legend.national_counts = national;
    }

    let m = &file.margins;
    if let Some(all) = m.all {
        style.margins.top = all;
        style.margins.right = all;
        style.margins.bottom = all;
        style.margins.left = all;
    }
    for (side, margin) in [
        (m.top, &mut style.margins.top),
        (m.right, &mut style.margins.right),
        (m.bottom, &mut style.margins.bottom),
        (m.left, &mut style.margins.left),
    ] {
        if let Some(v) = side {
            *margin = v;
        }
    }
    apply_line(&file.halo, &mut style.halo_color, &mut style.halo_width);
    if let Some(locale) = file.text.locale {
        style.locale = locale;
    }
    if let Some(unplaced) = file.labels.unplaced {
        style.unplaced_labels = unplaced;
    }
    if let Some(show) = file.scale_bar.show {
        style.scale_bar = show;
    }
    if let Some(north) = file.scale_bar.north_arrow {
        style.north_arrow = north;
    }
    if let Some(plain) = file.text.plain {
        style.plain = plain;
    }
}

fn apply_font(section: &FontSection, font: &mut Font) {
    if let Some(size) = section.size {
        font.size = size;
    }
    if let Some(weight) = section.weight {
        font.weight = weight;
    }
    if let Some(color) = section.color {
        font.color = color;
    }
}

fn apply_line(section: &LineSection, color: &mut Color, width: &mut f32) {
    if let Some(c) = section.color {
        *color = c;
    }
    if let Some(w) = section.width {
        *width = w;
    }
}

/// The style file's `[place_states.NAME]` over the defaults: a default state changes in
/// place (its legend order stays), a new one comes after them, in name order.
fn place_states(file: &StyleFile, style: &mut Style) {
    for (name, section) in &file.place_states {
        let key = name.to_lowercase();
        let state = match style.place_states.iter_mut().find(|s| s.key == key) {
            Some(s) => s,
            None => {
                // Checked by the reader: a new state has all three keys.
                let (Some(marker), Some(color), Some(label)) =
                    (section.marker, section.color, section.label.clone())
                else {
                    continue;
                };
                style.place_states.push(super::place_states::PlaceState {
                    key,
                    label,
                    marker,
                    color,
                });
                continue;
            }
        };
        if let Some(m) = section.marker {
            state.marker = m;
        }
        if let Some(c) = section.color {
            state.color = c;
        }
        if let Some(l) = &section.label {
            state.label = l.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::style::parse_style;
    use crate::render::furniture::{LegendPosition, Weight};
    use std::path::Path;

    fn styled(text: &str) -> Style {
        let file = parse_style(Path::new("s.toml"), text).unwrap();
        let mut style = Style::default();
        apply(&file, &mut style);
        style
    }

    #[test]
    fn nothing_given_changes_nothing() {
        assert_eq!(styled(""), Style::default());
    }

    #[test]
    fn sizes_named_and_measured() {
        let size = |t: &str| {
            let s = styled(t);
            (s.width, s.height, crate::render::png::pixel_size(&s))
        };
        assert_eq!(
            size("[size]\npreset = \"social\""),
            (1080, 1080, (1080, 1080))
        );
        assert_eq!(size("[size]\npreset = \"print\""), (576, 432, (2400, 1800)));
        assert_eq!(
            size("[size]\npreset = \"print\"\ndpi = 150"),
            (576, 432, (1200, 900))
        );
        assert_eq!(
            size("[size]\nwidth = \"210mm\"\nheight = \"148mm\""),
            (595, 420, (2479, 1750))
        );
        assert_eq!(
            size("[size]\npreset = \"social\"\nwidth = 1200\nscale = 2"),
            (1200, 1080, (2400, 2160))
        );
    }

    #[test]
    fn fonts_lines_legend_and_margins() {
        let s = styled(
            "[fonts.legend]\nsize = 24\nweight = \"bold\"\n[lines.outline]\nwidth = 0\n\
             [lines]\nbackground = \"#000\"\n[legend]\nposition = \"bottom\"\n\
             [margins]\nall = 10\ntop = 50\n",
        );
        assert_eq!(
            (s.fonts.legend.size, s.fonts.legend.weight),
            (24.0, Weight::Bold)
        );
        assert_eq!(s.fonts.title, Style::default().fonts.title);
        assert_eq!(s.outline_width, 0.0);
        assert_eq!(s.background, Some(Color { r: 0, g: 0, b: 0 }));
        assert_eq!(s.legend.position, LegendPosition::Bottom);
        assert_eq!(
            (s.margins.top, s.margins.right, s.margins.left),
            (50.0, 10.0, 10.0)
        );
    }
}
