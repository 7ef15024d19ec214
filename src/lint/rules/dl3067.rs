//! DL3067: `COPY --from=stage / /` copies a whole filesystem.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::copy_sources;

pub static RULE: Rule = Rule {
    code: "DL3067",
    name: "copy-whole-filesystem",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "Do not copy the whole filesystem of another stage",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3067.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Copy || instr.flag("from").is_none() {
            continue;
        }
        // A stage `FROM scratch` holds only what was put there on purpose (an artifact stage):
        // copying all of it is the normal way to export it.
        let from = instr.flag_value("from").unwrap_or("");
        if ctx
            .dockerfile
            .stage_by_ref(from)
            .is_some_and(|s| s.image.is_scratch())
        {
            continue;
        }
        if let Some(src) = copy_sources(instr)
            .iter()
            .find(|s| matches!(s.value.trim_matches(['"', '\'']), "/" | "/." | "/*"))
        {
            sink.report(
                src.span,
                "Copying `/` of another stage duplicates its entire filesystem (package databases, caches, shells) into one layer: copy only the paths you need",
            );
        }
    }
}
