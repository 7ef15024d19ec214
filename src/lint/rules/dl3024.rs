//! DL3024: FROM aliases (stage names) must be unique.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3024",
    name: "duplicate-stage-name",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "FROM aliases (stage names) must be unique",
    aliases: &["DuplicateStageName"],
    opt_in: false,
    doc: include_str!("../../../rules/DL3024.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let stages = &ctx.dockerfile.stages;
    for (i, stage) in stages.iter().enumerate() {
        let Some(name) = &stage.name else { continue };
        if stages[..i].iter().any(|s| s.name.as_ref() == Some(name)) {
            let span = stage
                .name_span
                .unwrap_or(ctx.dockerfile.instructions[stage.from_instruction].keyword_span);
            sink.report(span, format!("Stage name `{name}` is already used by an earlier stage: COPY --from={name} and --target are ambiguous. Rename one"));
        }
    }
}
