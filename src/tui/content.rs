//! Reading one file's bytes from one layer, for the file viewer, and turning them into lines to
//! show (text, or a hex summary for binary content).
//!
//! The image core reads layers once to build the tree and keeps no bytes; the viewer goes back to
//! the source for the single file asked for: [`SourceFiles`] does that for every source through
//! the image core's one [`read_file`](crate::image::content::read_file).

use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, bail};

use crate::image::escape_name;
use crate::image::extract::{self, Written};
use crate::image::model::{Image, Layer};
use crate::image::source::ImageSource;

/// The viewer reads at most this much of a file.
pub const VIEW_LIMIT: u64 = 1 << 20;

/// Where the viewer gets file contents from.
pub trait FileSource: Send + Sync {
    /// Up to `limit` bytes of `path` (absolute, `/`-separated) as stored in `layer`.
    fn read_file(&self, layer: &Layer, path: &str, limit: u64) -> Result<Vec<u8>>;

    /// Writes `path` (a file, link or directory tree) as the image is after `layer` into
    /// `dest`, never replacing what exists there ([`crate::image::extract`]).
    fn extract(&self, image: &Image, path: &str, layer: u32, dest: &Path) -> Result<Written> {
        let _ = (image, path, layer, dest);
        bail!("no image source to extract from")
    }
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

/// Most lines of each side [`text_diff`] compares (the table is their product).
pub const DIFF_LINE_LIMIT: usize = 4000;

/// A line diff of two texts, `-` for lines only in `old`, `+` only in `new`, two spaces for
/// both: the longest common subsequence, so unchanged lines stay aligned. `None` when a side has
/// more than [`DIFF_LINE_LIMIT`] lines.
pub fn text_diff(old: &[String], new: &[String]) -> Option<Vec<String>> {
    if old.len() > DIFF_LINE_LIMIT || new.len() > DIFF_LINE_LIMIT {
        return None;
    }
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: the common subsequence length of old[i..] and new[j..].
    let mut lcs = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if old[i] == new[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push(format!("  {}", old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            // On a tie the old line goes first: removals read before their replacements.
            out.push(format!("- {}", old[i]));
            i += 1;
        } else {
            out.push(format!("+ {}", new[j]));
            j += 1;
        }
    }
    Some(out)
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

impl FileSource for SourceFiles {
    fn read_file(&self, layer: &Layer, path: &str, limit: u64) -> Result<Vec<u8>> {
        let index = layer.index as usize;
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        match crate::image::content::read_file(self.source.as_ref(), index, path, limit)? {
            Some(bytes) => Ok(bytes),
            None => bail!("{}: not a regular file in layer {index}", escape_name(path)),
        }
    }

    fn extract(&self, image: &Image, path: &str, layer: u32, dest: &Path) -> Result<Written> {
        let selection = extract::select(image, path, Some(layer))?;
        extract::write_dir(self.source.as_ref(), &selection, dest, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_diff_aligns_common_lines() {
        let lines = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        let diff = text_diff(&lines("a\nb\nc\n"), &lines("a\nc\nd\n")).unwrap();
        assert_eq!(diff, ["  a", "- b", "  c", "+ d"]);
        assert_eq!(text_diff(&[], &lines("x")).unwrap(), ["+ x"]);
        let long = vec![String::new(); DIFF_LINE_LIMIT + 1];
        assert!(text_diff(&long, &[]).is_none());
    }

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
}
