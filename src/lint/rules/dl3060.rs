//! DL3060: yarn cache clean missing after yarn install was run.

use crate::dockerfile::stages::final_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_cache_cleanup;
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3060",
    name: "yarn-cache-clean",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "yarn cache clean missing after yarn install was run",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3060.md"),
    check,
};

fn is_install(cmd: &Command) -> bool {
    cmd.is("yarn")
        && ((cmd.subcommand(&[]).is_none() && !cmd.has_flag(&["--version", "-v", "--help", "-h"]))
            || cmd.subcommand_is(&[], &["install", "add"]))
}

fn is_cleanup(cmd: &Command) -> bool {
    cmd.is("yarn")
        && cmd
            .positionals(&[])
            .iter()
            .map(|w| w.value.as_str())
            .take(2)
            .eq(["cache", "clean"])
}

fn check(ctx: &Context, sink: &mut Sink) {
    let mut all = Sink::default();
    check_cache_cleanup(
        ctx,
        &mut all,
        is_install,
        is_cleanup,
        &[
            "/usr/local/share/.cache/yarn",
            "/root/.cache/yarn",
            "/root/.yarn",
        ],
        None,
        "yarn keeps every downloaded package in its cache in this layer: end the RUN with `yarn cache clean` (or use a cache mount)",
    );
    // As hadolint: only the stages the final image is built from keep the cache.
    let keep = final_chain(ctx.dockerfile);
    let instructions = &ctx.dockerfile.instructions;
    let in_final_image = |offset: usize| {
        // Instructions are in file order: the last one starting at or before the offset.
        let after = instructions.partition_point(|i| i.span.start.offset <= offset);
        after
            .checked_sub(1)
            .and_then(|i| instructions[i].stage)
            .is_some_and(|stage| keep.contains(&stage))
    };
    sink.diagnostics.extend(
        all.diagnostics
            .into_iter()
            .filter(|d| in_final_image(d.span.start.offset)),
    );
}
