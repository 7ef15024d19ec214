//! Reading one layer blob: sniff the compression, stream the tar, normalise every entry into the
//! image root, fingerprint file contents with xxh3, verify the blob against its digest and the
//! decompressed stream against the config's diff_id — all in one pass, within the image's
//! [`ReadLimits`], without extracting anything or holding the layer in memory.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use anyhow::{Context, Result, bail};

use super::digest::{ExpectedDigest, StreamHasher};

use super::model::{Entry, EntryKind};
use super::secrets::{LayerFinding, LayerScan};
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

    /// Sniffs `reader`'s first bytes and undoes their compression: the one place a decoder is
    /// chosen for a whole stream (layer blobs, compressed image archives).
    pub fn decompressing<'a, R: BufRead + 'a>(mut reader: R) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match Compression::sniff(reader.fill_buf()?) {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(reader)?),
            Compression::None => Box::new(reader),
        })
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
    /// Where the entry's path lies in its layer's [`LayerContents::paths`]
    /// ([`LayerContents::path`]): components joined by `/`, no leading `/`, never `.` or `..`.
    /// For a whiteout, the path it removes; for an opaque marker, the directory it makes opaque.
    pub path: PathSpan,
    pub op: Op,
}

/// A layer's entries in tar order, kept in chunks: moved into the tree a chunk at a time, their
/// memory goes back while the tree's versions take theirs (one vector of a million entries
/// would stay whole until the last one moved, both at their largest at once).
#[derive(Debug, Default, Clone)]
pub struct Entries {
    chunks: Vec<Vec<RawEntry>>,
    len: usize,
}

/// Entries per chunk of [`Entries`].
const ENTRY_CHUNK: usize = 1 << 16;

impl Entries {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &RawEntry> {
        self.chunks.iter().flatten()
    }

    /// The entry at `index` in tar order. Chunks but the last are full.
    pub fn get(&self, index: usize) -> Option<&RawEntry> {
        self.chunks
            .get(index / ENTRY_CHUNK)?
            .get(index % ENTRY_CHUNK)
    }

    fn push(&mut self, entry: RawEntry) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < ENTRY_CHUNK => chunk.push(entry),
            _ => {
                // The first chunk grows as a vector does (most layers are small); the others
                // are allocated whole.
                let mut chunk = if self.chunks.is_empty() {
                    Vec::new()
                } else {
                    Vec::with_capacity(ENTRY_CHUNK)
                };
                chunk.push(entry);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }
}

impl IntoIterator for Entries {
    type Item = RawEntry;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<RawEntry>>>;

    /// Each chunk is freed as soon as its last entry has been taken.
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.into_iter().flatten()
    }
}

/// A byte range of [`LayerContents::paths`] (8 bytes: a layer's paths are capped at 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathSpan {
    start: u32,
    len: u32,
}

/// A layer as read from its blob.
#[derive(Debug, Default, Clone)]
pub struct LayerContents {
    pub entries: Entries,
    /// Every entry's path, back to back: one allocation instead of one per entry (at a million
    /// entries, the per-path allocations and their headers weighed more than the paths), freed
    /// at once when the tree no longer needs them.
    pub paths: String,
    /// `(entry index, raw name bytes)` of the entries whose tar name was not UTF-8, by index
    /// ([`LayerContents::raw_path`]): rare, so kept aside rather than in every entry.
    pub raw_paths: Vec<(u32, Box<[u8]>)>,
    /// Σ tar header sizes (dive's layer size).
    pub size: u64,
    /// Tar entries seen (whiteouts and markers included).
    pub entry_count: u64,
    /// Bytes of blob read (= compressed size).
    pub blob_bytes: u64,
    pub compression: Option<Compression>,
    /// What [`LayerScan`] found in the layer's files.
    pub secrets: Vec<LayerFinding>,
}

