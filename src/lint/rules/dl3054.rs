//! DL3054: Label is not a valid SPDX license expression.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3054",
    name: "label-not-spdx",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid SPDX license expression",
    aliases: &[],
    doc: include_str!("../../../rules/DL3054.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some("spdx")
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue; // empty is DL3051; a build argument is checked at build time
        }
        if !label_value_valid("spdx", &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be a SPDX license expression, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
}
