//! DL3054: Label is not a valid SPDX license expression.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3054",
    name: "label-not-spdx",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid SPDX license expression",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3054.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Spdx);
}
