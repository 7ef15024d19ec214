//! ShellCheck-class analysis of a parsed [`Script`], with ShellCheck's codes and meanings.
//!
//! One [`Pass`] per script does the shared work once (each word split into quoted text and
//! expansions, which variables may hold blanks or globs); every check in [`CHECKS`] then reads
//! it. A check is a code plus a function: adding one is one table row, and the linter turns
//! each row into a rule of its registry.
//!
//! Commands inside `sh -c '…'` strings are not checked: ShellCheck (and hadolint) see them as
//! one quoted word, and their quoting rules differ from the outer script's.

mod commands;
mod flow;
mod lex;
mod posix;
mod quoting;

use std::collections::HashSet;

use super::{Command, Script, Word};
use crate::dockerfile::ast::{Pos, Span};
pub use flow::Flow;
pub use lex::{Param, Quote, Token, lex};

/// The shell a RUN is run by, which decides what is a portability problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// POSIX `sh` (dash on Debian): bashisms are reported (SC3xxx).
    Sh,
    /// bash, zsh, ksh: no SC3xxx.
    Bash,
    /// BusyBox ash: like `sh`, but `[[`, `==`, `source`, `echo -e` and `pipefail` work.
    Ash,
}

impl Dialect {
    /// The dialect of a `SHELL` program (`/bin/bash` → bash); `None` for shells that are not
    /// POSIX-like (PowerShell, cmd), which are not analysed.
    pub fn of_program(program: &str) -> Option<Dialect> {
        let name = super::basename(program).to_ascii_lowercase();
        match name.trim_end_matches(".exe") {
            "sh" | "dash" => Some(Dialect::Sh),
            "bash" | "zsh" | "ksh" | "mksh" => Some(Dialect::Bash),
            "ash" | "busybox" => Some(Dialect::Ash),
            _ => None,
        }
    }
}

/// One finding of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellFinding {
    /// ShellCheck's code, `SC2086`.
    pub code: &'static str,
    pub span: Span,
    pub message: String,
}

/// A check: ShellCheck's code and the function that finds it.
pub struct Check {
    pub code: &'static str,
    pub run: fn(&Pass, &mut Findings),
}

/// Every native check, in code order.
pub static CHECKS: &[Check] = &[
    Check {
        code: "SC2002",
        run: commands::useless_cat,
    },
    Check {
        code: "SC2005",
        run: commands::useless_echo,
    },
    Check {
        code: "SC2006",
        run: quoting::backticks,
    },
    Check {
        code: "SC2010",
        run: commands::ls_grep,
    },
    Check {
        code: "SC2012",
        run: commands::ls_output,
    },
    Check {
        code: "SC2015",
        run: commands::shorthand_if,
    },
    Check {
        code: "SC2016",
        run: quoting::single_quoted_expansion,
    },
    Check {
        code: "SC2028",
        run: commands::echo_escapes,
    },
    Check {
        code: "SC2035",
        run: commands::glob_as_option,
    },
    Check {
        code: "SC2038",
        run: commands::find_xargs,
    },
    Check {
        code: "SC2043",
        run: commands::single_iteration_loop,
    },
    Check {
        code: "SC2044",
        run: commands::for_in_find,
    },
    Check {
        code: "SC2045",
        run: commands::for_in_ls,
    },
    Check {
        code: "SC2046",
        run: quoting::unquoted_substitution,
    },
    Check {
        code: "SC2048",
        run: quoting::unquoted_star,
    },
    Check {
        code: "SC2059",
        run: commands::printf_format_variable,
    },
    Check {
        code: "SC2064",
        run: commands::trap_quotes,
    },
    Check {
        code: "SC2068",
        run: quoting::unquoted_at,
    },
    Check {
        code: "SC2086",
        run: quoting::unquoted_variable,
    },
    Check {
        code: "SC2102",
        run: commands::char_range_glob,
    },
    Check {
        code: "SC2116",
        run: commands::echo_in_substitution,
    },
    Check {
        code: "SC2155",
        run: quoting::declare_and_assign,
    },
    Check {
        code: "SC2162",
        run: commands::read_without_r,
    },
    Check {
        code: "SC2164",
        run: commands::unchecked_cd,
    },
    Check {
        code: "SC2174",
        run: commands::mkdir_p_m,
    },
    Check {
        code: "SC2181",
        run: commands::exit_code_test,
    },
    Check {
        code: "SC2206",
        run: quoting::array_from_variable,
    },
    Check {
        code: "SC2207",
        run: quoting::array_from_command,
    },
    Check {
        code: "SC2226",
        run: commands::ln_without_destination,
    },
    Check {
        code: "SC2230",
        run: commands::which,
    },
    Check {
        code: "SC2251",
        run: commands::unchecked_negation,
    },
    Check {
        code: "SC3009",
        run: posix::brace_expansion,
    },
    Check {
        code: "SC3010",
        run: posix::double_brackets,
    },
    Check {
        code: "SC3014",
        run: posix::double_equals,
    },
    Check {
        code: "SC3020",
        run: posix::output_and_error,
    },
    Check {
        code: "SC3030",
        run: posix::arrays,
    },
    Check {
        code: "SC3037",
        run: posix::echo_flags,
    },
    Check {
        code: "SC3040",
        run: posix::pipefail,
    },
    Check {
        code: "SC3046",
        run: posix::source,
    },
    Check {
        code: "SC3054",
        run: posix::array_references,
    },
];

