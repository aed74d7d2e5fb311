//! Data shown on the terminal: one escaping for every message that echoes a name, value or
//! path from the input.
//!
//! A district name may hold anything a file can: ESC sequences that retitle or clear the
//! terminal, BEL, NUL, a carriage return or line feed that forges a log line, or a bidi
//! override that shows text in another order than it is. Messages show such characters as
//! visible escapes (`\u{1b}`, `\n`), as the status-value lists already do with `{:?}`.
//! Hand-written because `char::escape_debug` also escapes quotes and backslashes (which
//! names legitimately hold) and its notion of "printable" changes with the Unicode version.

use std::borrow::Cow;

/// True for characters a terminal acts on or reorders text by: C0 controls, DEL, C1
/// controls, and the bidi embedding/override (U+202A–U+202E) and isolate (U+2066–U+2069)
/// characters.
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// One piece of data (a name, a value, a path) as a message shows it: every hazard,
/// line feeds included, as a visible escape.
///
/// ```
/// use controlmap::terminal::shown;
/// assert_eq!(shown("Kabul"), "Kabul");
/// assert_eq!(shown("a\u{1b}]0;X\u{7}\nb"), "a\\u{1b}]0;X\\u{7}\\nb");
/// assert_eq!(shown("\u{202e}txt"), "\\u{202e}txt");
/// ```
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A whole message about to be printed: like [`shown`] but keeps its line feeds, which the
/// message itself puts between its lines. The last line of defence for data a message did
/// not pass through [`shown`]: no ESC, BEL, NUL or CR reaches the terminal whatever it says.
///
/// ```
/// use controlmap::terminal::lines;
/// assert_eq!(lines("one\ntwo\u{1b}[2J\r"), "one\ntwo\\u{1b}[2J\\r");
/// ```
pub fn lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_hazard(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c != '\n' && is_hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hazard_class_is_escaped() {
        for c in [
            '\0', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}', '\u{202a}', '\u{202e}',
            '\u{2066}', '\u{2069}',
        ] {
            let s = shown(&format!("a{c}b")).into_owned();
            assert!(!s.contains(c), "{c:?} left raw in {s}");
            assert!(s.starts_with('a') && s.ends_with('b') && s.contains('\\'));
        }
        assert_eq!(
            shown("Dasht-e \"Qala\" \\ ok é"),
            "Dasht-e \"Qala\" \\ ok é"
        );
        assert_eq!(lines("x\ty"), "x\\ty");
    }
}