impl LayerContents {
    /// The path of `entry`, one of this layer's entries.
    pub fn path(&self, entry: &RawEntry) -> &str {
        let start = entry.path.start as usize;
        &self.paths[start..start + entry.path.len as usize]
    }

    /// When the tar name of entry `index` was not UTF-8 (its path is then the lossy
    /// conversion, for display): the same path as raw bytes, which is its identity, so two
    /// names that differ only in invalid bytes stay two paths.
    pub fn raw_path(&self, index: usize) -> Option<&[u8]> {
        if self.raw_paths.is_empty() {
            return None;
        }
        let at = self
            .raw_paths
            .binary_search_by_key(&index, |(i, _)| *i as usize)
            .ok()?;
        Some(&self.raw_paths[at].1)
    }

    fn push(&mut self, path: &str, raw_path: Option<Box<[u8]>>, op: Op) -> Result<()> {
        let Ok(index) = u32::try_from(self.entries.len()) else {
            bail!("the layer has more than 2^32 entries");
        };
        let (Ok(start), Ok(len)) = (u32::try_from(self.paths.len()), u32::try_from(path.len()))
        else {
            bail!("the layer's paths take more than 4 GiB");
        };
        if start.checked_add(len).is_none() {
            bail!("the layer's paths take more than 4 GiB");
        }
        self.paths.push_str(path);
        if let Some(raw) = raw_path {
            self.raw_paths.push((index, raw));
        }
        self.entries.push(RawEntry {
            path: PathSpan { start, len },
            op,
        });
        Ok(())
    }
}

/// Default for [`ReadLimits::max_decompressed_bytes`]: far above any real image, low enough
/// that a few kilobytes of hostile gzip cannot keep the reader busy for hours.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 64 << 30;

/// Largest GNU long name, long link or PAX header block accepted for one tar entry, as Go's
/// archive/tar (which Docker and containerd use) limits them.
pub const MAX_EXTENDED_HEADER_BYTES: u64 = 1 << 20;

/// The work one image may cost, shared by every layer read for it (possibly on several threads).
#[derive(Debug)]
pub struct ReadLimits {
    /// Total bytes all layers together may decompress to (tar headers and padding included).
    pub max_decompressed_bytes: u64,
    used: AtomicU64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits::new(DEFAULT_MAX_DECOMPRESSED_BYTES)
    }
}

impl ReadLimits {
    pub fn new(max_decompressed_bytes: u64) -> ReadLimits {
        ReadLimits {
            max_decompressed_bytes,
            used: AtomicU64::new(0),
        }
    }

    fn charge(&self, n: u64) -> io::Result<()> {
        let before = self.used.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > self.max_decompressed_bytes {
            return Err(io::Error::other(format!(
                "the image decompresses to more than {} bytes (the --max-decompressed-bytes limit)",
                self.max_decompressed_bytes
            )));
        }
        Ok(())
    }
}

/// Counts and hashes the blob bytes as the decompressor pulls them, and reports progress.
struct HashingReader<'a, R: Read> {
    inner: R,
    hasher: &'a mut Option<StreamHasher>,
    count: &'a mut u64,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = self.hasher.as_mut() {
            hasher.update(&buf[..n]);
        }
        *self.count += n as u64;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// The decompressed tar stream as the tar parser pulls it, limited — while the parser reads the
/// headers of the next entry — so that no extended header can make it allocate more than
/// [`MAX_EXTENDED_HEADER_BYTES`].
struct TarStream<R: BufRead> {
    /// Buffered: the parser reads 512-byte headers.
    inner: R,
    /// `Some(n)`: the parser is between entries and may read `n` more bytes.
    header_allowance: Rc<Cell<Option<u64>>>,
}

/// A stream the tar parser skips forward in by reading (so skipped bytes pass through whatever
/// hashes or charges the stream). Iterate a `tar::Archive` of it with `entries_with_seek`: the
/// parser's own skip zeroes a 32 KiB buffer per entry, which at a million entries costs more than
/// parsing them.
pub struct ForwardSeek<R> {
    inner: R,
    /// Bytes read so far (the offset [`Seek`] reports).
    position: u64,
}

