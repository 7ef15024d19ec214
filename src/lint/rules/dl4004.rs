//! DL4004: Multiple ENTRYPOINT instructions found. Only the last one takes effect.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::report_overridden;

pub static RULE: Rule = Rule {
    code: "DL4004",
    name: "multiple-entrypoint",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Multiple ENTRYPOINT instructions found. Only the last one takes effect",
    aliases: &["MultipleInstructionsDisallowed"],
    opt_in: false,
    doc: include_str!("../../../rules/DL4004.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    report_overridden(ctx, sink, Keyword::Entrypoint);
}
