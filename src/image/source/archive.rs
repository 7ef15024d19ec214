//! Named blobs in a directory or inside a tar file, read without extracting anything.
//!
//! A tar is indexed once (entry name → offset and length of its data); each blob is then a slice
//! of the file read with positional reads, so several layers can be decompressed on different
//! threads at once. A compressed tar or a piped stdin is first copied into a [`Spool`].

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::spool::Spool;
use crate::image::layer::Compression;

/// Largest JSON document (manifest, index, config) we agree to load into memory.
pub const MAX_JSON_BYTES: u64 = 64 << 20;

/// Files addressed by relative, `/`-separated names (`manifest.json`, `blobs/sha256/<hex>`).
pub trait BlobStore: Send + Sync {
    /// The file or directory, for messages.
    fn location(&self) -> &Path;
    fn contains(&self, name: &str) -> bool;
    /// Opens a file and tells its length.
    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send + '_>, u64)>;

    /// Reads a small file (JSON) whole, refusing anything above [`MAX_JSON_BYTES`].
    fn read_small(&self, name: &str) -> Result<Vec<u8>> {
        let (reader, len) = self.open(name)?;
        if len > MAX_JSON_BYTES {
            bail!("{name}: {len} bytes is too large for a JSON document");
        }
        let mut bytes = Vec::with_capacity(len as usize);
        reader
            .take(MAX_JSON_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{name}: read failed"))?;
        Ok(bytes)
    }
}

/// Opens `path` for reading only if it is a regular file (following symlinks): a FIFO or a
/// device in its place would block or never end.
pub fn open_regular_file(path: &Path) -> Result<File> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot open", path.display()))?;
    if !meta.is_file() {
        bail!("{}: not a regular file", path.display());
    }
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    // Checked again on the open handle, in case the path was swapped in between.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        bail!("{}: not a regular file", path.display());
    }
    Ok(file)
}

/// Normalises a name inside an archive or layout: no leading `./` or `/`, no `.` components,
/// `..` resolved lexically (never above the top).
pub fn clean_name(name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// An OCI layout directory (or any directory of named files).
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub fn new(root: &Path) -> DirStore {
        DirStore {
            root: root.to_path_buf(),
        }
    }

    fn resolve(&self, name: &str) -> PathBuf {
        // clean_name never yields `..` or an absolute path, so this stays under the root.
        self.root.join(clean_name(name))
    }
}

impl BlobStore for DirStore {
    fn location(&self) -> &Path {
        &self.root
    }

    fn contains(&self, name: &str) -> bool {
        self.resolve(name).is_file()
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send + '_>, u64)> {
        let path = self.resolve(name);
        let file = open_regular_file(&path).with_context(|| format!("{name}: cannot open"))?;
        let len = file
            .metadata()
            .with_context(|| format!("{name}: cannot stat"))?
            .len();
        Ok((Box::new(file), len))
    }
}

/// Where an entry's data lives inside the tar file.
#[derive(Debug, Clone, Copy)]
struct Slice {
    offset: u64,
    len: u64,
}

/// A tar file indexed once: regular files by cleaned name, with symlinks and hard links between
/// entries resolved (a `docker save` archive may store a repeated layer as a link).
///
/// Blobs are read with positional reads on one shared handle, so layers are read on several
/// threads at once without reopening the path (which may be stdin).
pub struct TarStore {
    /// What the user named (`-` for stdin), for messages.
    path: PathBuf,
    file: std::sync::Arc<File>,
    files: HashMap<String, Slice>,
    /// The decompressed or streamed copy `file` reads, when the input could not be read in place.
    _spool: Option<Spool>,
}

impl TarStore {
    /// Opens a tar file, or stdin when `path` is `-`. A tar compressed with gzip or zstd (told by
    /// its magic bytes, not its name) and a stdin that is a pipe are copied, decompressed, into
    /// a [`Spool`] of at most `max_spool_bytes`; an uncompressed file (stdin redirected from
    /// one too) is read in place.
    pub fn open(path: &Path, max_spool_bytes: u64) -> Result<TarStore> {
        let mut file = if path == Path::new("-") {
            let stdin = std::io::stdin()
                .as_fd()
                .try_clone_to_owned()
                .context("-: cannot read stdin")?;
            let file = File::from(stdin);
            if !file.metadata().is_ok_and(|m| m.is_file()) {
                return TarStore::spooled(path, &mut std::io::stdin().lock(), max_spool_bytes);
            }
            file
        } else {
            open_regular_file(path)?
        };
        let mut head = [0u8; 4];
        let read = read_head(&mut file, &mut head)
            .with_context(|| format!("{}: read failed", path.display()))?;
        if Compression::sniff(&head[..read]) != Compression::None {
            return TarStore::spooled(path, &mut file, max_spool_bytes);
        }
        TarStore::index(path, file, None)
    }

    /// Decompresses (when compressed) and copies `input` into a spool, then indexes the copy.
    fn spooled(path: &Path, input: &mut dyn Read, max_spool_bytes: u64) -> Result<TarStore> {
        let shown = path.display();
        let decompressed =
            Compression::decompressing(std::io::BufReader::with_capacity(1 << 20, input))
                .with_context(|| format!("{shown}: read failed"))?;
        let spool = Spool::create().with_context(|| format!("{shown}: cannot copy"))?;
        let mut decompressed = decompressed;
        spool
            .fill(&mut decompressed, max_spool_bytes)
            .with_context(|| format!("{shown}: cannot copy"))?;
        let file = open_regular_file(spool.path())?;
        TarStore::index(path, file, Some(spool))
    }

