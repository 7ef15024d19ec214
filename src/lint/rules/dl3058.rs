//! DL3058: Label is not a valid e-mail address.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3058",
    name: "label-not-email",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid e-mail address",
    aliases: &[],
    doc: include_str!("../../../rules/DL3058.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some("email")
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue; // empty is DL3051; a build argument is checked at build time
        }
        if !label_value_valid("email", &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be a e-mail address, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
}
