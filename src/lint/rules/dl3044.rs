//! DL3044: Do not refer to an environment variable within the same ENV statement where it is defined.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{env_is_set, span_in};

pub static RULE: Rule = Rule {
    code: "DL3044",
    name: "env-self-reference",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Do not refer to an environment variable within the same ENV statement where it is defined",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3044.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for (idx, instr) in df.instructions.iter().enumerate() {
        if instr.keyword != Keyword::Env {
            continue;
        }
        for (i, pair) in instr.pairs.iter().enumerate() {
            let Some(value) = &pair.value else { continue };
            for name in crate::dockerfile::expand::referenced_variables(&value.value, df.escape) {
                // Defined by an earlier pair of this ENV, and not defined before it: BuildKit
                // expands all values with the environment *before* the instruction.
                let earlier_pair = instr.pairs[..i].iter().any(|p| p.key.value == name);
                if earlier_pair && env_is_set(ctx, idx, None, &name).is_none() {
                    sink.report(span_in(value, &name), format!("`${name}` is defined in this same ENV, so it is not set yet here: split the ENV in two"));
                }
            }
        }
    }
}
