//! IL1003: `chown -R`/`chmod -R` on files an earlier COPY/ADD brought in.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_instructions;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::container_path_join as join;

pub static RULE: Rule = Rule {
    code: "IL1003",
    name: "recursive-chown-after-copy",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "Use COPY --chown/--chmod instead of chown -R/chmod -R in a later RUN",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL1003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let mut workdir = String::from("/");
        // Destinations of earlier COPY/ADD in this stage, with their line.
        let mut copied: Vec<(String, u32)> = Vec::new();
        for (idx, instr) in stage_instructions(df, stage) {
            match instr.keyword {
                Keyword::Workdir => {
                    if let Some(a) = instr.args.first() {
                        workdir = join(&workdir, &a.value);
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    if let Some(dest) = instr.args.last() {
                        if !dest.value.contains('$') && instr.args.len() >= 2 {
                            copied
                                .push((join(&workdir, &dest.value), instr.keyword_span.start.line));
                        }
                    }
                }
                Keyword::Run => {
                    let Some(script) = ctx.facts().script(idx) else {
                        continue;
                    };
                    let mut cwd_known = true;
                    for cmd in &script.commands {
                        if cmd.is("cd") {
                            cwd_known = false;
                        }
                        if !(cmd.is("chown") || cmd.is("chmod"))
                            || !cmd.has_flag(&["-R", "--recursive"])
                        {
                            continue;
                        }
                        // The first operand is the owner/mode; the rest are paths.
                        for path in cmd
                            .positionals(&["--reference", "--from"])
                            .into_iter()
                            .skip(1)
                        {
                            if path.is_dynamic() || (!path.value.starts_with('/') && !cwd_known) {
                                continue;
                            }
                            let target = join(&workdir, &path.value);
                            if target == "/" {
                                continue;
                            }
                            let hit = copied.iter().find(|(dest, _)| {
                                dest == &target
                                    || dest.starts_with(&format!("{target}/"))
                                    || target.starts_with(&format!("{dest}/"))
                            });
                            if let Some((dest, line)) = hit {
                                let flag = if cmd.is("chown") {
                                    "--chown"
                                } else {
                                    "--chmod"
                                };
                                sink.report(
                                    cmd.name.span.cover(path.span),
                                    format!(
                                        "`{} -R {}` rewrites every file copied to {dest} on line {line}, storing them all a second time in this layer: use `COPY {flag}=…` instead",
                                        cmd.program(),
                                        path.value
                                    ),
                                );
                                break;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
