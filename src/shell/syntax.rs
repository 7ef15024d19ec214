//! Shell text → brush-parser's syntax tree: the fast path first, brush-parser for what it
//! declines, and a guard in front of both against text that makes brush-parser backtrack for
//! ages.

use brush_parser::ast;

/// The syntax tree of `text`, `None` when it is rejected (or beyond the guard's limits).
/// `fast: false` skips the fast path (the differential tests' reference).
pub(super) fn program(text: &str, fast: bool) -> Option<ast::Program> {
    if !within_limits(text) {
        return None;
    }
    if fast && let Some(program) = super::fast::parse(text) {
        return Some(program);
    }
    parse_with_brush(text)
}

/// brush-parser's syntax tree for `text`, `None` when it rejects it.
pub(super) fn parse_with_brush(text: &str) -> Option<ast::Program> {
    // The parser is third-party code fed with user text; a panic inside it must not take the
    // linter down, so it is contained here and treated as "could not parse". (The panics and
    // the endless loop the fuzz targets found in it are fixed in vendor/brush-parser, see
    // VENDORED.md.)
    std::panic::catch_unwind(|| brush_parse(text)).ok()?.ok()
}

/// brush-parser on `text`, panics and all (the regression tests call it so a panic fails them).
pub(super) fn brush_parse(text: &str) -> Result<ast::Program, brush_parser::ParseError> {
    let options = brush_parser::ParserOptions::default();
    brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options).parse_program()
}

/// brush-parser backtracks exponentially on unclosed parentheses (20 of them take seconds) and
/// recurses once per nesting level; text beyond these limits, or with more than [`MAX_WORDS`]
/// words, is not parsed at all (no real RUN comes near them).
fn within_limits(text: &str) -> bool {
    const MAX_UNCLOSED: i32 = 6;
    const MAX_DEPTH: i32 = 64;
    let mut depth = 0i32;
    let mut max_depth = 0i32;
    let mut quote: Option<u8> = None;
    // Bytes, not characters: every byte that matters here is ASCII, and no byte of a multi-byte
    // UTF-8 character is.
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match (quote, b) {
            (_, b'\\') if quote != Some(b'\'') => {
                bytes.next();
            }
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'(' | b'{') => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            (None, b')' | b'}') => depth -= 1,
            _ => {}
        }
    }
    if depth > MAX_UNCLOSED || max_depth > MAX_DEPTH {
        return false;
    }
    // Unclosed compound commands (`case` without `esac`…) backtrack exponentially too.
    let mut opened = [0i32; 3];
    let mut words = 0usize;
    for word in text
        .as_bytes()
        .split(|b| b.is_ascii_whitespace() || *b == b';')
    {
        words += usize::from(!word.is_empty());
        match word {
            b"case" => opened[0] += 1,
            b"esac" => opened[0] -= 1,
            b"if" => opened[1] += 1,
            b"fi" => opened[1] -= 1,
            b"do" => opened[2] += 1,
            b"done" => opened[2] -= 1,
            _ => {}
        }
    }
    words <= MAX_WORDS
        && opened.iter().all(|n| n.abs() <= MAX_UNCLOSED)
        && opened.iter().all(|n| *n <= MAX_DEPTH)
}

/// Each word costs a few hundred bytes once parsed (brush-parser's node, then the linter's
/// [`Word`](super::Word)), so a 16 MB one-line `RUN echo a a a …` (8 million words) took over
/// 4 GB (found by scripts/probe-hardening.sh). Text with more words than this is not parsed:
/// at most about 1.5 GB. Real RUNs have a few thousand; a million `&&`-chained commands are
/// two million words and still parsed.
const MAX_WORDS: usize = 1 << 22;
