//! DL3023: COPY --from cannot reference its own FROM alias.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_of;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3023",
    name: "copy-from-self",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "COPY --from cannot reference its own FROM alias",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3023.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for instr in &df.instructions {
        if instr.keyword != Keyword::Copy {
            continue;
        }
        let (Some(flag), Some(stage)) = (instr.flag("from"), stage_of(df, instr)) else {
            continue;
        };
        let value = flag
            .value
            .as_ref()
            .map(|v| v.value.to_ascii_lowercase())
            .unwrap_or_default();
        if stage.name.as_deref() == Some(value.as_str())
            || value.parse::<usize>() == Ok(stage.index)
        {
            sink.report(
                flag.span,
                "A stage cannot COPY from itself: name the stage that produced the files",
            );
        }
    }
}
