//! Small queries over the syntax tree that many rules share.

use crate::dockerfile::ast::{Flag, Instruction, Keyword};
use crate::dockerfile::stages::stage_chain;
use crate::lint::rule::{Context, Sink};
use crate::lint::rules::facts::onbuild_run;
use crate::shell::Command;

/// Every RUN of the file (`ONBUILD RUN` triggers included, as the inner RUN) with its parsed
/// commands: `(instruction index, instruction, command)`.
pub fn run_commands<'c>(
    ctx: &'c Context,
) -> impl Iterator<Item = (usize, &'c Instruction, &'c Command)> + 'c {
    runs(ctx).flat_map(|(idx, i, s)| s.commands.iter().map(move |c| (idx, i, c)))
}

/// RUN instructions (`ONBUILD RUN` triggers included, as the inner RUN) with their script:
/// `(index, instruction, script)`.
pub fn runs<'c>(
    ctx: &'c Context,
) -> impl Iterator<Item = (usize, &'c Instruction, &'c crate::shell::Script)> + 'c {
    ctx.dockerfile
        .instructions
        .iter()
        .enumerate()
        .filter_map(|(idx, i)| onbuild_run(i).map(|run| (idx, run)))
        .filter_map(move |(idx, i)| ctx.facts().script(idx).map(|s| (idx, i, s)))
}

/// Shell builtins that exist only inside the shell: as the program of an exec-form command
/// they would not be found, and `exec` cannot replace the shell with them.
pub const SHELL_BUILTINS: &[&str] = &[
    "exec", "cd", "export", "source", ".", "set", "unset", "ulimit", "umask", "trap", "eval",
    "alias", "shift", "read", "exit", "return", "wait", "command", "type", "hash", "local",
    "readonly",
];

/// Last commands of a script or a `sh -c` string that start no long-running program (builtins,
/// `sleep`): `exec` in front of them gains nothing, so the exec rules (IL3001, IL3002) leave them
/// alone.
pub fn is_short_lived(program: &str) -> bool {
    [
        "exit", "wait", "true", "false", ":", "echo", "printf", "set", "export", "cd", "return",
        "trap", "shift", "unset", "source", ".", "test", "[", "sleep",
    ]
    .contains(&program)
}

/// Whether a command whose name comes right after `before` (the text in front of it) is the
/// first word of its statement, so `exec ` can be written in front of it: on its line `before`
/// is blank or ends with `;`, `&&`, `||`, or `opener` (the quote opening a `sh -c` string).
pub fn starts_statement(before: &str, opener: Option<char>) -> bool {
    let before = before.rsplit('\n').next().unwrap_or("").trim_end();
    before.is_empty()
        || before.ends_with(';')
        || before.ends_with("&&")
        || before.ends_with("||")
        || opener.is_some_and(|quote| before.ends_with(quote))
}

/// The `--mount` flags of a RUN, as key→value maps (`type=cache,target=/x`).
pub fn mounts(instr: &Instruction) -> Vec<Vec<(String, String)>> {
    instr
        .flags
        .iter()
        .filter(|f| f.name == "mount" && f.value.is_some())
        .map(mount_options)
        .collect()
}

/// One `--mount` flag's options as key→value pairs (keys lower-cased); empty without a value.
pub fn mount_options(flag: &Flag) -> Vec<(String, String)> {
    let Some(value) = &flag.value else {
        return Vec::new();
    };
    value
        .value
        .split(',')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
            None => (kv.trim().to_ascii_lowercase(), String::new()),
        })
        .collect()
}

/// Whether a `--mount=type=cache` (or tmpfs) of this RUN covers one of `paths` (a mount target
/// equal to, or a parent of, the path).
pub fn has_cache_mount(instr: &Instruction, paths: &[&str]) -> bool {
    mounts(instr).iter().any(|m| {
        let kind = m
            .iter()
            .find(|(k, _)| k == "type")
            .map(|(_, v)| v.as_str())
            .unwrap_or("bind");
        let target = m
            .iter()
            .find(|(k, _)| k == "target" || k == "dst" || k == "destination")
            .map(|(_, v)| v.trim_end_matches('/'));
        (kind == "cache" || kind == "tmpfs")
            && target.is_some_and(|t| {
                paths.iter().any(|p| {
                    let p = p.trim_end_matches('/');
                    p == t || p.starts_with(&format!("{t}/")) || t.starts_with(&format!("{p}/"))
                })
            })
    })
}

/// The user part of a USER value (`app:app` → `app`).
pub fn user_name(instr: &Instruction) -> &str {
    let v = instr.args.first().map(|a| a.value.as_str()).unwrap_or("");
    v.split(':').next().unwrap_or(v)
}

pub fn is_root_user(user: &str) -> bool {
    user == "root" || user == "0"
}

/// Whether a COPY/ADD copies the whole build context (`COPY . .`, `ADD ./ /app`).
pub fn copies_whole_context(instr: &Instruction) -> bool {
    matches!(instr.keyword, Keyword::Copy | Keyword::Add)
        && instr.flag("from").is_none()
        && instr.heredocs.is_empty()
        && instr.args.len() >= 2
        && instr.args[..instr.args.len() - 1]
            .iter()
            .any(|a| matches!(a.value.as_str(), "." | "./" | "./." | "*" | "./*"))
}

