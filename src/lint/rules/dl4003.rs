//! DL4003: Multiple CMD instructions found. Only the last one takes effect.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::report_overridden;

pub static RULE: Rule = Rule {
    code: "DL4003",
    name: "multiple-cmd",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Multiple CMD instructions found. Only the last one takes effect",
    aliases: &["MultipleInstructionsDisallowed"],
    opt_in: false,
    doc: include_str!("../../../rules/DL4003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    report_overridden(ctx, sink, Keyword::Cmd);
}
