//! DL3058: Label is not a valid e-mail address.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3058",
    name: "label-not-email",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid e-mail address",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3058.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Email);
}
