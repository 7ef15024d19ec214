//! The Dockerfile parser and both dumps on arbitrary bytes: no panic, no hang, bounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let df = imgtools::dockerfile::parse_bytes(data);
    let _ = imgtools::dockerfile::dump::to_json(&df);
    let _ = imgtools::dockerfile::dump::to_buildkit(&df);
});
