//! DL3000: Use absolute WORKDIR.

use crate::dockerfile::ast::Keyword;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::text_at;
use crate::lint::rules::util::container_path_join;

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
    // The absolute WORKDIR in force in each stage so far, when written literally.
    let mut known: Option<(Option<usize>, String)> = None;
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Workdir {
            continue;
        }
        let previous = known
            .take()
            .filter(|(stage, _)| *stage == instr.stage)
            .map(|(_, dir)| dir);
        let literal = instr.args.first().map(|a| a.value.as_str()).filter(|v| {
            !v.contains(['$', '"', '\'', '\\', ctx.dockerfile.escape]) && instr.args.len() == 1
        });
        known = match (literal, &previous) {
            (Some(v), _) if v.starts_with('/') => Some((instr.stage, v.to_string())),
            (Some(v), Some(base)) => Some((instr.stage, container_path_join(base, v))),
            _ => None,
        };
        let Some(arg) = instr.args.first() else {
            continue;
        };
        // hadolint reads a quoted path (either quote) as the path inside the quotes.
        let v = arg.value.trim_matches(['"', '\'']);
        let windows_abs = v.len() >= 2 && v.as_bytes()[1] == b':';
        if v.starts_with('/') || v.starts_with('$') || windows_abs || v.starts_with('\\') {
            continue;
        }
        // Relative to a WORKDIR this stage set literally: the absolute path is known.
        let fix = previous
            .zip(literal)
            .filter(|_| text_at(ctx, arg.span) == Some(arg.value.as_str()))
            .map(|(base, v)| {
                Fix::safe(vec![Edit::replace(arg.span, container_path_join(&base, v))])
            });
        sink.report_fix(arg.span, format!("WORKDIR `{v}` is relative to the previous WORKDIR (or the base image's): write the absolute path"), fix);
    }
}
