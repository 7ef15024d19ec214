//! DL3055: Label is not a valid git commit hash.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::{LabelType, check_label_type};

pub static RULE: Rule = Rule {
    code: "DL3055",
    name: "label-not-git-hash",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid git commit hash",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3055.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_label_type(ctx, sink, LabelType::Hash);
}
