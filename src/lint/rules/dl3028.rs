//! DL3028: Pin versions in gem install.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3028",
    name: "gem-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in gem install",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3028.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("gem")
            || !cmd.subcommand_is(&[], &["install", "i"])
            || cmd.has_flag(&["-v", "--version"])
        {
            continue;
        }
        for pkg in cmd.operands(&[
            "-v",
            "--version",
            "-s",
            "--source",
            "-i",
            "--install-dir",
            "-n",
            "--bindir",
            "--platform",
        ]) {
            // After `--` come the gem's build options, not gems.
            let end_of_gems = cmd.args.iter().position(|a| a.value == "--");
            if end_of_gems.is_some_and(|end| cmd.args[end].span.start <= pkg.span.start) {
                break;
            }
            let v = &pkg.value;
            if v.contains(':') || v.ends_with(".gem") || v.contains('/') || pkg.is_dynamic() {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}:<version>` or `-v <version>`)"),
            );
        }
    }
}
