//! DL3003: Use WORKDIR to switch to a directory.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3003",
    name: "use-workdir",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Use WORKDIR to switch to a directory",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        // As hadolint: any `cd`, also inside `( … )`, since WORKDIR or `-C` flags say it better.
        if cmd.is("cd") {
            sink.report(cmd.name.span, "`cd` only lasts for this RUN and hides where later steps run: use WORKDIR (or `make -C`, `git -C`…)");
        }
    }
}
