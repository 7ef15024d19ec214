//! DL3034: Use the `-n`/`-y` switch to avoid manual input `zypper install -y <package>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{ZYPPER_VALUE_FLAGS, check_assume_yes};

pub static RULE: Rule = Rule {
    code: "DL3034",
    name: "zypper-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Use the `-n`/`-y` switch to avoid manual input `zypper install -y <package>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3034.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    check_assume_yes(
        ctx,
        sink,
        &["zypper"],
        ZYPPER_VALUE_FLAGS,
        &[
            "install",
            "in",
            "remove",
            "rm",
            "source-install",
            "si",
            "patch",
        ],
        &["-y", "-n", "--non-interactive", "--no-confirm"],
        None,
        "Without `-n`/`-y` the command waits for a confirmation that never comes and the build fails: add `-n`/`-y`",
    );
}