impl<R: Read> ForwardSeek<R> {
    pub fn new(inner: R) -> ForwardSeek<R> {
        ForwardSeek { inner, position: 0 }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for ForwardSeek<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: Read> Seek for ForwardSeek<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let skip = match to {
            SeekFrom::Current(delta) if delta >= 0 => delta as u64,
            SeekFrom::Start(offset) if offset >= self.position => offset - self.position,
            _ => return Err(io::Error::other("a layer's tar stream only skips forward")),
        };
        if skip > 0 {
            let skipped = io::copy(&mut self.by_ref().take(skip), &mut io::sink())?;
            if skipped < skip {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "tar stream ends inside an entry",
                ));
            }
        }
        Ok(self.position)
    }
}

impl<R: BufRead> Read for TarStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(left) = self.header_allowance.get() {
            if n as u64 > left {
                return Err(io::Error::other(format!(
                    "extended tar header (GNU long name/link or PAX) larger than {} bytes",
                    MAX_EXTENDED_HEADER_BYTES
                )));
            }
            self.header_allowance.set(Some(left - n as u64));
        }
        Ok(n)
    }
}

/// How much decompressed data one chunk carries from a layer's decompressing thread to its tar
/// parser, and how many chunks may wait between them.
const CHUNK_BYTES: usize = 256 << 10;
const CHUNKS_IN_FLIGHT: usize = 4;

/// Decompresses `compressed` on its own thread — which also hashes the decompressed stream for
/// the diff_id and charges it to the image's budget — while this thread parses the tar: on one
/// big layer, inflating and hashing take a third of the read, and this way they take another
/// core instead of adding to the time. A parser that stops early drops its end of the channel,
/// which stops the decompressor at its next chunk.
fn read_tar_pipelined<R: BufRead + Send>(
    compressed: R,
    mut diff_hasher: StreamHasher,
    limits: &ReadLimits,
) -> Result<(LayerContents, StreamHasher)> {
    let (chunks, received) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
    let (spare, spares) = mpsc::channel();
    let parsed = std::thread::scope(|scope| {
        let hasher = &mut diff_hasher;
        let decompressor = scope.spawn(move || {
            let produced = Compression::decompressing(compressed).and_then(|mut stream| {
                produce_chunks(&mut stream, hasher, limits, &chunks, &spares)
            });
            if let Err(error) = produced {
                // The parser reads the error where the stream broke.
                let _ = chunks.send(Err(error));
            }
        });
        let parsed = read_tar(
            ChunkReader {
                chunks: received,
                spare,
                chunk: Vec::new(),
                at: 0,
                failed: false,
            },
            limits,
        );
        if let Err(panic) = decompressor.join() {
            std::panic::resume_unwind(panic);
        }
        parsed
    });
    parsed.map(|contents| (contents, diff_hasher))
}

