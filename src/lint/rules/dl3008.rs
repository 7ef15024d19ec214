//! DL3008: Pin versions in apt-get install.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::APT_VALUE_FLAGS;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3008",
    name: "apt-get-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in apt-get install",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3008.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("apt-get") || !cmd.subcommand_is(APT_VALUE_FLAGS, &["install"]) {
            continue;
        }
        for pkg in cmd.operands(APT_VALUE_FLAGS) {
            let v = &pkg.value;
            if v.contains('=') || v.ends_with(".deb") || v.contains('/') || pkg.is_dynamic() {
                continue;
            }
            sink.report(pkg.span, format!("Pin the version of `{v}` (`{v}=<version>`): otherwise each build may install a different version"));
        }
    }
}
