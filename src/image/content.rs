//! Reading one file's content back out of a layer (for the file viewer and anything else that
//! needs a file's bytes), streaming the layer until its end; nothing is written to disk.

use std::io::Read;

use anyhow::{Context, Result};

use super::layer::{layer_label, normalize, open_tar};
use super::source::ImageSource;

/// The first `limit` bytes of `path` (`/etc/os-release` or `etc/os-release`) as layer `layer`
/// stored it; `None` when that layer has no regular file there. When the layer holds the path
/// several times, the last entry wins (as when the layer is applied), and a later non-file entry
/// hides an earlier file.
pub fn read_file(
    source: &dyn ImageSource,
    layer: usize,
    path: &str,
    limit: usize,
) -> Result<Option<Vec<u8>>> {
    let desc = source
        .layers()
        .get(layer)
        .with_context(|| format!("layer {layer}: no such layer"))?;
    let wanted = normalize(path).unwrap_or_default();
    let inner = || -> Result<Option<Vec<u8>>> {
        let mut archive = open_tar(source, layer)?;
        let mut found = None;
        for entry in archive.entries_with_seek()? {
            let entry = entry?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            if normalize(&name).as_deref() != Some(wanted.as_str()) {
                continue;
            }
            let kind = entry.header().entry_type();
            if !(kind.is_file() || kind == tar::EntryType::Continuous) {
                found = None;
                continue;
            }
            let mut bytes = Vec::new();
            entry.take(limit as u64).read_to_end(&mut bytes)?;
            found = Some(bytes);
        }
        Ok(found)
    };
    inner().with_context(|| format!("layer {layer} ({})", layer_label(desc)))
}
