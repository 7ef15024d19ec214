//! IL6116: BuildKit's WorkdirRelativePath (the first WORKDIR of a stage is relative).

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6116",
    name: "buildkit-workdir-relative-path",
    category: Category::Portability,
    severity: Severity::Warning,
    summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    aliases: &["WorkdirRelativePath"],
    opt_in: true,
    doc: include_str!("../../../rules/IL6116.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for (index, stage) in df.stages.iter().enumerate() {
        // Only the first WORKDIR set in the build of this stage (its own or one of a stage it
        // is built FROM) counts: fixing it fixes every later relative one.
        let chain = stage_chain(df, index);
        let first = chain
            .iter()
            .rev()
            .flat_map(|&s| df.stage_instructions(&df.stages[s]).iter())
            .find(|i| i.keyword == Keyword::Workdir);
        let Some(workdir) = first else {
            continue;
        };
        if workdir.stage != Some(stage.index) {
            continue;
        }
        let Some(arg) = workdir.args.first() else {
            continue;
        };
        let path = arg.value.trim_matches('"');
        if path.starts_with('/') || path.starts_with('$') {
            continue;
        }
        sink.report(
            workdir.span,
            format!(
                "Relative workdir '{path}' can have unexpected results if the base image changes"
            ),
        );
    }
}
