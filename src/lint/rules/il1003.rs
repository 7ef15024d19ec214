//! IL1003: `chown -R`/`chmod -R` on files an earlier COPY/ADD brought in.

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::stages::stage_instructions;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::delete_lines;
use crate::lint::rules::util::container_path_join as join;
use crate::shell::Script;

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
        // The instruction before this one and, for a COPY, its destination.
        let mut previous: Option<(&Instruction, String)> = None;
        for (idx, instr) in stage_instructions(df, stage) {
            let before = previous.take();
            previous = Some((instr, String::new()));
            match instr.keyword {
                Keyword::Workdir => {
                    if let Some(a) = instr.args.first() {
                        workdir = join(&workdir, &a.value);
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    if let Some(dest) = instr.args.last()
                        && !dest.value.contains('$')
                        && instr.args.len() >= 2
                    {
                        let joined = join(&workdir, &dest.value);
                        copied.push((joined.clone(), instr.keyword_span.start.line));
                        previous = Some((instr, joined));
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
                                let fix = before.as_ref().and_then(|(copy, dest)| {
                                    ownership_fix(ctx, copy, dest, instr, script, &target)
                                });
                                sink.report_fix(
                                    cmd.name.span.cover(path.span),
                                    format!(
                                        "`{} -R {}` rewrites every file copied to {dest} on line {line}, storing them all a second time in this layer: use `COPY {flag}=…` instead",
                                        cmd.program(),
                                        path.value
                                    ),
                                    fix,
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

/// `COPY src /app` then `RUN chown -R u:g /app` → `COPY --chown=u:g src /app` (and `chmod -R
/// 755 /app` → `COPY --chmod=755`), the RUN deleted: only when the RUN is that one command,
/// right after the COPY (not ADD, no `--chown` or `--chmod` yet, no heredoc), on the COPY's
/// destination; a mode only when it is octal (BuildKit's `--chmod` takes no symbolic modes).
/// Unsafe: the RUN also changed files that were in the directory before the COPY, which the
/// flag leaves as they were.
fn ownership_fix(
    ctx: &Context,
    copy: &Instruction,
    dest: &str,
    run: &Instruction,
    script: &Script,
    target: &str,
) -> Option<Fix> {
    let [cmd] = script.commands.as_slice() else {
        return None;
    };
    let (program, flag) = if cmd.is("chown") {
        ("chown", "--chown")
    } else {
        ("chmod", "--chmod")
    };
    let operand = cmd.args.iter().find(|a| !a.is_flag())?;
    let operand_ok = !operand.is_dynamic()
        && operand.raw == operand.value
        && match program {
            "chown" => !operand.value.contains('.'),
            _ => {
                (3..=4).contains(&operand.value.len())
                    && operand.value.bytes().all(|b| (b'0'..=b'7').contains(&b))
            }
        };
    let simple = cmd.name.raw == program
        && cmd.args.len() == 3
        && cmd
            .args
            .iter()
            .filter(|a| a.is_flag())
            .all(|a| a.value == "-R")
        && operand_ok;
    let copy_is_plain = copy.keyword == Keyword::Copy
        && copy.heredocs.is_empty()
        && copy.flag("chown").is_none()
        && copy.flag("chmod").is_none()
        && copy.stage == run.stage;
    if !simple || !copy_is_plain || dest != target || !run.inner_comments.is_empty() {
        return None;
    }
    Some(Fix::unsafe_edits(vec![
        Edit::insert(
            copy.keyword_span.end.offset,
            format!(" {flag}={}", operand.value),
        ),
        delete_lines(ctx, run)?,
    ]))
}
