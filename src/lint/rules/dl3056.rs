//! DL3056: Label is not a valid semantic version.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3056",
    name: "label-not-semver",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid semantic version",
    aliases: &[],
    doc: include_str!("../../../rules/DL3056.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some("semver")
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue; // empty is DL3051; a build argument is checked at build time
        }
        if !label_value_valid("semver", &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be a semantic version, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
}