/// The source arguments of a COPY/ADD (all but the destination).
pub fn copy_sources(instr: &Instruction) -> &[crate::dockerfile::ast::SourceText] {
    match instr.args.len() {
        0 => &[],
        n => &instr.args[..n - 1],
    }
}

/// The instruction's first line up to its first argument (for instruction-level findings).
pub fn head_span(instr: &Instruction) -> crate::dockerfile::ast::Span {
    match instr.args.first() {
        Some(a) if a.span.end.line == instr.keyword_span.start.line => {
            instr.keyword_span.cover(a.span)
        }
        _ => instr.keyword_span,
    }
}

/// The span of `needle` inside `text`'s value, or the whole text when absent.
pub fn span_in(
    text: &crate::dockerfile::ast::SourceText,
    needle: &str,
) -> crate::dockerfile::ast::Span {
    match text.value.find(needle) {
        Some(i) => text.span_of(i..i + needle.len()),
        None => text.span,
    }
}

/// Whether `cmd` is `rm` with an operand equal to, or under, one of `paths` (globs such as
/// `/var/lib/apt/lists/*` count as the directory).
pub fn removes_any(cmd: &Command, paths: &[&str]) -> bool {
    cmd.is("rm")
        && cmd.positionals(&[]).iter().any(|w| {
            let v = w.value.trim_end_matches('*').trim_end_matches('/');
            paths.iter().any(|p| {
                let p = p.trim_end_matches('/');
                let under = |path: &str, dir: &str| {
                    path.strip_prefix(dir)
                        .is_some_and(|rest| rest.starts_with('/'))
                };
                v == p || under(v, p) || (under(p, v) && !v.is_empty())
            })
        })
}

/// Whether an ENV (in the instruction's stage chain, before it) or the command's own
/// assignments set `name`.
pub fn env_is_set(
    ctx: &Context,
    index: usize,
    cmd: Option<&Command>,
    name: &str,
) -> Option<String> {
    if let Some(v) = cmd.and_then(|c| c.assignments.iter().rev().find(|(k, _)| k == name)) {
        return Some(v.1.clone());
    }
    let df = ctx.dockerfile;
    let stage = df.instructions.get(index)?.stage?;
    for s in stage_chain(df, stage) {
        let range = df.stages[s].instructions.clone();
        for i in range.rev().filter(|&i| i < index) {
            let instr = &df.instructions[i];
            if instr.keyword == Keyword::Env
                && let Some(kv) = instr.pairs.iter().rev().find(|kv| kv.key.value == name)
            {
                return Some(
                    kv.value
                        .as_ref()
                        .map(|v| v.value.clone())
                        .unwrap_or_default(),
                );
            }
        }
    }
    None
}

/// Whether an ARG/ENV name looks like it holds a secret: a `_`-delimited token such as
/// `password`, `secret`, `token`, `apikey`, `credentials`, or the pairs `api_key`,
/// `private_key`, `secret_key`, `access_key`, `client_key`. Names that clearly hold something
/// else (`…_FILE`, `…_PATH`, `…_URL`, `…_VERSION`, `PUBLIC…`) are not.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .collect();
    const NOT_SECRET: &[&str] = &[
        "public", "file", "path", "version", "url", "host", "dir", "name", "type", "mode",
        "length", "len", "expiry", "ttl", "id", "header", "env", "endpoint", "size", "policy",
        "required", "enabled", "method", "format", "uri", "server", "port", "user", "username",
    ];
    if tokens.iter().any(|t| NOT_SECRET.contains(t)) {
        return false;
    }
    const SECRET: &[&str] = &[
        "password",
        "passwd",
        "pword",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "pass",
        "pwd",
        "auth",
    ];
    if tokens.iter().any(|t| SECRET.contains(t)) {
        return true;
    }
    tokens.windows(2).any(|w| {
        w[1] == "key"
            && matches!(
                w[0],
                "api"
                    | "private"
                    | "secret"
                    | "access"
                    | "client"
                    | "signing"
                    | "encryption"
                    | "master"
            )
    })
}

/// Levenshtein distance (for "did you mean" suggestions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Shared by DL3012, DL4003 and DL4004: in each stage only the last instruction of `keyword`
/// takes effect, so every earlier one is reported.
pub fn report_overridden(ctx: &Context, sink: &mut Sink, keyword: Keyword) {
    let df = ctx.dockerfile;
    let name = keyword.as_str().to_ascii_uppercase();
    for stage in &df.stages {
        let found: Vec<_> = df
            .stage_instructions(stage)
            .iter()
            .filter(|i| i.keyword == keyword)
            .collect();
        if let Some((last, earlier)) = found.split_last() {
            for instr in earlier {
                sink.report(
                    instr.keyword_span,
                    format!(
                        "This {name} is overridden by the one on line {}: only the last {name} of a stage takes effect. Remove this one",
                        last.keyword_span.start.line
                    ),
                );
            }
        }
    }
}

/// Joins a container path to a base directory (a WORKDIR) and normalises `.` and `..`
/// components, as the builder resolves COPY destinations and script paths.
pub fn container_path_join(base: &str, path: &str) -> String {
    let combined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in combined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}
