//! DL3030: Use the `-y` switch to avoid manual input `yum install -y <package>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{YUM_VALUE_FLAGS, check_assume_yes};

pub static RULE: Rule = Rule {
    code: "DL3030",
    name: "yum-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Use the `-y` switch to avoid manual input `yum install -y <package>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3030.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_assume_yes(
        ctx,
        sink,
        &["yum"],
        YUM_VALUE_FLAGS,
        &["install", "groupinstall", "localinstall"],
        &["-y", "--assumeyes"],
        Some("-y"),
        "Without `-y` the command waits for a confirmation that never comes and the build fails: add `-y`",
    );
}
