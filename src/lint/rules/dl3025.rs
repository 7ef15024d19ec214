//! DL3025: shell-form CMD/ENTRYPOINT.

use crate::dockerfile::ast::{Form, Keyword};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3025",
    name: "json-args-recommended",
    category: Category::MissingExec,
    severity: Severity::Warning,
    summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3025.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) || instr.form != Form::Shell
        {
            continue;
        }
        let Some(arg) = instr.args.first() else {
            continue;
        };
        if arg.value.trim().is_empty() {
            continue;
        }
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        sink.report(
            arg.span,
            format!(
                "Shell-form {kw} runs under `/bin/sh -c`, which does not forward SIGTERM to the program: write it as a JSON array, e.g. {kw} [\"prog\", \"arg\"]"
            ),
        );
    }
}
