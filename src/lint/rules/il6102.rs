//! IL6102: The AS keyword should match the casing of FROM.

use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::text_at;

pub static RULE: Rule = Rule {
    code: "IL6102",
    name: "from-as-casing",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "The AS keyword should match the casing of FROM",
    aliases: &["FromAsCasing"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6102.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let from = &df.instructions[stage.from_instruction];
        let (Some(as_kw), 3) = (from.args.get(1), from.args.len()) else {
            continue;
        };
        let kw = &from.keyword_text;
        let from_upper = kw.chars().all(|c| c.is_uppercase());
        let from_lower = kw.chars().all(|c| c.is_lowercase());
        let as_upper = as_kw.value.chars().all(|c| c.is_uppercase());
        let as_lower = as_kw.value.chars().all(|c| c.is_lowercase());
        if (from_upper && !as_upper) || (from_lower && !as_lower) {
            let want = if from_upper { "AS" } else { "as" };
            let exact = text_at(ctx, as_kw.span) == Some(as_kw.value.as_str());
            sink.report_fix(
                as_kw.span,
                format!(
                    "'{}' and '{}' keywords' casing do not match: write `{want}`",
                    as_kw.value, kw
                ),
                exact.then(|| Fix::safe(vec![Edit::replace(as_kw.span, want)])),
            );
        }
    }
}
