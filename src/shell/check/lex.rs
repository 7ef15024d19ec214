//! A shell word as written, split into quoted text and expansions.
//!
//! brush-parser gives each word's raw text; the checks need to know which parts of it are
//! quoted and which expansions stay unquoted, so the raw text is scanned once here (cheaper
//! than a second parse with brush-parser's word grammar, and it never fails).

use std::ops::Range;

/// How a piece of literal text is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    None,
    /// `'…'`
    Single,
    /// `"…"`
    Double,
    /// `$'…'`
    AnsiC,
}

/// What a `$…` parameter expansion reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `$NAME`, `${NAME}`, `${NAME:-x}`, `${NAME%x}`…
    Named(String),
    /// `$1`…`$9`, `${10}`: whatever the caller passed.
    Positional,
    /// `$@`, `${arr[@]}`: several words.
    AllAt,
    /// `$*`, `${arr[*]}`.
    AllStar,
    /// `$?`, `$#`, `$$`, `$!`, `$-`, `$0`, `${#NAME}`: never contains blanks or globs.
    Safe,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Text {
        range: Range<usize>,
        quote: Quote,
    },
    Param {
        range: Range<usize>,
        param: Param,
        quoted: bool,
    },
    /// `$( … )` or `` ` … ` ``; `inner` is the command text.
    Command {
        range: Range<usize>,
        inner: Range<usize>,
        quoted: bool,
        backtick: bool,
    },
    /// `$(( … ))`.
    Arithmetic {
        range: Range<usize>,
        quoted: bool,
    },
}

impl Token {
    pub fn range(&self) -> &Range<usize> {
        match self {
            Token::Text { range, .. }
            | Token::Param { range, .. }
            | Token::Command { range, .. }
            | Token::Arithmetic { range, .. } => range,
        }
    }
}

/// Splits a raw word into tokens. Unterminated quotes or expansions run to the end of the
/// word (the parser accepted the word, so this only happens in odd but valid corners).
pub fn lex(raw: &str) -> Vec<Token> {
    let b = raw.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut in_double = false;
    let mut push_text = |out: &mut Vec<Token>, range: Range<usize>, quote: Quote| {
        if range.is_empty() {
            return;
        }
        if let Some(Token::Text {
            range: last,
            quote: q,
        }) = out.last_mut()
            && *q == quote
            && last.end == range.start
        {
            last.end = range.end;
            return;
        }
        out.push(Token::Text { range, quote });
    };
    while i < b.len() {
        let here = if in_double {
            Quote::Double
        } else {
            Quote::None
        };
        match b[i] {
            b'\\' => {
                let escaped = raw[i + 1..].chars().next().map_or(0, char::len_utf8);
                let end = i + 1 + escaped;
                push_text(&mut out, i..end, here);
                i = end;
            }
            b'\'' if !in_double => {
                let end = find_byte(b, i + 1, b'\'');
                push_text(&mut out, i + 1..end, Quote::Single);
                i = end + 1;
            }
            b'"' => {
                in_double = !in_double;
                i += 1;
            }
            b'`' => {
                let end = closing_backtick(b, i + 1);
                out.push(Token::Command {
                    range: i..(end + 1).min(b.len()),
                    inner: i + 1..end,
                    quoted: in_double,
                    backtick: true,
                });
                i = end + 1;
            }
            b'$' => i = dollar(raw, i, in_double, &mut out, &mut push_text),
            _ => {
                // A run of plain bytes is one piece of text (most words are nothing else).
                // The byte at `i` is plain here even when special elsewhere (`'` in "…").
                let end = b[i + 1..]
                    .iter()
                    .position(|c| matches!(c, b'\\' | b'\'' | b'"' | b'`' | b'$'))
                    .map_or(b.len(), |n| i + 1 + n);
                push_text(&mut out, i..end, here);
                i = end;
            }
        }
    }
    out
}

type PushText<'f> = dyn FnMut(&mut Vec<Token>, Range<usize>, Quote) + 'f;

