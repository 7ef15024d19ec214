//! DL3001: For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3001",
    name: "pointless-command",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "For some bash commands it makes no sense running them in a Docker container like ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3001.md"),
    check,
};

const POINTLESS: &[&str] = &[
    "ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig",
];

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if POINTLESS.contains(&cmd.program()) {
            sink.report(cmd.name.span, format!("`{}` has no lasting effect in a build step (no services, no terminal, processes end with the RUN): remove it", cmd.program()));
        }
    }
}
