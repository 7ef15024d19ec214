//! DL1001: inline ignore pragmas are used (opt-in, as in hadolint).

use crate::lint::pragma::is_inline_ignore;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL1001",
    name: "inline-ignore-pragma",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`",
    aliases: &[],
    opt_in: true,
    doc: include_str!("../../../rules/DL1001.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for comment in &ctx.dockerfile.comments {
        if is_inline_ignore(&comment.text) {
            sink.report(
                comment.span,
                "Inline ignore pragma: record the exception in the configuration file (`ignored:`) instead",
            );
        }
    }
}
