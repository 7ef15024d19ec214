//! ShellCheck's codes as rules of the registry. The checks themselves live in
//! [`crate::shell::check`]; this file gives each code its metadata (one table row) and runs
//! the shell analysis once per file, shared by every SC rule.

use std::collections::HashSet;

use crate::dockerfile::ast::{Dockerfile, Instruction, Keyword, Span};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::facts::script_of;
use crate::shell::check::{self, Dialect, Pass, ShellFinding};

/// Whether a row is marked `opt_in` (ShellCheck's optional checks, off unless enabled).
macro_rules! sc_opt_in {
    () => {
        false
    };
    (opt_in) => {
        true
    };
}

/// One row per check: code, kebab-case name, category, severity (ShellCheck's), `opt_in` for
/// ShellCheck's optional checks, summary.
macro_rules! sc_rules {
    ($($code:ident $name:literal $category:ident $severity:ident $($opt_in:ident)? $summary:literal;)*) => {
        $(
            pub static $code: Rule = Rule {
                code: stringify!($code),
                name: $name,
                category: Category::$category,
                severity: Severity::$severity,
                summary: $summary,
                aliases: &[],
                opt_in: sc_opt_in!($($opt_in)?),
                doc: include_str!(concat!("../../../rules/", stringify!($code), ".md")),
                check: |ctx, sink| report(ctx, sink, stringify!($code)),
            };
        )*
        /// Every SC rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$code),*];
    };
}

sc_rules! {
    SC2002 "useless-cat" Style Style "Useless cat: give the file to the command instead";
    SC2005 "useless-echo-substitution" Style Style "Useless echo of a command substitution";
    SC2006 "legacy-backticks" Style Style "Use $(...) instead of legacy backticks";
    SC2010 "ls-grep" Correctness Warning "Don't use ls | grep: use a glob";
    SC2012 "ls-output" Correctness Info "Use find instead of ls to better handle non-alphanumeric filenames";
    SC2015 "and-or-not-if-then-else" Correctness Info "A && B || C is not if-then-else: C may run when A is true";
    SC2016 "single-quoted-expansion" Correctness Info "Expressions don't expand in single quotes";
    SC2028 "echo-escapes" Portability Info "echo may not expand escape sequences: use printf";
    SC2035 "glob-as-option" Correctness Info "Use ./*glob* or -- *glob* so names with dashes are not options";
    SC2038 "find-xargs-unsafe" Correctness Warning "Use find -print0 | xargs -0 for arbitrary file names";
    SC2043 "single-iteration-loop" Correctness Warning "This loop only ever runs once";
    SC2044 "for-over-find-output" Correctness Warning "For loops over find output are fragile: use find -exec or a while read loop";
    SC2045 "for-over-ls-output" Correctness Error "Iterating over ls output is fragile: use globs";
    SC2046 "unquoted-command-substitution" Correctness Warning "Quote command substitutions to prevent word splitting";
    SC2048 "unquoted-dollar-star" Correctness Warning "Use \"$@\" (with quotes) instead of unquoted $*";
    SC2059 "printf-format-variable" Correctness Info "Don't use variables in the printf format string";
    SC2064 "trap-double-quotes" Correctness Warning "Use single quotes, otherwise this expands now rather than when signalled";
    SC2068 "unquoted-dollar-at" Correctness Error "Double quote array expansions to avoid re-splitting";
    SC2086 "unquoted-variable" Correctness Info "Double quote to prevent globbing and word splitting";
    SC2102 "char-class-duplicates" Correctness Info "Ranges can only match single chars (mentioned due to duplicates)";
    SC2116 "useless-echo-in-substitution" Style Style "Useless echo inside $(...)";
    SC2155 "declare-and-assign" Correctness Warning "Declare and assign separately to avoid masking return values";
    SC2162 "read-without-r" Correctness Info "read without -r mangles backslashes";
    SC2164 "unchecked-cd" Correctness Warning "Use cd ... || exit in case cd fails";
    SC2174 "mkdir-p-mode" Correctness Warning "With mkdir -p, -m only applies to the deepest directory";
    SC2181 "indirect-exit-code" Style Style "Check the exit code directly, not with $?";
    SC2206 "array-from-unquoted-variable" Correctness Warning "Quote to prevent word splitting, or split robustly with mapfile or read -a";
    SC2207 "array-from-command-output" Correctness Warning "Prefer mapfile or read -a to split command output";
    SC2226 "ln-without-destination" Correctness Warning "ln has no destination";
    SC2230 "which-non-standard" Portability Info opt_in "which is non-standard: use the builtin command -v";
    SC2251 "bang-skips-errexit" Correctness Info "A ! that is not a condition disables set -e for that command";
    SC3009 "sh-brace-expansion" Portability Warning "In POSIX sh, brace expansion is undefined";
    SC3010 "sh-double-brackets" Portability Warning "In POSIX sh, [[ ]] is undefined";
    SC3014 "sh-double-equals" Portability Warning "In POSIX sh, == in place of = is undefined";
    SC3020 "sh-output-and-error-redirect" Portability Warning "In POSIX sh, &> is undefined";
    SC3030 "sh-arrays" Portability Warning "In POSIX sh, arrays are undefined";
    SC3037 "sh-echo-flags" Portability Warning "In POSIX sh, echo flags are undefined";
    SC3040 "sh-pipefail" Portability Warning "In POSIX sh, set -o pipefail is undefined";
    SC3046 "sh-source" Portability Warning "In POSIX sh, source in place of . is undefined";
    SC3054 "sh-array-references" Portability Warning "In POSIX sh, array references are undefined";
}

