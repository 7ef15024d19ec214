//! Reading one layer blob: sniff the compression, stream the tar, normalise every entry into the
//! image root, fingerprint file contents with xxh3, and verify the blob against its digest —
//! all in one pass, without extracting anything or holding the layer in memory.

use std::io::{self, BufRead, BufReader, Read};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use super::model::{Entry, EntryKind};
use super::source::{ImageSource, LayerDescriptor};

/// How a layer blob is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Magic bytes first (they cannot lie), the media type only to name what we expected.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<Compression> {
        if media_type.ends_with("+gzip") || media_type.ends_with(".tar.gzip") {
            Some(Compression::Gzip)
        } else if media_type.ends_with("+zstd") {
            Some(Compression::Zstd)
        } else if media_type.ends_with(".tar") || media_type.ends_with("diff.tar") {
            Some(Compression::None)
        } else {
            None
        }
    }
}

/// What a tar entry does to its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Writes the path (file, directory, link, device…).
    Put(Entry),
    /// `.wh.<name>`: removes the path (and everything under it) from lower layers.
    Whiteout,
    /// `.wh..wh..opq` inside the path: hides everything lower layers put under it.
    Opaque,
}

/// One tar entry, its name normalised into the image root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// Components joined by `/`, no leading `/`, never `.` or `..`. For a whiteout, the path it
    /// removes; for an opaque marker, the directory it makes opaque.
    pub path: String,
    pub op: Op,
}

/// A layer as read from its blob.
#[derive(Debug, Default)]
pub struct LayerContents {
    pub entries: Vec<RawEntry>,
    /// Σ tar header sizes (dive's layer size).
    pub size: u64,
    /// Tar entries seen (whiteouts and markers included).
    pub entry_count: u64,
    /// Bytes of blob read (= compressed size).
    pub blob_bytes: u64,
    pub compression: Option<Compression>,
}

/// Counts and hashes the blob bytes as the decompressor pulls them, and reports progress.
struct HashingReader<'a, R: Read> {
    inner: R,
    hasher: &'a mut Sha256,
    count: &'a mut u64,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        *self.count += n as u64;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// Reads layer `index` of `source`. Errors name the layer (index and digest).
