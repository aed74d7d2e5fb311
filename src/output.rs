//! Writing outputs atomically: a temporary file beside the target, renamed into place, so a
//! failed or interrupted run leaves either the old file or the complete new one.
//!
//! Only regular files are replaced that way. A character device or a FIFO (`/dev/null`,
//! `/dev/stdout`, `>(gzip > x)`) is written through, as a shell redirection would; a
//! symbolic link is followed and its target replaced, the link kept. A block device or a
//! socket is refused: no map belongs on a disk's raw device.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A problem writing an output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The output path.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// An output given by `flag` is the same file as the input given by `input_flag`.
    #[error("{flag} {}: refusing to overwrite the input {input_flag} {}", path.display(), input.display())]
    OutputIsInput {
        /// The option naming the output (`-o`, `--report`, ...).
        flag: String,
        /// The output path.
        path: PathBuf,
        /// The option naming the input.
        input_flag: String,
        /// The input path, as given.
        input: PathBuf,
    },
    /// Two outputs name the same file: one would silently replace the other.
    #[error("{flag} {} and {other_flag} {} are the same file: one output would replace the other", path.display(), other.display())]
    SameOutput {
        /// The first option.
        flag: String,
        /// Its path.
        path: PathBuf,
        /// The second option.
        other_flag: String,
        /// Its path.
        other: PathBuf,
    },
    /// The output is a kind of file no map is written to.
    #[error("cannot write {}: it is {what}; write to a regular file, a FIFO or a character device", path.display())]
    Special {
        /// The output path.
        path: PathBuf,
        /// What it is ("a block device", "a socket", ...).
        what: &'static str,
    },
}

/// What an existing output path is, after following symbolic links.
enum Target {
    /// Nothing there yet, or a regular file: write a temporary file and rename it.
    Replace(PathBuf),
    /// A FIFO or character device: write into it.
    Through,
}

/// Decides how `path` is written; refuses block devices, sockets and dangling links.
fn target(path: &Path) -> Result<Target, OutputError> {
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Ok(Target::Replace(path.to_path_buf()));
    };
    let meta = if link.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(_) => {
                return Err(OutputError::Special {
                    path: path.to_path_buf(),
                    what: "a symbolic link to nothing",
                });
            }
        }
    } else {
        link.clone()
    };
    let kind = meta.file_type();
    if kind.is_file() {
        // Replace the link's target, not the link itself.
        let real = if link.file_type().is_symlink() {
            path.canonicalize().map_err(|source| OutputError::Write {
                path: path.to_path_buf(),
                source,
            })?
        } else {
            path.to_path_buf()
        };
        return Ok(Target::Replace(real));
    }
    if kind.is_dir() {
        return Err(OutputError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other("it is a directory"),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Target::Through);
        }
        let what = if kind.is_block_device() {
            "a block device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        Err(OutputError::Special {
            path: path.to_path_buf(),
            what,
        })
    }
    #[cfg(not(unix))]
    Ok(Target::Through)
}

/// The temporary files being written, so that a signal can remove them before the process
/// exits without unwinding (see [`remove_temporaries`]).
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn forget_temporary(path: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.retain(|p| p != path);
    }
}

/// Deletes every temporary file still being written. For a process about to exit without
/// running destructors (a second Ctrl-C, SIGTERM while stopping): finished outputs stay.
pub fn remove_temporaries() {
    if let Ok(list) = TEMPORARIES.lock() {
        for p in list.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Writes `bytes` to `path` atomically; `-` writes to standard output.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("map.svg");
/// controlmap::output::write_atomic(&path, b"<svg/>").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"<svg/>");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let fail = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        return out.write_all(bytes).and_then(|_| out.flush()).map_err(fail);
    }
    let mut file = AtomicWriter::create(path)?;
    file.write_all(bytes).map_err(fail)?;
    file.commit()
}

/// Where an [`AtomicWriter`] puts its bytes.
#[derive(Debug)]
enum Sink {
    Temporary(std::io::BufWriter<tempfile::NamedTempFile>),
    Through(std::io::BufWriter<std::fs::File>),
}

