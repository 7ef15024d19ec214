//! DL3014: Use the `-y` switch to avoid manual input `apt-get install -y <package>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{APT_VALUE_FLAGS, check_assume_yes};

pub static RULE: Rule = Rule {
    code: "DL3014",
    name: "apt-get-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Use the `-y` switch to avoid manual input `apt-get install -y <package>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3014.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    // apt-get's `-qq` (quiet level 2) implies `-y` as well.
    let yes = ["-y", "--yes", "--assume-yes", "-qq", "-q=2", "--quiet=2"];
    check_assume_yes(
        ctx,
        sink,
        &["apt-get"],
        APT_VALUE_FLAGS,
        &["install"],
        &yes,
        Some("-y"),
        "Without `-y` the command waits for a confirmation that never comes and the build fails: add `-y`",
    );
}
