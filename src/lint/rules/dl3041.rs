//! DL3041: Specify version with `dnf install <package>-<version>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_rpm_pins;

pub static RULE: Rule = Rule {
    code: "DL3041",
    name: "dnf-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Specify version with `dnf install <package>-<version>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3041.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_rpm_pins(ctx, sink, &["dnf", "microdnf"]);
}
