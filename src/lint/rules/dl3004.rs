//! DL3004: sudo in RUN.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3004",
    name: "no-sudo",
    category: Category::Security,
    severity: Severity::Error,
    summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3004.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if cmd.is("sudo") {
            sink.report(
                cmd.name.span,
                "`sudo` in a build needs a sudoers setup, may prompt, and keeps sudo in the image: switch with `USER root` … `USER app` instead (or gosu/su-exec at run time)",
            );
        }
    }
}
