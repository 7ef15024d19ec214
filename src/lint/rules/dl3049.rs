//! DL3049: Label is missing.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::head_span;

pub static RULE: Rule = Rule {
    code: "DL3049",
    name: "label-missing",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "Label is missing",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3049.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let schema = &ctx.settings.label_schema;
    let Some(last) = df.final_stage() else { return };
    if schema.is_empty() {
        return;
    }
    let chain = stage_chain(df, last.index);
    let present: Vec<&str> = chain
        .iter()
        .flat_map(|&s| df.stage_instructions(&df.stages[s]))
        .filter(|i| i.keyword == Keyword::Label)
        .flat_map(|i| i.pairs.iter().map(|p| p.key.value.as_str()))
        .collect();
    let from = &df.instructions[last.from_instruction];
    for key in schema.keys() {
        if !present.contains(&key.as_str()) {
            sink.report(head_span(from), format!("The image has no label `{key}`, which the label schema requires: add `LABEL {key}=…`"));
        }
    }
}
