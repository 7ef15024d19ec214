//! A private temporary file for an image archive that cannot be read where it is: a stream
//! (stdin, a daemon's `GET /images/{name}/get`, `podman image save`) or a gzip/zstd-compressed
//! tar.
//!
//! Why a copy at all: a `docker save` archive writes `manifest.json` (which names the layers and
//! their order) after the layers, and the layer reader decompresses several layers at once on
//! different threads, each reading its own slice of the tar. Both need random access, which
//! neither a pipe nor a gzip/zstd stream gives; holding the stream in memory instead would cost
//! the whole image's size in RAM. The copy is bounded (the caller's byte limit), readable by the
//! owner only, and removed when the [`Spool`] is dropped.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Result, anyhow, bail};

/// The byte limit when the caller gives none (the same as `--max-decompressed-bytes`' default).
pub const DEFAULT_MAX_SPOOL_BYTES: u64 = 64 << 30;

/// A temporary file holding a saved or decompressed image, deleted on drop.
pub struct Spool {
    path: PathBuf,
}

impl Spool {
    /// Creates an empty file (mode 0600) in the temporary directory.
    pub fn create() -> Result<Spool> {
        use std::os::unix::fs::OpenOptionsExt;
        let path = create_private_temp("imgdive-spool", ".tar", |path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map(drop)
        })?;
        Ok(Spool { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A writer into the spool that fails once more than `limit` bytes were written.
    pub fn writer(&self, limit: u64) -> Result<SpoolWriter> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&self.path)
            .map_err(|e| anyhow!("{}: {e}", self.path.display()))?;
        Ok(SpoolWriter {
            file: BufWriter::with_capacity(1 << 20, file),
            written: 0,
            limit,
        })
    }

    /// Copies `reader` to its end into the spool, within `limit` bytes.
    pub fn fill(&self, reader: &mut dyn Read, limit: u64) -> Result<u64> {
        let mut writer = self.writer(limit)?;
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => bail!("read failed: {e}"),
            };
            writer.write(&buffer[..n])?;
        }
        writer.finish()
    }
}

/// Creates a new entry `PREFIX-<pid>-<n>SUFFIX` in the temporary directory with `create`
/// (which must fail with `AlreadyExists` on a taken name, never reuse it); gives its path.
pub(super) fn create_private_temp(
    prefix: &str,
    suffix: &str,
    create: impl Fn(&Path) -> std::io::Result<()>,
) -> Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir();
    loop {
        let path = dir.join(format!(
            "{prefix}-{}-{}{suffix}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        match create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => bail!("cannot create a file in {}: {e}", dir.display()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// See [`Spool::writer`].
pub struct SpoolWriter {
    file: BufWriter<File>,
    written: u64,
    limit: u64,
}

impl SpoolWriter {
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.written += bytes.len() as u64;
        if self.written > self.limit {
            bail!(
                "the archive is larger than {} bytes (raise --max-decompressed-bytes)",
                self.limit
            );
        }
        self.file
            .write_all(bytes)
            .map_err(|e| anyhow!("cannot write the temporary copy: {e}"))
    }

    /// Flushes; gives the number of bytes written.
    pub fn finish(mut self) -> Result<u64> {
        self.file
            .flush()
            .map_err(|e| anyhow!("cannot write the temporary copy: {e}"))?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_is_private_bounded_and_removed() {
        use std::os::unix::fs::PermissionsExt;
        let spool = Spool::create().unwrap();
        let path = spool.path().to_path_buf();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(spool.fill(&mut &b"0123456789"[..], 10).unwrap(), 10);
        let err = spool.fill(&mut &b"0123456789a"[..], 10).unwrap_err();
        assert!(err.to_string().contains("larger than 10 bytes"), "{err}");
        drop(spool);
        assert!(!path.exists());
    }
}
