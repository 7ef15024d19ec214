//! DL3033: Specify version with `yum install <package>-<version>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_rpm_pins;

pub static RULE: Rule = Rule {
    code: "DL3033",
    name: "yum-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Specify version with `yum install <package>-<version>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3033.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_rpm_pins(ctx, sink, &["yum"]);
}
