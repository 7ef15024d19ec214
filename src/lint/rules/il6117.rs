//! IL6117: BuildKit's InvalidBaseImagePlatform, for what a linter can know: a stage built FROM
//! another stage of the file with a constant `--platform` that contradicts the parent's.

use crate::dockerfile::ast::Stage;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6117",
    name: "invalid-base-image-platform",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Base image platform does not match the expected target platform",
    aliases: &["InvalidBaseImagePlatform"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6117.md"),
    check,
};

/// A stage's `--platform` as (os, architecture) when it is a constant.
fn constant_platform(ctx: &Context, stage: &Stage) -> Option<(String, String)> {
    let from = &ctx.dockerfile.instructions[stage.from_instruction];
    let value = from
        .flag("platform")?
        .value
        .as_ref()?
        .value
        .to_ascii_lowercase();
    if value.contains('$') {
        return None;
    }
    let mut parts = value.split('/');
    let os = parts.next()?.to_string();
    let arch = parts.next()?.to_string();
    Some((os, arch))
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let Some(parent) = stage.parent_stage.and_then(|p| df.stages.get(p)) else {
            continue;
        };
        let (Some(wanted), Some(actual)) = (
            constant_platform(ctx, stage),
            constant_platform(ctx, parent),
        ) else {
            continue;
        };
        if wanted != actual {
            let name = parent.name.as_deref().unwrap_or("");
            sink.report(
                df.instructions[stage.from_instruction].span,
                format!(
                    "Base image {name} was pulled with platform \"{}/{}\", expected \"{}/{}\" for current build",
                    actual.0, actual.1, wanted.0, wanted.1
                ),
            );
        }
    }
}
