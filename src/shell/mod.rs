//! RUN bodies → commands, words, flags (a real shell parser).
//!
//! A RUN's shell text (or a heredoc body, or a script from the build context) is parsed into
//! `brush-parser`'s syntax tree (by a fast path of our own where it can, see `syntax`) and
//! walked into a flat list of [`Command`]s in execution order: `&&`, `||`, `;`, pipes,
//! sub-shells, brace groups, `if`/`for`/`while`/`case` bodies are all walked, `sh -c "…"` and
//! `bash -c '…'` strings are parsed again, and `env X=1 cmd` is seen as `cmd`. Every word keeps
//! its exact file [`Span`] through [`SourceText::span_of`], so a finding points at the flag or
//! package name it is about.
//!
//! Parsing never fails loudly: text the parser rejects yields a [`Script`] with `parsed ==
//! false` and no commands, so rules simply do not fire on it.

pub mod check;
mod command;
mod extract;
mod fast;
pub mod programs;
mod span;
mod syntax;
mod word;

pub use command::{Assignment, Command, Connector, Constructs, ForLoop, Script};
#[doc(hidden)]
pub use fast::check_against_brush as check_fast_path;
pub use programs::{is_script_shell, shell_program};
pub use word::{Word, basename, unquote};

use crate::dockerfile::ast::{Pos, SourceText, Span};
use extract::Builder;
use span::Mapper;

/// Parses a RUN body or other shell text taken from the Dockerfile.
pub fn parse(text: &SourceText) -> Script {
    let mut builder = Builder::default();
    let ok = builder.parse_into(
        &text.value,
        &Mapper::Source { text, base: 0 },
        0,
        false,
        false,
    );
    Script {
        commands: builder.commands,
        assignments: builder.assignments,
        for_loops: builder.for_loops,
        unchecked_negations: builder.unchecked_negations,
        constructs: builder.constructs,
        parsed: ok,
    }
}

/// Parses a standalone script (a file from the build context); spans are relative to it.
pub fn parse_str(text: &str) -> Script {
    let source = SourceText {
        value: text.to_string(),
        span: Span::new(
            Pos {
                line: 1,
                column: 1,
                offset: 0,
            },
            Pos::default(),
        ),
        pieces: Vec::new(),
    }
    .indexed();
    parse(&source)
}

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;
