//! Shell analysis of RUN bodies and entrypoint scripts on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let script = imgtools::shell::parse_str(&String::from_utf8_lossy(data));
    for command in &script.commands {
        assert!(command.name.span.start <= command.name.span.end);
    }
});
