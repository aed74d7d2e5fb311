//! Writing outputs atomically: a temporary file beside the target, renamed into place, so a
//! failed or interrupted run leaves either the old file or the complete new one.

use std::io::Write;
use std::path::{Path, PathBuf};

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
    /// The output path is one of the inputs.
    #[error("refusing to overwrite the input file {}", path.display())]
    WouldOverwriteInput {
        /// The path.
        path: PathBuf,
    },
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

/// A file written in pieces and put in place only by [`AtomicWriter::commit`]: dropped
/// without a commit (an error, Ctrl-C), it leaves nothing behind.
#[derive(Debug)]
pub struct AtomicWriter {
    path: PathBuf,
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicWriter {
    /// Starts writing `path` (through a temporary file in the same directory).
    pub fn create(path: &Path) -> Result<AtomicWriter, OutputError> {
        let dir = match path.parent() {
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
        Ok(AtomicWriter {
            path: path.to_path_buf(),
            tmp: std::io::BufWriter::new(tmp),
        })
    }

    /// Puts the complete file in place.
    pub fn commit(self) -> Result<(), OutputError> {
        let path = self.path;
        let fail = |source| OutputError::Write {
            path: path.clone(),
            source,
        };
        let tmp = self.tmp.into_inner().map_err(|e| fail(e.into_error()))?;
        tmp.as_file().sync_all().map_err(fail)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(fail)?;
        }
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// The path being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Write for AtomicWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// Refuses an output path that names one of the inputs (compared after resolving links).
pub fn check_not_input(output: &Path, inputs: &[&Path]) -> Result<(), OutputError> {
    let Ok(out) = output.canonicalize() else {
        return Ok(()); // does not exist yet, so it is no input
    };
    if inputs
        .iter()
        .any(|i| i.canonicalize().is_ok_and(|i| i == out))
    {
        return Err(OutputError::WouldOverwriteInput {
            path: output.to_path_buf(),
        });
    }
    Ok(())
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

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "a").unwrap();
        assert!(check_not_input(&input, &[&input]).is_err());
        assert!(check_not_input(&dir.path().join("out.png"), &[&input]).is_ok());
    }
}
