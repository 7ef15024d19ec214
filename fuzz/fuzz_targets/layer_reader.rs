//! The image layer reader (tar, gzip, zstd, whiteouts) on arbitrary bytes, through the public
//! `ImageSource` API: an error is fine, a panic, hang or runaway allocation is not.
#![no_main]

use std::io::{Cursor, Read};

use imgtools::image::layer::{ReadLimits, read_layer};
use imgtools::image::source::{ConfigBlob, ImageSource, LayerDescriptor};
use libfuzzer_sys::fuzz_target;

struct Bytes {
    config: ConfigBlob,
    layers: Vec<LayerDescriptor>,
    blob: Vec<u8>,
}

impl ImageSource for Bytes {
    fn reference(&self) -> &str {
        "fuzz"
    }
    fn config(&self) -> &ConfigBlob {
        &self.config
    }
    fn layers(&self) -> &[LayerDescriptor] {
        &self.layers
    }
    fn open_layer(&self, _: usize) -> anyhow::Result<Box<dyn Read + Send + '_>> {
        Ok(Box::new(Cursor::new(&self.blob[..])))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(config) = ConfigBlob::parse(
        br#"{"rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec(),
        "config",
    ) else {
        return;
    };
    let source = Bytes {
        config,
        layers: vec![LayerDescriptor {
            digest: String::new(),
            media_type: String::new(),
            compressed_size: data.len() as u64,
            // Well-formed but wrong: the reader parses the whole stream and only then finds the
            // mismatch, so every byte is exercised (an empty diff_id is refused up front).
            diff_id: format!("sha256:{}", "0".repeat(64)),
            dive_id: "fuzz".into(),
        }],
        blob: data.to_vec(),
    };
    // A small budget keeps one input from decompressing gigabytes (the limit is what is tested).
    let limits = ReadLimits::new(64 << 20);
    let _ = read_layer(&source, 0, &limits, &|_| {});
});