    fn index(path: &Path, file: File, spool: Option<Spool>) -> Result<TarStore> {
        let file = std::sync::Arc::new(file);
        let mut archive = tar::Archive::new(&*file);
        let mut files = HashMap::new();
        let mut links: Vec<(String, String, bool)> = Vec::new();
        let entries = archive
            .entries_with_seek()
            .with_context(|| format!("{}: not a tar archive", path.display()))?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("{}: corrupt tar archive", path.display()))?;
            let name = clean_name(&String::from_utf8_lossy(&entry.path_bytes()));
            let header = entry.header();
            match header.entry_type() {
                tar::EntryType::Regular
                | tar::EntryType::Continuous
                | tar::EntryType::GNUSparse => {
                    files.insert(
                        name,
                        Slice {
                            offset: entry.raw_file_position(),
                            len: entry.size(),
                        },
                    );
                }
                kind @ (tar::EntryType::Symlink | tar::EntryType::Link) => {
                    if let Some(target) = entry.link_name_bytes() {
                        let target = String::from_utf8_lossy(&target).into_owned();
                        links.push((name, target, kind == tar::EntryType::Symlink));
                    }
                }
                _ => {}
            }
        }
        // Resolve links (a few rounds for chains); symlink targets are relative to the link's
        // directory, hard link targets to the archive root.
        for _ in 0..8 {
            let mut unresolved = false;
            for (name, target, relative) in &links {
                if files.contains_key(name) {
                    continue;
                }
                let target_name = if *relative {
                    let dir = name.rsplit_once('/').map_or("", |(dir, _)| dir);
                    clean_name(&format!("{dir}/{target}"))
                } else {
                    clean_name(target)
                };
                match files.get(&target_name) {
                    Some(slice) => {
                        let slice = *slice;
                        files.insert(name.clone(), slice);
                    }
                    None => unresolved = true,
                }
            }
            if !unresolved {
                break;
            }
        }
        Ok(TarStore {
            path: path.to_path_buf(),
            file,
            files,
            _spool: spool,
        })
    }
}

/// Reads up to `head.len()` bytes from the start, then seeks back to it.
fn read_head(file: &mut File, head: &mut [u8]) -> std::io::Result<usize> {
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..])? {
            0 => break,
            n => read += n,
        }
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(read)
}

/// One entry's bytes, read with positional reads so handles never share an offset.
struct SliceReader {
    file: std::sync::Arc<File>,
    position: u64,
    end: u64,
}

impl Read for SliceReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let left = self.end.saturating_sub(self.position);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.position)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the archive was truncated while being read",
            ));
        }
        self.position += n as u64;
        Ok(n)
    }
}

impl BlobStore for TarStore {
    fn location(&self) -> &Path {
        &self.path
    }

    fn contains(&self, name: &str) -> bool {
        self.files.contains_key(&clean_name(name))
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send + '_>, u64)> {
        let slice = *self
            .files
            .get(&clean_name(name))
            .with_context(|| format!("{name}: not found in the archive"))?;
        let reader = SliceReader {
            file: self.file.clone(),
            position: slice.offset,
            end: slice.offset + slice.len,
        };
        Ok((Box::new(reader), slice.len))
    }
}

/// An image whose blobs sit in a [`BlobStore`] (a `docker save` tar, an OCI layout directory or
/// an `oci-archive` tar).
pub struct StoredImage {
    pub reference: String,
    pub store: Box<dyn BlobStore>,
    pub config: super::ConfigBlob,
    pub layers: Vec<super::LayerDescriptor>,
    /// Name of each layer's blob inside the store.
    pub layer_names: Vec<String>,
    /// See [`super::ImageSource::annotations`].
    pub annotations: std::collections::BTreeMap<String, String>,
}

impl StoredImage {
    /// Fails naming the layer when a blob the manifest lists is not in the store.
    pub fn check_blobs_present(&self) -> Result<()> {
        for (index, (layer, name)) in self.layers.iter().zip(&self.layer_names).enumerate() {
            if !self.store.contains(name) {
                let id = if layer.digest.is_empty() {
                    &layer.diff_id
                } else {
                    &layer.digest
                };
                bail!(
                    "layer {index} ({id}): blob {name} is missing from {}",
                    self.store.location().display()
                );
            }
        }
        Ok(())
    }
}

impl super::ImageSource for StoredImage {
    fn reference(&self) -> &str {
        &self.reference
    }

    fn config(&self) -> &super::ConfigBlob {
        &self.config
    }

    fn layers(&self) -> &[super::LayerDescriptor] {
        &self.layers
    }

    fn open_layer(&self, index: usize) -> Result<Box<dyn Read + Send + '_>> {
        let name = self
            .layer_names
            .get(index)
            .with_context(|| format!("layer {index}: no such layer"))?;
        Ok(self.store.open(name)?.0)
    }

    fn annotations(&self) -> std::collections::BTreeMap<String, String> {
        self.annotations.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::clean_name;

    #[test]
    fn cleans_names_into_the_top() {
        assert_eq!(clean_name("./blobs/sha256/ab"), "blobs/sha256/ab");
        assert_eq!(clean_name("/../../etc/passwd"), "etc/passwd");
        assert_eq!(clean_name("a/./b/../c"), "a/c");
    }
}
