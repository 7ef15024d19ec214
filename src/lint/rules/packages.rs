//! What the linter knows about package managers: which options of apt-get, apk, pip, yum/dnf
//! and zypper take a separate value (so their operands can be told from option values), what
//! an install command installs, and the checks several package-manager rules share.

use crate::lint::fix::Applicability;
use crate::lint::rule::{Context, Sink};
use crate::lint::rules::edits::{append_to_run, insert_after_word};
use crate::lint::rules::util::{has_cache_mount, removes_any, run_commands, runs};
use crate::shell::{Command, Word};

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
    "--root-user-action",
];
/// pipx options that take a separate argument.
pub const PIPX_VALUE_FLAGS: &[&str] = &[
    "--python",
    "--index-url",
    "-i",
    "--pip-args",
    "--suffix",
    "--spec",
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
pub fn system_packages(cmd: &Command) -> Vec<&Word> {
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

/// Shared check of the "package manager cache not cleaned in the same RUN" rules: flags each
/// command accepted by `is_install` in a RUN where no command satisfies `is_cleanup`, no `rm`
/// deletes one of `cache_paths`, and no cache mount covers them. With `cleanup_args`, the fix
/// appends `&& <program> <cleanup_args>` to the RUN (`&& yum clean all`).
pub fn check_cache_cleanup(
    ctx: &Context,
    sink: &mut Sink,
    is_install: fn(&Command) -> bool,
    is_cleanup: fn(&Command) -> bool,
    cache_paths: &[&str],
    cleanup_args: Option<&str>,
    message: &str,
) {
    for (_, instr, script) in runs(ctx) {
        // Most RUNs install nothing with this manager: skip them before looking for cleanups.
        if !script.commands.iter().any(is_install) || has_cache_mount(instr, cache_paths) {
            continue;
        }
        // Only a cleanup after the install empties the cache (commands are in execution order).
        let last_cleanup = script
            .commands
            .iter()
            .rposition(|c| is_cleanup(c) || removes_any(c, cache_paths));
        for (i, cmd) in script.commands.iter().enumerate() {
            if !is_install(cmd) || last_cleanup.is_some_and(|last| last > i) {
                continue;
            }
            let at = cmd
                .subcommand(&[])
                .map(|w| cmd.name.span.cover(w.span))
                .unwrap_or(cmd.name.span);
            let cleanup = cleanup_args.map(|args| format!("{} {args}", cmd.program()));
            sink.report_fix(
                at,
                message,
                cleanup.and_then(|c| append_to_run(ctx, instr, script, &c)),
            );
        }
    }
}

/// Shared check of the "non-interactive flag missing" rules (DL3014, DL3030, DL3034, DL3038):
/// flags a command of `programs` running one of `subcommands` without any of `yes_flags`
/// (matched as [`Command::has_flag`] does, so `-qy` counts as `-y`). With `fix_flag`, the fix
/// inserts it after the subcommand.
#[allow(clippy::too_many_arguments)]
pub fn check_assume_yes(
    ctx: &Context,
    sink: &mut Sink,
    programs: &[&str],
    value_flags: &[&str],
    subcommands: &[&str],
    yes_flags: &[&str],
    fix_flag: Option<&str>,
    message: &str,
) {
    for (_, _, cmd) in run_commands(ctx) {
        if !programs.contains(&cmd.program()) || !cmd.subcommand_is(value_flags, subcommands) {
            continue;
        }
        if cmd.has_flag(yes_flags) || quiet_level_two(cmd, yes_flags) {
            continue;
        }
        let subcommand = cmd.subcommand(value_flags);
        let at = subcommand
            .map(|w| cmd.name.span.cover(w.span))
            .unwrap_or(cmd.name.span);
        let fix = fix_flag
            .zip(subcommand)
            .and_then(|(flag, word)| insert_after_word(ctx, cmd, word, flag, Applicability::Safe));
        sink.report_fix(at, message, fix);
    }
}

/// apt-get's quiet level 2 (which implies `-y`) given as two separate `-q`/`--quiet` flags;
/// only for the tools whose yes flags say so (`-qq` among them).
fn quiet_level_two(cmd: &Command, yes_flags: &[&str]) -> bool {
    yes_flags.contains(&"-qq")
        && cmd
            .args
            .iter()
            .filter(|a| a.value == "-q" || a.value == "--quiet")
            .count()
            >= 2
}

/// Shared check of the rpm pinning rules (DL3033 yum, DL3041 dnf): `name-<version>` pins.
pub fn check_rpm_pins(ctx: &Context, sink: &mut Sink, programs: &[&str]) {
    for (_, _, cmd) in run_commands(ctx) {
        if !programs.contains(&cmd.program()) {
            continue;
        }
        let positionals = cmd.positionals(YUM_VALUE_FLAGS);
        let words: Vec<&str> = positionals.iter().map(|w| w.value.as_str()).collect();
        // `module install name:stream` pins with the stream.
        if words.starts_with(&["module", "install"]) {
            for module in &positionals[2..] {
                let v = &module.value;
                if !v.contains(':') && !module.is_dynamic() {
                    sink.report(
                        module.span,
                        format!("Pin the stream of module `{v}` (`{v}:<stream>`)"),
                    );
                }
            }
            continue;
        }
        if words.first() != Some(&"install") {
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
