//! Write-then-rename, and the early check that an output path is writable.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// A temporary path next to `path`, with the same extension (some writers
/// look at it), unique to this process.
fn temporary_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp{ext}", std::process::id()))
}

/// Calls `write` on a temporary file, syncs it and renames it over `path`.
/// On failure the temporary file is removed and `path` is untouched.
pub fn write_atomically(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temporary_path(path);
    let result = write(&tmp).and_then(|()| {
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).context("cannot flush the temporary file")?;
        std::fs::rename(&tmp, path).context("cannot move the temporary file into place")
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Fails early, before rendering, when `path` cannot be written: its
/// directory is missing or read-only, or it names a directory.
pub fn check_writable(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!("output {} is a directory", path.display());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!("output {}: directory {} does not exist", path.display(), dir.display());
    }
    let tmp = temporary_path(path);
    std::fs::File::create(&tmp).with_context(|| format!("output {} is not writable", path.display()))?;
    std::fs::remove_file(&tmp).with_context(|| format!("cannot remove the probe file {}", tmp.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("img.pfm");
        std::fs::write(&path, b"old").unwrap();
        let r = write_atomically(&path, |tmp| {
            std::fs::write(tmp, b"half")?;
            bail!("disk full")
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomically(&path, |tmp| Ok(std::fs::write(tmp, b"new")?)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn unwritable_outputs_are_caught_early() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(&dir.path().join("a.png")).is_ok());
        assert!(check_writable(&dir.path().join("missing/a.png")).is_err());
        assert!(check_writable(dir.path()).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
