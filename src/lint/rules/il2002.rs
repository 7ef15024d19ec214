//! IL2002: `apt-get update` in a RUN of its own.

use crate::dockerfile::ast::{Form, Instruction, Keyword};
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::{delete_lines, text_at};
use crate::lint::rules::packages::{APK_VALUE_FLAGS, APT_VALUE_FLAGS};
use crate::lint::rules::util::runs;
use crate::shell::Script;

pub static RULE: Rule = Rule {
    code: "IL2002",
    name: "package-index-update-alone",
    category: Category::CacheOrder,
    severity: Severity::Warning,
    summary: "Update the package index in the same RUN as the install",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL2002.md"),
    check,
};

/// `RUN apt-get update` alone, right before a RUN that installs with the same program: the
/// update moves to the front of that RUN (`RUN apt-get update && apt-get install …`) and its own
/// RUN goes. Unsafe: the install RUN's cache key changes, and between the two RUNs nothing else
/// may have relied on the fresh index. Only for one-line shell-form RUNs without flags.
fn merge_fix(ctx: &Context, idx: usize, run: &Instruction, script: &Script) -> Option<Fix> {
    let df = ctx.dockerfile;
    let [update] = script.commands.as_slice() else {
        return None;
    };
    let next = df.instructions.get(idx + 1)?;
    let next_script = ctx.facts().script(idx + 1)?;
    let plain = |i: &Instruction| {
        i.keyword == Keyword::Run
            && i.form == Form::Shell
            && i.flags.is_empty()
            && i.heredocs.is_empty()
            && i.stage == run.stage
    };
    let same_program = next_script
        .commands
        .iter()
        .any(|c| c.program() == update.program() && c.depth == 0);
    let update_text = text_at(ctx, update.span())?;
    if !plain(run)
        || !plain(next)
        || !same_program
        || run.span.start.line != run.span.end.line
        || update.in_shell_string
    {
        return None;
    }
    let body = next.args.first()?;
    Some(Fix::unsafe_edits(vec![
        delete_lines(ctx, run)?,
        Edit::insert(body.span.start.offset, format!("{update_text} && ")),
    ]))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for (idx, instr, script) in runs(ctx) {
        let updates = script.commands.iter().find(|c| {
            (c.is("apt-get") || c.is("apt")) && c.subcommand_is(APT_VALUE_FLAGS, &["update"])
                || c.is("apk") && c.subcommand_is(APK_VALUE_FLAGS, &["update"])
        });
        let Some(update) = updates else { continue };
        let installs = script.commands.iter().any(|c| {
            (c.is("apt-get") || c.is("apt") || c.is("aptitude"))
                && c.subcommand_is(
                    APT_VALUE_FLAGS,
                    &["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"],
                )
                || c.is("apk") && c.subcommand_is(APK_VALUE_FLAGS, &["add", "upgrade", "fetch"])
                // Scripts and other tools that install (e.g. `xargs apt-get install`, helper scripts).
                || c.args.iter().any(|a| a.value == "install" || a.value == "add")
        });
        if !installs {
            sink.report_fix(
                update.span(),
                format!(
                    "`{}` alone is cached as a layer and goes stale: later installs use an old index and fail or get old packages. Run it in the same RUN as the install (`{} update && {} install …`)",
                    update.text(),
                    update.program(),
                    update.program()
                ),
                merge_fix(ctx, idx, instr, script),
            );
        }
    }
}
