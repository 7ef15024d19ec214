//! DL3052: Label is not a valid URL.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3052",
    name: "label-not-url",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid URL",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3052.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Url);
}
