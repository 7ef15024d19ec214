//! IL3001: the ENTRYPOINT/CMD wrapper script (found in the build context) starts the program
//! without `exec`.

use std::path::{Path, PathBuf};

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::stages::stage_chain;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink, read_file_inside};
use crate::lint::rules::util::container_path_join as join;
use crate::lint::rules::util::{SHELL_BUILTINS, copy_sources, is_short_lived, starts_statement};
use crate::shell::{self, basename};

pub static RULE: Rule = Rule {
    code: "IL3001",
    name: "wrapper-script-without-exec",
    category: Category::MissingExec,
    severity: Severity::Warning,
    summary: "The entrypoint script should `exec` the long-running program",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL3001.md"),
    check,
};

/// Scripts larger than this are not read (an entrypoint script is a few KiB).
const MAX_SCRIPT_BYTES: u64 = 1 << 20;

/// The longest command name quoted from a script in a message.
const MAX_QUOTED_NAME: usize = 64;

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return;
    };
    let mut chain = stage_chain(df, last.index);
    chain.reverse();
    let indices: Vec<usize> = chain
        .iter()
        .flat_map(|&s| df.stages[s].instructions.clone())
        .collect();
    // ENTRYPOINT wins over CMD as what runs; check the one that is in force.
    let runner = indices
        .iter()
        .rev()
        .find(|&&i| df.instructions[i].keyword == Keyword::Entrypoint)
        .or_else(|| {
            indices
                .iter()
                .rev()
                .find(|&&i| df.instructions[i].keyword == Keyword::Cmd)
        });
    let Some(&runner) = runner else { return };
    let Some(script) = ctx.facts().script(runner) else {
        return;
    };
    let Some(first) = script.commands.first() else {
        return;
    };
    // An init (`tini --`, `dumb-init`) or privilege dropper (`gosu app`, `su-exec app`) in
    // front runs the script as its child: the script's shell still has to `exec`.
    let words: Vec<&crate::shell::Word> = std::iter::once(&first.name).chain(&first.args).collect();
    let mut at = 0;
    if INITS.contains(&first.program()) {
        at = 1 + first
            .args
            .iter()
            .take_while(|a| a.is_flag() || a.value == "--")
            .count();
        if matches!(first.program(), "gosu" | "su-exec") {
            at += 1; // the user
        }
    }
    let target = match words.get(at) {
        Some(w) if crate::shell::is_script_shell(crate::shell::basename(&w.value)) => {
            let rest = &words[at + 1..];
            if rest.iter().any(|a| a.value == "-c") {
                return;
            }
            match rest.iter().find(|a| !a.is_flag()) {
                Some(a) => *a,
                None => return,
            }
        }
        Some(w) => *w,
        // `ENTRYPOINT ["tini", "--"]`: what runs is the CMD.
        None => match cmd_target(ctx, &indices, runner) {
            Some(w) => w,
            None => return,
        },
    };
    if target.is_dynamic() || target.value.is_empty() {
        return;
    }
    let Some((body, file)) = find_script(ctx, &indices, runner, &target.value) else {
        return;
    };
    if !looks_like_shell_script(&target.value, &body) {
        return;
    }
    let parsed = shell::parse_str(&body);
    let Some(last_cmd) = parsed
        .commands
        .iter()
        .rev()
        .filter(|c| c.depth == 0)
        .find(|c| !c.is("exit"))
    else {
        return;
    };
    if last_cmd.is("exec") || is_short_lived(last_cmd.program()) {
        return;
    }
    // Only the command's name is quoted from the script, and only if it looks like one: the
    // script's text is not ours to print.
    let program = last_cmd.program();
    if program.is_empty()
        || program.len() > MAX_QUOTED_NAME
        || !program
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
    {
        return;
    }
    let fix = file
        .filter(|_| exec_can_be_added(&parsed, last_cmd, &body))
        .and_then(|path| add_exec(ctx, &path, last_cmd));
    sink.report_fix(
        target.span,
        format!(
            "{} ends by running `{program}` (line {}) without `exec`: the shell stays PID 1 and SIGTERM never reaches the program; write `exec {program} …`",
            target.value, last_cmd.name.span.start.line,
        ),
        fix,
    );
}

/// Whether `exec ` can go in front of `last`, the script's last command, without changing what
/// else the script does: it must be the last command of the whole script (not followed by a
/// loop, condition or `exit`), at top level, alone in its pipeline, not a shell builtin, and
/// written as its own word at the start of its statement (no `VAR=value` or `env` in front).
fn exec_can_be_added(script: &shell::Script, last: &shell::Command, body: &str) -> bool {
    let is_last = script
        .commands
        .last()
        .is_some_and(|c| std::ptr::eq(c, last));
    let statement_start = body
        .get(..last.name.span.start.offset)
        .is_some_and(|before| starts_statement(before, None));
    is_last
        && last.depth == 0
        && last.pipeline_len == 1
        && !last.in_shell_string
        && last.assignments.is_empty()
        && statement_start
        && !SHELL_BUILTINS.contains(&last.program())
}

