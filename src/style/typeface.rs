//! The typeface the map's text is measured and drawn in: the bundled DejaVu Sans, or a user
//! font (`[fonts] regular` / `bold` in the style, `--font` / `--font-bold`), with DejaVu Sans
//! as the fallback for characters the user font does not have.
//!
//! Layout measures text before any writer runs, so every writer must draw with exactly the
//! faces measured: the PNG and PDF writers get font databases built from this typeface alone
//! ([`crate::render::typeface::font_database!`]), in which the user's regular file is weight 400 and its bold file
//! weight 700 of one family, whatever their own `OS/2` tables say (two files of the same
//! weight, or of different families, would otherwise be picked by chance). Without a bold
//! file bold text is set in the regular face, not synthesised: resvg has no synthetic bold,
//! and the web page declares the regular face for every weight so that browsers do not
//! embolden it either, and the PNG, the PDF and the page agree.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Font bytes as both fontdb versions (resvg's and svg2pdf's) take them.
pub(crate) type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The family name of the bundled face.
pub const BUNDLED_FAMILY: &str = "DejaVu Sans";

/// A problem with a font file.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file cannot be read.
    #[error("{}: {origin}: cannot read the font file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The flag or style key naming it, e.g. `--font` or `fonts.regular in s.toml`.
        origin: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a single TrueType/OpenType font that can be drawn.
    #[error("{}: {origin}: {why}; expected a TrueType or OpenType font file (.ttf, .otf)", path.display())]
    NotAFont {
        /// The file.
        path: PathBuf,
        /// The flag or style key naming it.
        origin: String,
        /// What is wrong.
        why: String,
    },
}

/// One font file.
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) data: FontData,
    /// The file, for messages (`None` for the bundled face).
    pub(crate) path: Option<PathBuf>,
    /// The flag or style key that named it.
    pub(crate) origin: String,
    /// The PostScript name (`name` ID 6), which a PDF names the embedded font by.
    pub(crate) postscript: String,
}

impl Face {
    fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }
}

/// The faces text is measured and drawn in.
pub struct Typeface {
    /// The family the SVG names (the user font's, read from its `name` table).
    family: String,
    /// The user's regular and (optional) bold faces; `None` for the bundled typeface.
    user: Option<(Face, Option<Face>)>,
    /// resvg's parsing options for this typeface, built once (see [`crate::render::png`]).
    pub(crate) png_options: OnceLock<resvg::usvg::Options<'static>>,
    /// svg2pdf's parsing options for this typeface, built once (see `render::pdf`).
    #[cfg(feature = "pdf")]
    pub(crate) pdf_options: OnceLock<svg2pdf::usvg::Options<'static>>,
}

impl std::fmt::Debug for Typeface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let paths = self
            .user
            .as_ref()
            .map(|(r, b)| (r.path.clone(), b.as_ref().and_then(|b| b.path.clone())));
        f.debug_struct("Typeface")
            .field("family", &self.family)
            .field("files", &paths)
            .finish()
    }
}

impl PartialEq for Typeface {
    fn eq(&self, other: &Typeface) -> bool {
        let key = |t: &Typeface| {
            t.user.as_ref().map(|(r, b)| {
                (
                    r.path.clone(),
                    r.bytes().len(),
                    b.as_ref().map(|b| (b.path.clone(), b.bytes().len())),
                )
            })
        };
        self.family == other.family && key(self) == key(other)
    }
}

fn bundled_faces() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some((
                FontRef::new(dejavu::sans::regular()).ok()?,
                FontRef::new(dejavu::sans::bold()).ok()?,
            ))
        })
        .as_ref()
}

/// A face's character map and advances, looked up once per measured text.
struct Advances<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    glyphs: skrifa::metrics::GlyphMetrics<'a>,
    upem: f32,
}

impl<'a> Advances<'a> {
    fn new(font: &FontRef<'a>) -> Advances<'a> {
        let upem = font
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em;
        Advances {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem: f32::from(upem.max(1)),
        }
    }

    /// The advance of `c` in em, if the face maps it.
    fn of(&self, c: char) -> Option<f32> {
        let glyph = self.charmap.map(c)?;
        Some(self.glyphs.advance_width(glyph)? / self.upem)
    }
}

impl Typeface {
    /// The bundled DejaVu Sans (regular and bold), shared.
    pub fn bundled() -> Arc<Typeface> {
        static BUNDLED: OnceLock<Arc<Typeface>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| {
                Arc::new(Typeface {
                    family: BUNDLED_FAMILY.to_string(),
                    user: None,
                    png_options: OnceLock::new(),
                    #[cfg(feature = "pdf")]
                    pdf_options: OnceLock::new(),
                })
            })
            .clone()
    }

