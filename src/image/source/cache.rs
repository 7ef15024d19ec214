//! The registry's blob cache, bounded: `blobs/<alg>/<hex>` files whose modification time is their
//! last use (set each time an image uses them, since access times are often not kept), evicted
//! least recently used first once the whole cache is larger than its cap. The blobs of the image
//! being opened are never evicted, even when that image alone is larger than the cap.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, anyhow};

/// The cap when none is given: 10 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 10 << 30;

/// What a trim did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trimmed {
    pub removed_blobs: usize,
    pub removed_bytes: u64,
    pub kept_blobs: usize,
    pub kept_bytes: u64,
}

/// Marks the blobs `names` (relative to `cache`) as used now.
pub fn touch(cache: &Path, names: &[String]) {
    let now = SystemTime::now();
    for name in names {
        // Best effort: a blob that cannot be marked is only evicted a little early.
        if let Ok(file) = std::fs::File::options().append(true).open(cache.join(name)) {
            let _ = file.set_modified(now);
        }
    }
}

/// Removes least recently used blobs until the cache holds at most `max_bytes`, sparing
/// `in_use` (names relative to `cache`). Leftover `.partial-*` downloads count as blobs.
pub fn trim(cache: &Path, max_bytes: u64, in_use: &[String]) -> Result<Trimmed> {
    let in_use: HashSet<PathBuf> = in_use.iter().map(|name| cache.join(name)).collect();
    let mut blobs = list_blobs(&cache.join("blobs"))
        .with_context(|| format!("blob cache {}", cache.display()))?;
    let mut total: u64 = blobs.iter().map(|b| b.size).sum();
    // Oldest first.
    blobs.sort_by_key(|b| b.used);
    let mut trimmed = Trimmed::default();
    for blob in &blobs {
        if total > max_bytes && !in_use.contains(&blob.path) {
            std::fs::remove_file(&blob.path)
                .map_err(|e| anyhow!("blob cache: cannot remove {}: {e}", blob.path.display()))?;
            total -= blob.size;
            trimmed.removed_blobs += 1;
            trimmed.removed_bytes += blob.size;
        } else {
            trimmed.kept_blobs += 1;
            trimmed.kept_bytes += blob.size;
        }
    }
    Ok(trimmed)
}

struct Blob {
    path: PathBuf,
    size: u64,
    used: SystemTime,
}

/// Every regular file under `blobs/<alg>/`; none when the cache does not exist yet.
fn list_blobs(blobs: &Path) -> Result<Vec<Blob>> {
    let mut found = Vec::new();
    let Ok(algorithms) = std::fs::read_dir(blobs) else {
        return Ok(found);
    };
    for algorithm in algorithms {
        let algorithm = algorithm?;
        if !algorithm.file_type()?.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(algorithm.path())? {
            let entry = entry?;
            // Not followed: a symlink planted in the cache is not ours to size or delete.
            let meta = entry.metadata()?;
            if meta.is_file() {
                found.push(Blob {
                    path: entry.path(),
                    size: meta.len(),
                    used: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                });
            }
        }
    }
    Ok(found)
}

/// A private directory for one run's blobs (`--no-cache`), removed with everything in it when
/// dropped.
pub struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    pub fn create() -> Result<PrivateDir> {
        use std::os::unix::fs::DirBuilderExt;
        let path = super::spool::create_private_temp("imgdive-blobs", "", |path| {
            std::fs::DirBuilder::new().mode(0o700).create(path)
        })?;
        Ok(PrivateDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn evicts_the_least_recently_used_and_spares_the_image_in_use() {
        let dir = PrivateDir::create().unwrap();
        let cache = dir.path();
        std::fs::create_dir_all(cache.join("blobs/sha256")).unwrap();
        let names: Vec<String> = (0..4).map(|i| format!("blobs/sha256/{i}")).collect();
        let start = SystemTime::now() - Duration::from_secs(100);
        for (i, name) in names.iter().enumerate() {
            std::fs::write(cache.join(name), vec![0u8; 100]).unwrap();
            let file = std::fs::File::options()
                .append(true)
                .open(cache.join(name))
                .unwrap();
            file.set_modified(start + Duration::from_secs(i as u64 * 10))
                .unwrap();
        }
        // 0 is the oldest but in use; then 1, 2 go (400 → 200 bytes).
        let trimmed = trim(cache, 250, &names[..1]).unwrap();
        assert_eq!(trimmed.removed_blobs, 2);
        assert_eq!(trimmed.kept_bytes, 200);
        assert!(cache.join(&names[0]).exists() && cache.join(&names[3]).exists());
        assert!(!cache.join(&names[1]).exists() && !cache.join(&names[2]).exists());
        // Touching 3 makes 0 the older: a cap of 100 now removes 0.
        touch(cache, &names[3..]);
        let trimmed = trim(cache, 100, &[]).unwrap();
        assert_eq!(trimmed.removed_blobs, 1);
        assert!(cache.join(&names[3]).exists());
        let path = dir.path().to_path_buf();
        drop(dir);
        assert!(!path.exists());
    }
}
