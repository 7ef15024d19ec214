//! IL6001: a process supervisor runs several services in one container.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::final_chain;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::system_packages;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "IL6001",
    name: "process-supervisor",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "One service per container: avoid supervisord, s6 or runit",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL6001.md"),
    check,
};

const SUPERVISORS: &[&str] = &[
    "supervisord",
    "s6-svscan",
    "runsvdir",
    "runit",
    "s6-overlay-suexec",
    "circusd",
];
const PACKAGES: &[&str] = &["supervisor", "s6", "s6-overlay", "runit", "circus"];
const MESSAGE: &str = "A process supervisor runs several services in one container: the orchestrator cannot restart, scale or health-check them separately. Run one service per container";

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let keep = final_chain(df);
    let mut reported = false;
    for (idx, instr) in df.instructions.iter().enumerate() {
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint)
            || !instr.stage.is_some_and(|s| keep.contains(&s))
        {
            continue;
        }
        let Some(script) = ctx.facts().script(idx) else {
            continue;
        };
        if let Some(cmd) = script
            .commands
            .iter()
            .find(|c| SUPERVISORS.contains(&c.program()))
        {
            sink.report(cmd.name.span, MESSAGE);
            reported = true;
        }
    }
    if reported {
        return;
    }
    for (_, instr, cmd) in run_commands(ctx) {
        if !instr.stage.is_some_and(|s| keep.contains(&s)) {
            continue;
        }
        let install = system_packages(cmd)
            .into_iter()
            .chain(if crate::lint::rules::packages::is_pip_install(cmd) {
                cmd.positionals(&[])
            } else {
                Vec::new()
            })
            .find(|p| PACKAGES.contains(&p.value.split(['=', '<', '>']).next().unwrap_or("")));
        if let Some(pkg) = install {
            sink.report(pkg.span, MESSAGE);
        }
    }
}
