//! IL5009: a whole-distribution upgrade in the image (trivy DS024).

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "IL5009",
    name: "distribution-upgrade",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not upgrade the whole distribution in the image: use a newer base image",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5009.md"),
    check,
};

/// apt's options that take a value (so the word after them is not the subcommand).
const APT_VALUE_FLAGS: &[&str] = &[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
];

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !matches!(cmd.program(), "apt-get" | "apt") {
            continue;
        }
        let Some(sub) = cmd.subcommand(APT_VALUE_FLAGS) else {
            continue;
        };
        if matches!(
            sub.value.as_str(),
            "upgrade" | "dist-upgrade" | "full-upgrade"
        ) {
            sink.report(
                cmd.name.span.cover(sub.span),
                format!("`{} {}` makes the image depend on the day it was built: rebuild FROM a newer base image, or install the specific fixed packages", cmd.program(), sub.value),
            );
        }
    }
}
