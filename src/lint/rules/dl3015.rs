//! DL3015: Avoid additional packages by specifying `--no-install-recommends`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::APT_VALUE_FLAGS;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3015",
    name: "apt-no-install-recommends",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "Avoid additional packages by specifying `--no-install-recommends`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3015.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("apt-get") || !cmd.subcommand_is(APT_VALUE_FLAGS, &["install"]) {
            continue;
        }
        let off = cmd.has_flag(&["--no-install-recommends"])
            || cmd.args.iter().any(|a| {
                a.value
                    .replace(' ', "")
                    .to_ascii_lowercase()
                    .contains("apt::install-recommends=false")
                    || a.value
                        .to_ascii_lowercase()
                        .contains("apt::install-recommends=0")
            });
        if !off {
            let at = cmd
                .subcommand(APT_VALUE_FLAGS)
                .map(|w| cmd.name.span.cover(w.span))
                .unwrap_or(cmd.name.span);
            sink.report(at, "apt-get also installs \"recommended\" packages you did not ask for: add `--no-install-recommends`");
        }
    }
}
