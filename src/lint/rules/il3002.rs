//! IL3002: CMD/ENTRYPOINT runs `sh -c "a && b"` and the last command is not exec'd.

use crate::dockerfile::ast::Keyword;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{is_short_lived, starts_statement};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "IL3002",
    name: "shell-c-without-exec",
    category: Category::MissingExec,
    severity: Severity::Warning,
    summary: "A `sh -c` CMD/ENTRYPOINT should `exec` its last command",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL3002.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (idx, instr) in ctx.dockerfile.instructions.iter().enumerate() {
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let Some(script) = ctx.facts().script(idx) else {
            continue;
        };
        // The commands of the `-c` string are the nested ones (depth 1, in_shell_string).
        let inner: Vec<&Command> = script
            .commands
            .iter()
            .filter(|c| c.in_shell_string && c.depth == 1)
            .collect();
        // A single simple command is exec'd by bash and dash themselves; with several the
        // shell stays PID 1.
        if inner.len() < 2 {
            continue;
        }
        let Some(last) = inner.last() else { continue };
        if last.is("exec") || is_short_lived(last.program()) {
            continue;
        }
        sink.report_fix(
            last.name.span,
            format!(
                "The shell started by `-c` stays PID 1 while `{}` runs, so signals do not reach it: prefix the last command with `exec`",
                last.program()
            ),
            add_exec(ctx, last),
        );
    }
}

/// The unsafe fix: `exec ` in front of the last command, inside the string. Only where that
/// command is written as its own word at the start of its statement (the text at its span is
/// its name, after the string's opening quote, a `;`, `&&` or `||`), at the string's top level
/// and alone in its pipeline. Unsafe: the shell no longer runs anything after it (an `EXIT`
/// trap, for one), and the program now receives the signals.
fn add_exec(ctx: &Context, last: &Command) -> Option<Fix> {
    let span = last.name.span;
    let written = ctx.source.get(span.start.offset..span.end.offset)?;
    let statement_start = starts_statement(ctx.source.get(..span.start.offset)?, Some('"'));
    let fixable = written == last.name.raw
        && statement_start
        && last.pipeline_len == 1
        && last.assignments.is_empty();
    fixable.then(|| Fix::unsafe_edits(vec![Edit::insert(span.start.offset, "exec ")]))
}
