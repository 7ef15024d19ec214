//! IL6106: EXPOSE protocol should be lowercase.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6106",
    name: "expose-proto-casing",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "EXPOSE protocol should be lowercase",
    aliases: &["ExposeProtoCasing"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6106.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Expose {
            continue;
        }
        for arg in &instr.args {
            if let Some((_, proto)) = arg.value.split_once('/')
                && proto.chars().any(|c| c.is_uppercase())
            {
                sink.report(arg.span, format!("Defined protocol '{proto}' in EXPOSE instruction should be lowercase: write `{}`", arg.value.to_lowercase()));
            }
        }
    }
}