    /// Reads a user font: `regular` (named by `origin`, e.g. `--font`), and `bold` if given
    /// (else bold text is set in the regular face). Each file must be one TrueType or OpenType
    /// font with a character map and a family name.
    pub fn load(
        regular: (&Path, &str),
        bold: Option<(&Path, &str)>,
    ) -> Result<Typeface, FontError> {
        let regular = read_face(regular.0, regular.1)?;
        let bold = bold.map(|(p, o)| read_face(p, o)).transpose()?;
        let family = family_name(&regular)?;
        Ok(Typeface {
            family,
            user: Some((regular, bold)),
            png_options: OnceLock::new(),
            #[cfg(feature = "pdf")]
            pdf_options: OnceLock::new(),
        })
    }

    /// The family the text is set in: the user font's family name, or `DejaVu Sans`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Whether this is a user font (not the bundled face alone).
    pub fn is_user(&self) -> bool {
        self.user.is_some()
    }

    /// Whether bold text has a bold face of its own (the bundled face has; a user font
    /// without a bold file sets bold text in its regular face).
    pub fn has_bold(&self) -> bool {
        self.user.as_ref().is_none_or(|(_, b)| b.is_some())
    }

    /// The PostScript names of the user's faces (regular, then bold), as a PDF names them.
    pub fn postscript_names(&self) -> Vec<&str> {
        match &self.user {
            Some((r, b)) => std::iter::once(r)
                .chain(b)
                .map(|f| f.postscript.as_str())
                .collect(),
            None => Vec::new(),
        }
    }

    /// The user's faces to load into a renderer's font database, with the weight each
    /// stands for (400 regular, 700 bold); empty for the bundled typeface.
    pub(crate) fn user_faces(&self) -> Vec<(FontData, u16)> {
        match &self.user {
            Some((r, b)) => std::iter::once((r.data.clone(), 400))
                .chain(b.iter().map(|b| (b.data.clone(), 700)))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The user's font files with the CSS weight (range) each is declared for, for the
    /// web page's `@font-face` rules.
    pub(crate) fn web_faces(&self) -> Vec<(&[u8], &'static str)> {
        match &self.user {
            Some((r, Some(b))) => vec![(r.bytes(), "400"), (b.bytes(), "700")],
            // One face for every weight: browsers then draw bold in it as it is, as the
            // PNG and PDF do, rather than emboldening it.
            Some((r, None)) => vec![(r.bytes(), "1 1000")],
            None => Vec::new(),
        }
    }

    /// The user face bold (or regular) text is drawn in, parsed.
    fn user_face(&self, bold: bool) -> Option<FontRef<'_>> {
        let (r, b) = self.user.as_ref()?;
        let face = if bold { b.as_ref().unwrap_or(r) } else { r };
        FontRef::new(face.bytes()).ok()
    }

    /// The width in pixels of `text` set at `size` px, without kerning (a close upper
    /// bound): each character in the face it is drawn in, the user face or, for characters
    /// it lacks, DejaVu Sans (as resvg falls back).
    ///
    /// ```
    /// use controlmap::render::typeface::Typeface;
    /// let t = Typeface::bundled();
    /// let narrow = t.measure("iii", 20.0, false);
    /// let wide = t.measure("WWW", 20.0, false);
    /// assert!(narrow > 0.0 && wide > 2.0 * narrow);
    /// assert!(t.measure("WWW", 20.0, true) > wide);
    /// ```
    pub fn measure(&self, text: &str, size: f32, bold: bool) -> f32 {
        let user = self.user_face(bold);
        let user = user.as_ref().map(Advances::new);
        let bundled = bundled_faces().map(|(r, b)| Advances::new(if bold { b } else { r }));
        let ems: f32 = text
            .chars()
            .map(|c| {
                user.as_ref()
                    .and_then(|f| f.of(c))
                    .or_else(|| bundled.as_ref().and_then(|f| f.of(c)))
                    // Neither face has it: drawn as a box about this wide.
                    .unwrap_or(0.6)
            })
            .sum();
        ems * size
    }

    /// The characters of `text` the user font has no glyph for (each once, in order), and
    /// whether DejaVu Sans, which draws them instead, has them; empty for the bundled face.
    pub fn missing(&self, text: &str) -> Vec<(char, bool)> {
        let Some(face) = self.user_face(false) else {
            return Vec::new();
        };
        let bold = self.user_face(true);
        let charmaps = [Some(face.charmap()), bold.as_ref().map(|b| b.charmap())];
        let bundled = bundled_faces().map(|(r, _)| r.charmap());
        let mut out: Vec<(char, bool)> = Vec::new();
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || out.iter().any(|(m, _)| *m == c) {
                continue;
            }
            if charmaps.iter().flatten().any(|m| m.map(c).is_none()) {
                out.push((c, bundled.as_ref().is_some_and(|m| m.map(c).is_some())));
            }
        }
        out
    }

    /// Where the user font came from, for messages: "--font DejaVuSerif.ttf".
    pub fn origin(&self) -> String {
        match &self.user {
            Some((r, _)) => format!(
                "{} {}",
                r.origin,
                r.path
                    .as_deref()
                    .map_or(String::new(), |p| p.display().to_string())
            ),
            None => BUNDLED_FAMILY.to_string(),
        }
    }
}