/// A file written in pieces and put in place only by [`AtomicWriter::commit`]: dropped
/// without a commit (an error, Ctrl-C), it leaves nothing behind.
#[derive(Debug)]
pub struct AtomicWriter {
    /// The path as given (for messages).
    path: PathBuf,
    /// The regular file replaced (the link's target when `path` is a symbolic link).
    real: PathBuf,
    /// `None` only while [`AtomicWriter::commit`] runs.
    tmp: Option<Sink>,
}

impl AtomicWriter {
    /// Starts writing `path` (through a temporary file in the same directory).
    pub fn create(path: &Path) -> Result<AtomicWriter, OutputError> {
        let real = match target(path)? {
            Target::Replace(real) => real,
            Target::Through => {
                let file =
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .map_err(|source| OutputError::Write {
                            path: path.to_path_buf(),
                            source,
                        })?;
                return Ok(AtomicWriter {
                    path: path.to_path_buf(),
                    real: path.to_path_buf(),
                    tmp: Some(Sink::Through(std::io::BufWriter::new(file))),
                });
            }
        };
        let dir = match real.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".controlmap-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| OutputError::Write {
                path: path.to_path_buf(),
                source,
            })?;
        if let Ok(mut list) = TEMPORARIES.lock() {
            list.push(tmp.path().to_path_buf());
        }
        Ok(AtomicWriter {
            path: path.to_path_buf(),
            real,
            tmp: Some(Sink::Temporary(std::io::BufWriter::new(tmp))),
        })
    }

    /// Puts the complete file in place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let path = self.path.clone();
        let real = self.real.clone();
        let fail = |source| OutputError::Write {
            path: path.clone(),
            source,
        };
        let tmp = match self.tmp.take() {
            None => return Ok(()),
            Some(Sink::Through(mut file)) => return file.flush().map_err(fail),
            Some(Sink::Temporary(tmp)) => tmp,
        };
        let tmp_path = tmp.get_ref().path().to_path_buf();
        // However this ends, the temporary file is gone afterwards (renamed or deleted).
        let _forget = Forget(tmp_path);
        let tmp = tmp.into_inner().map_err(|e| fail(e.into_error()))?;
        tmp.as_file().sync_all().map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&real).map_or(0o644, |m| m.permissions().mode() & 0o7777);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(fail)?;
        }
        tmp.persist(&real).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// The path being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Unregisters a temporary file when dropped.
struct Forget(PathBuf);

impl Drop for Forget {
    fn drop(&mut self) {
        forget_temporary(&self.0);
    }
}

impl Drop for AtomicWriter {
    fn drop(&mut self) {
        if let Some(Sink::Temporary(tmp)) = &self.tmp {
            forget_temporary(tmp.get_ref().path());
        }
    }
}

impl Write for AtomicWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.tmp {
            Some(Sink::Temporary(t)) => t.write(buf),
            Some(Sink::Through(t)) => t.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.tmp {
            Some(Sink::Temporary(t)) => t.flush(),
            Some(Sink::Through(t)) => t.flush(),
            None => Ok(()),
        }
    }
}

