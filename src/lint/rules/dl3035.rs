//! DL3035: Do not use zypper dist-upgrade.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::ZYPPER_VALUE_FLAGS;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3035",
    name: "zypper-dist-upgrade",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Do not use zypper dist-upgrade",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3035.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if cmd.is("zypper") && cmd.subcommand_is(ZYPPER_VALUE_FLAGS, &["dist-upgrade", "dup"]) {
            sink.report(cmd.span(), "`zypper dist-upgrade` turns the base image into another distribution release in an unreviewed layer: use a newer base image instead");
        }
    }
}
