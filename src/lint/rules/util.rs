//! Small queries over the syntax tree that many rules share.

use crate::dockerfile::ast::{Dockerfile, Instruction, Keyword, Stage};
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

/// The `--mount` flags of a RUN, as key→value maps (`type=cache,target=/x`).
pub fn mounts(instr: &Instruction) -> Vec<Vec<(String, String)>> {
    instr
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_ref())
        .map(|v| {
            v.value
                .split(',')
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
                    None => (kv.trim().to_ascii_lowercase(), String::new()),
                })
                .collect()
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

/// The stage an instruction belongs to.
pub fn stage_of<'d>(df: &'d Dockerfile, instr: &Instruction) -> Option<&'d Stage> {
    instr.stage.and_then(|s| df.stages.get(s))
}

/// The stage and the stages it is built FROM, nearest first.
pub fn stage_chain(df: &Dockerfile, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(parent) = df.stages.get(current).and_then(|s| s.parent_stage) {
        if chain.contains(&parent) || parent >= current {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The last USER in force for a stage (looking through the stages it is built FROM).
pub fn effective_user(df: &Dockerfile, stage: usize) -> Option<&Instruction> {
    stage_chain(df, stage).into_iter().find_map(|s| {
        df.stage_instructions(&df.stages[s])
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::User)
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

/// Instructions of a stage with their indices.
pub fn stage_instructions<'d>(
    df: &'d Dockerfile,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'d Instruction)> + 'd {
    let range = stage.instructions.clone();
    range.map(move |i| (i, &df.instructions[i]))
}

/// Whether the file has more than one stage that the final image does not simply extend (a
/// real multi-stage build: some stage feeds another one through `COPY --from` or is a builder).
pub fn is_single_stage(df: &Dockerfile) -> bool {
    df.stages.len() <= 1
}

/// apt-get options that take a separate argument.
pub const APT_VALUE_FLAGS: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
];
/// apk options that take a separate argument.
pub const APK_VALUE_FLAGS: &[&str] = &[
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "-p",
    "--root",
    "--arch",
    "--keys-dir",
    "--repositories-file",
    "--cache-dir",
];
/// pip options that take a separate argument.
pub const PIP_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-t",
    "--target",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--src",
    "--upgrade-strategy",
    "--cache-dir",
    "--progress-bar",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--no-binary",
    "--only-binary",
    "--install-option",
    "--global-option",
    "--config-settings",
    "-C",
];
/// yum/dnf options that take a separate argument.
pub const YUM_VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--enablerepo",
    "--disablerepo",
    "-x",
    "--exclude",
    "--releasever",
    "--setopt",
    "--repo",
    "--repoid",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "--rpmverbosity",
];
/// zypper options that take a separate argument.
pub const ZYPPER_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--repo",
    "-t",
    "--type",
    "--root",
    "-R",
    "--from",
    "-p",
    "--plus-repo",
];

/// Whether `cmd` is `pip install` / `pip3 install` / `python -m pip install`.
pub fn is_pip_install(cmd: &Command) -> bool {
    pip_args_start(cmd).is_some()
}

/// For pip invocations, the index of the first argument after `install`.
pub fn pip_args_start(cmd: &Command) -> Option<usize> {
    let prog = cmd.program();
    let after_pip = if prog == "pip" || prog.starts_with("pip3") || prog.starts_with("pip2") {
        0
    } else if prog.starts_with("python") {
        let m = cmd.args.iter().position(|a| a.value == "-m")?;
        let module = cmd.args.get(m + 1)?;
        if !(module.value == "pip" || module.value.starts_with("pip3")) {
            return None;
        }
        m + 2
    } else {
        return None;
    };
    let rest = &cmd.args[after_pip..];
    let install = rest.iter().position(|a| !a.is_flag())?;
    (rest[install].value == "install").then_some(after_pip + install + 1)
}

