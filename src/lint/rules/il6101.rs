//! IL6101: Stage names should be lowercase.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6101",
    name: "stage-name-casing",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "Stage names should be lowercase",
    aliases: &["StageNameCasing"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6101.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for stage in &ctx.dockerfile.stages {
        let Some(span) = stage.name_span else {
            continue;
        };
        let written = ctx
            .source
            .get(span.start.offset..span.end.offset)
            .unwrap_or("");
        if written.chars().any(|c| c.is_uppercase()) {
            sink.report(span, format!("Stage name `{written}` should be lowercase (stage names are compared case-insensitively): write `{}`", written.to_lowercase()));
        }
    }
}
