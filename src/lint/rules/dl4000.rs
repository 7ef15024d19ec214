//! DL4000: MAINTAINER is deprecated.

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::{keyword_like, text_at};

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

const MESSAGE: &str =
    "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=\"…\"`";

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Maintainer {
            continue;
        }
        sink.report_fix(instr.keyword_span, MESSAGE, fix(ctx, instr));
    }
}

/// `MAINTAINER Jane <jane@example.com>` → `LABEL org.opencontainers.image.authors="Jane
/// <jane@example.com>"`, for a one-line MAINTAINER. The value is double-quoted with `"`, `$`
/// and the escape character escaped, so the label holds exactly the text MAINTAINER held.
fn fix(ctx: &Context, instr: &Instruction) -> Option<Fix> {
    let value = instr.rest.value.trim();
    if value.is_empty()
        || instr.span.start.line != instr.span.end.line
        || text_at(ctx, instr.rest.span)?.trim() != value
    {
        return None;
    }
    let escape = ctx.dockerfile.escape;
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            quoted.push(escape);
        }
        quoted.push(c);
    }
    quoted.push('"');
    let label = keyword_like(&instr.keyword_text, "LABEL");
    let span = instr.keyword_span.cover(instr.rest.span);
    Some(Fix::safe(vec![Edit::replace(
        span,
        format!("{label} org.opencontainers.image.authors={quoted}"),
    )]))
}