/// Names of package-manager programs whose install subcommand installs system packages.
pub fn installs_system_packages(cmd: &Command) -> bool {
    match cmd.program() {
        "apt-get" | "apt" => cmd.subcommand_is(APT_VALUE_FLAGS, &["install"]),
        "apk" => cmd.subcommand_is(APK_VALUE_FLAGS, &["add"]),
        "yum" | "dnf" | "microdnf" => cmd.subcommand_is(YUM_VALUE_FLAGS, &["install"]),
        "zypper" => cmd.subcommand_is(ZYPPER_VALUE_FLAGS, &["install", "in"]),
        _ => false,
    }
}

/// The packages of a system package install (`apt-get install a b` → a, b).
pub fn system_packages(cmd: &Command) -> Vec<&crate::shell::Word> {
    let flags = match cmd.program() {
        "apt-get" | "apt" => APT_VALUE_FLAGS,
        "apk" => APK_VALUE_FLAGS,
        "zypper" => ZYPPER_VALUE_FLAGS,
        _ => YUM_VALUE_FLAGS,
    };
    if installs_system_packages(cmd) {
        cmd.operands(flags)
    } else {
        Vec::new()
    }
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
                v == p
                    || v.starts_with(&format!("{p}/"))
                    || (p.starts_with(&format!("{v}/")) && !v.is_empty())
            })
        })
}

/// Stages whose filesystem ends up in the final image: the final stage and the stages it is
/// built FROM.
pub fn final_chain(df: &Dockerfile) -> Vec<usize> {
    match df.final_stage() {
        Some(s) => stage_chain(df, s.index),
        None => Vec::new(),
    }
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
            if instr.keyword == Keyword::Env {
                if let Some(kv) = instr.pairs.iter().rev().find(|kv| kv.key.value == name) {
                    return Some(
                        kv.value
                            .as_ref()
                            .map(|v| v.value.clone())
                            .unwrap_or_default(),
                    );
                }
            }
        }
    }
    None
}

/// Shared check of the "package manager cache not cleaned in the same RUN" rules: flags each
/// command accepted by `is_install` in a RUN where no command satisfies `is_cleanup`, no `rm`
/// deletes one of `cache_paths`, and no cache mount covers them.
pub fn check_cache_cleanup(
    ctx: &Context,
    sink: &mut crate::lint::rule::Sink,
    is_install: fn(&Command) -> bool,
    is_cleanup: fn(&Command) -> bool,
    cache_paths: &[&str],
    message: &str,
) {
    for (_, instr, script) in runs(ctx) {
        if has_cache_mount(instr, cache_paths) {
            continue;
        }
        let cleaned = script
            .commands
            .iter()
            .any(|c| is_cleanup(c) || removes_any(c, cache_paths));
        if cleaned {
            continue;
        }
        for cmd in script.commands.iter().filter(|c| is_install(c)) {
            let at = cmd
                .subcommand(&[])
                .map(|w| cmd.name.span.cover(w.span))
                .unwrap_or(cmd.name.span);
            sink.report(at, message);
        }
    }
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

/// Every LABEL pair of the file with the stage it is in.
pub fn label_pairs(df: &Dockerfile) -> impl Iterator<Item = &crate::dockerfile::ast::KeyValue> {
    df.instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Label)
        .flat_map(|i| i.pairs.iter())
}

/// Whether a label value is valid for a `label-schema` type (hadolint's types).
pub fn label_value_valid(kind: &str, value: &str) -> bool {
    use std::sync::LazyLock;
    static URL: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+[^\s]*$").expect("regex")
    });
    static RFC3339: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
        )
        .expect("regex")
    });
    static SEMVER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
        )
        .expect("regex")
    });
    static EMAIL: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$").expect("regex"));
    let v = value.trim();
    match kind {
        "url" => URL.is_match(v),
        "rfc3339" => RFC3339.is_match(v),
        "semver" => SEMVER.is_match(v),
        "email" => EMAIL.is_match(v),
        "hash" => (v.len() == 40 || v.len() == 64) && v.chars().all(|c| c.is_ascii_hexdigit()),
        "spdx" => v.split([' ', '(', ')']).filter(|t| !t.is_empty()).all(|t| {
            matches!(t, "AND" | "OR" | "WITH")
                || t.starts_with("LicenseRef-")
                || SPDX_IDS
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(t.trim_end_matches('+')))
        }),
        _ => true,
    }
}

