//! Text templates: the title, subtitle, date line and source may name the date and the
//! legend's numbers, and are expanded for every frame, so a series changes them frame by
//! frame.
//!
//! Placeholders: `{date}` ("June 20, 2021"), `{date.iso}` ("2021-06-20"), `{count.KEY}` (the
//! districts in category `KEY`, `no-data` included) and `{label.KEY}` (its legend label).
//! `{{` and `}}` stand for literal braces.
//!
//! ```
//! use controlmap::render::template;
//! assert!(template::check("As of {date} ({count.taliban} districts)").is_ok());
//! assert!(template::check("As of {dat}").is_err());
//! assert!(template::is_static("Control {{sic}}"));
//! ```

use super::LegendEntry;
use super::locale::Locale;
use crate::timeline::Date;

/// A text template is malformed or names something the map does not have. Its own type
/// rather than a `RenderError` since the style-file reader checks templates too, and the
/// style model sits below render; render wraps it as `RenderError::Template`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{placeholder}`: {why}")]
pub struct TemplateError {
    /// The placeholder (or the piece of the template) at fault.
    pub placeholder: String,
    /// What is wrong, and what was expected.
    pub why: String,
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    /// A literal `{` or `}` (written doubled).
    Brace(char),
    Date,
    DateIso,
    Count(String),
    Label(String),
}

fn error(placeholder: &str, why: impl Into<String>) -> TemplateError {
    TemplateError {
        placeholder: placeholder.to_string(),
        why: why.into(),
    }
}

/// Splits a template into its pieces, or says what is wrong with it.
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let brace = rest[i..].chars().next().unwrap_or('{');
        let after = &rest[i + 1..];
        if after.starts_with(brace) {
            out.push(Piece::Brace(brace));
            rest = &after[1..];
            continue;
        }
        if brace == '}' {
            return Err(error("}", "a lone `}`: write `}}` for a literal brace"));
        }
        let Some(end) = after.find('}') else {
            return Err(error(
                &rest[i..],
                "a `{` without its `}`: write `{{` for a literal brace",
            ));
        };
        let name = &after[..end];
        let placeholder = &rest[i..i + end + 2];
        out.push(match name.split_once('.') {
            None if name == "date" => Piece::Date,
            Some(("date", "iso")) => Piece::DateIso,
            Some(("count", key)) if valid_key(key) => Piece::Count(key.to_lowercase()),
            Some(("label", key)) if valid_key(key) => Piece::Label(key.to_lowercase()),
            _ => {
                return Err(error(
                    placeholder,
                    "unknown placeholder: expected {date}, {date.iso}, {count.CATEGORY} or \
                     {label.CATEGORY} (write {{ and }} for literal braces)",
                ));
            }
        });
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Category keys are short words: letters, digits, `-` and `_`.
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Checks a template's syntax: every placeholder is known and every brace is closed or
/// doubled. Category keys are checked against a map's categories by [`check_keys`].
pub fn check(template: &str) -> Result<(), TemplateError> {
    pieces(template).map(|_| ())
}

