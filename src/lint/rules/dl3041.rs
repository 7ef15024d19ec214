//! DL3041: Specify version with `dnf install <package>-<version>`.

#[allow(unused_imports)]
use crate::dockerfile::ast::Keyword;
#[allow(unused_imports)]
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
#[allow(unused_imports)]
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3041",
    name: "dnf-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Specify version with `dnf install <package>-<version>`",
    aliases: &[],
    doc: include_str!("../../../rules/DL3041.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        let is_prog = cmd.is("dnf") || ("dnf" == "dnf" && cmd.is("microdnf"));
        if !is_prog || !cmd.subcommand_is(YUM_VALUE_FLAGS, &["install"]) {
            continue;
        }
        for pkg in cmd.operands(YUM_VALUE_FLAGS) {
            let v = &pkg.value;
            // `name-1.2.3`: a dash followed by a digit starts the version.
            let pinned = v
                .match_indices('-')
                .any(|(i, _)| v[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
            if pinned
                || v.ends_with(".rpm")
                || v.contains('/')
                || v.starts_with('@')
                || pkg.is_dynamic()
            {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}-<version>`)"),
            );
        }
    }
}
