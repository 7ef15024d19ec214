//! The image layer reader (tar, gzip, zstd, whiteouts) on arbitrary bytes, through the public
//! `ImageSource` API: an error is fine, a panic, hang or runaway allocation is not.
#![no_main]

use std::io::{Cursor, Read};

use imgtools::image::layer::read_layer;
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
            diff_id: String::new(),
            dive_id: "fuzz".into(),
        }],
        blob: data.to_vec(),
    };
    let _ = read_layer(&source, 0, &|_| {});
});
