//! DL3034: Use the `-n`/`-y` switch to avoid manual input `zypper install -y <package>`.

#[allow(unused_imports)]
use crate::dockerfile::ast::Keyword;
#[allow(unused_imports)]
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
#[allow(unused_imports)]
use crate::lint::rules::util::*;

pub static RULE: Rule = Rule {
    code: "DL3034",
    name: "zypper-yes",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "Use the `-n`/`-y` switch to avoid manual input `zypper install -y <package>`",
    aliases: &[],
    doc: include_str!("../../../rules/DL3034.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        let is_prog = cmd.is("zypper") || ("zypper" == "dnf" && cmd.is("microdnf"));
        if !is_prog
            || !cmd.subcommand_is(
                ZYPPER_VALUE_FLAGS,
                &[
                    "install",
                    "in",
                    "remove",
                    "rm",
                    "source-install",
                    "si",
                    "patch",
                ],
            )
        {
            continue;
        }
        // apt-get's `-qq` implies `-y`; a lone `-q` does not.
        let quiet_enough = "zypper" == "apt-get"
            && cmd.args.iter().any(|a| {
                a.value == "-qq" || a.value == "-q=2" || a.value.starts_with("--assume-yes")
            });
        let yes = cmd.args.iter().any(|a| {
            ["-y", "-n", "--non-interactive", "--no-confirm"]
                .iter()
                .filter(|f| **f != "-q")
                .any(|f| {
                    a.value == *f
                        || (f.len() == 2
                            && a.value.starts_with('-')
                            && !a.value.starts_with("--")
                            && a.value.len() > 2
                            && a.value[1..].chars().all(|c| c.is_ascii_alphabetic())
                            && a.value[1..].contains(&f[1..]))
                })
        });
        if yes || quiet_enough {
            continue;
        }
        let at = cmd
            .subcommand(ZYPPER_VALUE_FLAGS)
            .map(|w| cmd.name.span.cover(w.span))
            .unwrap_or(cmd.name.span);
        sink.report(at, "Without `-n`/`-y` the command waits for a confirmation that never comes and the build fails: add `-n`/`-y`");
    }
}
