//! DL3059: several consecutive RUN instructions.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3059",
    name: "consecutive-run",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "Multiple consecutive RUN instructions. Consider consolidation",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3059.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    // As hadolint: RUNs with different flags, or either running several commands already (the
    // author split them deliberately), do not count.
    let mut previous: Option<(usize, usize)> = None; // (instruction index, command count)
    for (idx, instr) in df.instructions.iter().enumerate() {
        if instr.keyword != Keyword::Run {
            previous = None;
            continue;
        }
        let count = ctx
            .facts()
            .script(idx)
            .map(|s| s.commands.len())
            .unwrap_or(usize::MAX);
        if let Some((prev, prev_count)) = previous {
            let same_flags = flags_of(&df.instructions[prev]) == flags_of(instr);
            let same_stage = df.instructions[prev].stage == instr.stage;
            if same_flags && same_stage && count <= 1 && prev_count <= 1 {
                sink.report(
                    instr.keyword_span,
                    "Consecutive RUN instructions each add a layer: join them with `&&` in one RUN",
                );
            }
        }
        previous = Some((idx, count));
    }
}

fn flags_of(instr: &crate::dockerfile::ast::Instruction) -> Vec<(String, Option<String>)> {
    instr
        .flags
        .iter()
        .map(|f| (f.name.clone(), f.value.as_ref().map(|v| v.value.clone())))
        .collect()
}
