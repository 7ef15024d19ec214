//! A fast path in front of brush-parser for the shell text RUN bodies are made of: simple
//! commands with assignments, words, quotes, `$VAR`/`${…}`/`$(…)` inside words and the common
//! redirections; `{ }`, `( )`, `if`, `for`, `while`, `until` and `case`; all joined by `&&`,
//! `||`, `|`, `;` and newlines.
//!
//! brush-parser tokenizes through a `Read` one character at a time and runs a PEG over the
//! tokens; on the corpus that was a third of imglint's whole run. This scanner builds the very
//! same syntax tree (node for node, locations and brush-parser's quirks included:
//! `src/shell/fast_tests.rs` compares the two on every shell text of the corpus and on
//! generated scripts, and the `shell_fast_path` fuzz target on arbitrary text) in one pass over
//! the bytes, and gives up — returning `None`, so brush-parser parses the text as before — at
//! the first thing outside that subset: non-ASCII text, functions, `[[ ]]`, `(( ))`, `time`,
//! backquotes, here-documents, `&` in the background, `$'…'`, process substitution, array
//! assignments, `case` items not closed by `;;`, and anything else not listed above. Giving up
//! is always safe; being wrong is not, so the subset grows only with the tests.

use std::sync::Arc;

use brush_parser::SourcePosition;
use brush_parser::ast;

mod compound;
mod words;

/// Whether the fast path builds brush-parser's very tree for `text`: `Ok(true)` when it takes
/// the text and the trees are equal, `Ok(false)` when it steps aside, `Err` with where the two
/// part otherwise. For the differential tests and the `shell_fast_path` fuzz target.
pub fn check_against_brush(text: &str) -> Result<bool, String> {
    let Some(fast) = parse(text) else {
        return Ok(false);
    };
    let fast = format!("{fast:?}");
    let brush =
        super::syntax::parse_with_brush(text).map_or_else(String::new, |p| format!("{p:?}"));
    if fast == brush {
        return Ok(true);
    }
    // The trees are long: show where they part.
    let at = fast
        .bytes()
        .zip(brush.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let window = |s: &str| s[at.saturating_sub(300)..(at + 200).min(s.len())].to_string();
    Err(format!(
        "fast path and brush-parser differ on {text:?}\nfast:  …{}\nbrush: …{}",
        window(&fast),
        window(&brush)
    ))
}

/// The syntax tree brush-parser would build for `text`, or `None` when `text` is outside the
/// subset this scanner handles.
pub(super) fn parse(text: &str) -> Option<ast::Program> {
    if !text.is_ascii() {
        return None;
    }
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
        line_start: 0,
        spaced: Vec::new(),
    };
    scanner.program()
}

