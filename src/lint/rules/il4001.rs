//! IL4001: the final image runs as root because no USER is ever set for it.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::effective_user;

pub static RULE: Rule = Rule {
    code: "IL4001",
    name: "final-image-runs-as-root",
    category: Category::RootUser,
    severity: Severity::Warning,
    summary: "The final image runs as root: no USER is set for it",
    aliases: &[],
    doc: include_str!("../../../rules/IL4001.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return;
    };
    // A USER in a builder stage does not count; one in a stage the final one is built FROM does.
    if effective_user(df, last.index).is_some() {
        return;
    }
    let from = &df.instructions[last.from_instruction];
    sink.report(
        crate::lint::rules::util::head_span(from),
        "The final image has no USER, so its process runs as root: add `USER <uid>` (e.g. `USER 10001`) before CMD/ENTRYPOINT",
    );
}
