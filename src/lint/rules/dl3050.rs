//! DL3050: Superfluous label(s) present.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::labels::label_pairs;

pub static RULE: Rule = Rule {
    code: "DL3050",
    name: "label-superfluous",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "Superfluous label(s) present",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3050.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    if !ctx.settings.strict_labels || ctx.settings.label_schema.is_empty() {
        return;
    }
    for pair in label_pairs(ctx.dockerfile) {
        if !ctx.settings.label_schema.contains_key(&pair.key.value) {
            sink.report(pair.key.span, format!("Label `{}` is not in the label schema (strict-labels is on): remove it or add it to the schema", pair.key.value));
        }
    }
}
