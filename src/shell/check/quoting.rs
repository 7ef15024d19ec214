//! Quoting and word splitting: SC2086, SC2046, SC2068, SC2048, SC2016, SC2155, SC2006.

use super::lex::{Param, Quote, Token};
use super::{Dialect, Findings, LexedCommand, LexedWord, Pass};

/// Programs whose `NAME=value` arguments are assignments.
const DECLARATIONS: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

/// The words of a command where unquoted expansions are split and globbed. bash does not
/// split the value of `export X=$v`; POSIX sh (dash) does.
fn split_words<'c, 's>(
    pass: &Pass,
    c: &'c LexedCommand<'s>,
) -> impl Iterator<Item = &'c LexedWord<'s>> {
    let declaration = DECLARATIONS.contains(&c.command.program()) && pass.dialect != Dialect::Sh;
    c.args
        .iter()
        .filter(move |w| !(declaration && assignment_name(&w.word.raw).is_some()))
        .chain(&c.redirects)
}

/// `NAME` of a `NAME=value` word.
fn assignment_name(raw: &str) -> Option<&str> {
    let (name, _) = raw.split_once('=')?;
    let name = name.strip_suffix('+').unwrap_or(name);
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    valid.then_some(name)
}

pub fn unquoted_variable(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        for w in split_words(pass, c) {
            for t in &w.tokens {
                let Token::Param {
                    range,
                    param,
                    quoted: false,
                } = t
                else {
                    continue;
                };
                let dangerous = match param {
                    Param::Named(name) => pass.flow.spaceful(name, c.index),
                    Param::Positional => true,
                    _ => false,
                };
                if dangerous {
                    out.report(
                        "SC2086",
                        w.span_of(range),
                        "Double quote to prevent globbing and word splitting.",
                    );
                }
            }
        }
    }
}

pub fn unquoted_substitution(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        for w in split_words(pass, c) {
            for t in &w.tokens {
                if let Token::Command {
                    range,
                    quoted: false,
                    ..
                } = t
                {
                    out.report(
                        "SC2046",
                        w.span_of(range),
                        "Quote this to prevent word splitting.",
                    );
                }
            }
        }
    }
}

fn unquoted_param<'p>(
    pass: &'p Pass,
    wanted: Param,
) -> impl Iterator<Item = (&'p LexedWord<'p>, &'p std::ops::Range<usize>)> {
    pass.commands.iter().flat_map(move |c| {
        let wanted = wanted.clone();
        split_words(pass, c).flat_map(move |w| {
            let wanted = wanted.clone();
            w.tokens.iter().filter_map(move |t| match t {
                Token::Param {
                    range,
                    param,
                    quoted: false,
                } if *param == wanted => Some((w, range)),
                _ => None,
            })
        })
    })
}

pub fn unquoted_at(pass: &Pass, out: &mut Findings) {
    for (w, range) in unquoted_param(pass, Param::AllAt) {
        out.report(
            "SC2068",
            w.span_of(range),
            "Double quote array expansions to avoid re-splitting elements.",
        );
    }
}

pub fn unquoted_star(pass: &Pass, out: &mut Findings) {
    for (w, range) in unquoted_param(pass, Param::AllStar) {
        out.report(
            "SC2048",
            w.span_of(range),
            "Use \"$@\" (with quotes) to prevent whitespace problems.",
        );
    }
}

/// Programs that receive `$` in single quotes on purpose (their own language, or a shell
/// string run later), as ShellCheck lists them.
const OWN_DOLLAR: &[&str] = &[
    "trap",
    "sh",
    "bash",
    "ksh",
    "zsh",
    "ash",
    "dash",
    "ssh",
    "eval",
    "xprop",
    "alias",
    "sudo",
    "doas",
    "docker",
    "podman",
    "oc",
    "dpkg-query",
    "jq",
    "rename",
    "rg",
    "unset",
    "su",
    "mumps",
    "envsubst",
    "yq",
];

