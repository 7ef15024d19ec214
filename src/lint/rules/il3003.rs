//! IL3003: the final image defines no CMD or ENTRYPOINT (opt-in).

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::final_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL3003",
    name: "no-cmd-or-entrypoint",
    category: Category::MissingExec,
    severity: Severity::Info,
    summary: "The final stage sets no CMD or ENTRYPOINT",
    aliases: &[],
    opt_in: true,
    doc: include_str!("../../../rules/IL3003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return;
    };
    let sets_command = final_chain(df).into_iter().any(|s| {
        df.stage_instructions(&df.stages[s])
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
    });
    if !sets_command {
        sink.report(
            df.instructions[last.from_instruction].span,
            "The final stage sets no CMD or ENTRYPOINT: the image runs whatever its base image chose",
        );
    }
}
