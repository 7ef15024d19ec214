//! ARG/ENV expansion: the first line holds variables `NAME=VALUE` separated by NUL, the rest is
//! the word. The result never exceeds the cap, whatever the nesting.
#![no_main]

use imgtools::dockerfile::expand::{MAX_EXPANDED_BYTES, expand, try_unquote};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (vars, word) = text.split_once('\n').unwrap_or(("", &text));
    let lookup = |name: &str| {
        vars.split('\0')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    for escape in ['\\', '`'] {
        if let Ok(e) = expand(word, escape, &lookup) {
            assert!(e.value.len() <= MAX_EXPANDED_BYTES + word.len());
        }
        let _ = try_unquote(word, escape);
    }
});