/// The unsafe fix: `exec ` inserted before the last command of the script file `path` (in the
/// build context). Unsafe: the shell no longer runs anything after that command (an `EXIT` trap,
/// for one), and the program now receives the signals.
fn add_exec(ctx: &Context, path: &Path, last: &shell::Command) -> Option<Fix> {
    let context = ctx.build_context?;
    let relative = path.strip_prefix(context).ok()?.to_path_buf();
    let at = last.name.span.start;
    let span = crate::dockerfile::ast::Span::new(at, at);
    Some(Fix::unsafe_edits(vec![Edit::in_file(
        relative,
        path.display().to_string(),
        span,
        "exec ",
    )]))
}

/// Programs that start the real command as their child or replace themselves with it.
const INITS: &[&str] = &[
    "tini",
    "tini-static",
    "dumb-init",
    "catatonit",
    "gosu",
    "su-exec",
];

/// The first word of the CMD in force after `entrypoint` (for `ENTRYPOINT ["tini", "--"]`).
fn cmd_target<'c>(
    ctx: &'c Context,
    indices: &[usize],
    entrypoint: usize,
) -> Option<&'c crate::shell::Word> {
    let df = ctx.dockerfile;
    let cmd = indices
        .iter()
        .rev()
        .find(|&&i| df.instructions[i].keyword == Keyword::Cmd)
        .filter(|&&i| i != entrypoint)?;
    let script = ctx.facts().script(*cmd)?;
    script.commands.first().map(|c| &c.name)
}

fn looks_like_shell_script(path: &str, body: &str) -> bool {
    let first_line = body.lines().next().unwrap_or("");
    if let Some(shebang) = first_line.strip_prefix("#!") {
        let mut words = shebang.split_whitespace();
        let interp = words.next().map(basename).unwrap_or("");
        let interp = if interp == "env" {
            words.next().unwrap_or("")
        } else {
            interp
        };
        return crate::shell::is_script_shell(interp);
    }
    path.ends_with(".sh")
}

/// Finds the build-context file that the COPY/ADD instructions before `runner` placed at
/// `target`, and reads it: its text, and its path when it is a file of the build context.
/// Heredoc COPYs are read from the Dockerfile itself.
fn find_script(
    ctx: &Context,
    indices: &[usize],
    runner: usize,
    target: &str,
) -> Option<(String, Option<PathBuf>)> {
    let df = ctx.dockerfile;
    let mut workdir = String::from("/");
    let mut found: Option<Found> = None;
    for &i in indices.iter().filter(|&&i| i < runner) {
        let instr = &df.instructions[i];
        match instr.keyword {
            Keyword::Workdir => {
                if let Some(a) = instr.args.first() {
                    workdir = join(&workdir, &a.value);
                }
            }
            Keyword::Copy | Keyword::Add if instr.flag("from").is_none() => {
                if let Some(f) = match_copy(ctx, instr, &workdir, target) {
                    found = Some(f);
                }
            }
            _ => {}
        }
    }
    // The runner resolves a relative path against the WORKDIR in force when it runs.
    match found? {
        Found::Inline(body) => Some((body, None)),
        Found::File(path) => read_file_inside(ctx.build_context?, &path, MAX_SCRIPT_BYTES)
            .map(|body| (body, Some(path))),
    }
}

enum Found {
    File(PathBuf),
    Inline(String),
}

fn match_copy(ctx: &Context, instr: &Instruction, workdir: &str, target: &str) -> Option<Found> {
    let dest_arg = instr.args.last()?;
    let dest = join(workdir, &dest_arg.value);
    let target_path = if target.contains('/') {
        Some(join(workdir, target))
    } else {
        None // a bare name is looked up in PATH: match on the file name
    };
    let matches = |container_path: &str| match &target_path {
        Some(t) => t == container_path,
        None => basename(container_path) == target,
    };
    if let Some(heredoc) = instr.heredocs.first() {
        let file = if dest_arg.value.ends_with('/') {
            join(&dest, &heredoc.name)
        } else {
            dest.clone()
        };
        return matches(&file).then(|| Found::Inline(heredoc.body.value.clone()));
    }
    let context = ctx.build_context?;
    let sources = copy_sources(instr);
    let dest_is_dir = dest_arg.value.ends_with('/') || sources.len() > 1;
    let mut result = None;
    for src in sources {
        let src = src.value.as_str();
        if src.contains("://") || src.contains('$') || src.split('/').any(|c| c == "..") {
            continue;
        }
        let local = context_path(context, src);
        if local.is_dir() {
            let prefix = format!("{}/", dest.trim_end_matches('/'));
            let rest = match &target_path {
                Some(t) => t.strip_prefix(&prefix).map(str::to_string),
                None => Some(target.to_string()),
            };
            if let Some(rest) = rest {
                let candidate = local.join(rest);
                if candidate.is_file() {
                    result = Some(Found::File(candidate));
                }
            }
        } else {
            let file = if dest_is_dir {
                join(&dest, basename(src))
            } else {
                dest.clone()
            };
            if matches(&file) && local.is_file() {
                result = Some(Found::File(local));
            }
        }
    }
    result
}

fn context_path(context: &Path, src: &str) -> PathBuf {
    let trimmed = src.trim_start_matches("./").trim_start_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        context.to_path_buf()
    } else {
        context.join(trimmed)
    }
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joins_container_paths() {
        assert_eq!(join("/app", "./start.sh"), "/app/start.sh");
        assert_eq!(join("/app", "/x/y/"), "/x/y");
        assert_eq!(join("/", "a/../b"), "/b");
    }
}
