//! What the extraction yields: simple [`Command`]s with their words, flags and connectors,
//! collected into a [`Script`].

use crate::dockerfile::ast::Span;

use super::word::{Word, basename};

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
                        && p > 0
                    {
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

/// A variable assignment as a statement or a command prefix (`X=1`, `X=1 cmd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// The value as written (quotes and expansions kept).
    pub raw_value: String,
    /// The whole `NAME=value` word.
    pub span: Span,
    pub in_shell_string: bool,
    /// How many commands of [`Script::commands`] came before it (its place in source order).
    pub before_command: usize,
}

/// A `for NAME in WORDS; do …; done` loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForLoop {
    pub variable: String,
    /// The words after `in` (empty for `for NAME; do`, which iterates over `"$@"`).
    pub values: Vec<Word>,
    pub in_shell_string: bool,
    /// How many commands of [`Script::commands`] came before it.
    pub before_command: usize,
}

/// Shell constructs some checks look for (outside `sh -c` strings), recorded while the
/// syntax tree is at hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constructs {
    /// `[[ … ]]` tests.
    pub double_brackets: Vec<Span>,
    /// The targets of `&>` / `&>>` redirections.
    pub output_and_error: Vec<Span>,
    /// `A && B || C` lists (the span of `A`) where `B` is not a test and `C` is more than an
    /// `echo`, `exit`, `true` or assignment: `C` also runs when `A` succeeds and `B` fails.
    pub shorthand_ifs: Vec<Span>,
    /// Indexes in [`Script::commands`] of simple commands whose failure nothing looks at:
    /// outside what ShellCheck counts as conditions (the left side of `&&`/`||`, the last
    /// command of an `if`/`while`/`until` condition, and everything inside those).
    pub unchecked_statuses: Vec<usize>,
}

/// A parsed shell script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Every simple command, in source order (nested ones included, flagged by `depth`).
    pub commands: Vec<Command>,
    /// Assignment statements and prefixes, in source order.
    pub assignments: Vec<Assignment>,
    pub for_loops: Vec<ForLoop>,
    /// `! cmd` statements whose status nothing reads (not a condition, not the last of their
    /// list): under `set -e` the negation also disables the exit on failure.
    pub unchecked_negations: Vec<Span>,
    pub constructs: Constructs,
    /// False when the parser rejected the text (then `commands` is empty).
    pub parsed: bool,
}

impl Script {
    /// Appends the statements of `other` (a heredoc body, a `sh -c` string) after this
    /// script's, keeping source order.
    pub fn append(&mut self, other: Script) {
        let offset = self.commands.len();
        self.parsed &= other.parsed;
        self.commands.extend(other.commands);
        self.assignments
            .extend(other.assignments.into_iter().map(|mut a| {
                a.before_command += offset;
                a
            }));
        self.for_loops
            .extend(other.for_loops.into_iter().map(|mut f| {
                f.before_command += offset;
                f
            }));
        self.unchecked_negations.extend(other.unchecked_negations);
        let c = other.constructs;
        self.constructs.double_brackets.extend(c.double_brackets);
        self.constructs.output_and_error.extend(c.output_and_error);
        self.constructs.shorthand_ifs.extend(c.shorthand_ifs);
        self.constructs
            .unchecked_statuses
            .extend(c.unchecked_statuses.into_iter().map(|i| i + offset));
    }

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
