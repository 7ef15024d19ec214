//! DL4003: Multiple CMD instructions found. Only the last one takes effect.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL4003",
    name: "multiple-cmd",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Multiple CMD instructions found. Only the last one takes effect",
    aliases: &["MultipleInstructionsDisallowed"],
    doc: include_str!("../../../rules/DL4003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let found: Vec<_> = df
            .stage_instructions(stage)
            .iter()
            .filter(|i| i.keyword == Keyword::Cmd)
            .collect();
        if let Some((last, earlier)) = found.split_last() {
            for instr in earlier {
                sink.report(
                    instr.keyword_span,
                    format!("This CMD is overridden by the one on line {}: only the last CMD of a stage takes effect. Remove this one", last.keyword_span.start.line),
                );
            }
        }
    }
}
