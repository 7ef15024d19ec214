//! IL6108: Empty continuation line.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6108",
    name: "no-empty-continuation",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "Empty continuation line",
    aliases: &["NoEmptyContinuation"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6108.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for warning in &ctx.dockerfile.warnings {
        if warning.message.contains("empty continuation line") {
            sink.report(warning.span, "Empty line inside a `\\` continuation: remove it (BuildKit will reject it in a future release)");
        }
    }
}
