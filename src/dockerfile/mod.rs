//! The Dockerfile front-end: bytes → directives, instructions, heredocs, stages, with spans.
//!
//! [`parse`] never fails: errors are recorded in `Dockerfile::errors` and parsing continues with
//! the next instruction. The structure follows BuildKit's parser: a file-level loop
//! ([`parser`]: directives, comments, continuations, heredocs), a dispatch table from keyword to
//! line parser ([`instruction`]), word splitting ([`words`]), the shell lexer's expansion
//! ([`expand`]), stages and ARG scope ([`stages`]) and the dumps ([`dump`]).

pub mod ast;
pub mod dump;
pub mod expand;
pub mod instruction;
mod parser;
mod source;
pub mod stages;
mod words;

pub use expand::{Expanded, expand, referenced_variables, try_unquote, unquote};
pub use instruction::known_flags;
pub use stages::{PREDEFINED_ARGS, args_in_scope, is_predefined_arg};

use ast::{ParseError, Pos, Span};

/// Parses a Dockerfile. A leading UTF-8 BOM is skipped (offsets count from after it).
pub fn parse(text: &str) -> ast::Dockerfile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    parser::parse_text(text)
}

/// Parses raw bytes: a UTF-8 BOM is skipped and invalid UTF-8 is decoded lossily, with an error
/// naming the first line that holds invalid bytes. Lines and columns are those of the file; byte
/// offsets then count in the decoded text (each invalid sequence is one U+FFFD).
pub fn parse_bytes(bytes: &[u8]) -> ast::Dockerfile {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => parser::parse_text(text),
        Err(e) => {
            let valid = e.valid_up_to();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u32;
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|i| i + 1)
                .unwrap_or(0);
            let column = 1 + String::from_utf8_lossy(&bytes[line_start..valid])
                .chars()
                .count() as u32;
            let text = String::from_utf8_lossy(bytes);
            let mut df = parser::parse_text(&text);
            let pos = Pos {
                line,
                column,
                offset: valid,
            };
            df.errors.insert(
                0,
                ParseError {
                    message: format!(
                        "invalid UTF-8 on line {line}: decoded with replacement characters"
                    ),
                    span: Span::new(pos, pos),
                },
            );
            df
        }
    }
}
