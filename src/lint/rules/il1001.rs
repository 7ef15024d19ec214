//! IL1001: a file created in one layer is removed in a later RUN.

use std::collections::BTreeMap;

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::dockerfile::stages::stage_chain;
use crate::lint::fix::Fix;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::{append_to_run, delete_lines, text_at};
use crate::lint::rules::packages::{
    APK_VALUE_FLAGS, APT_VALUE_FLAGS, installs_system_packages, is_pip_install,
};
use crate::lint::rules::util::container_path_join as join;
use crate::lint::rules::util::{copy_sources, has_cache_mount};
use crate::shell::{Command, Script, Word};

pub static RULE: Rule = Rule {
    code: "IL1001",
    name: "removed-in-later-layer",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "Files removed in a later RUN still take space in the layer that created them",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL1001.md"),
    check,
};

/// What created a path: the line of the creating instruction and a short description.
#[derive(Clone)]
struct Origin {
    line: u32,
    what: String,
    /// The RUN that created it (its instruction index); `None` for COPY/ADD.
    run: Option<usize>,
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        // Files created by a parent stage live in the parent's layers just the same.
        let mut chain = stage_chain(df, stage.index);
        chain.reverse();
        let mut created: BTreeMap<String, Origin> = BTreeMap::new();
        for &s in &chain {
            let mut workdir = String::from("/");
            for idx in df.stages[s].instructions.clone() {
                let instr = &df.instructions[idx];
                match instr.keyword {
                    Keyword::Workdir => {
                        if let Some(a) = instr.args.first() {
                            workdir = join(&workdir, &a.value);
                        }
                    }
                    Keyword::Copy | Keyword::Add => record_copy(instr, &workdir, &mut created),
                    Keyword::Run => {
                        let Some(script) = ctx.facts().script(idx) else {
                            continue;
                        };
                        let line = instr.keyword_span.start.line;
                        let mut this_run: BTreeMap<String, Origin> = BTreeMap::new();
                        let mut cwd_known = true;
                        for cmd in &script.commands {
                            if cmd.is("cd") {
                                cwd_known = false;
                            }
                            if cmd.is("rm") {
                                for w in cmd.positionals(&[]) {
                                    if w.is_dynamic() || (!w.value.starts_with('/') && !cwd_known) {
                                        continue;
                                    }
                                    let path = join(&workdir, &w.value);
                                    let pattern = path
                                        .trim_end_matches('*')
                                        .trim_end_matches('/')
                                        .to_string();
                                    if pattern.is_empty() {
                                        continue;
                                    }
                                    this_run.retain(|p, _| !covers(&pattern, p));
                                    if s != stage.index {
                                        created.retain(|p, _| !covers(&pattern, p));
                                        continue;
                                    }
                                    let hit = created
                                        .iter()
                                        .find(|(p, _)| covers(&pattern, p))
                                        .map(|(p, o)| (p.clone(), o.clone()));
                                    if let Some((p, origin)) = hit {
                                        let fix = origin.run.and_then(|creator| {
                                            move_rm(ctx, creator, instr, script, cmd, w)
                                        });
                                        sink.report_fix(
                                            w.span,
                                            format!(
                                                "{p} was added by {} on line {}; removing it in a later RUN does not shrink the image. Delete it in the same RUN that created it (or use a cache mount / multi-stage build)",
                                                origin.what, origin.line
                                            ),
                                            fix,
                                        );
                                        created.retain(|p, _| !covers(&pattern, p));
                                    }
                                }
                            }
                            for (path, what) in creations(cmd, &workdir, cwd_known) {
                                if !has_cache_mount(instr, &[path.as_str()]) {
                                    this_run.insert(
                                        path,
                                        Origin {
                                            line,
                                            what,
                                            run: Some(idx),
                                        },
                                    );
                                }
                            }
                        }
                        created.extend(this_run);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// `pattern` (a removed path, trailing `/*` stripped) removes `path`.
fn covers(pattern: &str, path: &str) -> bool {
    path == pattern || path.starts_with(&format!("{pattern}/"))
}

fn record_copy(instr: &Instruction, workdir: &str, created: &mut BTreeMap<String, Origin>) {
    let Some(dest) = instr.args.last() else {
        return;
    };
    let sources = copy_sources(instr);
    let kw = instr.keyword.as_str().to_ascii_uppercase();
    let line = instr.keyword_span.start.line;
    if dest.value.contains('$') || sources.is_empty() {
        return;
    }
    let dest_path = join(workdir, &dest.value);
    let into_dir = dest.value.ends_with('/') || sources.len() > 1;
    for src in sources {
        if src.value.contains('$') || src.value.contains('*') || src.value.ends_with('/') {
            continue;
        }
        let name = crate::shell::basename(src.value.trim_end_matches('/'));
        if name.is_empty() || name == "." {
            continue;
        }
        let path = if into_dir {
            join(&dest_path, name)
        } else {
            dest_path.clone()
        };
        created.insert(
            path,
            Origin {
                line,
                what: kw.clone(),
                run: None,
            },
        );
    }
}

/// Paths a command creates that are worth tracking (downloads, archives, caches).
fn creations(cmd: &Command, workdir: &str, cwd_known: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |p: &str, what: &str| {
        if p.is_empty() || p.contains('$') || p == "-" || p.starts_with("/dev/") {
            return;
        }
        if !p.starts_with('/') && !cwd_known {
            return;
        }
        out.push((join(workdir, p), what.to_string()));
    };
    match cmd.program() {
        "curl" => {
            if let Some(p) = cmd.flag_value(&["-o", "--output"]) {
                add(p, "curl");
            }
        }
        "wget" => {
            if let Some(p) = cmd.flag_value(&["-O", "--output-document"]) {
                add(p, "wget");
            } else if let Some(dir) = cmd.flag_value(&["-P", "--directory-prefix"]) {
                for url in cmd.positionals(&["-P", "--directory-prefix"]) {
                    let name = crate::shell::basename(url.value.split('?').next().unwrap_or(""));
                    if !name.is_empty() {
                        add(&format!("{}/{}", dir.trim_end_matches('/'), name), "wget");
                    }
                }
            }
        }
        "git" if cmd.subcommand_is(&["-C", "-c"], &["clone"]) => {
            let ops = cmd.operands(&["-C", "-c", "-b", "--branch", "--depth", "-o", "--origin"]);
            if let Some(dir) = ops.get(1) {
                add(&dir.value, "git clone");
            }
        }
        "apt-get" | "apt" if cmd.subcommand_is(APT_VALUE_FLAGS, &["update"]) => {
            add("/var/lib/apt/lists", "apt-get update")
        }
        "apk"
            if cmd.subcommand_is(APK_VALUE_FLAGS, &["update", "add"])
                && !cmd.has_flag(&["--no-cache"]) =>
        {
            add("/var/cache/apk", "apk")
        }
        "yum" if installs_system_packages(cmd) => add("/var/cache/yum", "yum"),
        "dnf" if installs_system_packages(cmd) => add("/var/cache/dnf", "dnf"),
        _ if is_pip_install(cmd) && !cmd.has_flag(&["--no-cache-dir"]) => {
            add("/root/.cache/pip", "pip install")
        }
        _ => {}
    }
    for target in &cmd.redirect_targets {
        add(&target.value, "a redirection");
    }
    out
}

/// A RUN that is only `rm [flags] /path` of something one earlier RUN of the same stage
/// created: the `rm` is appended to that RUN (`&& rm -rf /path`) and its own RUN deleted.
/// Unsafe: the instructions between the two may have used the file.
fn move_rm(
    ctx: &Context,
    creator: usize,
    rm_run: &Instruction,
    script: &Script,
    rm: &Command,
    path: &Word,
) -> Option<Fix> {
    let creating = ctx.dockerfile.instructions.get(creator)?;
    let alone = script.commands.len() == 1
        && rm.positionals(&[]).len() == 1
        && path.value.starts_with('/')
        && path.raw == path.value
        && rm.name.raw == "rm"
        && rm_run.flags.is_empty()
        && creating.stage == rm_run.stage;
    if !alone {
        return None;
    }
    let command = text_at(ctx, rm.span())?;
    let append = append_to_run(ctx, creating, ctx.facts().script(creator)?, command)?;
    let mut edits = append.edits;
    edits.push(delete_lines(ctx, rm_run)?);
    Some(Fix::unsafe_edits(edits))
}
