//! DL3047: Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3047",
    name: "wget-progress",
    category: Category::Style,
    severity: Severity::Info,
    summary: "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3047.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("wget") {
            continue;
        }
        let quiet = cmd.has_flag(&[
            "-q",
            "--quiet",
            "-nv",
            "--no-verbose",
            "-o",
            "--output-file",
            "-a",
            "--append-output",
            "--progress",
        ]);
        if !quiet {
            sink.report(cmd.name.span, "wget's progress bar floods the build log: add `--progress=dot:giga` (or `-q`/`-nv`)");
        }
    }
}
