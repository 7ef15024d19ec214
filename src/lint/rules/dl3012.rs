//! DL3012: Multiple HEALTHCHECK instructions found. Only the last one takes effect.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::report_overridden;

pub static RULE: Rule = Rule {
    code: "DL3012",
    name: "multiple-healthcheck",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Multiple HEALTHCHECK instructions found. Only the last one takes effect",
    aliases: &["MultipleInstructionsDisallowed"],
    opt_in: false,
    doc: include_str!("../../../rules/DL3012.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    report_overridden(ctx, sink, Keyword::Healthcheck);
}
