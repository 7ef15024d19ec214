//! DL3022: COPY --from should reference a previously defined FROM alias.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3022",
    name: "copy-from-unknown-stage",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "COPY --from should reference a previously defined FROM alias",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3022.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for (idx, instr) in df.instructions.iter().enumerate() {
        if instr.keyword != Keyword::Copy {
            continue;
        }
        let Some(flag) = instr.flag("from") else {
            continue;
        };
        let value = flag.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
        // An image reference (`nginx:1.27`, `ghcr.io/x/y`) or a variable is fine.
        if value.is_empty()
            || value.contains(':')
            || value.contains('/')
            || value.contains('$')
            || value.contains('@')
        {
            continue;
        }
        let earlier = df.stages.iter().any(|s| {
            s.from_instruction < idx
                && (s.name.as_deref() == Some(value.to_ascii_lowercase().as_str())
                    || value.parse::<usize>() == Ok(s.index))
        });
        if !earlier {
            sink.report(flag.span, format!("`--from={value}` names no earlier stage: it will be pulled as an image. Define `FROM … AS {value}` above, or write the full image reference"));
        }
    }
}
