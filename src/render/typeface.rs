//! What render adds to the style's typeface ([`crate::style::typeface`]): the SVG family
//! list, the font databases the PNG and PDF writers draw with, and the text a scene draws,
//! to check a user font's coverage.

pub use crate::style::typeface::*;

impl Typeface {
    /// The SVG `font-family` list: the user family, then the bundled face as the fallback.
    pub fn svg_family(&self) -> String {
        match self.is_user() {
            false => format!("{BUNDLED_FAMILY}, sans-serif"),
            // Quoted, as a family name may hold digits or punctuation; a quote in the
            // name would end it, and an XML special character the attribute.
            true => format!(
                "'{}', {BUNDLED_FAMILY}, sans-serif",
                super::text::escape(&self.family().replace(['\'', '\\'], ""))
            ),
        }
    }
}

/// Every text a scene can draw on `frame`'s page and on its other dates (the locale's month
/// names and digits), one per line, to check a user font's coverage before it is drawn.
pub fn drawn_text(scene: &super::Scene, frame: &super::Frame) -> String {
    let mut out: Vec<String> = Vec::new();
    let t = &frame.text;
    out.extend(
        [Some(&t.title), t.subtitle.as_ref(), t.source.as_ref()]
            .into_iter()
            .flatten()
            .cloned(),
    );
    out.extend(frame.date_line.clone());
    out.extend(frame.view_note.clone());
    out.extend(frame.legend.iter().map(|e| e.label.clone()));
    for note in [&frame.change_note, &frame.captured_note]
        .into_iter()
        .flatten()
    {
        out.push(note.template.clone());
    }
    out.extend(scene.style.place_states.iter().map(|s| s.label.clone()));
    out.extend(scene.places.iter().map(|p| p.shown.clone()));
    out.extend(
        scene
            .extras
            .district_labels
            .iter()
            .map(|l| scene.districts[l.district].name.clone()),
    );
    out.extend(
        scene
            .extras
            .annotations
            .iter()
            .flat_map(|a| a.lines.clone()),
    );
    fn runs(items: &[super::draw::Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                super::draw::Item::Text(r) => out.push(r.text.clone()),
                super::draw::Item::Group(g) => runs(&g.items, out),
                _ => {}
            }
        }
    }
    for layer in scene.layers().iter().chain(&frame.layers) {
        runs(&layer.items, &mut out);
    }
    let locale = scene.style.locale;
    for month in 1..=12 {
        if let Some(d) = crate::timeline::Date::from_ymd(2021, month, 28) {
            out.push(locale.long_date(d));
        }
    }
    out.push(locale.number(1_234_567_890));
    out.join("\n")
}

/// A font database for one fontdb version (resvg's or svg2pdf's) holding `$typeface`'s
/// user faces as one family (regular 400, bold 700) and the bundled faces as the fallback,
/// with the generic families pointing at the typeface's family.
macro_rules! font_database {
    ($fontdb:path, $typeface:expr) => {{
        use $fontdb as fontdb;
        let typeface: &$crate::render::typeface::Typeface = $typeface;
        let mut db = fontdb::Database::new();
        for (data, weight) in typeface.user_faces() {
            let mut probe = fontdb::Database::new();
            probe.load_font_source(fontdb::Source::Binary(data));
            let infos: Vec<fontdb::FaceInfo> = probe.faces().cloned().collect();
            for mut info in infos {
                info.families = vec![(
                    typeface.family().to_string(),
                    fontdb::Language::English_UnitedStates,
                )];
                info.weight = fontdb::Weight(weight);
                info.style = fontdb::Style::Normal;
                info.stretch = fontdb::Stretch::Normal;
                db.push_face_info(info);
            }
        }
        db.load_font_data($crate::render::text::regular_font().to_vec());
        db.load_font_data($crate::render::text::bold_font().to_vec());
        // Whatever family a hand-edited SVG asks for, draw it in the typeface.
        db.set_sans_serif_family(typeface.family());
        db.set_serif_family(typeface.family());
        db.set_monospace_family(typeface.family());
        db
    }};
}
pub(crate) use font_database;
