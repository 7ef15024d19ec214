//! IL2001: the whole build context is copied before dependencies are installed.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::stage_instructions;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{is_pip_install, pip_args_start};
use crate::lint::rules::util::{copies_whole_context, copy_sources};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "IL2001",
    name: "copy-all-before-dependencies",
    category: Category::CacheOrder,
    severity: Severity::Warning,
    summary: "Copy dependency manifests and install dependencies before copying the whole context",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL2001.md"),
    check,
};

/// Files that describe dependencies; copying one of them first is the fix.
const MANIFESTS: &[&str] = &[
    "requirements",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "npm-shrinkwrap.json",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "Cargo.lock",
    "Gemfile",
    "Gemfile.lock",
    "pom.xml",
    "build.gradle",
    "settings.gradle",
    "gradle",
    "composer.json",
    "composer.lock",
    "pyproject.toml",
    "poetry.lock",
    "Pipfile",
    "setup.py",
    "setup.cfg",
    "uv.lock",
    "mix.exs",
    "mix.lock",
    "packages.config",
    ".csproj",
    "*.csproj",
    "Project.toml",
];

/// The dependency install a command performs and the manifest it needs, if any.
fn dependency_install(cmd: &Command) -> Option<&'static str> {
    let sub = |names: &[&str]| cmd.subcommand_is(&[], names);
    match cmd.program() {
        _ if is_pip_install(cmd) => {
            let start = pip_args_start(cmd)?;
            cmd.args[start..]
                .iter()
                .any(|a| {
                    a.value == "-r"
                        || a.value == "--requirement"
                        || a.value.starts_with("--requirement=")
                        || a.value.starts_with("-r")
                })
                .then_some("requirements.txt")
        }
        "npm" if sub(&["ci", "install", "i"]) && cmd.operands(&[]).is_empty() => {
            Some("package.json")
        }
        "yarn"
            if (cmd.subcommand(&[]).is_none() && !cmd.has_flag(&["--version", "-v", "--help"]))
                || sub(&["install"]) =>
        {
            Some("package.json/yarn.lock")
        }
        "pnpm" if sub(&["install", "i", "fetch"]) && cmd.operands(&[]).is_empty() => {
            Some("package.json/pnpm-lock.yaml")
        }
        "go" if cmd
            .positionals(&[])
            .iter()
            .map(|w| w.value.as_str())
            .take(2)
            .eq(["mod", "download"]) =>
        {
            Some("go.mod/go.sum")
        }
        "cargo" if sub(&["build", "fetch"]) => Some("Cargo.toml/Cargo.lock"),
        "bundle" if cmd.subcommand(&[]).is_none() || sub(&["install"]) => {
            Some("Gemfile/Gemfile.lock")
        }
        "mvn" | "mvnw" => Some("pom.xml"),
        "gradle" | "gradlew" => Some("build.gradle"),
        "composer" if sub(&["install"]) => Some("composer.json/composer.lock"),
        "poetry" if sub(&["install"]) => Some("pyproject.toml/poetry.lock"),
        "pipenv" if sub(&["install", "sync"]) => Some("Pipfile/Pipfile.lock"),
        "uv" if sub(&["sync"]) => Some("pyproject.toml/uv.lock"),
        _ => None,
    }
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let mut manifest_copied = false;
        let mut copy_all = None;
        for (idx, instr) in stage_instructions(df, stage) {
            match instr.keyword {
                Keyword::Copy | Keyword::Add
                    if copies_whole_context(instr) && copy_all.is_none() && !manifest_copied =>
                {
                    copy_all = Some(instr);
                }
                Keyword::Copy | Keyword::Add if copies_whole_context(instr) => {}
                Keyword::Copy | Keyword::Add => {
                    let names_manifest = copy_sources(instr).iter().any(|s| {
                        let base = crate::shell::basename(s.value.trim_end_matches('/'));
                        MANIFESTS
                            .iter()
                            .any(|m| base.contains(m.trim_start_matches('*')))
                    });
                    manifest_copied |= names_manifest;
                }
                Keyword::Run => {
                    let Some(copy) = copy_all else { continue };
                    let Some(script) = ctx.facts().script(idx) else {
                        continue;
                    };
                    if let Some((cmd, manifest)) = script
                        .commands
                        .iter()
                        .find_map(|c| dependency_install(c).map(|m| (c, m)))
                    {
                        let source = copy_sources(copy)
                            .iter()
                            .find(|s| matches!(s.value.as_str(), "." | "./" | "./." | "*" | "./*"))
                            .map(|s| s.span)
                            .unwrap_or(copy.keyword_span);
                        sink.report(
                            source,
                            format!(
                                "The whole context is copied before `{}` (line {}): any source change re-runs the install. COPY {} first, install, then COPY the rest",
                                cmd.program(),
                                cmd.name.span.start.line,
                                manifest
                            ),
                        );
                        copy_all = None;
                        manifest_copied = true;
                    }
                }
                _ => {}
            }
        }
    }
}
