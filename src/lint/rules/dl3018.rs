//! DL3018: Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::APK_VALUE_FLAGS;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3018",
    name: "apk-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3018.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("apk") || !cmd.subcommand_is(APK_VALUE_FLAGS, &["add"]) {
            continue;
        }
        for pkg in cmd.operands(APK_VALUE_FLAGS) {
            let v = &pkg.value;
            if v.contains('=')
                || v.contains('>')
                || v.contains('<')
                || v.contains('~')
                || v.ends_with(".apk")
                || v.contains('/')
                || pkg.is_dynamic()
            {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}=<version>`)"),
            );
        }
    }
}
