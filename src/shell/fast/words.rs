//! Words for the fast path: quotes, escapes and `$…` expansions scanned to their ends, the raw
//! text kept as brush-parser keeps it.

use brush_parser::SourceSpan;
use brush_parser::ast;

use super::Scanner;

impl Scanner<'_> {
    /// One word, raw (quotes kept), with its location.
    pub(super) fn word(&mut self) -> Option<ast::Word> {
        let start = self.at;
        loop {
            match self.peek() {
                None
                | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')') => {
                    break;
                }
                Some(b'\\') => self.escaped()?,
                Some(b'\'') => self.single_quoted()?,
                Some(b'"') => self.double_quoted()?,
                Some(b'$') => self.dollar()?,
                Some(b'`') => return None,
                Some(_) => self.at += 1,
            }
        }
        if self.at == start {
            return None;
        }
        let mut value = std::str::from_utf8(&self.bytes[start..self.at])
            .ok()?
            .to_string();
        if !self.spaced.is_empty() {
            // A tab and a space are both one ASCII byte: the offsets hold.
            let mut bytes = value.into_bytes();
            for at in self.spaced.drain(..) {
                bytes[at - start] = b' ';
            }
            value = String::from_utf8(bytes).ok()?;
        }
        Some(ast::Word {
            value,
            loc: Some(SourceSpan {
                start: self.position(start),
                end: self.position(self.at),
            }),
        })
    }

    /// `\x`: the backslash and the character it quotes. A backslash-newline (a line
    /// continuation inside the shell text) is left to brush-parser.
    fn escaped(&mut self) -> Option<()> {
        match self.peek_at(1) {
            None | Some(b'\n') => None,
            Some(_) => {
                self.at += 2;
                Some(())
            }
        }
    }

    fn single_quoted(&mut self) -> Option<()> {
        let close = self.bytes[self.at + 1..].iter().position(|&b| b == b'\'')?;
        if self.bytes[self.at + 1..self.at + 1 + close].contains(&b'\n') {
            return None;
        }
        self.at += close + 2;
        Some(())
    }

    fn double_quoted(&mut self) -> Option<()> {
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => self.escaped()?,
                b'$' => self.dollar()?,
                b'`' | b'\n' => return None,
                _ => self.at += 1,
            }
        }
    }

    /// `$name`, `${…}`, `$(…)`, `$((…))` inside a word.
    fn dollar(&mut self) -> Option<()> {
        match self.peek_at(1) {
            Some(b'(') => self.substitution(),
            Some(b'{') => self.parameter(),
            // `$'…'`, `$"…"`, and bash's old `$[…]` arithmetic, which brush-parser reads as an
            // expansion that must be closed.
            Some(b'\'' | b'"' | b'[') => None,
            _ => {
                self.at += 1;
                Some(())
            }
        }
    }

    /// `$(…)` or `$((…))`: scanned to the matching parenthesis; its commands are parsed again
    /// later by the caller, as brush-parser's words are. Anything whose parentheses do not
    /// simply nest (a `case` pattern, an extended glob, a comment, a here-document) ends the
    /// fast path.
    ///
    /// brush-parser re-tokenizes the body and writes a blank that ends a word token as a space:
    /// in the word's text a tab after a word becomes a space, while a blank after a blank or an
    /// operator stays as it was. Those tabs are recorded in `self.spaced` for [`word`](Self::word).
    fn substitution(&mut self) -> Option<()> {
        let start = self.at;
        self.at += 2;
        let mut depth = 1;
        let mut in_token = false;
        while depth > 0 {
            let byte = self.peek()?;
            if matches!(byte, b' ' | b'\t') {
                if in_token && byte == b'\t' {
                    self.spaced.push(self.at);
                }
                in_token = !in_token;
                self.at += 1;
                continue;
            }
            // An operator is a token of its own, ended before the blank after it is seen.
            in_token = !matches!(byte, b'|' | b'&' | b';' | b'<' | b'>' | b'(' | b')');
            match byte {
                b'(' => {
                    depth += 1;
                    self.at += 1;
                }
                b')' => {
                    depth -= 1;
                    self.at += 1;
                }
                b'\\' => self.escaped()?,
                b'\'' => self.single_quoted()?,
                b'"' => self.double_quoted()?,
                // `$[` (found here by the fuzz target) ends the fast path as in a word.
                b'$' => self.dollar()?,
                b'`' | b'#' | b'\n' => return None,
                b'<' if self.peek_at(1) == Some(b'<') => return None,
                // An extended glob (`!(…)`, `@(…)`…) is one word token to brush-parser, so a
                // tab after it becomes a space (found by the shell_fast_path fuzz target).
                b'!' | b'@' | b'?' | b'+' | b'*' if self.peek_at(1) == Some(b'(') => return None,
                _ => self.at += 1,
            }
        }
        let body = &self.bytes[start..self.at];
        if body.windows(4).any(|w| w == b"case") {
            return None;
        }
        Some(())
    }

    /// `${…}` scanned to its closing brace; quotes inside it (whose meaning depends on the
    /// surrounding quoting), blanks and operators end the fast path.
    fn parameter(&mut self) -> Option<()> {
        self.at += 2;
        let mut depth = 1;
        while depth > 0 {
            match self.peek()? {
                b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' => {
                    depth -= 1;
                    self.at += 1;
                }
                b'\\' => self.escaped()?,
                b'$' => self.dollar()?,
                // brush-parser re-tokenizes `${…}` too and rewrites blanks around operators
                // there (`${a> b}` becomes `${a>b}`): blanks and operators are left to it.
                b'\'' | b'"' | b'`' | b'\n' | b'\t' | b' ' => return None,
                b'|' | b'&' | b';' | b'<' | b'>' | b'(' | b')' => return None,
                _ => self.at += 1,
            }
        }
        Some(())
    }
}
