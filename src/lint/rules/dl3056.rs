//! DL3056: Label is not a valid semantic version.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3056",
    name: "label-not-semver",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid semantic version",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3056.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Semver);
}
