//! IL6104: Use key=value in ENV and LABEL.

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::text_at;

pub static RULE: Rule = Rule {
    code: "IL6104",
    name: "legacy-key-value-format",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "Use key=value in ENV and LABEL",
    aliases: &["LegacyKeyValueFormat"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6104.md"),
    check,
};

/// `ENV key some value` → `ENV key="some value"`, when the legacy pair is one line whose value
/// needs no unquoting (no quotes, no escape character): then the quoted value holds exactly the
/// same text, variables included.
fn fix(ctx: &Context, instr: &Instruction) -> Option<Fix> {
    let [pair] = instr.pairs.as_slice() else {
        return None;
    };
    let value = pair.value.as_ref()?;
    let raw = text_at(ctx, value.span)?;
    let plain = !raw.contains(['"', '\'', ctx.dockerfile.escape, '\n'])
        && raw == value.value
        && text_at(ctx, pair.key.span) == Some(pair.key.value.as_str());
    if !plain || pair.equals || raw.is_empty() {
        return None;
    }
    let quoted = if raw.contains(char::is_whitespace) {
        format!("\"{raw}\"")
    } else {
        raw.to_string()
    };
    Some(Fix::safe(vec![Edit::replace(
        pair.key.span.cover(value.span),
        format!("{}={quoted}", pair.key.value),
    )]))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Env | Keyword::Label) {
            continue;
        }
        if instr.pairs.iter().any(|p| !p.equals) {
            let kw = instr.keyword.as_str().to_ascii_uppercase();
            sink.report_fix(instr.keyword_span.cover(instr.rest.span), format!("\"{kw} key=value\" should be used instead of legacy \"{kw} key value\" format (the legacy form cannot set several keys and treats the rest of the line as the value)"), fix(ctx, instr));
        }
    }
}
