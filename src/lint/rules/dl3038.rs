//! DL3038: Use the `-y` switch to avoid manual input `dnf install -y <package>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{YUM_VALUE_FLAGS, check_assume_yes};

pub static RULE: Rule = Rule {
    code: "DL3038",
    name: "dnf-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Use the `-y` switch to avoid manual input `dnf install -y <package>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3038.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_assume_yes(
        ctx,
        sink,
        &["dnf", "microdnf"],
        YUM_VALUE_FLAGS,
        &["install", "groupinstall", "localinstall"],
        &["-y", "--assumeyes"],
        Some("-y"),
        "Without `-y` the command waits for a confirmation that never comes and the build fails: add `-y`",
    );
}
