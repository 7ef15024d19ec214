//! The Dockerfile front-end: bytes → directives, instructions, heredocs, stages, with spans.
//!
//! Entry point (provided by the parser): `parse(text: &str) -> ast::Dockerfile`, which never
//! fails: errors are recorded in `Dockerfile::errors` and parsing continues.

pub mod ast;