pub fn single_quoted_expansion(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        let program = c.command.program();
        if OWN_DOLLAR.contains(&program) || program.ends_with("awk") || program.starts_with("perl")
        {
            continue;
        }
        // `find -exec awk '…' {} +`: the program that receives the text.
        let exec_program = c
            .command
            .args
            .iter()
            .position(|a| matches!(a.value.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir"))
            .and_then(|i| c.command.args.get(i + 1))
            .map(|w| crate::shell::basename(&w.value));
        if let Some(p) = exec_program
            && (OWN_DOLLAR.contains(&p) || p.ends_with("awk") || p.starts_with("perl"))
        {
            continue;
        }
        for w in &c.args {
            for t in &w.tokens {
                let Token::Text {
                    range,
                    quote: Quote::Single,
                } = t
                else {
                    continue;
                };
                let text = w.text(range);
                let looks_expanded = if program == "sed" {
                    sed_expansion(text)
                } else {
                    shell_expansion(text)
                };
                if looks_expanded {
                    // The quote itself, as ShellCheck points at it.
                    let start = range.start.saturating_sub(1);
                    out.report(
                        "SC2016",
                        w.span_of(&(start..range.end + 1)),
                        "Expressions don't expand in single quotes, use double quotes for that.",
                    );
                    break;
                }
            }
        }
    }
}

/// `$name`, `${`, `$(`, `$1` or a `` `cmd` `` pair.
fn shell_expansion(text: &str) -> bool {
    let b = text.as_bytes();
    let dollar = b.windows(2).any(|p| {
        p[0] == b'$'
            && (p[1] == b'{' || p[1] == b'(' || p[1].is_ascii_alphanumeric() || p[1] == b'_')
    });
    dollar || backtick_pair(text)
}

fn backtick_pair(text: &str) -> bool {
    let mut parts = text.split('`');
    parts.next();
    // `a`: the text between the first two backticks must not be empty.
    matches!((parts.next(), parts.next()), (Some(inner), Some(_)) if !inner.is_empty())
}

/// In a sed script `$` alone addresses the last line and `${`/`$d`/`$p`… are commands; only
/// `$name` and `$(` look like shell expansions.
fn sed_expansion(text: &str) -> bool {
    let b = text.as_bytes();
    for (i, _) in text.match_indices('$') {
        let next = b.get(i + 1).copied();
        let after = b.get(i + 2).copied();
        let sed_command = matches!(next, Some(b'{' | b'd' | b'p' | b's' | b'a' | b'i' | b'c'))
            && !after.is_some_and(|c| c.is_ascii_alphabetic());
        if sed_command {
            continue;
        }
        if next.is_some_and(|c| c == b'{' || c == b'(' || c.is_ascii_alphanumeric() || c == b'_') {
            return true;
        }
    }
    backtick_pair(text)
}

pub fn declare_and_assign(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        if !DECLARATIONS.contains(&c.command.program()) {
            continue;
        }
        for w in &c.args {
            if assignment_name(&w.word.raw).is_none() {
                continue;
            }
            if w.tokens.iter().any(|t| matches!(t, Token::Command { .. })) {
                out.report(
                    "SC2155",
                    w.span_of(&(0..w.word.raw.len())),
                    "Declare and assign separately to avoid masking return values.",
                );
            }
        }
    }
}

pub fn backticks(pass: &Pass, out: &mut Findings) {
    let loop_words: Vec<LexedWord> = pass
        .script
        .for_loops
        .iter()
        .filter(|l| !l.in_shell_string)
        .flat_map(|l| &l.values)
        .map(super::lex_word)
        .collect();
    let command_words = pass
        .commands
        .iter()
        .flat_map(|c| c.args.iter().chain(&c.redirects));
    for w in command_words.chain(&loop_words) {
        for t in &w.tokens {
            if let Token::Command {
                range,
                backtick: true,
                ..
            } = t
            {
                out.report(
                    "SC2006",
                    w.span_of(range),
                    "Use $(...) notation instead of legacy backticks `...`.",
                );
            }
        }
    }
}

/// Array assignments `NAME=( … )` outside `sh -c` strings, with their elements lexed: the
/// whole assignment as a word (for spans) and the tokens of its value, offset into that word.
fn array_assignments<'s>(pass: &Pass<'s>) -> Vec<(crate::shell::Word, Vec<Token>)> {
    pass.script
        .assignments
        .iter()
        .filter(|a| !a.in_shell_string && a.raw_value.starts_with('('))
        .map(|a| {
            let raw = format!("{}={}", a.name, a.raw_value);
            let offset = raw.len() - a.raw_value.len();
            let tokens = super::lex(&a.raw_value)
                .into_iter()
                .map(|t| shift(t, offset))
                .collect();
            let word = crate::shell::Word {
                value: raw.clone(),
                raw,
                span: a.span,
                value_offset: None,
            };
            (word, tokens)
        })
        .collect()
}

fn shift(token: Token, by: usize) -> Token {
    let moved = |r: &std::ops::Range<usize>| r.start + by..r.end + by;
    match token {
        Token::Text { range, quote } => Token::Text {
            range: moved(&range),
            quote,
        },
        Token::Param {
            range,
            param,
            quoted,
        } => Token::Param {
            range: moved(&range),
            param,
            quoted,
        },
        Token::Command {
            range,
            inner,
            quoted,
            backtick,
        } => Token::Command {
            range: moved(&range),
            inner: moved(&inner),
            quoted,
            backtick,
        },
        Token::Arithmetic { range, quoted } => Token::Arithmetic {
            range: moved(&range),
            quoted,
        },
    }
}

pub fn array_from_variable(pass: &Pass, out: &mut Findings) {
    for (word, tokens) in array_assignments(pass) {
        for t in &tokens {
            // Specials and lengths (`$#`, `${#arr[@]}`) never split.
            if let Token::Param {
                range,
                param: Param::Named(_) | Param::Positional | Param::AllStar,
                quoted: false,
            } = t
            {
                out.report(
                    "SC2206",
                    super::sub_span(&word, range),
                    "Quote to prevent word splitting/globbing, or split robustly with mapfile or read -a.",
                );
            }
        }
    }
}

pub fn array_from_command(pass: &Pass, out: &mut Findings) {
    for (word, tokens) in array_assignments(pass) {
        for t in &tokens {
            if let Token::Command {
                range,
                quoted: false,
                ..
            } = t
            {
                out.report(
                    "SC2207",
                    super::sub_span(&word, range),
                    "Prefer mapfile or read -a to split command output (or quote to avoid splitting).",
                );
            }
        }
    }
}
