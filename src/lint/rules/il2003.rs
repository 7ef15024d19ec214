//! IL2003: system packages are installed after the whole context was copied.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_instructions;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::installs_system_packages;
use crate::lint::rules::util::copies_whole_context;

pub static RULE: Rule = Rule {
    code: "IL2003",
    name: "system-packages-after-copy",
    category: Category::CacheOrder,
    severity: Severity::Warning,
    summary: "Install system packages before copying the build context",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL2003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let mut copied_at = None;
        for (idx, instr) in stage_instructions(df, stage) {
            if copies_whole_context(instr) && copied_at.is_none() {
                copied_at = Some(instr.keyword_span.start.line);
            }
            let Some(line) = copied_at else { continue };
            if instr.keyword != Keyword::Run {
                continue;
            }
            let Some(script) = ctx.facts().script(idx) else {
                continue;
            };
            if let Some(cmd) = script.commands.iter().find(|c| installs_system_packages(c)) {
                sink.report(
                    cmd.span(),
                    format!(
                        "`{} {}` runs after the whole context is copied (line {line}): every source change reinstalls system packages. Move this RUN above the COPY",
                        cmd.program(),
                        cmd.subcommand(&[]).map(|w| w.value.as_str()).unwrap_or("install")
                    ),
                );
            }
        }
    }
}
