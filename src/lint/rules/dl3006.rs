//! DL3006: FROM without a tag.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3006",
    name: "untagged-base-image",
    category: Category::LatestTag,
    severity: Severity::Warning,
    summary: "Always tag the version of an image explicitly",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3006.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let image = &stage.image;
        // An earlier stage, scratch, a digest, or an image name that is entirely a variable
        // (what it resolves to is the caller's choice) are not untagged images.
        if stage.parent_stage.is_some()
            || image.is_scratch()
            || image.digest.is_some()
            || image.tag.is_some()
            || image.unresolved
            || image.raw.starts_with('$')
            || image.repository.is_empty()
        {
            continue;
        }
        let Some(arg) = df.instructions[stage.from_instruction].args.first() else {
            continue;
        };
        sink.report(
            arg.span,
            format!(
                "Base image `{}` has no tag, so every build may get a different image: pin a version such as `{}:<version>`",
                image.raw, image.raw
            ),
        );
    }
}