/// The decompressing thread's loop: fills chunks (reusing those the parser is done with) until
/// the stream ends, the budget is spent or the parser stops listening.
fn produce_chunks(
    stream: &mut dyn Read,
    diff_hasher: &mut StreamHasher,
    limits: &ReadLimits,
    chunks: &mpsc::SyncSender<io::Result<Vec<u8>>>,
    spares: &mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    loop {
        let mut chunk = spares.try_recv().unwrap_or_default();
        chunk.resize(CHUNK_BYTES, 0);
        let mut filled = 0;
        while filled < CHUNK_BYTES {
            match stream.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if filled == 0 {
            return Ok(());
        }
        chunk.truncate(filled);
        limits.charge(filled as u64)?;
        diff_hasher.update(&chunk);
        if chunks.send(Ok(chunk)).is_err() {
            // The parser stopped (an error of its own): nothing more is wanted.
            return Ok(());
        }
        if filled < CHUNK_BYTES {
            return Ok(());
        }
    }
}

/// The parser's end of [`read_tar_pipelined`]: the decompressed stream, chunk by chunk.
struct ChunkReader {
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    /// Where used chunks go back, to be filled again.
    spare: mpsc::Sender<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
    /// The decompressor reported an error: the stream never reads as ending cleanly after it.
    failed: bool,
}

impl BufRead for ChunkReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.chunk.len() {
            if self.failed {
                return Err(io::Error::other("the layer's stream failed"));
            }
            match self.chunks.recv() {
                Ok(Ok(next)) => {
                    let used = std::mem::replace(&mut self.chunk, next);
                    let _ = self.spare.send(used);
                    self.at = 0;
                }
                Ok(Err(error)) => {
                    self.failed = true;
                    return Err(error);
                }
                // The decompressor finished: the end of the stream.
                Err(mpsc::RecvError) => return Ok(&[]),
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.chunk.len());
    }
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Reads layer `index` of `source`, verifying the blob against its digest and the decompressed
/// stream against the config's diff_id. Errors name the layer (index and digest).
pub fn read_layer(
    source: &dyn ImageSource,
    index: usize,
    limits: &ReadLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerContents> {
    let desc = &source.layers()[index];
    let read = read_layer_inner(source, index, desc, limits, progress);
    source.layer_checked(index, read.is_ok());
    read.with_context(|| format!("layer {index} ({})", layer_label(desc)))
}

/// The digest that best names a layer in a message.
pub fn layer_label(desc: &LayerDescriptor) -> &str {
    if desc.digest.is_empty() {
        &desc.diff_id
    } else {
        &desc.digest
    }
}

/// Layer `index` as a tar archive, decompressed (compression sniffed from the magic bytes), for
/// readers that want files back and verify nothing; the analysis uses [`read_layer`]. Iterate it
/// with `entries_with_seek` ([`ForwardSeek`]).
pub fn open_tar<'a>(
    source: &'a dyn ImageSource,
    index: usize,
) -> Result<tar::Archive<ForwardSeek<impl Read + 'a>>> {
    let buffered = BufReader::with_capacity(256 << 10, source.open_layer(index)?);
    let decompressed =
        BufReader::with_capacity(DECOMPRESSED_CHUNK, Compression::decompressing(buffered)?);
    Ok(tar::Archive::new(ForwardSeek::new(decompressed)))
}

