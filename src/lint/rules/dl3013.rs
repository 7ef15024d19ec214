//! DL3013: Pin versions in pip.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{PIP_VALUE_FLAGS, PIPX_VALUE_FLAGS, pip_args_start};
use crate::lint::rules::util::run_commands;
use crate::shell::Command;

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
        let Some((start, value_flags)) = install_args(cmd) else {
            continue;
        };
        let mut skip = false;
        // Hashes or a constraints file pin every package of the command.
        let skip_all = cmd.args[start..]
            .iter()
            .any(|w| ["--require-hashes", "-c", "--constraint"].contains(&w.value.as_str()));
        for w in &cmd.args[start..] {
            if skip {
                skip = false;
                continue;
            }
            if w.is_flag() {
                // `-r file`/`-c file`/`-e path` name files, not packages; the rest of the
                // value flags take an argument we skip.
                if value_flags.contains(&w.value.as_str()) {
                    skip = true;
                }
                continue;
            }
            let v = &w.value;
            if let Some(url) = v.strip_prefix("git+") {
                // A VCS URL pins with `@<rev>` after the repository path.
                let path = url.rsplit('/').next().unwrap_or(url);
                if !path.contains('@') && !skip_all && !w.is_dynamic() {
                    sink.report(
                        w.span,
                        format!("Pin the revision of `{v}` (`…@<tag or commit>`)"),
                    );
                }
                continue;
            }
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

/// Where the package arguments of a `pip install` or `pipx install` start, and the options of
/// that tool that take a separate argument.
fn install_args(cmd: &Command) -> Option<(usize, &'static [&'static str])> {
    if cmd.is("pipx") {
        let install = cmd.args.iter().position(|a| !a.is_flag())?;
        return (cmd.args[install].value == "install").then_some((install + 1, PIPX_VALUE_FLAGS));
    }
    pip_args_start(cmd).map(|start| (start, PIP_VALUE_FLAGS))
}
