//! What a run has to tell besides its outputs: warnings about the data, notes, and the
//! closing summary. The library hands each to the caller as it happens (so that a warning
//! printed before a later error is not lost); the command line prints them unless `--quiet`.

use std::fmt;

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something in the data was repaired, dropped or not drawn.
    Warning,
    /// Worth knowing, nothing is wrong (e.g. a `--since` before the first record).
    Note,
    /// What was read, joined or written: the join summary, the counts of a written map.
    Summary,
}

/// One thing to tell the user, as the line(s) the command line prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Warning, note or summary.
    pub kind: NoticeKind,
    text: String,
}

impl Notice {
    /// A warning; `text` is the whole line, `warning: ` included.
    pub(crate) fn warning(text: String) -> Notice {
        Notice {
            kind: NoticeKind::Warning,
            text,
        }
    }

    /// A note; `text` is the whole line, `note: ` included.
    pub(crate) fn note(text: String) -> Notice {
        Notice {
            kind: NoticeKind::Note,
            text,
        }
    }

    /// A summary line.
    pub(crate) fn summary(text: String) -> Notice {
        Notice {
            kind: NoticeKind::Summary,
            text,
        }
    }

    /// The text as printed (data in it is escaped for the terminal where it was put in).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where notices go: the command line's printer, a `Vec` in a test, or [`ignore`].
pub type Notices<'a> = dyn FnMut(Notice) + 'a;

/// A sink that drops every notice.
pub fn ignore(_: Notice) {}
