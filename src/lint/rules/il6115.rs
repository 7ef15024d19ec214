//! IL6115: BuildKit's FromPlatformFlagConstDisallowed.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL6115",
    name: "buildkit-from-platform-flag-const",
    category: Category::Portability,
    severity: Severity::Warning,
    summary: "FROM --platform flag should not use a constant value",
    aliases: &["FromPlatformFlagConstDisallowed"],
    opt_in: true,
    doc: include_str!("../../../rules/IL6115.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let from = &df.instructions[stage.from_instruction];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        let value = flag.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
        // A variable makes it no constant; an unparsable value fails the build anyway.
        if value.is_empty() || value.contains('$') {
            continue;
        }
        let mut parts = value.split('/');
        let os = parts.next().unwrap_or("");
        let arch = parts.next().unwrap_or("");
        // BuildKit accepts a constant when the stage name says which platform it is for
        // (`AS build_amd64`).
        let name = stage.name.as_deref().unwrap_or("");
        if (!os.is_empty() && name.contains(os)) || (!arch.is_empty() && name.contains(arch)) {
            continue;
        }
        sink.report(
            flag.span,
            format!("FROM --platform flag should not use constant value \"{value}\""),
        );
    }
}
