//! IL5004: a downloaded script is piped straight into a shell.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::runs;

pub static RULE: Rule = Rule {
    code: "IL5004",
    name: "pipe-download-to-shell",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not pipe a downloaded script into a shell",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5004.md"),
    check,
};

/// Interpreters besides the shells that run a script piped into them.
const INTERPRETERS: &[&str] = &["python", "python3", "perl", "ruby", "node"];

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, script) in runs(ctx) {
        for cmd in &script.commands {
            if crate::shell::shell_program(cmd.program()).is_none()
                && !INTERPRETERS.contains(&cmd.program())
            {
                continue;
            }
            let downloads_in_pipe = cmd.pipeline_len > 1
                && script
                    .pipeline(cmd.pipeline)
                    .take_while(|c| !std::ptr::eq(*c, cmd))
                    .any(|c| c.is("curl") || c.is("wget"));
            // A script file argument means the shell does not read the piped text.
            let reads_stdin = cmd.positionals(&["-o", "-c"]).is_empty()
                || cmd.args.iter().any(|a| a.value == "-s" || a.value == "-");
            // `sh -c "$(curl …)"`.
            let substitutes = cmd.args.iter().any(|a| {
                let r = a.raw.replace(' ', "");
                r.contains("$(curl")
                    || r.contains("$(wget")
                    || r.contains("`curl")
                    || r.contains("`wget")
            });
            if (downloads_in_pipe && reads_stdin) || substitutes {
                sink.report(
                    cmd.name.span,
                    "A downloaded script runs unverified: a compromised or truncated download executes as-is. Download to a file, verify its checksum (`sha256sum -c`), then run it",
                );
            }
        }
    }
}
