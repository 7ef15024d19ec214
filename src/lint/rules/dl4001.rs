//! DL4001: Either use Wget or Curl but not both.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL4001",
    name: "wget-and-curl",
    category: Category::Maintainability,
    severity: Severity::Warning,
    summary: "Either use Wget or Curl but not both",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL4001.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    // Per stage, as hadolint: each stage is its own image with its own tools.
    let uses: Vec<_> = run_commands(ctx)
        .filter(|(_, _, c)| c.is("wget") || c.is("curl"))
        .map(|(_, instr, c)| (instr.stage, c))
        .collect();
    let mut first_of_stage: std::collections::HashMap<Option<usize>, &str> =
        std::collections::HashMap::new();
    for (stage, cmd) in &uses {
        let first_tool = *first_of_stage.entry(*stage).or_insert(cmd.program());
        if cmd.program() != first_tool {
            sink.report(
                cmd.name.span,
                format!("Both wget and curl are used: use `{first_tool}` everywhere so the image needs only one of them"),
            );
        }
    }
}
