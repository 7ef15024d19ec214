//! DL3061: Invalid instruction order. Dockerfile must begin with FROM, ARG or comment.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3061",
    name: "instruction-order",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Invalid instruction order. Dockerfile must begin with FROM, ARG or comment",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3061.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    if let Some(first) = ctx.dockerfile.instructions.first()
        && !matches!(
            first.keyword,
            Keyword::From | Keyword::Arg | Keyword::Unknown
        )
    {
        sink.report(
            first.keyword_span,
            format!(
                "A Dockerfile must start with FROM (or ARGs used by FROM), not {}",
                first.keyword.as_str().to_ascii_uppercase()
            ),
        );
    }
}
