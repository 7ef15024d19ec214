//! DL3011: Valid UNIX ports range from 0 to 65535.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3011",
    name: "expose-port-range",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Valid UNIX ports range from 0 to 65535",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3011.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Expose {
            continue;
        }
        for arg in &instr.args {
            if arg.value.contains('$') {
                continue;
            }
            let ports = arg.value.split('/').next().unwrap_or("");
            let ports = ports.rsplit(':').next().unwrap_or(ports);
            for p in ports.split('-') {
                if let Ok(n) = p.parse::<u64>()
                    && n > 65535
                {
                    sink.report(arg.span, format!("Port {n} is outside 0–65535"));
                    break;
                }
            }
        }
    }
}
