//! Reading images: sources → layers → trees → metrics.

pub mod attribution;
pub mod build;
pub mod ci;
pub mod config;
pub mod content;
pub mod diff;
pub mod digest;
pub mod duplicates;
pub mod export;
pub mod extract;
pub mod findings;
#[doc(hidden)]
pub mod fixtures;
pub mod largest;
pub mod layer;
pub mod metrics;
pub mod model;
pub mod proof;
pub mod secrets;
pub mod source;

pub use build::{AnalyzeOptions, analyze};

/// Renders a path or file name from an image for display: control characters, escape sequences
/// and invalid bytes are escaped (`\x1b`, `\n`, `\u{7f}`…) so nothing from an image is ever sent
/// raw to a terminal or breaks a line-oriented output.
pub fn escape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            // Bidi overrides and other invisible format characters can disguise a name.
            c if crate::text::is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_name;

    #[test]
    fn escapes_terminal_control_sequences() {
        assert_eq!(escape_name("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape_name("line\nbreak"), "line\\nbreak");
        assert_eq!(escape_name("plain.txt"), "plain.txt");
        assert_eq!(escape_name("\u{202e}txt.exe"), "\\u{202e}txt.exe");
    }
}
