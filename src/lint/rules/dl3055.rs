//! DL3055: Label is not a valid git commit hash.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3055",
    name: "label-not-git-hash",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Label is not a valid git commit hash",
    aliases: &[],
    doc: include_str!("../../../rules/DL3055.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some("hash")
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue; // empty is DL3051; a build argument is checked at build time
        }
        if !label_value_valid("hash", &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be a git commit hash, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
}
