//! DL3027: Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3027",
    name: "no-apt",
    category: Category::Portability,
    severity: Severity::Warning,
    summary: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3027.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if cmd.is("apt") {
            sink.report(cmd.name.span, "`apt` has no stable command-line interface and warns when scripted: use `apt-get` (or `apt-cache`)");
        }
    }
}
