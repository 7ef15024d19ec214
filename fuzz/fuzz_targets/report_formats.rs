//! Lint arbitrary bytes (the first line is the file's name) and write every report format:
//! JSON formats must parse, checkstyle must be well-formed XML 1.0, and no output may carry a
//! raw control or bidi character.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/report_check.rs"]
mod report_check;

fuzz_target!(|data: &[u8]| {
    report_check::lint_and_check_every_format(data);
});