pub fn read_layer(
    source: &dyn ImageSource,
    index: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerContents> {
    let desc = &source.layers()[index];
    read_layer_inner(source, index, desc, progress)
        .with_context(|| format!("layer {index} ({})", layer_label(desc)))
}

/// The digest that best names a layer in a message.
pub fn layer_label(desc: &LayerDescriptor) -> &str {
    if desc.digest.is_empty() {
        &desc.diff_id
    } else {
        &desc.digest
    }
}

fn read_layer_inner(
    source: &dyn ImageSource,
    index: usize,
    desc: &LayerDescriptor,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerContents> {
    let mut raw = source.open_layer(index)?;
    let mut hasher = Sha256::new();
    let mut count = 0u64;
    let mut contents;
    {
        let hashing = HashingReader {
            inner: &mut raw,
            hasher: &mut hasher,
            count: &mut count,
            progress,
        };
        let mut buffered = BufReader::with_capacity(256 << 10, hashing);
        let head = buffered.fill_buf().context("read failed")?;
        let compression = Compression::sniff(head);
        if head.is_empty() {
            bail!("blob is empty (truncated?)");
        }
        // The magic bytes decide; a manifest that promises compression the blob does not have
        // is reported as such rather than as a confusing tar error.
        if let Some(declared) = Compression::from_media_type(&desc.media_type)
            && declared != Compression::None
            && compression == Compression::None
        {
            bail!(
                "media type {} declares {declared:?} compression but the blob is not {declared:?}",
                desc.media_type
            );
        }
        contents = match compression {
            Compression::Gzip => {
                read_tar(flate2::bufread::MultiGzDecoder::new(buffered)).context("gzip layer")?
            }
            Compression::Zstd => {
                let decoder =
                    zstd::stream::read::Decoder::with_buffer(buffered).context("zstd layer")?;
                read_tar(decoder).context("zstd layer")?
            }
            Compression::None => read_tar(buffered)?,
        };
        contents.compression = Some(compression);
    }
    // Hash whatever follows the end of the compressed stream, so the digest covers the blob.
    let mut rest = HashingReader {
        inner: &mut raw,
        hasher: &mut hasher,
        count: &mut count,
        progress,
    };
    io::copy(&mut rest, &mut io::sink()).context("read failed")?;
    contents.blob_bytes = count;
    let actual = format!("sha256:{}", hex::encode(hasher.finalize()));
    let expected = if !desc.digest.is_empty() {
        Some(&desc.digest)
    } else if contents.compression == Some(Compression::None) && !desc.diff_id.is_empty() {
        // An uncompressed blob's digest is its diff_id.
        Some(&desc.diff_id)
    } else {
        None
    };
    if let Some(expected) = expected
        && expected.starts_with("sha256:")
        && *expected != actual
    {
        bail!("blob digest mismatch: expected {expected}, got {actual}");
    }
    Ok(contents)
}

/// Streams a tar, recording every entry. Drains the stream to its end so gzip trailers are
/// checked (a truncated or corrupt stream fails here).
fn read_tar<R: Read>(reader: R) -> Result<LayerContents> {
    let mut archive = tar::Archive::new(reader);
    let mut contents = LayerContents::default();
    let mut buf = vec![0u8; 64 << 10];
    let entries = archive.entries().context("not a tar stream")?;
    for entry in entries {
        let mut entry = entry.context("corrupt tar stream")?;
        contents.entry_count += 1;
        let header = entry.header();
        let kind = header.entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            continue;
        }
        let size = entry.size();
        let mode = header.mode().unwrap_or(0) & 0o7777;
        let uid = header.uid().unwrap_or(0) as u32;
        let gid = header.gid().unwrap_or(0) as u32;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let link = entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned());
        let Some(path) = normalize(&name) else {
            // The root itself (`./`): nothing to record, like dive.
            continue;
        };
        contents.size += size;
        let (parent, leaf) = match path.rsplit_once('/') {
            Some((parent, leaf)) => (parent, leaf),
            None => ("", path.as_str()),
        };
        if let Some(target) = leaf.strip_prefix(".wh.") {
            if target == ".wh..opq" {
                contents.entries.push(RawEntry {
                    path: parent.to_string(),
                    op: Op::Opaque,
                });
                continue;
            }
            if target.starts_with(".wh.") || target.is_empty() {
                // Other AUFS markers (`.wh..wh.plnk`…) and a bare `.wh.` carry nothing.
                continue;
            }
            let removed = if parent.is_empty() {
                target.to_string()
            } else {
                format!("{parent}/{target}")
            };
            contents.entries.push(RawEntry {
                path: removed,
                op: Op::Whiteout,
            });
            continue;
        }
        let (entry_kind, content_hash) = match kind {
            tar::EntryType::Directory => (EntryKind::Dir, 0),
            tar::EntryType::Symlink => (EntryKind::Symlink(link.unwrap_or_default()), 0),
            tar::EntryType::Link => {
                let target = link.as_deref().and_then(normalize).unwrap_or_default();
                (EntryKind::Hardlink(target), 0)
            }
            tar::EntryType::Char => (EntryKind::CharDevice, 0),
            tar::EntryType::Block => (EntryKind::BlockDevice, 0),
            tar::EntryType::Fifo => (EntryKind::Fifo, 0),
            _ => (EntryKind::File, hash_content(&mut entry, size, &mut buf)?),
        };
        contents.entries.push(RawEntry {
            path,
            op: Op::Put(Entry {
                kind: entry_kind,
                size,
                mode,
                uid,
                gid,
                content_hash,
            }),
        });
    }
    let mut inner = archive.into_inner();
    io::copy(&mut inner, &mut io::sink()).context("stream ends badly")?;
    Ok(contents)
}

fn hash_content<R: Read>(entry: &mut R, size: u64, buf: &mut [u8]) -> Result<u64> {
    if size <= buf.len() as u64 {
        let slice = &mut buf[..size as usize];
        entry.read_exact(slice).context("truncated file content")?;
        return Ok(xxhash_rust::xxh3::xxh3_64(slice));
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let mut remaining = size;
    while remaining > 0 {
        let want = remaining.min(buf.len() as u64) as usize;
        let n = entry.read(&mut buf[..want]).context("read failed")?;
        if n == 0 {
            bail!("truncated file content");
        }
        hasher.update(&buf[..n]);
        remaining -= n as u64;
    }
    Ok(hasher.digest())
}

/// Normalises a tar entry name into the image root: `/abs`, `./x`, `a//b`, `../../etc/passwd`
/// all land inside the root (`..` never climbs above it). `None` for the root itself. Names
/// are otherwise kept byte for byte (control characters included).
pub fn normalize(name: &str) -> Option<String> {
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
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_hostile_names_into_the_root() {
        assert_eq!(normalize("../../etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(normalize("/abs/path").as_deref(), Some("abs/path"));
        assert_eq!(normalize("./a//b/./c/").as_deref(), Some("a/b/c"));
        assert_eq!(normalize("./"), None);
        assert_eq!(normalize("a\x1b[31m").as_deref(), Some("a\x1b[31m"));
    }

    #[test]
    fn sniffs_compression_by_magic() {
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"usr/"), Compression::None);
        assert_eq!(
            Compression::from_media_type("application/vnd.oci.image.layer.v1.tar+zstd"),
            Some(Compression::Zstd)
        );
    }
}
