//! Reading one file's content back out of a layer (for a file viewer), streaming the layer until
//! the entry and stopping there; nothing is written to disk.

use std::io::{BufRead, BufReader, Read};

use anyhow::{Context, Result};

use super::layer::{Compression, layer_label, normalize};
use super::source::ImageSource;

/// The first `limit` bytes of `path` (`/etc/os-release` or `etc/os-release`) as layer `layer`
/// stored it; `None` when that layer has no regular file there.
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
        let mut buffered = BufReader::with_capacity(256 << 10, source.open_layer(layer)?);
        let compression = Compression::sniff(buffered.fill_buf()?);
        let reader: Box<dyn Read + '_> = match compression {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
            Compression::None => Box::new(buffered),
        };
        let mut archive = tar::Archive::new(reader);
        let mut found = None;
        for entry in archive.entries()? {
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
            // A later entry for the same path wins, as when the layer is applied.
            found = Some(bytes);
        }
        Ok(found)
    };
    inner().with_context(|| format!("layer {layer} ({})", layer_label(desc)))
}
