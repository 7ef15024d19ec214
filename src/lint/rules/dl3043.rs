//! DL3043: ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3043",
    name: "onbuild-forbidden",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3043.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        let Some(inner) = &instr.onbuild else {
            continue;
        };
        if matches!(
            inner.keyword,
            Keyword::Onbuild | Keyword::From | Keyword::Maintainer
        ) {
            sink.report(
                inner.keyword_span,
                format!(
                    "ONBUILD cannot trigger {}: the build of a child image would fail",
                    inner.keyword.as_str().to_ascii_uppercase()
                ),
            );
        }
    }
}
