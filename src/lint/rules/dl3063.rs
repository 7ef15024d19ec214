//! DL3063: Stage names should not be reserved words.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3063",
    name: "reserved-stage-name",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Stage names should not be reserved words",
    aliases: &["ReservedStageName"],
    opt_in: false,
    doc: include_str!("../../../rules/DL3063.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for stage in &ctx.dockerfile.stages {
        let Some(name) = &stage.name else { continue };
        if name == "scratch" || name == "context" {
            let span = stage
                .name_span
                .unwrap_or(ctx.dockerfile.instructions[stage.from_instruction].keyword_span);
            sink.report(span, format!("`{name}` is reserved (FROM scratch / the build context): choose another stage name"));
        }
    }
}
