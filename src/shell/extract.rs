//! Command extraction: walks brush-parser's syntax tree into a flat list of [`Command`]s,
//! parsing `sh -c` strings and `$( … )` substitutions again.

use std::ops::Range;

use brush_parser::ast;
use brush_parser::ast::SourceLocation;

use super::command::{Assignment, Command, Connector, Constructs, ForLoop};
use super::span::{CharOffsets, Mapper};
use super::word::{Word, basename, unquote};
use crate::dockerfile::ast::Span;

#[derive(Default)]
pub(super) struct Builder {
    pub(super) commands: Vec<Command>,
    pub(super) assignments: Vec<Assignment>,
    pub(super) for_loops: Vec<ForLoop>,
    pub(super) unchecked_negations: Vec<Span>,
    pub(super) constructs: Constructs,
    next_pipeline: usize,
    /// Parse everything with brush-parser, skipping [`super::fast`]: the differential tests'
    /// reference.
    #[cfg(test)]
    pub(super) brush_only: bool,
}

/// Whose status the last command of a list decides, which tells whether a lone `! cmd` at
/// its end is read by anything (ShellCheck's SC2251).
#[derive(Clone, Copy)]
enum ListKind {
    /// The script itself, a sub-shell, a function body: the last status is returned.
    Returning,
    /// An `if`/`while`/`until` condition: the last status is tested.
    Condition,
    /// The body of `if`/`case`/loops and `{ …; }`: under `set -e` a negated last command
    /// still does not stop anything.
    Body,
}

/// How deep `sh -c "sh -c …"` nesting is followed.
const MAX_DEPTH: usize = 8;

impl Builder {
    #[cfg(test)]
    pub(super) fn new(brush_only: bool) -> Builder {
        Builder {
            brush_only,
            ..Builder::default()
        }
    }

