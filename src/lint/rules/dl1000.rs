//! DL1000: the Dockerfile does not parse.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL1000",
    name: "invalid-dockerfile",
    category: Category::Parse,
    severity: Severity::Error,
    summary: "The Dockerfile has a syntax error",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL1000.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for error in &ctx.dockerfile.errors {
        sink.report(error.span, error.message.clone());
    }
}