/// The family name of a face, as fontdb reads it (typographic family, else family).
fn family_name(face: &Face) -> Result<String, FontError> {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_source(resvg::usvg::fontdb::Source::Binary(face.data.clone()));
    let family = db
        .faces()
        .next()
        .and_then(|f| f.families.first())
        .map(|(name, _)| name.trim().to_string())
        .filter(|n| !n.is_empty());
    family.ok_or_else(|| FontError::NotAFont {
        path: face.path.clone().unwrap_or_default(),
        origin: face.origin.clone(),
        why: "the font has no family name in its `name` table".into(),
    })
}

/// Reads and checks one font file.
fn read_face(path: &Path, origin: &str) -> Result<Face, FontError> {
    let not = |why: String| FontError::NotAFont {
        path: path.to_path_buf(),
        origin: origin.to_string(),
        why,
    };
    if path.is_dir() {
        return Err(not("a directory".into()));
    }
    let bytes = std::fs::read(path).map_err(|source| FontError::Io {
        path: path.to_path_buf(),
        origin: origin.to_string(),
        source,
    })?;
    match bytes.get(..4) {
        None => return Err(not(format!("{} bytes, too short for a font", bytes.len()))),
        Some(b"ttcf") => {
            return Err(not(
                "a font collection (.ttc); give one of its fonts as a .ttf or .otf".into(),
            ));
        }
        Some(b"wOFF") | Some(b"wOF2") => {
            return Err(not(
                "a WOFF web font; give the TrueType or OpenType file it was made from".into(),
            ));
        }
        _ => {}
    }
    let font = FontRef::new(&bytes).map_err(|e| not(format!("not readable as a font ({e})")))?;
    if font.charmap().mappings().next().is_none() {
        return Err(not(
            "the font maps no characters (no usable `cmap` table)".into()
        ));
    }
    let upem = font
        .metrics(Size::unscaled(), LocationRef::default())
        .units_per_em;
    let measurable = font
        .charmap()
        .mappings()
        .next()
        .and_then(|(_, g)| {
            font.glyph_metrics(Size::unscaled(), LocationRef::default())
                .advance_width(g)
        })
        .is_some();
    if upem == 0 || !measurable {
        return Err(not("the font has no glyph metrics (`head`, `hmtx`)".into()));
    }
    // What the renderers will make of it: fontdb (over ttf-parser) must read the same file.
    let data: FontData = Arc::new(bytes);
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_source(resvg::usvg::fontdb::Source::Binary(data.clone()));
    let postscript = match db.faces().next() {
        Some(info) => info.post_script_name.clone(),
        None => return Err(not("the renderer cannot read it (ttf-parser)".into())),
    };
    Ok(Face {
        data,
        path: Some(path.to_path_buf()),
        origin: origin.to_string(),
        postscript,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERIF: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

    #[test]
    fn the_bundled_typeface_measures_as_dejavu_and_lacks_nothing() {
        let t = Typeface::bundled();
        assert_eq!(t.family(), "DejaVu Sans");
        assert!(!t.is_user() && t.has_bold());
        assert!(t.missing("كابل Kabul").is_empty());
        assert_eq!(t.svg_family(), "DejaVu Sans, sans-serif");
    }

    #[test]
    fn bad_font_files_are_refused_naming_the_file_and_the_origin() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.ttf");
        std::fs::write(&text, "this is not a font, just some text\n").unwrap();
        let empty = dir.path().join("empty.otf");
        std::fs::write(&empty, "").unwrap();
        let ttc = dir.path().join("fonts.ttc");
        std::fs::write(&ttc, b"ttcf\0\x01\0\0\0\0\0\0").unwrap();
        for (path, expect) in [
            (text.as_path(), "not readable as a font"),
            (empty.as_path(), "too short for a font"),
            (ttc.as_path(), "a font collection"),
            (dir.path(), "a directory"),
            (Path::new("/no/such/font.ttf"), "cannot read the font file"),
        ] {
            let e = Typeface::load((path, "--font"), None)
                .unwrap_err()
                .to_string();
            assert!(e.contains(expect), "{e}");
            assert!(e.contains("--font"), "{e}");
            assert!(e.contains(&path.display().to_string()), "{e}");
        }
    }

    #[test]
    fn a_user_font_is_measured_in_its_own_advances() {
        if !Path::new(SERIF).exists() {
            panic!("{SERIF} is missing: install fonts-dejavu-extra (.ci/run does)");
        }
        let t = Typeface::load((Path::new(SERIF), "--font"), None).unwrap();
        assert_eq!(t.family(), "DejaVu Serif");
        assert!(!t.has_bold());
        let serif = t.measure("Mazar-i-Sharif", 20.0, false);
        let sans = Typeface::bundled().measure("Mazar-i-Sharif", 20.0, false);
        assert!((serif - sans).abs() > 1.0, "{serif} vs {sans}");
        // No bold file: bold is measured in the regular face it is drawn in.
        assert_eq!(
            t.measure("Kabul", 20.0, true),
            t.measure("Kabul", 20.0, false)
        );
        assert!(t.svg_family().starts_with("'DejaVu Serif', DejaVu Sans"));
    }
}
