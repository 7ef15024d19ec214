//! DL3015: Avoid additional packages by specifying `--no-install-recommends`.

use crate::lint::fix::Applicability;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::insert_after_word;
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
        if off {
            continue;
        }
        let message = "apt-get also installs \"recommended\" packages you did not ask for: add `--no-install-recommends`";
        let install = cmd.subcommand(APT_VALUE_FLAGS);
        let at = install
            .map(|w| cmd.name.span.cover(w.span))
            .unwrap_or(cmd.name.span);
        // Unsafe: the image gets fewer packages, and the build may need one of them.
        let fix = install.and_then(|w| {
            insert_after_word(
                ctx,
                cmd,
                w,
                "--no-install-recommends",
                Applicability::Unsafe,
            )
        });
        sink.report_fix(at, message, fix);
    }
}
