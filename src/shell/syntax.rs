//! Shell text → brush-parser's syntax tree: the fast path first, brush-parser for what it
//! declines, and a guard in front of both against text that makes brush-parser backtrack for
//! ages.

use brush_parser::ast;

/// The syntax tree of `text`, `None` when it is rejected (or beyond the guard's limits).
/// `fast: false` skips the fast path (the differential tests' reference).
pub(super) fn program(text: &str, fast: bool) -> Option<ast::Program> {
    if !reasonable_nesting(text) {
        return None;
    }
    if fast {
        if let Some(program) = super::fast::parse(text) {
            return Some(program);
        }
    }
    parse_with_brush(text)
}

/// brush-parser's syntax tree for `text`, `None` when it rejects it.
pub(super) fn parse_with_brush(text: &str) -> Option<ast::Program> {
    let options = brush_parser::ParserOptions::default();
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options);
    // The parser is third-party code fed with user text; a panic inside it must not take the
    // linter down, so it is contained here and treated as "could not parse".
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse_program()));
    result.ok()?.ok()
}

/// brush-parser backtracks exponentially on unclosed parentheses (20 of them take seconds) and
/// recurses once per nesting level; text beyond these limits is not parsed at all (no real RUN
/// comes near them).
fn reasonable_nesting(text: &str) -> bool {
    const MAX_UNCLOSED: i32 = 6;
    const MAX_DEPTH: i32 = 64;
    let mut depth = 0i32;
    let mut max_depth = 0i32;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') if quote != Some('\'') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '{') => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            (None, ')' | '}') => depth -= 1,
            _ => {}
        }
    }
    if depth > MAX_UNCLOSED || max_depth > MAX_DEPTH {
        return false;
    }
    // Unclosed compound commands (`case` without `esac`…) backtrack exponentially too.
    let mut opened = [0i32; 3];
    for word in text.split(|c: char| c.is_whitespace() || c == ';') {
        match word {
            "case" => opened[0] += 1,
            "esac" => opened[0] -= 1,
            "if" => opened[1] += 1,
            "fi" => opened[1] -= 1,
            "do" => opened[2] += 1,
            "done" => opened[2] -= 1,
            _ => {}
        }
    }
    opened.iter().all(|n| n.abs() <= MAX_UNCLOSED) && opened.iter().all(|n| *n <= MAX_DEPTH)
}
