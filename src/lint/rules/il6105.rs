//! IL6105: FROM uses an ARG that is not declared before the first FROM.

use crate::dockerfile::stages::{PREDEFINED_ARGS, global_args_before};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::edit_distance;

pub static RULE: Rule = Rule {
    code: "IL6105",
    name: "undefined-arg-in-from",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "FROM uses an ARG that is not declared before the first FROM",
    aliases: &["UndefinedArgInFrom"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6105.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let from = &df.instructions[stage.from_instruction];
        let globals = global_args_before(df, stage.from_instruction);
        let mut words: Vec<&crate::dockerfile::ast::SourceText> =
            from.args.iter().take(1).collect();
        if let Some(v) = from.flag("platform").and_then(|f| f.value.as_ref()) {
            words.push(v);
        }
        for word in words {
            for name in crate::dockerfile::expand::referenced_variables(&word.value, df.escape) {
                if PREDEFINED_ARGS.contains(&name.as_str())
                    || globals.iter().any(|(n, _)| *n == name)
                    || ctx.settings.build_args.contains_key(&name)
                {
                    continue;
                }
                let suggestion = globals
                    .iter()
                    .map(|(n, _)| n)
                    .chain(
                        PREDEFINED_ARGS
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .iter(),
                    )
                    .min_by_key(|n| edit_distance(n, &name))
                    .filter(|n| edit_distance(n, &name) <= 2)
                    .cloned();
                let hint = suggestion
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                sink.report(crate::lint::rules::util::span_in(word, &name), format!("FROM argument '{name}' is not declared{hint}: declare `ARG {name}=…` before the first FROM"));
            }
        }
    }
}
