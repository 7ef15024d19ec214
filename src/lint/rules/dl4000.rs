//! DL4000: MAINTAINER is deprecated.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL4000",
    name: "maintainer-deprecated",
    category: Category::Maintainability,
    severity: Severity::Error,
    summary: "MAINTAINER is deprecated",
    aliases: &["MaintainerDeprecated"],
    opt_in: false,
    doc: include_str!("../../../rules/DL4000.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword == Keyword::Maintainer {
            sink.report(
                instr.keyword_span,
                "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=\"…\"`",
            );
        }
    }
}
