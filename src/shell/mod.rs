//! RUN bodies → commands, words, flags (a real shell parser).
//!
//! A RUN's shell text (or a heredoc body, or a script from the build context) is parsed with
//! `brush-parser` into a flat list of [`Command`]s in execution order: `&&`, `||`, `;`, pipes,
//! sub-shells, brace groups, `if`/`for`/`while`/`case` bodies are all walked, `sh -c "…"` and
//! `bash -c '…'` strings are parsed again, and `env X=1 cmd` is seen as `cmd`. Every word keeps
//! its exact file [`Span`] through [`SourceText::span_of`], so a finding points at the flag or
//! package name it is about.
//!
//! Parsing never fails loudly: text the parser rejects yields a [`Script`] with `parsed ==
//! false` and no commands, so rules simply do not fire on it.

pub mod programs;

pub use programs::{is_script_shell, shell_program};

use std::ops::Range;

use brush_parser::ast;

use crate::dockerfile::ast::{Pos, SourceText, Span};

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// With quotes and backslash escapes removed (variables are NOT expanded).
    pub value: String,
    /// As written.
    pub raw: String,
    pub span: Span,
    /// Byte offset of the raw word in the parsed [`SourceText`]'s value, when known exactly.
    pub value_offset: Option<usize>,
}

impl Word {
    /// The word names a flag (`-y`, `--yes`, `--opt=value`); `-` alone and `--` do not count.
    pub fn is_flag(&self) -> bool {
        self.value.starts_with('-') && self.value != "-" && self.value != "--"
    }

    /// Contains a parameter expansion or command substitution, so its value is unknown.
    pub fn is_dynamic(&self) -> bool {
        self.raw.contains('$') || self.raw.contains('`')
    }
}

/// How a command is joined to the one before it in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// First command of a script, or after `;`, `&` or a newline.
    Sequence,
    /// After `&&`.
    And,
    /// After `||`.
    Or,
    /// After `|`: reads the previous command's output.
    Pipe,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// `X=1` prefixes and `env X=1` assignments, in order.
    pub assignments: Vec<(String, String)>,
    /// The program (after `env` and its assignments).
    pub name: Word,
    pub args: Vec<Word>,
    /// Targets of output/input redirections (`> file`, `2>/dev/null`, `< in`).
    pub redirect_targets: Vec<Word>,
    pub connector: Connector,
    /// Identifies the pipeline this command is part of; commands of one pipeline share it.
    pub pipeline: usize,
    /// Number of commands in that pipeline (1 = no pipe).
    pub pipeline_len: usize,
    /// Nesting: 0 at top level, +1 inside `sh -c`, sub-shells and compound commands.
    pub depth: usize,
    /// The command is inside a `sh -c`/`bash -c` string.
    pub in_shell_string: bool,
}

impl Command {
    /// The program's base name (`/usr/bin/apt-get` → `apt-get`).
    pub fn program(&self) -> &str {
        basename(&self.name.value)
    }

    /// Whether the program is `name` (compared by base name).
    pub fn is(&self, name: &str) -> bool {
        self.program() == name
    }