/// What identifies a file however it is named: device and inode when it exists, else the
/// canonical directory plus the name; standard output is one file.
#[derive(PartialEq, Eq, Hash, Clone, Debug)]
enum Identity {
    Stdout,
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

/// The identity of `path`, and whether it is an existing non-regular file (a FIFO or a
/// device, which several outputs may share: `/dev/null` twice is fine).
fn identity(path: &Path) -> (Identity, bool) {
    if path == Path::new("-") {
        return (Identity::Stdout, false);
    }
    if let Ok(meta) = std::fs::metadata(path) {
        let special = !meta.is_file();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            return (Identity::Inode(meta.dev(), meta.ino()), special);
        }
        #[cfg(not(unix))]
        return (
            Identity::Path(path.canonicalize().unwrap_or_else(|_| path.to_path_buf())),
            special,
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    (
        Identity::Path(dir.join(path.file_name().unwrap_or_default())),
        false,
    )
}

/// Refuses, before any work, outputs that are one of the inputs or the same file as another
/// output (through a symbolic or hard link too). Each path comes with the option that
/// names it, for the message; `-` as an input is standard input and never clashes.
pub fn check_distinct(
    outputs: &[(&str, &Path)],
    inputs: &[(&str, &Path)],
) -> Result<(), OutputError> {
    let inputs: Vec<(Identity, &str, &Path)> = inputs
        .iter()
        .filter(|(_, p)| *p != Path::new("-") && p.exists())
        .map(|&(flag, p)| (identity(p).0, flag, p))
        .collect();
    let mut seen: std::collections::HashMap<Identity, (&str, &Path)> =
        std::collections::HashMap::new();
    for &(flag, path) in outputs {
        let (id, special) = identity(path);
        if let Some((_, input_flag, input)) = inputs.iter().find(|(i, _, _)| *i == id) {
            return Err(OutputError::OutputIsInput {
                flag: flag.to_string(),
                path: path.to_path_buf(),
                input_flag: input_flag.to_string(),
                input: input.to_path_buf(),
            });
        }
        if special {
            continue;
        }
        if let Some(&(other_flag, other)) = seen.get(&id) {
            return Err(OutputError::SameOutput {
                flag: other_flag.to_string(),
                path: other.to_path_buf(),
                other_flag: flag.to_string(),
                other: path.to_path_buf(),
            });
        }
        seen.insert(id, (flag, path));
    }
    Ok(())
}

/// Checks, before any work, that `path` can be written: refuses what [`AtomicWriter`]
/// refuses, and tries a temporary file in its directory (so a missing or read-only
/// directory is found before the frames are rendered, not after).
pub fn check_writable(path: &Path) -> Result<(), OutputError> {
    if path == Path::new("-") {
        return Ok(());
    }
    let Target::Replace(real) = target(path)? else {
        return Ok(());
    };
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".controlmap-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// A text cell of a CSV output, safe to open in a spreadsheet: a cell beginning with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be taken for a formula (CSV injection),
/// so it gets a leading `'`, as OWASP recommends. Only for text from the data (names,
/// labels, paths); numbers are written as they are, so a negative number stays a number.
///
/// ```
/// use controlmap::output::spreadsheet_text;
/// assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(spreadsheet_text("-1"), "'-1");
/// assert_eq!(spreadsheet_text("Kabul"), "Kabul");
/// ```
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir").join("map.png");
        assert!(write_atomic(&missing, b"x").is_err());
        assert!(!missing.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.png");
        write_atomic(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn uncommitted_writer_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anim.gif");
        let mut w = AtomicWriter::create(&path).unwrap();
        w.write_all(b"GIF89a").unwrap();
        drop(w);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"<svg/>").unwrap();
        assert_eq!(reader.join().unwrap(), b"<svg/>");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_through() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let null = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &null).unwrap();
        write_atomic(&null, b"x").unwrap();
        let link = std::fs::symlink_metadata(&null).unwrap();
        assert!(link.file_type().is_symlink());
        assert!(
            std::fs::metadata("/dev/null")
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_keeps_pointing_at_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.svg");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let dangling = dir.path().join("dangling.svg");
        std::os::unix::fs::symlink(dir.path().join("nowhere/x"), &dangling).unwrap();
        let e = write_atomic(&dangling, b"x").unwrap_err().to_string();
        assert!(e.contains("a symbolic link to nothing"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn the_same_file_through_a_hard_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("al.csv");
        std::fs::write(&input, "a").unwrap();
        let hard = dir.path().join("other.csv");
        std::fs::hard_link(&input, &hard).unwrap();
        let e = check_distinct(&[("-o", &hard)], &[("--aliases", &input)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("-o") && e.contains("--aliases") && e.contains("al.csv"),
            "{e}"
        );
        let out = dir.path().join("new.json");
        let e = check_distinct(&[("--report", &out), ("--manifest", &out)], &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("--report") && e.contains("--manifest"), "{e}");
        let null = Path::new("/dev/null");
        assert!(check_distinct(&[("--report", null), ("--manifest", null)], &[]).is_ok());
    }

    #[test]
    fn an_unwritable_directory_is_found_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(&dir.path().join("none/m.json")).is_err());
        assert!(check_writable(&dir.path().join("m.json")).is_ok());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a").unwrap();
        let inputs = [("--status", input.as_path())];
        assert!(check_distinct(&[("-o", &input)], &inputs).is_err());
        assert!(check_distinct(&[("-o", &dir.path().join("out.png"))], &inputs).is_ok());
    }
}
