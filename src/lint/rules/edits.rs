//! Building fixes on the parser's spans, shared by the fixable rules. Every helper returns
//! `None` unless the text it would edit is exactly where the syntax tree says (a word split by a
//! line continuation, a command inside a `sh -c` string, a decoded JSON string…): a fix that
//! cannot be placed exactly is not offered.

use crate::dockerfile::ast::{Form, Instruction, Span};
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::rule::Context;
use crate::shell::{Command, Script, Word};

/// The file text `span` covers.
pub fn text_at<'c>(ctx: &'c Context, span: Span) -> Option<&'c str> {
    ctx.source.get(span.start.offset..span.end.offset)
}

/// Whether `word` of `cmd` stands in the file exactly as written, so edits may target it.
pub fn word_is_exact(ctx: &Context, cmd: &Command, word: &Word) -> bool {
    !cmd.in_shell_string && text_at(ctx, word.span) == Some(word.raw.as_str())
}

/// Inserts ` <text>` right after `word` (a flag after a subcommand: `apt-get install -y`).
pub fn insert_after_word(
    ctx: &Context,
    cmd: &Command,
    word: &Word,
    text: &str,
    applicability: Applicability,
) -> Option<Fix> {
    word_is_exact(ctx, cmd, word).then(|| {
        Fix::new(
            applicability,
            vec![Edit::insert(word.span.end.offset, format!(" {text}"))],
        )
    })
}

/// Replaces `word` with `replacement` (`apt` → `apt-get`).
pub fn replace_word(ctx: &Context, cmd: &Command, word: &Word, replacement: &str) -> Option<Fix> {
    word_is_exact(ctx, cmd, word).then(|| Fix::safe(vec![Edit::replace(word.span, replacement)]))
}

/// Appends ` && <command>` to the end of a shell-form RUN (`script` is its parse), when the
/// script ends in a plain command (no trailing `;`, `&`, `|`, comment or heredoc) and the
/// result parses as the same script plus that one command.
pub fn append_to_run(
    ctx: &Context,
    run: &Instruction,
    script: &Script,
    command: &str,
) -> Option<Fix> {
    if run.form != Form::Shell || !run.heredocs.is_empty() {
        return None;
    }
    let text = run.args.first()?;
    let value = text.value.trim_end();
    if value.is_empty() || value.ends_with(['&', '|', ';', '\\', '`']) {
        return None;
    }
    // The end of the value must be where the file says: compare the last continuation piece.
    let last_piece = text.pieces.last().map_or(0, |p| p.value_offset);
    let tail = value.get(last_piece.min(value.len())..)?;
    let end = text.span_of(0..value.len()).end.offset;
    if ctx.source.get(end.checked_sub(tail.len())?..end) != Some(tail) {
        return None;
    }
    let before = script;
    let after = crate::shell::parse_str(&format!("{value} && {command}"));
    let added = after.commands.last()?;
    let sound = before.parsed
        && after.parsed
        && after.commands.len() == before.commands.len() + 1
        && added.depth == 0
        && added.text() == command;
    sound.then(|| Fix::safe(vec![Edit::insert(end, format!(" && {command}"))]))
}

/// `canonical` (an upper-case keyword) in the case of `written`: lower case when `written` is
/// all lower case, upper case otherwise.
pub fn keyword_like(written: &str, canonical: &str) -> String {
    if written.chars().any(|c| c.is_uppercase()) {
        canonical.to_ascii_uppercase()
    } else {
        canonical.to_ascii_lowercase()
    }
}

/// Deletes the lines of `instr` (which must start its line, after blanks at most) with their
/// line ending. On the last line of a file without a final newline, the line ending before it
/// goes instead, so the file still ends without one.
pub fn delete_lines(ctx: &Context, instr: &Instruction) -> Option<Edit> {
    let source = ctx.source;
    let offset = instr.span.start.offset;
    let mut start = source.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    if !source[start..offset].chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let end = source
        .get(instr.span.end.offset..)?
        .find('\n')
        .map_or(source.len(), |i| instr.span.end.offset + i + 1);
    if !source[..end].ends_with('\n') {
        let before = &source[..start];
        start -= if before.ends_with("\r\n") {
            2
        } else {
            usize::from(before.ends_with('\n'))
        };
    }
    Some(Edit {
        range: start..end,
        replacement: String::new(),
        file: None,
    })
}
