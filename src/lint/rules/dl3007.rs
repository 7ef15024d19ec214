//! DL3007: FROM image:latest.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::span_in;

pub static RULE: Rule = Rule {
    code: "DL3007",
    name: "latest-tag",
    category: Category::LatestTag,
    severity: Severity::Warning,
    summary: "Using latest is prone to errors if the image will ever update",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3007.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        if stage.parent_stage.is_some() || stage.image.digest.is_some() {
            continue;
        }
        if stage.image.tag.as_deref() != Some("latest") {
            continue;
        }
        let Some(arg) = df.instructions[stage.from_instruction].args.first() else {
            continue;
        };
        let span = if arg.value.ends_with(":latest") {
            let at = arg.value.len() - "latest".len();
            arg.span_of(at..arg.value.len())
        } else {
            span_in(arg, "latest")
        };
        sink.report(
            span,
            format!(
                "`{}` uses the moving `latest` tag: pin a release tag (or a digest) so builds are reproducible",
                stage.image.raw
            ),
        );
    }
}
