//! A fast path in front of brush-parser for the shell text most RUN bodies are made of: simple
//! commands with assignments, words, quotes, `$VAR`/`${…}`/`$(…)` inside words and the common
//! redirections, joined by `&&`, `||`, `|`, `;` and newlines.
//!
//! brush-parser tokenizes through a `Read` one character at a time and runs a PEG over the
//! tokens; on the corpus that was a third of imglint's whole run. This scanner builds the very
//! same syntax tree (node for node, locations included: tests/lint compares the two on every
//! RUN of the corpus and on generated scripts) for that subset in one pass over the bytes, and
//! gives up — returning `None`, so brush-parser parses the text as before — at the first thing
//! outside it: non-ASCII text, compound commands and reserved words, `(`/`)`, backquotes,
//! here-documents, `&` in the background, `$'…'`, process substitution, and anything else not
//! listed above. Giving up is always safe; being wrong is not, so the subset stays small.

use std::sync::Arc;

use brush_parser::ast;
use brush_parser::{SourcePosition, SourceSpan};

/// Whether the fast path builds brush-parser's very tree for `text`: `Ok(true)` when it takes
/// the text and the trees are equal, `Ok(false)` when it steps aside, `Err` with where the two
/// part otherwise. For the differential tests and the `shell_fast_path` fuzz target.
pub fn check_against_brush(text: &str) -> Result<bool, String> {
    let Some(fast) = parse(text) else {
        return Ok(false);
    };
    let fast = format!("{fast:?}");
    let brush =
        super::extract::parse_with_brush(text).map_or_else(String::new, |p| format!("{p:?}"));
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

    /// The word at the scanner without consuming it, if it is a plain word that could be a
    /// reserved one (`if`, `}`, `done`…).
    fn keyword(&self) -> &[u8] {
        let rest = &self.bytes[self.at..];
        let length = rest
            .iter()
            .position(|b| b" \t\n;&|<>()".contains(b))
            .unwrap_or(rest.len());
        &rest[..length]
    }

    /// Consumes `word` when it is the keyword at the scanner.
    fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let found = self.keyword() == word;
        if found {
            self.at += word.len();
        }
        found
    }

    /// A command: a compound one (`{ }`, `( )`, `if`, `for`, `while`, `until`, `case`) with
    /// its redirections, or a simple one.
    fn command(&mut self) -> Option<ast::Command> {
        let start = self.position(self.at);
        let compound = match self.keyword() {
            b"{" => {
                self.at += 1;
                let list = self.compound_list(&[b"}"])?;
                self.eat_keyword(b"}").then_some(())?;
                ast::CompoundCommand::BraceGroup(ast::BraceGroupCommand {
                    list,
                    loc: self.span_from(start),
                })
            }
            b"" if self.peek() == Some(b'(') => {
                if self.peek_at(1) == Some(b'(') {
                    return None;
                }
                self.at += 1;
                let list = self.compound_list(&[])?;
                (self.peek() == Some(b')')).then_some(())?;
                self.at += 1;
                ast::CompoundCommand::Subshell(ast::SubshellCommand {
                    list,
                    loc: self.span_from(start),
                })
            }
            b"if" => self.if_clause()?,
            b"for" => self.for_clause()?,
            b"while" | b"until" => {
                let until = self.keyword() == b"until";
                self.at += if until { 5 } else { 6 };
                let condition = self.compound_list(&[b"do"])?;
                let body = self.do_group()?;
                let clause = ast::WhileOrUntilClauseCommand(condition, body, self.span_from(start));
                if until {
                    ast::CompoundCommand::UntilClause(clause)
                } else {
                    ast::CompoundCommand::WhileClause(clause)
                }
            }
            b"case" => self.case_clause()?,
            _ => return self.simple_command(),
        };
        let mut redirects = Vec::new();
        loop {
            self.skip_blanks();
            let digits = self.bytes[self.at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let fd = match (self.peek_at(digits), digits) {
                (Some(b'<' | b'>'), 0) => None,
                (Some(b'<' | b'>'), _) => {
                    let fd = std::str::from_utf8(&self.bytes[self.at..self.at + digits]).ok()?;
                    let fd = fd.parse().ok()?;
                    self.at += digits;
                    Some(fd)
                }
                (Some(b'&'), 0) if self.peek_at(1) == Some(b'>') => None,
                _ => break,
            };
            match self.redirect(fd)? {
                ast::CommandPrefixOrSuffixItem::IoRedirect(redirect) => redirects.push(redirect),
                _ => return None,
            }
        }
        // What follows a compound command must end it (a word there is a syntax error).
        self.skip_blanks();
        if !matches!(
            self.peek(),
            None | Some(b'\n' | b';' | b'&' | b'|' | b')' | b'#')
        ) {
            return None;
        }
        let redirects = (!redirects.is_empty()).then_some(ast::RedirectList(redirects));
        Some(ast::Command::Compound(compound, redirects))
    }

    fn span_from(&self, start: Arc<SourcePosition>) -> SourceSpan {
        SourceSpan {
            start,
            end: self.position(self.at),
        }
    }

    /// Commands separated by `;` or newlines up to one of `terminators` (a keyword in command
    /// position), a `)` or a `;;`, which are left for the caller. Empty lists are left to
    /// brush-parser.
    fn compound_list(&mut self, terminators: &[&[u8]]) -> Option<ast::CompoundList> {
        let mut items = Vec::new();
        loop {
            self.skip_linebreaks();
            if terminators.contains(&self.keyword())
                || self.peek() == Some(b')')
                || (self.peek() == Some(b';') && self.peek_at(1) == Some(b';'))
            {
                break;
            }
            let and_or = self.and_or()?;
            items.push(ast::CompoundListItem(
                and_or,
                ast::SeparatorOperator::Sequence,
            ));
            self.skip_blanks();
            match (self.peek(), self.peek_at(1)) {
                (Some(b';'), Some(b';')) => break,
                (Some(b';'), _) => self.at += 1,
                (Some(b'\n' | b'#'), _) => {}
                _ => break,
            }
        }
        self.skip_linebreaks();
        (!items.is_empty()).then_some(ast::CompoundList(items))
    }

    /// `if list; then list; [elif list; then list;]… [else list;] fi`. brush-parser's location
    /// for the whole clause covers just the `if`.
    fn if_clause(&mut self) -> Option<ast::CompoundCommand> {
        let start = self.position(self.at);
        self.at += 2;
        let loc = self.span_from(start);
        let condition = self.compound_list(&[b"then"])?;
        self.eat_keyword(b"then").then_some(())?;
        let then = self.compound_list(&[b"elif", b"else", b"fi"])?;
        let mut elses = Vec::new();
        loop {
            if self.eat_keyword(b"elif") {
                let condition = self.compound_list(&[b"then"])?;
                self.eat_keyword(b"then").then_some(())?;
                let body = self.compound_list(&[b"elif", b"else", b"fi"])?;
                elses.push(ast::ElseClause {
                    condition: Some(condition),
                    body,
                });
            } else if self.eat_keyword(b"else") {
                let body = self.compound_list(&[b"fi"])?;
                elses.push(ast::ElseClause {
                    condition: None,
                    body,
                });
            } else {
                break;
            }
        }
        self.eat_keyword(b"fi").then_some(())?;
        Some(ast::CompoundCommand::IfClause(ast::IfClauseCommand {
            condition,
            then,
            elses: (!elses.is_empty()).then_some(elses),
            loc,
        }))
    }

    /// `for NAME [in WORD…]; do list; done`.
    fn for_clause(&mut self) -> Option<ast::CompoundCommand> {
        let start = self.position(self.at);
        self.at += 3;
        self.skip_blanks();
        let name = self.keyword();
        let valid = !name.is_empty()
            && !name[0].is_ascii_digit()
            && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if !valid {
            return None;
        }
        let variable_name = std::str::from_utf8(name).ok()?.to_string();
        self.at += name.len();
        self.skip_blanks();
        let mut values = Vec::new();
        if self.eat_keyword(b"in") {
            loop {
                self.skip_blanks();
                match self.peek() {
                    None | Some(b'\n' | b';') => break,
                    Some(b'&' | b'|' | b'<' | b'>' | b'(' | b')' | b'#') => return None,
                    Some(_) => values.push(self.word()?),
                }
            }
        }
        match (self.peek(), self.peek_at(1)) {
            (Some(b';'), Some(b';')) => return None,
            (Some(b';'), _) => self.at += 1,
            _ => {}
        }
        self.skip_linebreaks();
        let body = self.do_group()?;
        Some(ast::CompoundCommand::ForClause(ast::ForClauseCommand {
            variable_name,
            values: (!values.is_empty()).then_some(values),
            body,
            loc: self.span_from(start),
        }))
    }

    /// `do list; done`, located from `do` to `done`.
    fn do_group(&mut self) -> Option<ast::DoGroupCommand> {
        let start = self.position(self.at);
        self.eat_keyword(b"do").then_some(())?;
        let list = self.compound_list(&[b"done"])?;
        self.eat_keyword(b"done").then_some(())?;
        Some(ast::DoGroupCommand {
            list,
            loc: self.span_from(start),
        })
    }

    /// `case WORD in [(]PATTERN[|PATTERN]…) list ;; … esac`. Items not closed by `;;` (and
    /// `;&`, `;;&`) are left to brush-parser, whose locations for them follow other rules.
    fn case_clause(&mut self) -> Option<ast::CompoundCommand> {
        let start = self.position(self.at);
        self.at += 4;
        self.skip_blanks();
        let value = self.word()?;
        self.skip_blanks();
        self.eat_keyword(b"in").then_some(())?;
        let mut cases = Vec::new();
        loop {
            self.skip_linebreaks();
            if self.eat_keyword(b"esac") {
                break;
            }
            let item_start = self.position(self.at);
            if self.peek() == Some(b'(') {
                self.at += 1;
            }
            let mut patterns = Vec::new();
            loop {
                self.skip_blanks();
                patterns.push(self.word()?);
                self.skip_blanks();
                match self.peek()? {
                    b'|' => self.at += 1,
                    b')' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            self.skip_linebreaks();
            let cmd = if self.peek() == Some(b';') {
                None
            } else {
                Some(self.compound_list(&[b"esac"])?)
            };
            if !(self.peek() == Some(b';') && self.peek_at(1) == Some(b';')) {
                return None;
            }
            self.at += 2;
            if matches!(self.peek(), Some(b'&')) {
                return None;
            }
            cases.push(ast::CaseItem {
                patterns,
                cmd,
                post_action: ast::CaseItemPostAction::ExitCase,
                loc: Some(self.span_from(item_start)),
            });
        }
        if cases.is_empty() {
            return None;
        }
        Some(ast::CompoundCommand::CaseClause(ast::CaseClauseCommand {
            value,
            cases,
            loc: self.span_from(start),
        }))
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

    /// One word, raw (quotes kept), with its location.
    fn word(&mut self) -> Option<ast::Word> {
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
            Some(b'\'' | b'"') => None,
            _ => {
                self.at += 1;
                Some(())
            }
        }
    }

    /// `$(…)` or `$((…))`: scanned to the matching parenthesis; its commands are parsed again
    /// later by the caller, as brush-parser's words are. Anything whose parentheses do not
    /// simply nest (a `case` pattern, a comment, a here-document) ends the fast path.
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
                b'$' if matches!(self.peek_at(1), Some(b'(')) => self.substitution()?,
                b'$' if matches!(self.peek_at(1), Some(b'{')) => self.parameter()?,
                b'$' if matches!(self.peek_at(1), Some(b'\'' | b'"')) => return None,
                b'`' | b'#' | b'\n' => return None,
                b'<' if self.peek_at(1) == Some(b'<') => return None,
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
    /// surrounding quoting) end the fast path.
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
                b'$' if matches!(self.peek_at(1), Some(b'(')) => self.substitution()?,
                b'\'' | b'"' | b'`' | b'\n' | b'\t' => return None,
                _ => self.at += 1,
            }
        }
        Some(())
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
