//! DL3053: Label is not a valid RFC3339 date-time.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3053",
    name: "label-not-rfc3339",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid RFC3339 date-time",
    aliases: &[],
    doc: include_str!("../../../rules/DL3053.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some("rfc3339")
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue; // empty is DL3051; a build argument is checked at build time
        }
        if !label_value_valid("rfc3339", &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be a RFC3339 date-time, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
}
