//! DL4005: Use SHELL to change the default shell.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL4005",
    name: "use-shell-instruction",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Use SHELL to change the default shell",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL4005.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if cmd.is("ln")
            && cmd
                .positionals(&[])
                .last()
                .is_some_and(|w| w.value == "/bin/sh")
        {
            sink.report(cmd.span(), "Replacing /bin/sh with a link changes the shell for every tool in the image: use the SHELL instruction for RUN instead");
        }
    }
}
