//! The errors of resolving and running a configuration: data a caller can act on (which
//! option, which kind), with the text users already see.

use std::fmt;

/// What kind of problem an error is, which decides the command line's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The options are wrong: a bad flag value, a missing option, a region or category the
    /// data does not have (exit code 2).
    Usage,
    /// The data is wrong, or an output could not be written: an unreadable file, a style
    /// file's bad key, `--strict` findings (exit code 1).
    Data,
    /// Stopped by a signal; finished outputs are complete, nothing partial is left (exit
    /// code 128 + the signal).
    Interrupted,
}

/// A problem resolving or running a configuration.
///
/// Its text is the message the command line prints; [`ConfigError::option`] names the flag
/// (`--simplify`) or style-file key (`text.title`) it is about, when there is one, and
/// [`ConfigError::kind`] says whose problem it is. A wrapped library error keeps its own
/// text and chain of causes ([`std::error::Error::source`]).
#[derive(Debug)]
pub struct ConfigError {
    /// The command-line flag or style-file key at fault, e.g. `--simplify`, `text.title`.
    pub option: Option<String>,
    /// Usage, data or interrupted.
    pub kind: ErrorKind,
    cause: Cause,
}

#[derive(Debug)]
enum Cause {
    Message(String),
    Error(Box<dyn std::error::Error + Send + Sync>),
}

impl ConfigError {
    /// A usage problem with a message of its own.
    pub fn usage(option: Option<&str>, message: impl fmt::Display) -> ConfigError {
        ConfigError::message(ErrorKind::Usage, option, message)
    }

    /// A data problem with a message of its own.
    pub fn data(option: Option<&str>, message: impl fmt::Display) -> ConfigError {
        ConfigError::message(ErrorKind::Data, option, message)
    }

    /// A problem with a message of its own.
    pub fn message(
        kind: ErrorKind,
        option: Option<&str>,
        message: impl fmt::Display,
    ) -> ConfigError {
        ConfigError {
            option: option.map(str::to_string),
            kind,
            cause: Cause::Message(message.to_string()),
        }
    }

    /// A library error of `kind`, its text and causes kept.
    pub fn wrap(
        kind: ErrorKind,
        error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> ConfigError {
        ConfigError {
            option: None,
            kind,
            cause: Cause::Error(error.into()),
        }
    }

    /// The same error, about `option`.
    pub fn about(mut self, option: &str) -> ConfigError {
        self.option = Some(option.to_string());
        self
    }

    /// The wrapped library error, when there is one (to match on its variant).
    pub fn library(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        match &self.cause {
            Cause::Error(e) => Some(e.as_ref()),
            Cause::Message(_) => None,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Cause::Message(m) => f.write_str(m),
            Cause::Error(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ConfigError {
    // Transparent over a wrapped error, so that a chain printed as `a: b: c` reads as the
    // library error's own chain did.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            Cause::Message(_) => None,
            Cause::Error(e) => e.source(),
        }
    }
}

/// Library errors as data problems (an unreadable file, a failed write); the call sites
/// that know better make them usage problems and name the option.
macro_rules! data_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ConfigError {
            fn from(e: $t) -> ConfigError {
                ConfigError::wrap(ErrorKind::Data, e)
            }
        }
    )*};
}
data_from!(
    crate::Error,
    crate::read::ReadError,
    crate::output::OutputError,
    crate::render::RenderError,
    crate::join::JoinError,
    crate::status::StatusError,
    serde_json::Error
);

/// The option an error of the style range check names: `--scale` of
/// "--scale ([size] scale)", or the style key when no flag sets it ("[halo] width").
pub(crate) fn range_option(option: &str) -> &str {
    match option.split_once(" (") {
        Some((flag, _)) if flag.starts_with("--") => flag,
        _ => option,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_wrapped_error_keeps_its_text_and_causes() {
        let io = std::io::Error::other("disk on fire");
        let read = crate::read::ReadError::Io {
            path: "a.csv".into(),
            source: io,
        };
        let text = read.to_string();
        let e = ConfigError::from(read);
        assert_eq!(e.kind, ErrorKind::Data);
        assert_eq!(e.to_string(), text);
        assert_eq!(e.source().unwrap().to_string(), "disk on fire");
    }

    #[test]
    fn the_range_check_names_the_flag_or_the_key() {
        assert_eq!(range_option("--scale ([size] scale)"), "--scale");
        assert_eq!(range_option("[halo] width"), "[halo] width");
    }
}