/// Collects findings; a check names its code once per report.
#[derive(Debug, Default)]
pub struct Findings {
    pub list: Vec<ShellFinding>,
}

impl Findings {
    pub fn report(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.list.push(ShellFinding {
            code,
            span,
            message: message.into(),
        });
    }
}

/// One word of a command, lexed.
pub struct LexedWord<'s> {
    pub word: &'s Word,
    pub tokens: Vec<Token>,
}

impl LexedWord<'_> {
    /// The file span of a byte range of the raw word: exact when the word sits on one line as
    /// written, else the whole word.
    pub fn span_of(&self, range: &std::ops::Range<usize>) -> Span {
        sub_span(self.word, range)
    }

    pub fn text(&self, range: &std::ops::Range<usize>) -> &str {
        self.word.raw.get(range.clone()).unwrap_or("")
    }

    /// The word is a literal: no expansion of any kind.
    pub fn is_literal(&self) -> bool {
        self.tokens.iter().all(|t| matches!(t, Token::Text { .. }))
    }
}

/// A command with its words lexed.
pub struct LexedCommand<'s> {
    /// Index in [`Script::commands`].
    pub index: usize,
    pub command: &'s Command,
    pub args: Vec<LexedWord<'s>>,
    pub redirects: Vec<LexedWord<'s>>,
}

/// What every check reads: the script, its dialect, and facts computed once.
pub struct Pass<'s> {
    pub script: &'s Script,
    pub dialect: Dialect,
    /// The commands outside `sh -c` strings.
    pub commands: Vec<LexedCommand<'s>>,
    pub flow: Flow<'s>,
    /// `set -e` (or `set -o errexit`) appears in the script.
    pub errexit: bool,
}

impl<'s> Pass<'s> {
    /// Prepares the shared facts; `known` are variables with a value the script did not set
    /// (ARG and ENV names), taken as safe literals as hadolint does.
    pub fn new(script: &'s Script, dialect: Dialect, known: &'s HashSet<String>) -> Pass<'s> {
        let commands = script
            .commands
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.in_shell_string)
            .map(|(index, command)| LexedCommand {
                index,
                command,
                args: command.args.iter().map(lex_word).collect(),
                redirects: command.redirect_targets.iter().map(lex_word).collect(),
            })
            .collect();
        let errexit = script.commands.iter().any(|c| {
            c.is("set")
                && c.args.iter().any(|a| {
                    let v = a.value.as_str();
                    (v.starts_with('-') && !v.starts_with("--") && v.contains('e'))
                        || v == "errexit"
                })
        });
        Pass {
            script,
            dialect,
            commands,
            flow: Flow::new(script, known),
            errexit,
        }
    }

    /// Commands whose program is `name`.
    pub fn named<'p>(&'p self, name: &'p str) -> impl Iterator<Item = &'p LexedCommand<'s>> {
        self.commands.iter().filter(move |c| c.command.is(name))
    }
}

pub(super) fn lex_word(word: &Word) -> LexedWord<'_> {
    LexedWord {
        word,
        tokens: lex(&word.raw),
    }
}

/// Runs every check in `enabled` (all of them when `None`) over one script.
pub fn analyze(pass: &Pass, enabled: impl Fn(&str) -> bool) -> Vec<ShellFinding> {
    let mut findings = Findings::default();
    for check in CHECKS.iter().filter(|c| enabled(c.code)) {
        (check.run)(pass, &mut findings);
    }
    findings.list
}

/// The span of `range` within a word's raw text.
pub fn sub_span(word: &Word, range: &std::ops::Range<usize>) -> Span {
    let span = word.span;
    let written = span.end.offset.saturating_sub(span.start.offset);
    if span.start.line != span.end.line || written != word.raw.len() || range.end > written {
        return span;
    }
    let at = |i: usize| Pos {
        line: span.start.line,
        column: span.start.column + word.raw[..i].chars().count() as u32,
        offset: span.start.offset + i,
    };
    if !word.raw.is_char_boundary(range.start) || !word.raw.is_char_boundary(range.end) {
        return span;
    }
    Span::new(at(range.start), at(range.end))
}

#[cfg(test)]
mod tests;
