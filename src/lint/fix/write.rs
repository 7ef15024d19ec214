//! Writing a fixed file without ever losing the user's: a temporary file beside it, the
//! original's mode (and owner, where permitted), a check that the file on disk is still the one
//! that was read, then an atomic rename over it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What was read, to recognise the same file right before replacing it.
#[derive(Debug, Clone)]
pub struct ReadState {
    pub bytes: Vec<u8>,
    pub modified: Option<SystemTime>,
    pub len: u64,
}

impl ReadState {
    /// The state of `path` now, with `bytes` as read.
    pub fn of(path: &Path, bytes: Vec<u8>) -> std::io::Result<ReadState> {
        let meta = std::fs::metadata(path)?;
        Ok(ReadState {
            bytes,
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

/// Replaces the file at `path` (a symlink's target, not the link) with `contents`, unless it
/// changed since `read`. Errors are one line naming the file.
pub fn replace(path: &Path, read: &ReadState, contents: &[u8]) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let name = path.display();
    let target = std::fs::canonicalize(path).map_err(|e| format!("{name}: cannot fix: {e}"))?;
    let meta = std::fs::metadata(&target).map_err(|e| format!("{name}: cannot fix: {e}"))?;
    let dir = target.parent().unwrap_or(Path::new("/"));
    let temporary = temporary_path(dir, &target);
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.set_permissions(std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
        // Root fixing another user's file must not hand it to root; others cannot chown, which
        // is fine (the file is theirs already).
        let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
        file.write_all(contents)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("{name}: cannot write the fixed file: {e}"));
    }
    if !unchanged(&target, read) {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!(
            "{name}: changed on disk while being fixed; not overwritten (run again)"
        ));
    }
    std::fs::rename(&temporary, &target).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("{name}: cannot replace the file: {e}")
    })
}

/// Whether the file still has the length, modification time and bytes that were read.
fn unchanged(path: &Path, read: &ReadState) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.len() == read.len
        && meta.modified().ok() == read.modified
        && std::fs::read(path).is_ok_and(|now| now == read.bytes)
}

/// `.<name>.imglint-fix.<pid>.tmp` in `dir`: hidden, and the same file system as the target so
/// the rename is atomic.
fn temporary_path(dir: &Path, target: &Path) -> PathBuf {
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{file_name}.imglint-fix.{}.tmp",
        std::process::id()
    ))
}

/// The file at `relative` inside the build context `context`, symlinks resolved; an error (one
/// line naming the path) when the path is absolute, climbs with `..`, or leads out of the
/// context through a symlink, or is not a regular file. A fix never writes outside the context.
pub fn resolve_inside(context: &Path, relative: &Path) -> Result<PathBuf, String> {
    use std::path::Component;
    let name = context.join(relative);
    let name = name.display();
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain || relative.as_os_str().is_empty() {
        return Err(format!("{name}: outside the build context, not fixed"));
    }
    let root = std::fs::canonicalize(context)
        .map_err(|e| format!("{name}: cannot read the build context: {e}"))?;
    let resolved =
        std::fs::canonicalize(root.join(relative)).map_err(|e| format!("{name}: {e}"))?;
    if !resolved.starts_with(&root) {
        return Err(format!(
            "{name}: a symlink leads outside the build context, not fixed"
        ));
    }
    if !resolved.is_file() {
        return Err(format!("{name}: not a regular file, not fixed"));
    }
    Ok(resolved)
}