    /// Whether any of `flags` is present. `--long` matches `--long` and `--long=value`;
    /// a one-letter `-x` also matches inside a cluster of short options such as `-qy`.
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.find_flag(flags).is_some()
    }

    /// The first argument that is one of `flags` (same matching as [`Command::has_flag`]).
    pub fn find_flag(&self, flags: &[&str]) -> Option<&Word> {
        self.args.iter().find(|w| flag_matches(&w.value, flags))
    }

    /// The value of an option given as `--opt=value`, `--opt value`, `-o value` or `-ovalue`.
    pub fn flag_value(&self, flags: &[&str]) -> Option<&str> {
        let mut it = self.args.iter().peekable();
        while let Some(w) = it.next() {
            for f in flags {
                if w.value == *f {
                    return it.peek().map(|n| n.value.as_str());
                }
                if let Some(rest) = w.value.strip_prefix(f) {
                    if f.starts_with("--") {
                        if let Some(v) = rest.strip_prefix('=') {
                            return Some(v);
                        }
                    } else if f.len() == 2 && !rest.is_empty() && !w.value.starts_with("--") {
                        return Some(rest);
                    }
                }
                // `-qO file` / `-qOfile`: the option closes a cluster of flags.
                if f.len() == 2
                    && !f.starts_with("--")
                    && w.value.starts_with('-')
                    && !w.value.starts_with("--")
                {
                    let letter = f.as_bytes()[1];
                    let cluster = &w.value.as_bytes()[1..];
                    if let Some(p) = cluster
                        .iter()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .position(|c| *c == letter)
                    {
                        if p > 0 {
                            let rest = &w.value[p + 2..];
                            return if rest.is_empty() {
                                it.peek().map(|n| n.value.as_str())
                            } else {
                                Some(rest)
                            };
                        }
                    }
                }
            }
        }
        None
    }

    /// Arguments that are not flags, skipping the value word of each option in `value_flags`
    /// (options that take a separate argument, such as apt-get's `-o`).
    pub fn positionals(&self, value_flags: &[&str]) -> Vec<&Word> {
        let mut out = Vec::new();
        let mut skip_next = false;
        let mut after_double_dash = false;
        for w in &self.args {
            if skip_next {
                skip_next = false;
                continue;
            }
            if after_double_dash {
                out.push(w);
                continue;
            }
            if w.value == "--" {
                after_double_dash = true;
                continue;
            }
            if w.is_flag() {
                if value_flags.contains(&w.value.as_str()) {
                    skip_next = true;
                }
                continue;
            }
            out.push(w);
        }
        out
    }

    /// The first positional argument (the subcommand of `apt-get install`, `npm ci`…).
    pub fn subcommand(&self, value_flags: &[&str]) -> Option<&Word> {
        self.positionals(value_flags).into_iter().next()
    }

    /// Whether the subcommand is one of `names`.
    pub fn subcommand_is(&self, value_flags: &[&str], names: &[&str]) -> bool {
        self.subcommand(value_flags)
            .is_some_and(|w| names.contains(&w.value.as_str()))
    }

    /// Positional arguments after the subcommand (the packages of `apt-get install a b`).
    pub fn operands(&self, value_flags: &[&str]) -> Vec<&Word> {
        self.positionals(value_flags).into_iter().skip(1).collect()
    }

    /// The command as words joined by spaces (for messages).
    pub fn text(&self) -> String {
        std::iter::once(&self.name)
            .chain(&self.args)
            .map(|w| w.value.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The whole command, from the name to the last argument.
    pub fn span(&self) -> Span {
        let mut span = self.name.span;
        for w in &self.args {
            span = span.cover(w.span);
        }
        span
    }
}

fn flag_matches(arg: &str, flags: &[&str]) -> bool {
    flags.iter().any(|f| {
        if f.starts_with("--") {
            arg == *f || arg.strip_prefix(f).is_some_and(|r| r.starts_with('='))
        } else if f.len() == 2 && f.starts_with('-') {
            // A cluster of short options (`-qy`); an attached value ends it (`-qO-`).
            let letter = f[1..].chars().next();
            arg == *f
                || (arg.starts_with('-')
                    && !arg.starts_with("--")
                    && arg.len() > 2
                    && arg[1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .any(|c| Some(c) == letter))
        } else {
            arg == *f
        }
    })
}

/// The last path component.
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A parsed shell script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command, in source order (nested ones included, flagged by `depth`).
    pub commands: Vec<Command>,
    /// False when the parser rejected the text (then `commands` is empty).
    pub parsed: bool,
}

impl Script {
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.commands.iter()
    }

    /// Commands whose program is `name`.
    pub fn find<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Command> + 's {
        self.commands.iter().filter(move |c| c.is(name))
    }

    pub fn runs(&self, name: &str) -> bool {
        self.find(name).next().is_some()
    }

    /// Whether any pipeline has more than one command.
    pub fn has_pipe(&self) -> bool {
        self.commands.iter().any(|c| c.pipeline_len > 1)
    }

    /// The commands of the pipeline `id`, in order.
    pub fn pipeline(&self, id: usize) -> impl Iterator<Item = &Command> {
        self.commands.iter().filter(move |c| c.pipeline == id)
    }

    /// The last top-level command (what a wrapper script finally runs).
    pub fn last_top_level(&self) -> Option<&Command> {
        self.commands.iter().rev().find(|c| c.depth == 0)
    }
}

/// Parses a RUN body or other shell text taken from the Dockerfile.
pub fn parse(text: &SourceText) -> Script {
    let mut builder = Builder::default();
    let ok = builder.parse_into(&text.value, &Mapper::Source { text, base: 0 }, 0, false);
    Script {
        commands: builder.commands,
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
    };
    parse(&source)
}

/// Turns byte ranges of the text being parsed into file spans.
enum Mapper<'t> {
    /// The text is `text.value[base..]`.
    Source { text: &'t SourceText, base: usize },
    /// The text was decoded from a quoted word in a way that breaks offsets: every word maps
    /// to the whole quoted word.
    Fixed(Span),
}

impl Mapper<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        match self {
            Mapper::Source { text, base } => text.span_of(base + range.start..base + range.end),
            Mapper::Fixed(span) => *span,
        }
    }
}

