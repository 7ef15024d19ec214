//! IL6107: EXPOSE should not define an IP address or host-port mapping.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6107",
    name: "expose-invalid-format",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "EXPOSE should not define an IP address or host-port mapping",
    aliases: &["ExposeInvalidFormat"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6107.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Expose {
            continue;
        }
        for arg in &instr.args {
            if arg.value.contains(':') && !arg.value.contains('$') {
                sink.report(arg.span, format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{}': expose the container port only and map it with `docker run -p`", arg.value));
            }
        }
    }
}
