//! DL3051: Label is empty.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::label_pairs;

pub static RULE: Rule = Rule {
    code: "DL3051",
    name: "label-empty",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is empty",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3051.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if !ctx.settings.label_schema.contains_key(&pair.key.value) {
            continue;
        }
        if pair
            .value
            .as_ref()
            .is_none_or(|v| v.value.trim().is_empty())
        {
            sink.report(
                pair.key.span,
                format!("Label `{}` is empty: give it a value", pair.key.value),
            );
        }
    }
}
