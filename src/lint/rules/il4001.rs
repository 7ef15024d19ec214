//! IL4001: the final image runs as root because no USER is ever set for it.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::effective_user;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL4001",
    name: "final-image-runs-as-root",
    category: Category::RootUser,
    severity: Severity::Warning,
    summary: "The final image runs as root: no USER is set for it",
    aliases: &[],
    opt_in: false,
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
    let chain = crate::dockerfile::stages::stage_chain(df, last.index);
    let root = &df.stages[*chain.last().unwrap_or(&last.index)];
    // Base images built to run unprivileged (distroless `:nonroot`, `nginx-unprivileged`…)
    // already set a non-root USER.
    let image = root.image.expanded.to_ascii_lowercase();
    if ["nonroot", "non-root", "unprivileged", "rootless"]
        .iter()
        .any(|w| image.contains(w))
    {
        return;
    }
    // A `FROM scratch` image without CMD/ENTRYPOINT is an artifact export, not something
    // that runs.
    let runs_something = chain.iter().any(|&s| {
        df.stage_instructions(&df.stages[s])
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
    });
    if root.image.is_scratch() && !runs_something {
        return;
    }
    let from = &df.instructions[last.from_instruction];
    sink.report(
        crate::lint::rules::util::head_span(from),
        "The final image has no USER, so its process runs as root: add `USER <uid>` (e.g. `USER 10001`) before CMD/ENTRYPOINT",
    );
}