fn report(ctx: &Context, sink: &mut Sink, code: &str) {
    let findings = ctx
        .facts()
        .shell_findings
        .get_or_init(|| analyze(ctx.dockerfile, ctx.facts()));
    for f in findings.iter().filter(|f| f.code == code) {
        sink.report(f.span, f.message.clone());
    }
}

/// Variables every RUN sees with a value, as hadolint tells ShellCheck (proxy settings).
const PREDEFINED: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Calls `visit` for every RUN a POSIX-like shell runs (shell form and heredocs, `ONBUILD
/// RUN` triggers included) with the instruction's index, the RUN itself, its parsed script,
/// its dialect and the variable names it sees with a value (the stage's ARG and ENV names,
/// inherited from a parent stage, and the proxy variables).
pub fn for_each_shell_run<'d>(
    dockerfile: &'d Dockerfile,
    facts: &super::facts::Facts,
    mut visit: impl FnMut(usize, &'d Instruction, &crate::shell::Script, Dialect, &HashSet<String>),
) {
    let predefined: HashSet<String> = PREDEFINED.iter().map(|s| s.to_string()).collect();
    // ARG and ENV names known in each stage so far (a stage built FROM another inherits).
    let mut known_by_stage: Vec<HashSet<String>> = Vec::new();
    for (idx, instr) in dockerfile.instructions.iter().enumerate() {
        let Some(stage) = instr.stage else {
            continue;
        };
        while known_by_stage.len() <= stage {
            let parent = dockerfile
                .stages
                .get(known_by_stage.len())
                .and_then(|s| s.parent_stage)
                .and_then(|p| known_by_stage.get(p).cloned());
            known_by_stage.push(parent.unwrap_or_else(|| predefined.clone()));
        }
        let known = &mut known_by_stage[stage];
        if matches!(instr.keyword, Keyword::Arg | Keyword::Env) {
            known.extend(instr.pairs.iter().map(|p| p.key.value.clone()));
            continue;
        }
        let shell = facts.shells.get(idx).cloned().flatten();
        let program = shell.as_ref().and_then(|s| s.first().cloned());
        let run = match (&instr.onbuild, instr.keyword) {
            (Some(inner), Keyword::Onbuild) if inner.keyword == Keyword::Run => inner.as_ref(),
            (_, Keyword::Run) => instr,
            _ => continue,
        };
        if run.is_exec_form() {
            continue;
        }
        let script;
        let script = match facts.script(idx) {
            Some(s) if std::ptr::eq(run, instr) => s,
            _ => {
                script = script_of(run);
                &script
            }
        };
        let Some(dialect) = dialect_of(run, program.as_deref()) else {
            continue;
        };
        visit(idx, run, script, dialect, known);
    }
}

/// Runs every check over every RUN (shell form, heredocs, ONBUILD RUN) of a file.
pub fn analyze(dockerfile: &Dockerfile, facts: &super::facts::Facts) -> Vec<ShellFinding> {
    let mut out = Vec::new();
    for_each_shell_run(dockerfile, facts, |_, run, script, dialect, known| {
        let pass = Pass::new(script, dialect, known);
        let mut findings = check::analyze(&pass, |_| true);
        drop_disabled_in_heredocs(run, &mut findings);
        out.extend(findings);
    });
    out
}