/// Checks that every `{count.KEY}` and `{label.KEY}` names one of `keys` (the map's
/// category keys and `no-data`).
pub fn check_keys(template: &str, keys: &[&str]) -> Result<(), TemplateError> {
    for piece in pieces(template)? {
        let (Piece::Count(key) | Piece::Label(key)) = piece else {
            continue;
        };
        if !keys.contains(&key.as_str()) {
            let kind = if template.contains(&format!("{{count.{key}")) {
                "count"
            } else {
                "label"
            };
            return Err(error(
                &format!("{{{kind}.{key}}}"),
                format!(
                    "no category `{key}` on this map; categories: {}",
                    keys.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Checks a legend-line template with its own small set of placeholders (`--captured-label`,
/// `--since-label`): every `{word}` must be one of `allowed` (given without braces), so that
/// a misspelt placeholder is an error, as in [`check`], instead of being drawn literally.
///
/// ```
/// use controlmap::render::template::check_label;
/// assert!(check_label("Captured by {label}: {count}", &["label", "count"]).is_ok());
/// let e = check_label("{nope} {count}", &["label", "count"]).unwrap_err();
/// assert!(e.to_string().contains("`{nope}`: unknown placeholder: expected {label} or {count}"));
/// ```
pub fn check_label(template: &str, allowed: &[&str]) -> Result<(), TemplateError> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(['{', '}']) else {
            break;
        };
        let word = &rest[..close];
        // Only a brace pair around a word is taken for a placeholder; other braces are text.
        let looks_like_placeholder = rest[close..].starts_with('}')
            && !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if looks_like_placeholder && !allowed.contains(&word) {
            let expected: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
            let expected = match expected.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, init)) => format!("{} or {last}", init.join(", ")),
                None => "no placeholder".to_string(),
            };
            return Err(error(
                &format!("{{{word}}}"),
                format!("unknown placeholder: expected {expected}"),
            ));
        }
        rest = &rest[close..];
    }
    Ok(())
}

/// Whether a template has no placeholder, so that it reads the same on every date.
pub fn is_static(template: &str) -> bool {
    pieces(template).is_ok_and(|p| {
        p.iter()
            .all(|p| matches!(p, Piece::Text(_) | Piece::Brace(_)))
    })
}

/// What placeholders stand for on one frame.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The frame's date; `None` for a snapshot drawn without one (`{date}` is then empty).
    pub date: Option<Date>,
    /// The legend with this frame's counts.
    pub legend: &'a [LegendEntry],
    /// The language of `{date}` and the counts ([`Locale::En`]: "June 20, 2021").
    pub locale: Locale,
}

/// Expands a template for a frame. A malformed template (which [`check`] refuses) is
/// returned as written, and a placeholder naming a category the map does not have is kept
/// as written: expansion never fails.
///
/// ```
/// use controlmap::render::{LegendEntry, locale::Locale, template::{Context, expand}};
/// use controlmap::status::Color;
/// use controlmap::timeline::Date;
/// let legend = [LegendEntry { key: "taliban".into(), label: "Taliban".into(),
///                             color: Color { r: 0, g: 0, b: 0 }, count: 41 }];
/// let mut context = Context { date: Date::parse_iso("2021-06-20"), legend: &legend,
///                             locale: Locale::En };
/// assert_eq!(expand("{label.taliban}: {count.taliban} on {date} ({date.iso}) {{x}}", &context),
///            "Taliban: 41 on June 20, 2021 (2021-06-20) {x}");
/// context.locale = Locale::Fr;
/// assert_eq!(expand("Au {date} : {count.taliban} districts", &context),
///            "Au 20 juin 2021 : 41 districts");
/// context.locale = Locale::Fa;
/// assert_eq!(expand("{count.taliban} ولسوالی، {date}", &context), "۴۱ ولسوالی، ۲۰ جون ۲۰۲۱");
/// ```
pub fn expand(template: &str, context: &Context<'_>) -> String {
    let Ok(pieces) = pieces(template) else {
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len() + 16);
    let entry = |key: &str| context.legend.iter().find(|e| e.key == key);
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) => out.push(c),
            Piece::Date => out.push_str(
                &context
                    .date
                    .map(|d| context.locale.long_date(d))
                    .unwrap_or_default(),
            ),
            Piece::DateIso => {
                out.push_str(&context.date.map(|d| d.to_string()).unwrap_or_default())
            }
            Piece::Count(key) => match entry(&key) {
                Some(e) => out.push_str(&context.locale.number(e.count)),
                None => out.push_str(&format!("{{count.{key}}}")),
            },
            Piece::Label(key) => match entry(&key) {
                Some(e) => out.push_str(&e.label),
                None => out.push_str(&format!("{{label.{key}}}")),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Color;

    fn legend() -> Vec<LegendEntry> {
        let entry = |key: &str, label: &str, count| LegendEntry {
            key: key.into(),
            label: label.into(),
            color: Color { r: 0, g: 0, b: 0 },
            count,
        };
        vec![
            entry("taliban", "Taliban control", 41),
            entry("no-data", "No data", 3),
        ]
    }

    #[test]
    fn placeholders_expand_per_date() {
        let legend = legend();
        let at = |d| Context {
            date: Date::parse_iso(d),
            legend: &legend,
            locale: Locale::En,
        };
        let t = "{label.taliban} in {count.Taliban} districts, {count.no-data} unknown, {date}";
        assert_eq!(
            expand(t, &at("2021-08-16")),
            "Taliban control in 41 districts, 3 unknown, August 16, 2021"
        );
        assert_eq!(expand("{date.iso}", &at("2021-05-01")), "2021-05-01");
        let undated = Context {
            date: None,
            legend: &legend,
            locale: Locale::En,
        };
        assert_eq!(expand("As of {date}", &undated), "As of ");
    }

    #[test]
    fn bad_templates_say_which_placeholder() {
        for (bad, named) in [
            ("As of {dat}", "{dat}"),
            ("{count.}", "{count.}"),
            ("{count.a b}", "{count.a b}"),
            ("{date.long}", "{date.long}"),
            ("{}", "{}"),
            ("x { y", "{ y"),
            ("x } y", "}"),
            ("{count.taliban", "{count.taliban"),
        ] {
            match check(bad) {
                Err(TemplateError { placeholder, .. }) => {
                    assert_eq!(placeholder, named, "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
            // Expansion never fails: a bad template is drawn as written.
            assert_eq!(
                expand(
                    bad,
                    &Context {
                        date: None,
                        legend: &[],
                        locale: Locale::En,
                    }
                ),
                bad
            );
        }
        assert!(check("{{date}} and }} {{").is_ok());
        assert!(is_static("{{date}}") && !is_static("{date}") && !is_static("{oops"));
    }

    #[test]
    fn category_keys_are_checked_against_the_map() {
        let keys = ["taliban", "no-data"];
        assert!(check_keys("{count.taliban} {label.no-data} {date}", &keys).is_ok());
        let e = check_keys("{label.isis}", &keys).unwrap_err().to_string();
        assert!(
            e.contains("{label.isis}") && e.contains("taliban, no-data"),
            "{e}"
        );
    }
}
