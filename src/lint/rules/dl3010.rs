//! DL3010: Use ADD for extracting archives into an image.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_instructions;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::copy_sources;

pub static RULE: Rule = Rule {
    code: "DL3010",
    name: "add-to-extract",
    category: Category::Maintainability,
    severity: Severity::Info,
    summary: "Use ADD for extracting archives into an image",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3010.md"),
    check,
};

fn is_tar_archive(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|ext| p.ends_with(ext))
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        // Archives copied from the build context in this stage: file name → the source word.
        let mut copied: Vec<(&str, &crate::dockerfile::ast::SourceText)> = Vec::new();
        for (idx, instr) in stage_instructions(df, stage) {
            match instr.keyword {
                Keyword::Copy if instr.flag("from").is_none() => {
                    for src in copy_sources(instr) {
                        if is_tar_archive(&src.value) && !src.value.contains('$') {
                            copied.push((crate::shell::basename(&src.value), src));
                        }
                    }
                }
                Keyword::Run => {
                    let Some(script) = ctx.facts().script(idx) else {
                        continue;
                    };
                    for cmd in script.commands.iter().filter(|c| c.is("tar")) {
                        let extracts = cmd.has_flag(&["-x", "--extract", "--get"])
                            || cmd.args.first().is_some_and(|a| {
                                !a.value.starts_with('-') && a.value.contains('x')
                            });
                        if !extracts {
                            continue;
                        }
                        for arg in &cmd.args {
                            let name = crate::shell::basename(&arg.value);
                            if let Some(pos) = copied.iter().position(|(n, _)| *n == name) {
                                let (_, src) = copied.remove(pos);
                                sink.report(src.span, format!("`{name}` is copied and then extracted with tar in a RUN (line {}), storing it twice: `ADD {name} <dir>` extracts it in one layer", cmd.name.span.start.line));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
