//! DL3000: Use absolute WORKDIR.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3000",
    name: "workdir-absolute",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Use absolute WORKDIR",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3000.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Workdir {
            continue;
        }
        let Some(arg) = instr.args.first() else {
            continue;
        };
        let v = arg.value.trim_matches('"');
        let windows_abs = v.len() >= 2 && v.as_bytes()[1] == b':';
        if v.starts_with('/') || v.starts_with('$') || windows_abs || v.starts_with('\\') {
            continue;
        }
        sink.report(arg.span, format!("WORKDIR `{v}` is relative to the previous WORKDIR (or the base image's): write the absolute path"));
    }
}
