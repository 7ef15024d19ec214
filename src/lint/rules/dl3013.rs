//! DL3013: Pin versions in pip.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{PIP_VALUE_FLAGS, pip_args_start};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3013",
    name: "pip-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in pip",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3013.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        let Some(start) = pip_args_start(cmd) else {
            continue;
        };
        let mut skip = false;
        let mut skip_all = false;
        for w in &cmd.args[start..] {
            if skip {
                skip = false;
                continue;
            }
            if w.is_flag() {
                // `-r file`/`-c file`/`-e path` name files, not packages; the rest of the
                // value flags take an argument we skip.
                if PIP_VALUE_FLAGS.contains(&w.value.as_str()) {
                    skip = true;
                }
                if w.value == "--no-deps" || w.value == "--require-hashes" {
                    skip_all |= w.value == "--require-hashes";
                }
                continue;
            }
            let v = &w.value;
            let pinned = ["==", ">=", "<=", "~=", "!=", ">", "<", "@"]
                .iter()
                .any(|op| v.contains(op));
            let local = v == "."
                || v.contains('/')
                || v.ends_with(".whl")
                || v.ends_with(".tar.gz")
                || v.ends_with(".zip");
            if pinned || local || skip_all || w.is_dynamic() {
                continue;
            }
            sink.report(w.span, format!("Pin the version of `{v}` (`{v}==<version>`) or install from a requirements/constraints file"));
        }
    }
}
