//! DL3065: FROM --platform=$TARGETPLATFORM is redundant.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3065",
    name: "redundant-target-platform",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "FROM --platform=$TARGETPLATFORM is redundant",
    aliases: &["RedundantTargetPlatform"],
    opt_in: false,
    doc: include_str!("../../../rules/DL3065.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let from = &df.instructions[stage.from_instruction];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        let value = flag.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
        if value == "$TARGETPLATFORM" || value == "${TARGETPLATFORM}" {
            sink.report(
                flag.span,
                "`--platform=$TARGETPLATFORM` is the default: remove it",
            );
        }
    }
}
