//! DL3049: Label is missing.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{head_span, mount_options};

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
    if schema.is_empty() {
        return;
    }
    // As hadolint counts images: a stage someone copies from is a part, not an image; a stage
    // without the label is fine when a stage built FROM it sets it (that is the image).
    let mut copied = vec![false; df.stages.len()];
    for instr in &df.instructions {
        let from = instr
            .flags
            .iter()
            .filter(|f| f.name == "from")
            .filter_map(|f| f.value.as_ref().map(|v| v.value.clone()));
        let mounted = instr
            .flags
            .iter()
            .filter(|f| f.name == "mount")
            .flat_map(mount_options)
            .filter(|(k, _)| k == "from")
            .map(|(_, v)| v);
        for source in from.chain(mounted) {
            if let Some(stage) = df.stage_by_ref(&source) {
                copied[stage.index] = true;
            }
        }
    }
    // The label keys each stage has, its own or inherited.
    let present: Vec<Vec<&str>> = df
        .stages
        .iter()
        .map(|stage| {
            stage_chain(df, stage.index)
                .iter()
                .flat_map(|&s| df.stage_instructions(&df.stages[s]))
                .filter(|i| i.keyword == Keyword::Label)
                .flat_map(|i| i.pairs.iter().map(|p| p.key.value.as_str()))
                .collect()
        })
        .collect();
    for stage in df.stages.iter().filter(|s| !copied[s.index]) {
        let from = &df.instructions[stage.from_instruction];
        for key in schema.keys() {
            let has = |s: usize| present[s].contains(&key.as_str());
            let child_has = df
                .stages
                .iter()
                .any(|child| child.parent_stage == Some(stage.index) && has(child.index));
            if !has(stage.index) && !child_has {
                sink.report(head_span(from), format!("The image has no label `{key}`, which the label schema requires: add `LABEL {key}=…`"));
            }
        }
    }
}