fn read_layer_inner(
    source: &dyn ImageSource,
    index: usize,
    desc: &LayerDescriptor,
    limits: &ReadLimits,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LayerContents> {
    let diff_id = ExpectedDigest::parse(&desc.diff_id, "diff_id")?;
    let blob_digest = if desc.digest.is_empty() {
        None
    } else {
        Some(ExpectedDigest::parse(&desc.digest, "digest")?)
    };
    let mut raw = source.open_layer(index)?;
    let mut blob_hasher = blob_digest.as_ref().map(|d| StreamHasher::new(d.algorithm));
    let mut count = 0u64;
    let read = {
        let hashing = HashingReader {
            inner: &mut raw,
            hasher: &mut blob_hasher,
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
        let hasher = StreamHasher::new(diff_id.algorithm);
        let read = read_tar_pipelined(buffered, hasher, limits);
        match compression {
            Compression::Gzip => read.context("gzip layer"),
            Compression::Zstd => read.context("zstd layer"),
            Compression::None => read,
        }
        .map(|(mut contents, diff_hasher)| {
            contents.compression = Some(compression);
            (contents, diff_hasher)
        })
    };
    let unread = desc.compressed_size.saturating_sub(count);
    // Hash whatever follows the end of the compressed stream, so the digest covers the blob.
    let mut rest = HashingReader {
        inner: &mut raw,
        hasher: &mut blob_hasher,
        count: &mut count,
        progress,
    };
    let (mut contents, diff_hasher) = match read {
        Ok(read) => {
            io::copy(&mut rest, &mut io::sink()).context("read failed")?;
            read
        }
        Err(error) => {
            // A corrupt or tampered blob usually breaks decompression before its end. When the
            // rest of it (no more than the manifest says it holds) shows that its bytes are not
            // the ones its digest names, that is the cause to report.
            let drained = desc.compressed_size > 0
                && io::copy(&mut (&mut rest).take(unread), &mut io::sink()).is_ok();
            if let (true, Some(hasher), Some(expected)) = (drained, blob_hasher, &blob_digest) {
                hasher.verify(expected, "blob digest")?;
            }
            return Err(error);
        }
    };
    contents.blob_bytes = count;
    if let (Some(hasher), Some(expected)) = (blob_hasher, &blob_digest) {
        hasher.verify(expected, "blob digest")?;
    }
    diff_hasher.verify(&diff_id, "diff_id")?;
    Ok(contents)
}

/// How much a decompressor produces per call.
const DECOMPRESSED_CHUNK: usize = 256 << 10;

/// Streams a tar, recording every entry and scanning regular files for secrets. Drains the
/// stream to its end so gzip trailers are checked (a truncated or corrupt stream fails here) and
/// the diff_id covers every byte.
fn read_tar<R: BufRead>(reader: R, limits: &ReadLimits) -> Result<LayerContents> {
    let header_allowance = Rc::new(Cell::new(None));
    let stream = TarStream {
        inner: reader,
        header_allowance: Rc::clone(&header_allowance),
    };
    let mut archive = tar::Archive::new(ForwardSeek::new(stream));
    let mut contents = LayerContents::default();
    let mut secrets = LayerScan::default();
    let mut buf = vec![0u8; 64 << 10];
    // A file the secret rules read whole (reused; at most MAX_SCANNED_FILE_BYTES).
    let mut content = Vec::new();
    let mut entries = archive.entries_with_seek().context("not a tar stream")?;
    // Bytes of the previous entry's data the parser skips itself (sparse data, which we never
    // read expanded): allowed on top of the header limit.
    let mut unread_data = 0u64;
    loop {
        // Headers, up to three extended headers, padding, and the end-of-archive blocks.
        header_allowance.set(Some(
            MAX_EXTENDED_HEADER_BYTES + 16 * 512 + unread_data.saturating_add(511) / 512 * 512,
        ));
        let next = entries.next();
        header_allowance.set(None);
        let Some(entry) = next else { break };
        let mut entry = entry.context("corrupt tar stream")?;
        unread_data = 0;
        contents.entry_count += 1;
        let header = entry.header();
        let kind = header.entry_type();
        if kind.is_gnu_sparse() {
            // Read expanded, a sparse entry is its holes as zeros (4 EiB from a 20 KB
            // archive): let the parser skip the stored data instead and fingerprint the map.
            unread_data = header.entry_size().unwrap_or(0);
        }
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            drain(&mut entry, kind.is_gnu_sparse(), &mut buf)?;
            continue;
        }
        // Nothing can really be bigger than the whole image may decompress to; capping here
        // keeps every sum of sizes far from overflowing.
        let size = entry.size().min(limits.max_decompressed_bytes);
        let mode = header.mode().unwrap_or(0) & 0o7777;
        let uid = header.uid().unwrap_or(0) as u32;
        let gid = header.gid().unwrap_or(0) as u32;
        let name_bytes = entry.path_bytes();
        let name = String::from_utf8_lossy(&name_bytes);
        let raw_path = std::str::from_utf8(&name_bytes)
            .is_err()
            .then(|| normalize_bytes(&name_bytes))
            .flatten();
        // The raw parent and leaf, split like `path` below.
        let raw_split = raw_path
            .as_deref()
            .map(|raw| match raw.iter().rposition(|b| *b == b'/') {
                Some(i) => (&raw[..i], &raw[i + 1..]),
                None => (&raw[..0], raw),
            });
        let link = entry
            .link_name_bytes()
            .map(|l| String::from_utf8_lossy(&l).into_owned());
        let sparse_map_hash = kind
            .is_gnu_sparse()
            .then(|| xxhash_rust::xxh3::xxh3_64(&header.as_bytes()[386..495]));
        let Some(path) = normalize(&name) else {
            // The root itself (`./`): nothing to record, like dive.
            drain(&mut entry, kind.is_gnu_sparse(), &mut buf)?;
            continue;
        };
        contents.size = contents.size.saturating_add(size);
        let (parent, leaf) = match path.rsplit_once('/') {
            Some((parent, leaf)) => (parent, leaf),
            None => ("", path.as_str()),
        };
        if let Some(target) = leaf.strip_prefix(".wh.") {
            drain(&mut entry, kind.is_gnu_sparse(), &mut buf)?;
            if target == ".wh..opq" {
                contents.push(
                    parent,
                    raw_split.map(|(parent, _)| parent.into()),
                    Op::Opaque,
                )?;
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
            let raw_removed = raw_split.map(|(parent, leaf)| {
                let target = &leaf[".wh.".len()..];
                if parent.is_empty() {
                    target.into()
                } else {
                    [parent, b"/", target].concat().into_boxed_slice()
                }
            });
            contents.push(&removed, raw_removed, Op::Whiteout)?;
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
            _ => match sparse_map_hash {
                Some(hash) => (EntryKind::File, hash),
                None if !(kind.is_file() || kind == tar::EntryType::Continuous) => {
                    (EntryKind::File, hash_content(&mut entry, size, &mut buf)?)
                }
                None if LayerScan::reads_content(size) => {
                    content.clear();
                    (&mut entry)
                        .take(size)
                        .read_to_end(&mut content)
                        .context("read failed")?;
                    if (content.len() as u64) < size {
                        bail!("truncated file content");
                    }
                    secrets.file(&path, size, Some(&content));
                    (EntryKind::File, xxhash_rust::xxh3::xxh3_64(&content))
                }
                None => {
                    secrets.file(&path, size, None);
                    (EntryKind::File, hash_content(&mut entry, size, &mut buf)?)
                }
            },
        };
        drain(&mut entry, kind.is_gnu_sparse(), &mut buf)?;
        contents.push(
            &path,
            raw_path.map(Vec::into_boxed_slice),
            Op::Put(Entry {
                kind: entry_kind,
                size,
                mode,
                uid,
                gid,
                content_hash,
            }),
        )?;
    }
    contents.secrets = secrets.finish();
    let mut inner = archive.into_inner().into_inner();
    io::copy(&mut inner, &mut io::sink()).context("stream ends badly")?;
    Ok(contents)
}

/// Reads what is left of an entry's data (a directory or whiteout with a size), so the parser
/// only ever skips headers and padding; a sparse entry is left to the parser, which skips its
/// stored bytes without expanding the holes.
fn drain<R: Read>(entry: &mut R, sparse: bool, buf: &mut [u8]) -> Result<()> {
    if sparse {
        return Ok(());
    }
    loop {
        match entry.read(buf).context("truncated entry data")? {
            0 => return Ok(()),
            _ => continue,
        }
    }
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
    normalize_bytes(name.as_bytes())
        .map(|bytes| String::from_utf8(bytes).expect("whole UTF-8 components rejoined by '/'"))
}

/// [`normalize`] on raw bytes (names that are not UTF-8).
pub fn normalize_bytes(name: &[u8]) -> Option<Vec<u8>> {
    // One allocation per name: this runs once per tar entry.
    let mut out = Vec::with_capacity(name.len());
    for part in name.split(|b| *b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                let parent = out.iter().rposition(|b| *b == b'/').unwrap_or(0);
                out.truncate(parent);
            }
            p => {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(p);
            }
        }
    }
    (!out.is_empty()).then_some(out)
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
        assert_eq!(normalize("a/b/../../c/./d/..").as_deref(), Some("c"));
        assert_eq!(normalize("a/b/../../..").as_deref(), None);
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
