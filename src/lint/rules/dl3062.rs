//! DL3062: Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "DL3062",
    name: "go-install-pin",
    category: Category::Pinning,
    severity: Severity::Warning,
    summary: "Pin versions in go install. Instead of `go install <package>` use `go install <package>@<version>`",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3062.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        if !cmd.is("go") || !cmd.subcommand_is(&[], &["install", "get", "run"]) {
            continue;
        }
        let operands = cmd.operands(&[
            "-ldflags", "-tags", "-o", "-gcflags", "-mod", "-modfile", "-p",
        ]);
        // `go run PKG ARGS…`: only the first operand is a package, the rest are its arguments.
        let packages = if cmd.subcommand_is(&[], &["run"]) {
            &operands[..operands.len().min(1)]
        } else {
            &operands[..]
        };
        for pkg in packages {
            let v = &pkg.value;
            // `go run main.go`: a source file, not a module path.
            let local =
                v.starts_with('.') || v.starts_with('/') || !v.contains('.') || v.ends_with(".go");
            if local || pkg.is_dynamic() {
                continue;
            }
            if !v.contains('@') || v.ends_with("@latest") {
                sink.report(
                    pkg.span,
                    format!(
                        "Pin the version of `{v}` (`{}@<version>`, not `@latest`)",
                        v.split('@').next().unwrap_or(v)
                    ),
                );
            }
        }
    }
}
