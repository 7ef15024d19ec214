//! DL3021: COPY with more than 2 arguments requires the last argument to end with /.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3021",
    name: "copy-multiple-dest-slash",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "COPY with more than 2 arguments requires the last argument to end with /",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3021.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add)
            || instr.args.len() < 3
            || !instr.heredocs.is_empty()
        {
            continue;
        }
        let Some(dest) = instr.args.last() else {
            continue;
        };
        // A quoted destination counts by what is inside the quotes (as hadolint reads it).
        let path = dest.value.trim_matches(['"', '\'']);
        if !path.ends_with('/') && !path.contains('$') {
            sink.report(
                dest.span,
                format!(
                    "With several sources the destination must be a directory: write `{}/`",
                    dest.value
                ),
            );
        }
    }
}
