//! DL3029: Do not use --platform flag with FROM.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3029",
    name: "from-platform-flag",
    category: Category::Portability,
    severity: Severity::Warning,
    summary: "Do not use --platform flag with FROM",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3029.md"),
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
        if value.contains("BUILDPLATFORM")
            || value.contains("TARGETPLATFORM")
            || value.contains('$')
        {
            continue;
        }
        sink.report(flag.span, format!("`--platform={value}` pins the stage to one platform, so multi-platform builds silently emulate it: use $BUILDPLATFORM/$TARGETPLATFORM or drop the flag"));
    }
}
