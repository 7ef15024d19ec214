//! DL3057: HEALTHCHECK instruction missing (opt-in, as in hadolint).

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3057",
    name: "healthcheck-missing",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "`HEALTHCHECK` instruction missing",
    aliases: &[],
    opt_in: true,
    doc: include_str!("../../../rules/DL3057.md"),
    check,
};

/// A stage is covered when it, a stage it is built FROM, or a stage built FROM it has a
/// HEALTHCHECK (hadolint counts a HEALTHCHECK in a derived stage for its base too).
fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let has_healthcheck: Vec<bool> = df
        .stages
        .iter()
        .map(|s| {
            df.stage_instructions(s)
                .iter()
                .any(|i| i.keyword == Keyword::Healthcheck)
        })
        .collect();
    let chains: Vec<Vec<usize>> = (0..df.stages.len()).map(|s| stage_chain(df, s)).collect();
    for (index, stage) in df.stages.iter().enumerate() {
        let covered = chains
            .iter()
            .any(|chain| chain.contains(&index) && chain.iter().any(|&s| has_healthcheck[s]));
        if !covered {
            let from = &df.instructions[stage.from_instruction];
            sink.report(
                from.span,
                "`HEALTHCHECK` instruction missing: without it the runtime cannot tell a hung container from a healthy one",
            );
        }
    }
}
