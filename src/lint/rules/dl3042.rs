//! DL3042: `pip install` keeps its download cache.

use crate::lint::fix::Applicability;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::insert_after_word;
use crate::lint::rules::packages::{is_pip_install, pip_args_start};
use crate::lint::rules::util::{env_is_set, has_cache_mount, runs};

pub static RULE: Rule = Rule {
    code: "DL3042",
    name: "pip-no-cache-dir",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3042.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (idx, instr, script) in runs(ctx) {
        if has_cache_mount(instr, &["/root/.cache/pip", "/root/.cache"]) {
            continue;
        }
        for cmd in script.commands.iter().filter(|c| is_pip_install(c)) {
            if cmd.has_flag(&["--no-cache-dir"]) {
                continue;
            }
            let truthy = |v: &str| {
                !matches!(
                    v.to_ascii_lowercase().as_str(),
                    "" | "0" | "false" | "no" | "off"
                )
            };
            let off =
                env_is_set(ctx, idx, Some(cmd), "PIP_NO_CACHE_DIR").is_some_and(|v| truthy(&v));
            let exported = script.commands.iter().any(|c| {
                c.is("export")
                    && c.args.iter().any(|a| {
                        a.value
                            .strip_prefix("PIP_NO_CACHE_DIR=")
                            .is_some_and(truthy)
                    })
            });
            if off || exported {
                continue;
            }
            let message = "pip keeps downloaded wheels in ~/.cache/pip in this layer: add `--no-cache-dir` (or set PIP_NO_CACHE_DIR=1, or use a cache mount)";
            let install = pip_args_start(cmd).and_then(|i| cmd.args.get(i - 1));
            let fix = install.and_then(|w| {
                insert_after_word(ctx, cmd, w, "--no-cache-dir", Applicability::Safe)
            });
            sink.report_fix(cmd.span(), message, fix);
        }
    }
}
