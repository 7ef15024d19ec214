//! IL6114: BuildKit's JSONArgsRecommended (shell-form CMD/ENTRYPOINT without a SHELL).

use crate::dockerfile::ast::{Form, Keyword};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6114",
    name: "buildkit-json-args-recommended",
    category: Category::MissingExec,
    severity: Severity::Warning,
    summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    aliases: &["JSONArgsRecommended"],
    opt_in: true,
    doc: include_str!("../../../rules/IL6114.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let shells = &ctx.facts().shells;
    for (idx, instr) in ctx.dockerfile.instructions.iter().enumerate() {
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) || instr.form != Form::Shell
        {
            continue;
        }
        // BuildKit: an explicit SHELL (in this stage or one it is built FROM) says the shell
        // form is a conscious choice.
        if shells.get(idx).is_some_and(Option::is_some) {
            continue;
        }
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        sink.report(
            instr.span,
            format!("JSON arguments recommended for {kw} to prevent unintended behavior related to OS signals"),
        );
    }
}
