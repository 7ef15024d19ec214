//! DL4006: Set the SHELL option -o pipefail before RUN with a pipe in it.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::runs;

pub static RULE: Rule = Rule {
    code: "DL4006",
    name: "pipefail",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Set the SHELL option -o pipefail before RUN with a pipe in it",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL4006.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let facts = ctx.facts();
    for (idx, instr, script) in runs(ctx) {
        if instr.is_exec_form() {
            continue;
        }
        let shell = facts.shells.get(idx).cloned().flatten();
        if let Some(shell) = &shell {
            // A non-POSIX SHELL (PowerShell, cmd) is out of scope; pipefail set in SHELL
            // counts only for shells that support it (not plain sh).
            if !crate::lint::rules::facts::is_posix_shell(shell) {
                continue;
            }
            let prog = crate::shell::basename(shell.first().map(|s| s.as_str()).unwrap_or(""));
            let has_pipefail = shell.windows(2).any(|w| w[0] == "-o" && w[1] == "pipefail")
                || shell
                    .iter()
                    .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains("opipefail"));
            if has_pipefail && crate::shell::shell_program(prog).is_some_and(|p| p.pipefail) {
                continue;
            }
        }
        let Some(first_piped) = script
            .commands
            .iter()
            .find(|c| c.pipeline_len > 1 && !c.in_shell_string)
        else {
            continue;
        };
        // `set -o pipefail` (or `set -euo pipefail`) earlier in the same RUN.
        let sets_it = script
            .commands
            .iter()
            .take_while(|c| !std::ptr::eq(*c, first_piped))
            .any(|c| {
                c.is("set")
                    && (c
                        .args
                        .windows(2)
                        .any(|w| w[0].value.ends_with('o') && w[1].value == "pipefail"))
            });
        if sets_it {
            continue;
        }
        sink.report(
            first_piped.span(),
            "Only the last command of a pipe decides the RUN's exit status, so a failing download is ignored: add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN",
        );
    }
}