/// Words that mean something else at the start of a command; any of them ends the fast path.
const RESERVED: &[&[u8]] = &[
    b"if",
    b"then",
    b"else",
    b"elif",
    b"fi",
    b"do",
    b"done",
    b"case",
    b"esac",
    b"while",
    b"until",
    b"for",
    b"in",
    b"function",
    b"select",
    b"time",
    b"coproc",
    b"{",
    b"}",
    b"!",
    b"[[",
    b"]]",
];

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    line_start: usize,
    /// Offsets of tabs brush-parser writes as spaces (see [`Scanner::substitution`]).
    spaced: Vec<usize>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    fn position(&self, at: usize) -> Arc<SourcePosition> {
        Arc::new(SourcePosition {
            index: at,
            line: self.line,
            column: at - self.line_start + 1,
        })
    }

    fn newline(&mut self) {
        self.at += 1;
        self.line += 1;
        self.line_start = self.at;
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// A comment runs to the end of the line (the newline itself is left for the caller).
    fn skip_comment(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.at += 1;
        }
    }

    /// Blanks, comments and newlines: what may follow `&&`, `||` and `|` before the next
    /// command, and what separates complete commands.
    fn skip_linebreaks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.at += 1,
                Some(b'\n') => self.newline(),
                Some(b'#') => self.skip_comment(),
                _ => return,
            }
        }
    }

    fn program(&mut self) -> Option<ast::Program> {
        let mut complete_commands = Vec::new();
        self.skip_linebreaks();
        while self.peek().is_some() {
            complete_commands.push(self.complete_command()?);
            self.skip_linebreaks();
        }
        Some(ast::Program { complete_commands })
    }

    /// `and_or (; and_or)* [;]` up to the end of the line.
    fn complete_command(&mut self) -> Option<ast::CompoundList> {
        let mut items = Vec::new();
        loop {
            let and_or = self.and_or()?;
            items.push(ast::CompoundListItem(
                and_or,
                ast::SeparatorOperator::Sequence,
            ));
            self.skip_blanks();
            match self.peek() {
                None | Some(b'\n') => break,
                Some(b';') if self.peek_at(1) != Some(b';') => {
                    self.at += 1;
                    self.skip_blanks();
                    if matches!(self.peek(), Some(b'#')) {
                        self.skip_comment();
                    }
                    if matches!(self.peek(), None | Some(b'\n')) {
                        break;
                    }
                }
                _ => return None,
            }
        }
        Some(ast::CompoundList(items))
    }

    fn and_or(&mut self) -> Option<ast::AndOrList> {
        let first = self.pipeline()?;
        let mut additional = Vec::new();
        loop {
            self.skip_blanks();
            let and = match (self.peek(), self.peek_at(1)) {
                (Some(b'&'), Some(b'&')) => true,
                (Some(b'|'), Some(b'|')) => false,
                _ => break,
            };
            self.at += 2;
            self.skip_linebreaks();
            let next = self.pipeline()?;
            additional.push(if and {
                ast::AndOr::And(next)
            } else {
                ast::AndOr::Or(next)
            });
        }
        Some(ast::AndOrList { first, additional })
    }

    fn pipeline(&mut self) -> Option<ast::Pipeline> {
        self.skip_blanks();
        let bang = self.peek() == Some(b'!') && matches!(self.peek_at(1), Some(b' ' | b'\t'));
        if bang {
            self.at += 1;
        }
        let mut seq = vec![self.command()?];
        loop {
            self.skip_blanks();
            match (self.peek(), self.peek_at(1)) {
                (Some(b'|'), Some(b'|' | b'&')) => break,
                (Some(b'|'), _) => {
                    self.at += 1;
                    self.skip_linebreaks();
                    seq.push(self.command()?);
                }
                _ => break,
            }
        }
        Some(ast::Pipeline {
            timed: None,
            bang,
            seq,
        })
    }

    fn simple_command(&mut self) -> Option<ast::Command> {
        let mut prefix = Vec::new();
        let mut name: Option<ast::Word> = None;
        let mut suffix = Vec::new();
        loop {
            self.skip_blanks();
            let item = match self.peek() {
                None | Some(b'\n' | b';' | b'|' | b')') => break,
                Some(b'&') if self.peek_at(1) == Some(b'&') => break,
                Some(b'&') if self.peek_at(1) == Some(b'>') => self.redirect(None)?,
                Some(b'<' | b'>') => self.redirect(None)?,
                Some(b'#') => {
                    self.skip_comment();
                    break;
                }
                Some(b'(' | b'&' | b'`') => return None,
                Some(_) => {
                    let word = self.word()?;
                    if word.value.bytes().all(|b| b.is_ascii_digit())
                        && matches!(self.peek(), Some(b'<' | b'>'))
                    {
                        let fd = word.value.parse().ok()?;
                        self.redirect(Some(fd))?
                    } else if let Some(assignment) = assignment(&word)? {
                        ast::CommandPrefixOrSuffixItem::AssignmentWord(assignment, word)
                    } else if name.is_none() {
                        if RESERVED.contains(&word.value.as_bytes()) {
                            return None;
                        }
                        name = Some(word);
                        continue;
                    } else {
                        ast::CommandPrefixOrSuffixItem::Word(word)
                    }
                }
            };
            match (&name, &item) {
                (Some(_), _) => suffix.push(item),
                (None, ast::CommandPrefixOrSuffixItem::AssignmentWord(..)) => prefix.push(item),
                // A redirection before the command name: rare, left to brush-parser.
                (None, _) => return None,
            }
        }
        if name.is_none() && prefix.is_empty() {
            return None;
        }
        Some(ast::Command::Simple(ast::SimpleCommand {
            prefix: (!prefix.is_empty()).then_some(ast::CommandPrefix(prefix)),
            word_or_name: name,
            suffix: (!suffix.is_empty()).then_some(ast::CommandSuffix(suffix)),
        }))
    }

    /// A redirection operator (the scanner is on it) and its target word.
    fn redirect(&mut self, fd: Option<i32>) -> Option<ast::CommandPrefixOrSuffixItem> {
        use ast::IoFileRedirectKind as Kind;
        let rest = &self.bytes[self.at..];
        let (length, kind) = match rest {
            [b'&', b'>', b'>', ..] if fd.is_none() => (3, None),
            [b'&', b'>', ..] if fd.is_none() => (2, None),
            [b'>', b'>', ..] => (2, Some(Kind::Append)),
            [b'>', b'&', ..] => (2, Some(Kind::DuplicateOutput)),
            [b'<', b'&', ..] => (2, Some(Kind::DuplicateInput)),
            [b'>', b'|' | b'(', ..] | [b'<', b'<' | b'>' | b'(', ..] => return None,
            [b'>', ..] => (1, Some(Kind::Write)),
            [b'<', ..] => (1, Some(Kind::Read)),
            _ => return None,
        };
        let append = length == 3;
        self.at += length;
        self.skip_blanks();
        if matches!(
            self.peek(),
            None | Some(b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b'#')
        ) {
            return None;
        }
        let target = self.word()?;
        let redirect = match kind {
            None => ast::IoRedirect::OutputAndError(target, append),
            Some(kind @ (Kind::DuplicateOutput | Kind::DuplicateInput)) => {
                if !target.value.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                ast::IoRedirect::File(fd, kind, ast::IoFileRedirectTarget::Duplicate(target))
            }
            Some(kind) => {
                ast::IoRedirect::File(fd, kind, ast::IoFileRedirectTarget::Filename(target))
            }
        };
        Some(ast::CommandPrefixOrSuffixItem::IoRedirect(redirect))
    }
}

/// `NAME=value` / `NAME+=value` with a literal name: an assignment, as brush-parser reads it
/// wherever it stands in a simple command. `Some(None)` for any other word; `None` for the
/// forms left to brush-parser (array elements).
fn assignment(word: &ast::Word) -> Option<Option<ast::Assignment>> {
    let bytes = word.value.as_bytes();
    let name_length = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(bytes.len());
    if name_length == 0 || bytes[0].is_ascii_digit() {
        return Some(None);
    }
    let (append, value_start) = match &bytes[name_length..] {
        [b'=', ..] => (false, name_length + 1),
        [b'+', b'=', ..] => (true, name_length + 2),
        [b'[', ..] => return None,
        _ => return Some(None),
    };
    Some(Some(ast::Assignment {
        name: ast::AssignmentName::VariableName(word.value[..name_length].to_string()),
        value: ast::AssignmentValue::Scalar(ast::Word {
            value: word.value[value_start..].to_string(),
            loc: None,
        }),
        append,
        loc: word.loc.clone()?,
    }))
}
