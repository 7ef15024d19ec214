//! DL3019: `apk add` without `--no-cache`.

use crate::lint::fix::Applicability;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::insert_after_word;
use crate::lint::rules::packages::APK_VALUE_FLAGS;
use crate::lint::rules::util::{has_cache_mount, removes_any, runs};

pub static RULE: Rule = Rule {
    code: "DL3019",
    name: "apk-no-cache",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "Use the --no-cache switch to avoid the need to use --update and remove /var/cache/apk/*",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3019.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, instr, script) in runs(ctx) {
        if has_cache_mount(instr, &["/var/cache/apk"]) {
            continue;
        }
        let cleaned = script
            .commands
            .iter()
            .any(|c| removes_any(c, &["/var/cache/apk"]));
        for cmd in script.find("apk") {
            if cmd.subcommand_is(APK_VALUE_FLAGS, &["add"])
                && !cmd.has_flag(&["--no-cache"])
                && !cleaned
            {
                let message = "`apk add` keeps the package index in /var/cache/apk in this layer: use `apk add --no-cache`";
                let add = cmd.subcommand(APK_VALUE_FLAGS);
                let fix = add.and_then(|w| {
                    insert_after_word(ctx, cmd, w, "--no-cache", Applicability::Safe)
                });
                let at = add.map(|w| w.span).unwrap_or(cmd.name.span);
                sink.report_fix(at, message, fix);
            }
        }
    }
}
