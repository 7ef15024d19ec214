//! IL6104: Use key=value in ENV and LABEL.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

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

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Env | Keyword::Label) {
            continue;
        }
        if instr.pairs.iter().any(|p| !p.equals) {
            let kw = instr.keyword.as_str().to_ascii_uppercase();
            sink.report(instr.keyword_span.cover(instr.rest.span), format!("\"{kw} key=value\" should be used instead of legacy \"{kw} key value\" format (the legacy form cannot set several keys and treats the rest of the line as the value)"));
        }
    }
}