/// The dialect a RUN is run by: its heredoc's `#!` line, else the SHELL in force.
fn dialect_of(run: &Instruction, shell: Option<&str>) -> Option<Dialect> {
    let shebang = run.heredocs.first().and_then(|h| {
        let first = h.body.value.lines().next()?.strip_prefix("#!")?;
        let mut words = first.split_whitespace();
        let program = words.next()?;
        Some(if crate::shell::basename(program) == "env" {
            words.next()?.to_string()
        } else {
            program.to_string()
        })
    });
    match shebang.or(shell.map(str::to_string)) {
        Some(program) => Dialect::of_program(&program),
        None => Some(Dialect::Sh),
    }
}

/// Honours `# shellcheck disable=SC2086,SC2046` in heredoc bodies: before the first command
/// it covers the whole body, elsewhere the line that follows it.
fn drop_disabled_in_heredocs(run: &Instruction, findings: &mut Vec<ShellFinding>) {
    let mut disabled: Vec<(String, Span)> = Vec::new();
    for heredoc in &run.heredocs {
        let body = &heredoc.body;
        let mut seen_command = false;
        let mut offset = 0;
        let lines: Vec<&str> = body.value.split_inclusive('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            let start = offset;
            offset += line.len();
            let text = line.trim();
            let Some(codes) = text
                .strip_prefix('#')
                .map(str::trim_start)
                .and_then(|t| t.strip_prefix("shellcheck"))
                .and_then(|t| t.trim_start().strip_prefix("disable="))
            else {
                if !text.is_empty() && !text.starts_with('#') {
                    seen_command = true;
                }
                continue;
            };
            let covered = if seen_command {
                // The next line that is not a comment.
                let mut next = offset;
                let mut end = offset;
                for l in &lines[i + 1..] {
                    // The line without its newline, so the span ends on that line.
                    end = next + l.trim_end_matches('\n').len();
                    if !l.trim().starts_with('#') && !l.trim().is_empty() {
                        break;
                    }
                    next += l.len();
                }
                body.span_of(next..end)
            } else {
                body.span_of(start..body.value.len())
            };
            for code in codes.split_whitespace().next().unwrap_or("").split(',') {
                disabled.push((code.trim().to_ascii_uppercase(), covered));
            }
        }
    }
    if disabled.is_empty() {
        return;
    }
    findings.retain(|f| {
        !disabled.iter().any(|(code, span)| {
            (code == f.code || code == "ALL")
                && f.span.start.line >= span.start.line
                && f.span.start.line <= span.end.line
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::facts::Facts;

    fn found(dockerfile: &str) -> Vec<(&'static str, u32, u32)> {
        let df = crate::dockerfile::parse(dockerfile);
        let facts = Facts::build(&df);
        let mut out: Vec<_> = analyze(&df, &facts)
            .into_iter()
            .map(|f| (f.code, f.span.start.line, f.span.start.column))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn arg_and_env_names_are_known_per_stage() {
        let df = "FROM alpine:3.20 AS base\nARG DIR=/srv/app\nRUN mkdir -p $DIR\n\
                  FROM base\nRUN ls $DIR\nFROM alpine:3.20\nRUN ls $DIR\n";
        assert_eq!(found(df), [("SC2086", 7, 8)]);
    }

    #[test]
    fn heredocs_and_onbuild_are_analysed_with_exact_positions() {
        let df = "FROM alpine:3.20\nRUN <<EOF\nset -e\necho $(uname -m)x\nEOF\n\
                  ONBUILD RUN echo $X\n";
        assert_eq!(found(df), [("SC2046", 4, 6), ("SC2086", 6, 18)]);
    }

    #[test]
    fn shellcheck_disable_in_a_heredoc() {
        let df = "FROM alpine:3.20\nRUN <<EOF\necho $A\n# shellcheck disable=SC2086\necho $B\necho $C\nEOF\n";
        assert_eq!(found(df), [("SC2086", 3, 6), ("SC2086", 6, 6)]);
        let whole =
            "FROM alpine:3.20\nRUN <<EOF\n# shellcheck disable=SC2086,SC2046\necho $A $(b)\nEOF\n";
        assert!(found(whole).is_empty());
    }

    #[test]
    fn dialect_follows_shell_and_shebang() {
        let sh = "FROM debian:12\nRUN echo -n x\n";
        assert_eq!(found(sh), [("SC3037", 2, 10)]);
        let bash = "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo -n x\n";
        assert!(found(bash).is_empty());
        let shebang = "FROM debian:12\nRUN <<EOF\n#!/usr/bin/env bash\necho -n x\nEOF\n";
        assert!(found(shebang).is_empty());
        let pwsh =
            "FROM mcr.microsoft.com/windows\nSHELL [\"powershell\", \"-Command\"]\nRUN echo $X\n";
        assert!(found(pwsh).is_empty());
    }
}