/// Lexes the `$…` at `i`; returns where lexing continues.
fn dollar(raw: &str, i: usize, quoted: bool, out: &mut Vec<Token>, text: &mut PushText) -> usize {
    let b = raw.as_bytes();
    let next = b.get(i + 1).copied();
    match next {
        Some(b'\'') if !quoted => {
            let mut j = i + 2;
            while j < b.len() && b[j] != b'\'' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(b.len());
            text(out, i + 2..end, Quote::AnsiC);
            end + 1
        }
        Some(b'(') if b.get(i + 2) == Some(&b'(') => {
            let end = closing(b, i + 3, b'(', b')');
            // `$((…))`: `closing` stops at the inner `)`; the outer one follows.
            let end = (end + 2).min(b.len());
            out.push(Token::Arithmetic {
                range: i..end,
                quoted,
            });
            end
        }
        Some(b'(') => {
            let end = closing(b, i + 2, b'(', b')');
            out.push(Token::Command {
                range: i..(end + 1).min(b.len()),
                inner: i + 2..end,
                quoted,
                backtick: false,
            });
            end + 1
        }
        Some(b'{') => {
            let end = closing(b, i + 2, b'{', b'}');
            let body = &raw[i + 2..end];
            out.push(Token::Param {
                range: i..(end + 1).min(b.len()),
                param: braced(body),
                quoted,
            });
            end + 1
        }
        Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            out.push(Token::Param {
                range: i..j,
                param: Param::Named(raw[i + 1..j].to_string()),
                quoted,
            });
            j
        }
        Some(c) if c.is_ascii_digit() || b"@*?#$!-".contains(&c) => {
            let param = match c {
                b'@' => Param::AllAt,
                b'*' => Param::AllStar,
                b'1'..=b'9' => Param::Positional,
                _ => Param::Safe,
            };
            out.push(Token::Param {
                range: i..i + 2,
                param,
                quoted,
            });
            i + 2
        }
        _ => {
            let here = if quoted { Quote::Double } else { Quote::None };
            text(out, i..i + 1, here);
            i + 1
        }
    }
}

/// What `${body}` reads.
fn braced(body: &str) -> Param {
    if body.len() > 1 && body.starts_with('#') {
        return Param::Safe;
    }
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let name = &body[..name_end];
    let rest = &body[name_end..];
    if rest.starts_with("[@]") {
        return Param::AllAt;
    }
    if rest.starts_with("[*]") {
        return Param::AllStar;
    }
    match name {
        "" => match body.as_bytes().first() {
            Some(b'@') => Param::AllAt,
            Some(b'*') => Param::AllStar,
            _ => Param::Safe,
        },
        n if n.bytes().all(|c| c.is_ascii_digit()) => {
            if n == "0" {
                Param::Safe
            } else {
                Param::Positional
            }
        }
        n => Param::Named(n.to_string()),
    }
}

fn find_byte(b: &[u8], from: usize, byte: u8) -> usize {
    b[from.min(b.len())..]
        .iter()
        .position(|c| *c == byte)
        .map_or(b.len(), |p| from + p)
}

fn closing_backtick(b: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < b.len() && b[j] != b'`' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    j.min(b.len())
}

/// The index of the `close` that ends a group opened just before `from`, skipping quotes.
fn closing(b: &[u8], from: usize, open: u8, close: u8) -> usize {
    let mut depth = 1;
    let mut j = from;
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(b'"') if c == b'\\' => j += 1,
            Some(_) => {}
            None if c == b'\\' => j += 1,
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == open => depth += 1,
            None if c == close => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            None => {}
        }
        j += 1;
    }
    b.len()
}

/// Whether a word's unquoted literal text contains a glob character or brace expansion, or
/// an unquoted expansion: what may turn one word into several.
pub fn may_split(raw: &str, tokens: &[Token]) -> bool {
    tokens.iter().any(|t| match t {
        Token::Text {
            range,
            quote: Quote::None,
        } => raw[range.clone()]
            .bytes()
            .any(|c| matches!(c, b'*' | b'?' | b'[' | b'{' | b' ' | b'\t')),
        Token::Param { quoted, param, .. } => !quoted || *param == Param::AllAt,
        Token::Command { quoted, .. } => !quoted,
        Token::Arithmetic { quoted, .. } => !quoted,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_expansions() {
        let t = lex(r#"a"$B ${C:-x}"'$d'$(e "f")`g`$((1+2))$1$@${#h}"#);
        let kinds: Vec<&str> = t
            .iter()
            .map(|t| match t {
                Token::Text {
                    quote: Quote::None, ..
                } => "text",
                Token::Text {
                    quote: Quote::Double,
                    ..
                } => "dq",
                Token::Text {
                    quote: Quote::Single,
                    ..
                } => "sq",
                Token::Text { .. } => "ansi",
                Token::Param { quoted: true, .. } => "qparam",
                Token::Param { .. } => "param",
                Token::Command { backtick: true, .. } => "backtick",
                Token::Command { .. } => "subst",
                Token::Arithmetic { .. } => "arith",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "text", "qparam", "dq", "qparam", "sq", "subst", "backtick", "arith", "param",
                "param", "param"
            ]
        );
        assert!(matches!(&t[3], Token::Param { param: Param::Named(n), .. } if n == "C"));
        assert!(matches!(
            &t[8],
            Token::Param {
                param: Param::Positional,
                ..
            }
        ));
        assert!(matches!(
            &t[9],
            Token::Param {
                param: Param::AllAt,
                ..
            }
        ));
        assert!(matches!(
            &t[10],
            Token::Param {
                param: Param::Safe,
                ..
            }
        ));
    }

    #[test]
    fn unterminated_pieces_do_not_panic() {
        for raw in ["'abc", "\"$(", "${", "`x", "$((1", "\\", "$", "$'a\\"] {
            let _ = lex(raw);
        }
    }
}
