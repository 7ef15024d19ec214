//! DL3037: Specify version with `zypper install -y <package>=<version>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::ZYPPER_VALUE_FLAGS;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3037",
    name: "zypper-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Specify version with `zypper install -y <package>=<version>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3037.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("zypper") || !cmd.subcommand_is(ZYPPER_VALUE_FLAGS, &["install", "in"]) {
            continue;
        }
        for pkg in cmd.operands(ZYPPER_VALUE_FLAGS) {
            let v = &pkg.value;
            if v.contains('=')
                || v.contains('>')
                || v.contains('<')
                || v.ends_with(".rpm")
                || v.contains('/')
                || pkg.is_dynamic()
            {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}=<version>`)"),
            );
        }
    }
}
