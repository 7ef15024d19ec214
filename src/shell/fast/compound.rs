//! Compound commands (`{ }`, `( )`, `if`, `for`, `while`, `until`, `case`) for the fast path,
//! with brush-parser's locations for each.

use std::sync::Arc;

use brush_parser::ast;
use brush_parser::{SourcePosition, SourceSpan};

use super::Scanner;

impl Scanner<'_> {
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
    pub(super) fn command(&mut self) -> Option<ast::Command> {
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
                // `((` is arithmetic, and brush-parser reads `( (` (blanks between) as
                // arithmetic too (found by the shell_fast_path fuzz target): both are its call.
                let mut next = 1;
                while matches!(self.peek_at(next), Some(b' ' | b'\t')) {
                    next += 1;
                }
                if self.peek_at(next) == Some(b'(') {
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
                // Both keywords are five bytes long.
                self.at += 5;
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
}
