//! The shell parser's fast path against brush-parser on arbitrary text: whenever the fast path
//! takes a text, its syntax tree must be brush-parser's, node for node.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(difference) = imgtools::shell::check_fast_path(text) {
            panic!("{difference}");
        }
    }
});
