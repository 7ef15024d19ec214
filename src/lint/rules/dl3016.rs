//! DL3016: Pin versions in npm.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3016",
    name: "npm-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in npm",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3016.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("npm") || !cmd.subcommand_is(&[], &["install", "i", "add"]) {
            continue;
        }
        for pkg in cmd.operands(&[
            "--prefix",
            "--registry",
            "--cache",
            "-w",
            "--workspace",
            "--loglevel",
        ]) {
            let v = &pkg.value;
            // A git source pins with `#<tag, commit or semver range>`.
            if v.starts_with("git") {
                if !v.contains('#') && !pkg.is_dynamic() {
                    sink.report(
                        pkg.span,
                        format!("Pin the revision of `{v}` (`…#<tag or commit>`)"),
                    );
                }
                continue;
            }
            let name_part = v.strip_prefix('@').unwrap_or(v);
            let pinned = name_part.contains('@') || v.contains('#');
            let local = v.starts_with('.')
                || v.starts_with('/')
                || v.starts_with("~/")
                || v.ends_with(".tgz")
                || v.ends_with(".tar")
                || v.ends_with(".tar.gz")
                || v.contains("://")
                || v.starts_with("file:");
            if pinned || local || pkg.is_dynamic() {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}@<version>`)"),
            );
        }
    }
}
