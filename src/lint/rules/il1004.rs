//! IL1004: a compiler or build toolchain is installed in a single-stage image.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::system_packages;
use crate::lint::rules::util::runs;

pub static RULE: Rule = Rule {
    code: "IL1004",
    name: "toolchain-in-final-image",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "Build toolchains in the final image: use a multi-stage build",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL1004.md"),
    check,
};

fn is_toolchain(package: &str) -> bool {
    // Strip a version pin (`gcc=4:12.2`, `gcc-12`, `openjdk-17-jdk`).
    let name = package.split(['=', '<', '>']).next().unwrap_or(package);
    matches!(
        name,
        "build-essential"
            | "build-base"
            | "gcc"
            | "g++"
            | "clang"
            | "make"
            | "cmake"
            | "golang"
            | "go"
            | "rustc"
            | "cargo"
            | "rust"
            | "maven"
            | "gradle"
            | "gcc-c++"
            | "musl-dev"
            | "libc6-dev"
            | "autoconf"
            | "automake"
            | "libtool"
    ) || (name.starts_with("openjdk") && name.contains("-jdk"))
        || (name.starts_with("golang-") && name.chars().nth(7).is_some_and(|c| c.is_ascii_digit()))
        || (name.starts_with("gcc-") && name[4..].chars().all(|c| c.is_ascii_digit()))
        || (name.starts_with("g++-") && name[4..].chars().all(|c| c.is_ascii_digit()))
}

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    if df.stages.len() != 1 {
        return;
    }
    // An image without CMD/ENTRYPOINT, or whose entry point is itself a build tool, is a
    // build environment: the toolchain is its purpose.
    let entry: Vec<&str> = df
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        .filter_map(|(idx, _)| ctx.facts().script(idx))
        .filter_map(|s| s.commands.first().map(|c| c.program()))
        .collect();
    const BUILD_TOOLS: &[&str] = &[
        "gcc", "g++", "cc", "c++", "clang", "make", "cmake", "go", "cargo", "rustc", "mvn",
        "gradle", "javac", "distccd", "bash", "sh",
    ];
    if entry.is_empty() || entry.iter().any(|p| BUILD_TOOLS.contains(p)) {
        return;
    }
    for (_, _, script) in runs(ctx) {
        // `apk add --virtual .build-deps gcc … && apk del .build-deps` and `apt-get purge`
        // remove the toolchain again in the same layer.
        let removed = script.commands.iter().any(|c| {
            (c.is("apk") && c.subcommand_is(&[], &["del"]))
                || ((c.is("apt-get") || c.is("apt"))
                    && c.subcommand_is(&[], &["purge", "remove", "autoremove"]))
                || ((c.is("yum") || c.is("dnf"))
                    && c.subcommand_is(&[], &["remove", "erase", "autoremove"]))
        });
        if removed {
            continue;
        }
        for cmd in &script.commands {
            if let Some(pkg) = system_packages(cmd)
                .into_iter()
                .find(|p| is_toolchain(&p.value))
            {
                sink.report(
                    pkg.span,
                    format!(
                        "`{}` stays in the runtime image: build in a separate stage (`FROM … AS build`) and COPY --from it only the artifacts",
                        pkg.value
                    ),
                );
            }
        }
    }
}
