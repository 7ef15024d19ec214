//! DL3027: Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::replace_word;
use crate::lint::rules::packages::APT_VALUE_FLAGS;
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

/// apt subcommands that apt-get has, with the same meaning.
const APT_GET_SUBCOMMANDS: &[&str] = &[
    "install",
    "remove",
    "purge",
    "autoremove",
    "update",
    "upgrade",
    "dist-upgrade",
    "clean",
    "autoclean",
    "source",
    "build-dep",
    "download",
    "satisfy",
];

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("apt") {
            continue;
        }
        let message = "`apt` has no stable command-line interface and warns when scripted: use `apt-get` (or `apt-cache`)";
        // Only where apt-get has the same subcommand (`apt search` is apt-cache's, and `apt
        // list` has no twin); a path such as /usr/bin/apt is left as written.
        let same_in_apt_get =
            cmd.name.raw == "apt" && cmd.subcommand_is(APT_VALUE_FLAGS, APT_GET_SUBCOMMANDS);
        sink.report_fix(
            cmd.name.span,
            message,
            same_in_apt_get
                .then(|| replace_word(ctx, cmd, &cmd.name, "apt-get"))
                .flatten(),
        );
    }
}
