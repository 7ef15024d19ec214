//! IL6103: All instructions should use the same casing.

use crate::dockerfile::ast::Keyword;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::text_at;

pub static RULE: Rule = Rule {
    code: "IL6103",
    name: "consistent-instruction-casing",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "All instructions should use the same casing",
    aliases: &["ConsistentInstructionCasing"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6103.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let instrs: Vec<_> = ctx
        .dockerfile
        .instructions
        .iter()
        .filter(|i| i.keyword != Keyword::Unknown)
        .collect();
    let upper = instrs
        .iter()
        .filter(|i| i.keyword_text.chars().all(|c| !c.is_lowercase()))
        .count();
    let lower = instrs
        .iter()
        .filter(|i| i.keyword_text.chars().all(|c| !c.is_uppercase()))
        .count();
    let majority_upper = upper >= lower;
    for instr in instrs {
        let text = &instr.keyword_text;
        let ok = if majority_upper {
            text.chars().all(|c| !c.is_lowercase())
        } else {
            text.chars().all(|c| !c.is_uppercase())
        };
        if !ok {
            let want = if majority_upper {
                text.to_uppercase()
            } else {
                text.to_lowercase()
            };
            let exact = text_at(ctx, instr.keyword_span) == Some(text.as_str());
            sink.report_fix(
                instr.keyword_span,
                format!("Command '{text}' should match the case of the command majority ({want})"),
                exact.then(|| Fix::safe(vec![Edit::replace(instr.keyword_span, want)])),
            );
        }
    }
}
