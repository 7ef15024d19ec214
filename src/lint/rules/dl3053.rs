//! DL3053: Label is not a valid RFC3339 date-time.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3053",
    name: "label-not-rfc3339",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid RFC3339 date-time",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3053.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Rfc3339);
}
