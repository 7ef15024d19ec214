//! IL6109: A global ARG default makes the FROM image name empty or invalid.

use crate::dockerfile::stages::global_args_before;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6109",
    name: "invalid-default-arg-in-from",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "A global ARG default makes the FROM image name empty or invalid",
    aliases: &["InvalidDefaultArgInFrom"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6109.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let from = &df.instructions[stage.from_instruction];
        let Some(arg) = from.args.first() else {
            continue;
        };
        if !arg.value.contains('$') {
            continue;
        }
        let globals = global_args_before(df, stage.from_instruction);
        let names = crate::dockerfile::expand::referenced_variables(&arg.value, df.escape);
        // Expand with the defaults only (build arguments given on the command line count):
        // an ARG without default is empty, as BuildKit evaluates it. Defaults that themselves
        // use variables are not judged.
        let mut values = std::collections::HashMap::new();
        let mut judgeable = true;
        for name in &names {
            let value = ctx.settings.build_args.get(name).cloned().or_else(|| {
                globals
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone().unwrap_or_default())
            });
            match value {
                Some(v) if v.contains('$') => judgeable = false,
                Some(v) => {
                    values.insert(name.clone(), v);
                }
                // Undeclared or predefined: other rules' concern.
                None => judgeable = false,
            }
        }
        if !judgeable {
            continue;
        }
        let lookup = |name: &str| values.get(name).cloned();
        let Ok(expanded) = crate::dockerfile::expand::expand(&arg.value, df.escape, &lookup) else {
            continue;
        };
        let v = expanded.value.trim();
        let invalid = v.is_empty()
            || v.ends_with(':')
            || v.ends_with('@')
            || v.starts_with(':')
            || v.starts_with('/')
            || v.contains("//")
            || v.chars().any(char::is_whitespace)
            || repository(v).chars().any(char::is_uppercase);
        if invalid {
            sink.report(arg.span, format!("Default value for ARG {} results in empty or invalid base image name `{v}`: give the ARG a default that forms a valid reference", names.join(", ")));
        }
    }
}

/// The repository part of a reference (no tag, no digest): it must be lower-case.
fn repository(reference: &str) -> &str {
    let no_digest = reference.split('@').next().unwrap_or(reference);
    match (no_digest.rfind(':'), no_digest.rfind('/')) {
        (Some(colon), Some(slash)) if colon > slash => &no_digest[..colon],
        (Some(colon), None) => &no_digest[..colon],
        _ => no_digest,
    }
}