/// Common SPDX license identifiers (the ones seen in images); others can use `LicenseRef-`.
const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "NCSA",
    "OpenSSL",
    "PostgreSQL",
    "Python-2.0",
    "Unlicense",
    "UPL-1.0",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
    "Classpath-exception-2.0",
    "LLVM-exception",
    "BUSL-1.1",
    "Elastic-2.0",
    "SSPL-1.0",
];

/// Build arguments BuildKit defines itself (usable in FROM without an ARG).
pub const PREDEFINED_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
];

/// Global ARGs (before the first FROM) declared before instruction `index`, with defaults.
pub fn global_args_before(df: &Dockerfile, index: usize) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for &g in df.global_args.iter().filter(|&&g| g < index) {
        for pair in &df.instructions[g].pairs {
            let value = pair.value.as_ref().map(|v| v.value.clone());
            match out.iter_mut().find(|(n, _)| *n == pair.key.value) {
                Some(e) => e.1 = value,
                None => out.push((pair.key.value.clone(), value)),
            }
        }
    }
    out
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

/// Shared check of the "non-interactive flag missing" rules (DL3014, DL3030, DL3034, DL3038):
/// flags a command of `programs` running one of `subcommands` without any of `yes_flags`
/// (matched as [`Command::has_flag`] does, so `-qy` counts as `-y`).
pub fn check_assume_yes(
    ctx: &Context,
    sink: &mut crate::lint::rule::Sink,
    programs: &[&str],
    value_flags: &[&str],
    subcommands: &[&str],
    yes_flags: &[&str],
    message: &str,
) {
    for (_, _, cmd) in run_commands(ctx) {
        if !programs.contains(&cmd.program()) || !cmd.subcommand_is(value_flags, subcommands) {
            continue;
        }
        if cmd.has_flag(yes_flags) {
            continue;
        }
        let at = cmd
            .subcommand(value_flags)
            .map(|w| cmd.name.span.cover(w.span))
            .unwrap_or(cmd.name.span);
        sink.report(at, message);
    }
}

/// Shared check of the rpm pinning rules (DL3033 yum, DL3041 dnf): `name-<version>` pins.
pub fn check_rpm_pins(ctx: &Context, sink: &mut crate::lint::rule::Sink, programs: &[&str]) {
    for (_, _, cmd) in run_commands(ctx) {
        if !programs.contains(&cmd.program()) || !cmd.subcommand_is(YUM_VALUE_FLAGS, &["install"]) {
            continue;
        }
        for pkg in cmd.operands(YUM_VALUE_FLAGS) {
            let v = &pkg.value;
            // `name-1.2.3`: a dash followed by a digit starts the version.
            let pinned = v
                .match_indices('-')
                .any(|(i, _)| v[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
            if pinned
                || v.ends_with(".rpm")
                || v.contains('/')
                || v.starts_with('@')
                || pkg.is_dynamic()
            {
                continue;
            }
            sink.report(
                pkg.span,
                format!("Pin the version of `{v}` (`{v}-<version>`)"),
            );
        }
    }
}

/// Shared by the label-schema type rules (DL3052–DL3058): every LABEL whose schema type is
/// `kind` must hold a valid value; empty values are DL3051's, and values built from build
/// arguments are only known at build time.
pub fn check_label_type(ctx: &Context, sink: &mut Sink, kind: &str, what: &str) {
    for pair in label_pairs(ctx.dockerfile) {
        if ctx
            .settings
            .label_schema
            .get(&pair.key.value)
            .map(String::as_str)
            != Some(kind)
        {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue;
        }
        if !label_value_valid(kind, &value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be {what}, got `{}`",
                    pair.key.value, value.value
                ),
            );
        }
    }
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
