//! Reading one file's bytes from one layer, for the file viewer, and turning them into lines to
//! show (text, or a hex summary for binary content).
//!
//! The image core reads layers once to build the tree and keeps no bytes; the viewer goes back to
//! the source for the single file asked for. [`ArchiveFiles`] does that for `docker save` tars
//! (classic and Docker 25+ OCI layout, which both carry `manifest.json`).

use std::io::Read;
use std::sync::Arc;

use anyhow::{Context, Result, bail};

use crate::image::escape_name;
use crate::image::model::Layer;
use crate::image::source::ImageSource;

/// The viewer reads at most this much of a file.
pub const VIEW_LIMIT: u64 = 1 << 20;

/// Where the viewer gets file contents from.
pub trait FileSource: Send + Sync {
    /// Up to `limit` bytes of `path` (absolute, `/`-separated) as stored in `layer`.
    fn read_file(&self, layer: &Layer, path: &str, limit: u64) -> Result<Vec<u8>>;
}

/// What the viewer shows for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewerContent {
    Text {
        lines: Vec<String>,
        truncated: bool,
    },
    Binary {
        size: u64,
        lines: Vec<String>,
    },
    /// Not a regular file, removed, or not readable: why.
    Unavailable(String),
}

impl ViewerContent {
    pub fn lines(&self) -> &[String] {
        match self {
            ViewerContent::Text { lines, .. } | ViewerContent::Binary { lines, .. } => lines,
            ViewerContent::Unavailable(_) => &[],
        }
    }

    /// Text when the bytes are UTF-8 without NULs; a hex dump of the first 512 bytes otherwise.
    pub fn from_bytes(bytes: &[u8], full_size: u64) -> ViewerContent {
        let truncated = (bytes.len() as u64) < full_size;
        let looks_binary = bytes.contains(&0)
            || match std::str::from_utf8(bytes) {
                Ok(_) => false,
                // A multi-byte character cut by the read limit is still text.
                Err(e) => !(truncated && e.error_len().is_none()),
            };
        if !looks_binary {
            let text = String::from_utf8_lossy(bytes);
            // Escape control characters (other than tab) so file content can not drive the terminal.
            let lines = text
                .lines()
                .map(|l| {
                    let l = l.replace('\t', "    ");
                    if l.chars().any(char::is_control) {
                        escape_name(&l)
                    } else {
                        l
                    }
                })
                .collect();
            return ViewerContent::Text { lines, truncated };
        }
        let shown = &bytes[..bytes.len().min(512)];
        let mut lines = vec![format!(
            "binary file, {full_size} bytes; first {} bytes:",
            shown.len()
        )];
        for (i, chunk) in shown.chunks(16).enumerate() {
            let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            lines.push(format!(
                "{:08x}  {:<47}  |{}|",
                i * 16,
                hex.join(" "),
                ascii
            ));
        }
        ViewerContent::Binary {
            size: full_size,
            lines,
        }
    }
}

/// File contents read back from the image source the tree was built from: the layer blob is
/// opened again and streamed until the path's tar entry, never extracted to disk.
pub struct SourceFiles {
    source: Arc<dyn ImageSource>,
}

impl SourceFiles {
    pub fn new(source: Arc<dyn ImageSource>) -> SourceFiles {
        SourceFiles { source }
    }
}

fn normalise(path: &str) -> String {
    crate::image::layer::normalize(path).unwrap_or_default()
}

/// Wraps a layer stream in the decompressor its magic bytes call for.
fn decompressed<'a>(mut reader: impl Read + 'a) -> Result<Box<dyn Read + 'a>> {
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = reader.read(&mut magic[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    let head = std::io::Cursor::new(magic[..got].to_vec());
    let chained = head.chain(reader);
    Ok(if got >= 2 && magic[..2] == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(chained))
    } else if got == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
        Box::new(zstd::stream::read::Decoder::new(chained)?)
    } else {
        Box::new(chained)
    })
}

impl FileSource for SourceFiles {
    fn read_file(&self, layer: &Layer, path: &str, limit: u64) -> Result<Vec<u8>> {
        let index = layer.index as usize;
        let wanted = normalise(path);
        let blob = self
            .source
            .open_layer(index)
            .with_context(|| format!("layer {index} ({})", layer.digest))?;
        let mut tar = tar::Archive::new(decompressed(blob)?);
        for item in tar
            .entries()
            .with_context(|| format!("layer {index}: not a tar stream"))?
        {
            let item = item.with_context(|| format!("layer {index}: corrupt tar"))?;
            if normalise(&item.path()?.to_string_lossy()) == wanted {
                let mut bytes = Vec::new();
                item.take(limit).read_to_end(&mut bytes)?;
                return Ok(bytes);
            }
        }
        bail!("{}: not found in layer {index}", escape_name(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_binary_are_told_apart() {
        let bytes = b"a=1\n\tb\x1b[2J\n";
        let text = ViewerContent::from_bytes(bytes, bytes.len() as u64);
        assert_eq!(
            text,
            ViewerContent::Text {
                lines: vec!["a=1".into(), "    b\\x1b[2J".into()],
                truncated: false
            }
        );
        let bin = ViewerContent::from_bytes(&[0x7f, b'E', b'L', b'F', 0, 1, 2], 7);
        let lines = bin.lines();
        assert!(lines[0].starts_with("binary file, 7 bytes"), "{lines:?}");
        assert_eq!(
            lines[1],
            format!("00000000  {:<47}  |.ELF...|", "7f 45 4c 46 00 01 02")
        );
    }

    #[test]
    fn paths_are_normalised_into_the_root() {
        assert_eq!(normalise("./app//x/../y"), "app/y");
        assert_eq!(normalise("/../../etc/passwd"), "etc/passwd");
    }
}
