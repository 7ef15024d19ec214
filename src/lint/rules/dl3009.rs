//! DL3009: apt lists are left in the layer.

use crate::dockerfile::stages::final_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::append_to_run;
use crate::lint::rules::packages::APT_VALUE_FLAGS;
use crate::lint::rules::util::{has_cache_mount, removes_any, runs};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3009",
    name: "apt-lists-not-deleted",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "Delete the apt-get lists after installing something",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3009.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    // Only stages whose layers end up in the final image matter (as hadolint: the last stage and
    // stages it is built FROM).
    let keep = final_chain(ctx.dockerfile);
    for (idx, instr, script) in runs(ctx) {
        if !instr.stage.is_some_and(|s| keep.contains(&s)) {
            continue;
        }
        let Some(update) = script.commands.iter().find(|c| {
            (c.is("apt-get") || c.is("apt") || c.is("aptitude"))
                && c.subcommand_is(APT_VALUE_FLAGS, &["update"])
        }) else {
            continue;
        };
        // apt 2.7+ `apt-get dist-clean` removes the lists too (hadolint does not know it).
        let cleaned = script.commands.iter().any(|c| {
            removes_any(c, &["/var/lib/apt/lists"])
                || ((c.is("apt-get") || c.is("apt"))
                    && c.subcommand_is(APT_VALUE_FLAGS, &["dist-clean"]))
        });
        let cached = has_cache_mount(instr, &["/var/lib/apt/lists"])
            || (has_cache_mount(instr, &["/var/lib/apt"])
                && has_cache_mount(instr, &["/var/cache/apt"]));
        if !cleaned && !cached {
            let message = "Delete /var/lib/apt/lists in the same RUN as apt-get install (`&& rm -rf /var/lib/apt/lists/*`): a later deletion keeps the bytes in this layer";
            let fix = (!later_run_needs_lists(ctx, idx))
                .then(|| append_to_run(ctx, instr, script, "rm -rf /var/lib/apt/lists/*"))
                .flatten();
            sink.report_fix(update.span(), message, fix);
        }
    }
}

/// Whether a RUN after instruction `idx` runs apt without updating the lists itself: it relies
/// on the lists this RUN downloaded, so deleting them here would break it (the fix is then not
/// offered).
fn later_run_needs_lists(ctx: &Context, idx: usize) -> bool {
    let apt = |c: &Command| c.is("apt-get") || c.is("apt") || c.is("apt-cache") || c.is("aptitude");
    runs(ctx).filter(|(i, _, _)| *i > idx).any(|(_, _, later)| {
        later.commands.iter().any(apt)
            && !later
                .commands
                .iter()
                .any(|c| apt(c) && c.subcommand_is(APT_VALUE_FLAGS, &["update"]))
    })
}