    pub(super) fn parse_into(
        &mut self,
        text: &str,
        mapper: &Mapper,
        depth: usize,
        nested: bool,
        condition: bool,
    ) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        #[cfg(test)]
        let fast = !self.brush_only;
        #[cfg(not(test))]
        let fast = true;
        let Some(program) = super::syntax::program(text, fast) else {
            return false;
        };
        let offsets = CharOffsets::new(text);
        let mut ctx = Walk {
            text,
            offsets: &offsets,
            mapper,
            depth,
            nested,
            condition,
        };
        for list in &program.complete_commands {
            self.compound_list(&mut ctx, list, Connector::Sequence, ListKind::Returning);
        }
        true
    }

    fn compound_list(
        &mut self,
        w: &mut Walk,
        list: &ast::CompoundList,
        first: Connector,
        kind: ListKind,
    ) {
        let count = list.0.len();
        for (i, item) in list.0.iter().enumerate() {
            let conn = if i == 0 { first } else { Connector::Sequence };
            let and_or = &item.0;
            // `! cmd` on its own whose status nothing reads.
            let last = i + 1 == count;
            let unread = match kind {
                ListKind::Body => true,
                ListKind::Returning | ListKind::Condition => !last,
            };
            let outer = w.condition;
            w.condition |= matches!(kind, ListKind::Condition) && last;
            let unchecked =
                !w.nested && and_or.first.bang && and_or.additional.is_empty() && unread;
            let before = self.commands.len();
            self.and_or(w, and_or, conn);
            if !w.nested && !w.condition {
                self.shorthand_ifs(w, and_or);
            }
            w.condition = outer;
            if unchecked
                && let Some(c) = self.commands[before..].iter().find(|c| c.depth == w.depth)
            {
                self.unchecked_negations.push(c.name.span);
            }
        }
    }

    fn and_or(&mut self, w: &mut Walk, list: &ast::AndOrList, first: Connector) {
        let last = list.additional.len();
        let outer = w.condition;
        for (i, (pipeline, conn)) in std::iter::once((&list.first, first))
            .chain(list.additional.iter().map(|next| match next {
                ast::AndOr::And(p) => (p, Connector::And),
                ast::AndOr::Or(p) => (p, Connector::Or),
            }))
            .enumerate()
        {
            // Every pipeline but the last is tested by the `&&`/`||` after it.
            w.condition = outer || i < last;
            self.pipeline(w, pipeline, conn);
        }
        w.condition = outer;
    }

    /// ShellCheck's SC2015 pattern: `A && B || C` with a `B` that can fail for reasons other
    /// than a test and a `C` that does real work.
    fn shorthand_ifs(&mut self, w: &Walk, list: &ast::AndOrList) {
        // Only at the end of the list: `A && B || C && D` tests the `||` with the `&&` after
        // it, which ShellCheck counts as a condition.
        if let [.., ast::AndOr::And(b), ast::AndOr::Or(c)] = list.additional.as_slice() {
            let is_test = single(b).is_some_and(|cmd| match cmd {
                ast::Command::ExtendedTest(..) => true,
                ast::Command::Simple(s) => {
                    matches!(simple_name(s), Some("[" | "test"))
                }
                _ => false,
            });
            let harmless = single(c).is_some_and(|cmd| match cmd {
                ast::Command::Simple(s) => match simple_name(s) {
                    None => true,
                    Some(name) => matches!(
                        basename(name),
                        "echo" | "exit" | "return" | "printf" | "true" | ":"
                    ),
                },
                _ => false,
            });
            if !is_test
                && !harmless
                && let Some(loc) = list.first.location()
            {
                self.constructs.shorthand_ifs.push(w.span_of(&loc));
            }
        }
    }

    fn pipeline(&mut self, w: &mut Walk, pipeline: &ast::Pipeline, first: Connector) {
        let id = self.next_pipeline;
        self.next_pipeline += 1;
        let len = pipeline.seq.len();
        for (i, cmd) in pipeline.seq.iter().enumerate() {
            let conn = if i == 0 { first } else { Connector::Pipe };
            self.command(w, cmd, conn, id, len);
        }
    }

    fn command(
        &mut self,
        w: &mut Walk,
        cmd: &ast::Command,
        conn: Connector,
        pipeline: usize,
        pipeline_len: usize,
    ) {
        match cmd {
            ast::Command::Simple(simple) => self.simple(w, simple, conn, pipeline, pipeline_len),
            ast::Command::Compound(compound, _) => self.compound(w, compound, conn),
            ast::Command::Function(def) => match &def.body.0 {
                // A function returns the status of its last command.
                ast::CompoundCommand::BraceGroup(g) => {
                    w.depth += 1;
                    self.compound_list(w, &g.list, conn, ListKind::Returning);
                    w.depth -= 1;
                }
                body => self.compound(w, body, conn),
            },
            ast::Command::ExtendedTest(test, _) => {
                if !w.nested {
                    self.constructs.double_brackets.push(w.span_of(&test.loc));
                }
            }
        }
    }

    fn compound(&mut self, w: &mut Walk, cmd: &ast::CompoundCommand, conn: Connector) {
        w.depth += 1;
        match cmd {
            ast::CompoundCommand::BraceGroup(g) => {
                self.compound_list(w, &g.list, conn, ListKind::Body)
            }
            ast::CompoundCommand::Subshell(s) => {
                self.compound_list(w, &s.list, conn, ListKind::Returning)
            }
            ast::CompoundCommand::ForClause(f) => {
                let values = f.values.iter().flatten().map(|v| w.word(v)).collect();
                self.for_loops.push(ForLoop {
                    variable: f.variable_name.clone(),
                    values,
                    in_shell_string: w.nested,
                    before_command: self.commands.len(),
                });
                self.compound_list(w, &f.body.list, conn, ListKind::Body)
            }
            ast::CompoundCommand::ArithmeticForClause(f) => {
                self.compound_list(w, &f.body.list, conn, ListKind::Body)
            }
            ast::CompoundCommand::CaseClause(c) => {
                for item in &c.cases {
                    if let Some(body) = &item.cmd {
                        self.compound_list(w, body, conn, ListKind::Body);
                    }
                }
            }
            ast::CompoundCommand::IfClause(c) => {
                self.compound_list(w, &c.condition, conn, ListKind::Condition);
                self.compound_list(w, &c.then, Connector::And, ListKind::Body);
                for e in c.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.compound_list(w, cond, Connector::Or, ListKind::Condition);
                    }
                    self.compound_list(w, &e.body, Connector::Or, ListKind::Body);
                }
            }
            ast::CompoundCommand::WhileClause(c) | ast::CompoundCommand::UntilClause(c) => {
                self.compound_list(w, &c.0, conn, ListKind::Condition);
                self.compound_list(w, &c.1.list, Connector::And, ListKind::Body);
            }
            ast::CompoundCommand::Arithmetic(_) | ast::CompoundCommand::Coprocess(_) => {}
        }
        w.depth -= 1;
    }

    fn simple(
        &mut self,
        w: &mut Walk,
        cmd: &ast::SimpleCommand,
        conn: Connector,
        pipeline: usize,
        pipeline_len: usize,
    ) {
        let mut assignments = Vec::new();
        let mut redirect_targets = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        // Words whose `$( … )` command substitutions run as part of this command.
        let mut substituted: Vec<Word> = Vec::new();
        let items = cmd
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .map(Some)
            .chain(std::iter::once(None))
            .chain(cmd.suffix.iter().flat_map(|s| s.0.iter()).map(Some));
        for item in items {
            match item {
                None => {
                    if let Some(name) = &cmd.word_or_name {
                        words.push(w.word(name));
                    }
                }
                Some(ast::CommandPrefixOrSuffixItem::Word(word)) => words.push(w.word(word)),
                Some(ast::CommandPrefixOrSuffixItem::AssignmentWord(a, word)) => {
                    if words.is_empty() {
                        let whole = w.word(word);
                        if let Some((name, value)) = whole.raw.split_once('=') {
                            self.assignments.push(Assignment {
                                name: name.trim_end_matches('+').to_string(),
                                raw_value: value.to_string(),
                                span: whole.span,
                                in_shell_string: w.nested,
                                before_command: self.commands.len(),
                            });
                        }
                        let name = match &a.name {
                            ast::AssignmentName::VariableName(n) => n.clone(),
                            ast::AssignmentName::ArrayElementName(n, _) => n.clone(),
                        };
                        let value = match &a.value {
                            ast::AssignmentValue::Scalar(v) => unquote(&v.value),
                            ast::AssignmentValue::Array(_) => String::new(),
                        };
                        assignments.push((name, value));
                        substituted.push(w.word(word));
                    } else {
                        // `export X=1`, `declare X=1`: an argument of the command.
                        words.push(w.word(word));
                    }
                }
                Some(ast::CommandPrefixOrSuffixItem::IoRedirect(r)) => match r {
                    ast::IoRedirect::File(_, _, ast::IoFileRedirectTarget::Filename(t)) => {
                        redirect_targets.push(w.word(t))
                    }
                    ast::IoRedirect::OutputAndError(t, append) => {
                        let target = w.word(t);
                        // ShellCheck flags `&>` only; `&>>` passes unremarked.
                        if !w.nested && !append {
                            self.constructs.output_and_error.push(target.span);
                        }
                        redirect_targets.push(target)
                    }
                    _ => {}
                },
                Some(ast::CommandPrefixOrSuffixItem::ProcessSubstitution(..)) => {}
            }
        }
        // `env [-i] [-u NAME] X=1 cmd …` runs `cmd`.
        while words.first().is_some_and(|n| basename(&n.value) == "env") && words.len() > 1 {
            let mut i = 1;
            while i < words.len() {
                let v = &words[i].value;
                if v == "-u" || v == "--unset" {
                    i += 2;
                } else if v.starts_with('-') {
                    i += 1;
                } else if let Some((k, val)) = v.split_once('=') {
                    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        assignments.push((k.to_string(), val.to_string()));
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            if i >= words.len() {
                break;
            }
            words.drain(..i);
        }
        substituted.extend(words.iter().cloned());
        substituted.extend(redirect_targets.iter().cloned());
        for word in &substituted {
            for range in command_substitutions(&word.raw) {
                let mapper = match (w.mapper, word.value_offset) {
                    (Mapper::Source { text, .. }, Some(at)) => Mapper::Source {
                        text,
                        base: at + range.start,
                    },
                    _ => Mapper::Fixed(word.span),
                };
                let inner = word.raw[range].to_string();
                self.parse_into(&inner, &mapper, w.depth + 1, w.nested, w.condition);
            }
        }
        let mut words = words.into_iter();
        let Some(name) = words.next() else {
            return;
        };
        let args: Vec<Word> = words.collect();
        let command = Command {
            assignments,
            name,
            args,
            redirect_targets,
            connector: conn,
            pipeline,
            pipeline_len,
            depth: w.depth,
            in_shell_string: w.nested,
        };
        let inner = shell_string(&command).cloned();
        if !w.condition && !w.nested {
            self.constructs.unchecked_statuses.push(self.commands.len());
        }
        self.commands.push(command);
        if let Some(inner) = &inner {
            let mapper = match (w.mapper, inner.value_offset, inner_offset(inner)) {
                (Mapper::Source { text, .. }, Some(at), Some(skip)) => Mapper::Source {
                    text,
                    base: at + skip,
                },
                _ => Mapper::Fixed(inner.span),
            };
            let value = inner.value.clone();
            self.parse_into(&value, &mapper, w.depth + 1, true, w.condition);
        }
    }
}

/// Byte ranges of the contents of the outermost `$( … )` command substitutions in a raw word
/// (not `$(( … ))` arithmetic, not inside single quotes).
fn command_substitutions(raw: &str) -> Vec<Range<usize>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    let mut in_double = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\'' if !in_double => in_single = !in_single,
            b'"' if !in_single => in_double = !in_double,
            b'$' if !in_single
                && bytes.get(i + 1) == Some(&b'(')
                && bytes.get(i + 2) != Some(&b'(') =>
            {
                let start = i + 2;
                let mut depth = 1;
                let mut j = start;
                let mut quote: Option<u8> = None;
                while j < bytes.len() {
                    let c = bytes[j];
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {
                            if c == b'\\' {
                                j += 1;
                            }
                        }
                        None => match c {
                            b'\'' | b'"' => quote = Some(c),
                            b'\\' => j += 1,
                            b'(' => depth += 1,
                            b')' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        },
                    }
                    j += 1;
                }
                if depth == 0 && j <= bytes.len() {
                    out.push(start..j);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// For `sh -c "script"`, the script word.
fn shell_string(cmd: &Command) -> Option<&Word> {
    super::shell_program(cmd.program())?;
    let mut args = cmd.args.iter();
    while let Some(a) = args.next() {
        if !a.is_flag() {
            // `busybox sh -c …`
            if cmd.is("busybox") && super::shell_program(&a.value).is_some() {
                continue;
            }
            return None;
        }
        let v = &a.value;
        if v == "-c" || (!v.starts_with("--") && v[1..].contains('c')) {
            return args.next();
        }
        if v == "-o" || v == "+o" {
            args.next();
        }
    }
    None
}

/// When a quoted word's content is its raw text minus the surrounding quotes (no escapes),
/// the byte offset of the content within the raw word; offsets then map exactly.
fn inner_offset(word: &Word) -> Option<usize> {
    let raw = &word.raw;
    let q = raw.chars().next()?;
    if (q == '\'' || q == '"') && raw.len() >= 2 && raw.ends_with(q) {
        (raw[1..raw.len() - 1] == word.value).then_some(1)
    } else if raw == &word.value {
        Some(0)
    } else {
        None
    }
}

struct Walk<'a> {
    text: &'a str,
    offsets: &'a CharOffsets,
    mapper: &'a Mapper<'a>,
    depth: usize,
    nested: bool,
    /// Inside what ShellCheck calls a condition: the left side of `&&`/`||`, or the last
    /// command of an `if`/`while`/`until` condition (and everything nested in them).
    condition: bool,
}

/// The only command of a pipeline.
fn single(pipeline: &ast::Pipeline) -> Option<&ast::Command> {
    match pipeline.seq.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// The program name of a simple command as written (`None` for a bare assignment).
fn simple_name(cmd: &ast::SimpleCommand) -> Option<&str> {
    cmd.word_or_name.as_ref().map(|w| w.value.as_str())
}

impl Walk<'_> {
    /// The file span of a parser location.
    fn span_of(&self, loc: &brush_parser::SourceSpan) -> Span {
        self.mapper
            .span(self.offsets.byte(loc.start.index)..self.offsets.byte(loc.end.index))
    }

    fn word(&self, word: &ast::Word) -> Word {
        let range = match &word.loc {
            Some(loc) => self.offsets.byte(loc.start.index)..self.offsets.byte(loc.end.index),
            None => 0..0,
        };
        let raw = self
            .text
            .get(range.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or(&word.value)
            .to_string();
        let value_offset = match self.mapper {
            Mapper::Source { base, .. } if word.loc.is_some() => Some(base + range.start),
            _ => None,
        };
        Word {
            value: unquote(&word.value),
            raw,
            span: self.mapper.span(range),
            value_offset,
        }
    }
}