#[derive(Default)]
struct Builder {
    commands: Vec<Command>,
    next_pipeline: usize,
}

/// How deep `sh -c "sh -c …"` nesting is followed.
const MAX_DEPTH: usize = 8;

impl Builder {
    fn parse_into(&mut self, text: &str, mapper: &Mapper, depth: usize, nested: bool) -> bool {
        if depth > MAX_DEPTH || !reasonable_nesting(text) {
            return false;
        }
        let options = brush_parser::ParserOptions::default();
        let mut parser = brush_parser::Parser::new(std::io::Cursor::new(text.as_bytes()), &options);
        // The parser is third-party code fed with user text; a panic inside it must not take
        // the linter down, so it is contained here and treated as "could not parse".
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse_program()));
        let program = match result {
            Ok(Ok(p)) => p,
            _ => return false,
        };
        let offsets = CharOffsets::new(text);
        let mut ctx = Walk {
            text,
            offsets: &offsets,
            mapper,
            depth,
            nested,
        };
        for list in &program.complete_commands {
            self.compound_list(&mut ctx, list, Connector::Sequence);
        }
        true
    }

    fn compound_list(&mut self, w: &mut Walk, list: &ast::CompoundList, first: Connector) {
        for (i, item) in list.0.iter().enumerate() {
            let conn = if i == 0 { first } else { Connector::Sequence };
            self.and_or(w, &item.0, conn);
        }
    }

    fn and_or(&mut self, w: &mut Walk, list: &ast::AndOrList, first: Connector) {
        self.pipeline(w, &list.first, first);
        for next in &list.additional {
            match next {
                ast::AndOr::And(p) => self.pipeline(w, p, Connector::And),
                ast::AndOr::Or(p) => self.pipeline(w, p, Connector::Or),
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
            ast::Command::Function(def) => self.compound(w, &def.body.0, conn),
            ast::Command::ExtendedTest(..) => {}
        }
    }

    fn compound(&mut self, w: &mut Walk, cmd: &ast::CompoundCommand, conn: Connector) {
        w.depth += 1;
        match cmd {
            ast::CompoundCommand::BraceGroup(g) => self.compound_list(w, &g.list, conn),
            ast::CompoundCommand::Subshell(s) => self.compound_list(w, &s.list, conn),
            ast::CompoundCommand::ForClause(f) => self.compound_list(w, &f.body.list, conn),
            ast::CompoundCommand::ArithmeticForClause(f) => {
                self.compound_list(w, &f.body.list, conn)
            }
            ast::CompoundCommand::CaseClause(c) => {
                for item in &c.cases {
                    if let Some(body) = &item.cmd {
                        self.compound_list(w, body, conn);
                    }
                }
            }
            ast::CompoundCommand::IfClause(c) => {
                self.compound_list(w, &c.condition, conn);
                self.compound_list(w, &c.then, Connector::And);
                for e in c.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.compound_list(w, cond, Connector::Or);
                    }
                    self.compound_list(w, &e.body, Connector::Or);
                }
            }
            ast::CompoundCommand::WhileClause(c) | ast::CompoundCommand::UntilClause(c) => {
                self.compound_list(w, &c.0, conn);
                self.compound_list(w, &c.1.list, Connector::And);
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
                    ast::IoRedirect::OutputAndError(t, _) => redirect_targets.push(w.word(t)),
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
                self.parse_into(&inner, &mapper, w.depth + 1, w.nested);
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
            self.parse_into(&value, &mapper, w.depth + 1, true);
        }
    }
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
    shell_program(cmd.program())?;
    let mut args = cmd.args.iter();
    while let Some(a) = args.next() {
        if !a.is_flag() {
            // `busybox sh -c …`
            if cmd.is("busybox") && shell_program(&a.value).is_some() {
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
}

impl Walk<'_> {
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

/// Maps the parser's character indices to byte offsets.
struct CharOffsets {
    /// Empty when the text is ASCII (indices are byte offsets).
    bytes: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// Removes shell quoting: `'…'` verbatim, `"…"` with `\"`, `\\`, `\$`, `` \` `` escapes,
/// backslash escapes outside quotes. Expansions are left as written.
pub fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut in_double = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' if !in_double => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => in_double = !in_double,
            '\\' => match chars.next() {
                Some(n) if !in_double || matches!(n, '"' | '\\' | '$' | '`') => out.push(n),
                Some('\n') => {}
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '$' if !in_double && chars.peek() == Some(&'\'') => {
                // $'…' ANSI-C quoting: keep the content, escapes undecoded.
                chars.next();
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
