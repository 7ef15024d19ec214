//! IL5001: a literal password or secret value in the Dockerfile.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{is_secret_name, run_commands};

pub static RULE: Rule = Rule {
    code: "IL5001",
    name: "hardcoded-secret",
    category: Category::Security,
    severity: Severity::Error,
    summary: "A password or secret is written literally in the Dockerfile",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5001.md"),
    check,
};

fn literal(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.contains('$')
        && !v.starts_with('/')
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "none" | "null"
        )
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        for pair in &instr.pairs {
            let Some(value) = &pair.value else { continue };
            if is_secret_name(&pair.key.value) && literal(&value.value) {
                sink.report(
                    value.span,
                    format!(
                        "`{}` has a literal value: anyone who pulls the image can read it. Remove it and provide the secret at run time (or via `RUN --mount=type=secret` at build time)",
                        pair.key.value
                    ),
                );
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (idx, _, cmd) in run_commands(ctx) {
        // `echo 'root:secret' | chpasswd`
        if cmd.is("chpasswd") && cmd.pipeline_len > 1 {
            let Some(script) = ctx.facts().script(idx) else {
                continue;
            };
            for feeder in script.pipeline(cmd.pipeline) {
                if !(feeder.is("echo") || feeder.is("printf")) {
                    continue;
                }
                if let Some(w) = feeder.args.iter().find(|a| {
                    a.value.split_once(':').is_some_and(|(_, p)| literal(p)) && !a.is_dynamic()
                }) {
                    if seen.insert(w.span) {
                        sink.report(
                            w.span,
                            "A password is set from a literal in the Dockerfile (visible in `docker history`): lock the account or set it at run time",
                        );
                    }
                }
            }
        }
        // `useradd -p <hash-or-password>` / `usermod --password …`
        if (cmd.is("useradd") || cmd.is("usermod"))
            && cmd.flag_value(&["-p", "--password"]).is_some_and(literal)
        {
            if let Some(w) = cmd.find_flag(&["-p", "--password"]) {
                sink.report(
                    w.span,
                    format!(
                        "`{} -p` sets a password from a literal visible in `docker history`",
                        cmd.program()
                    ),
                );
            }
        }
    }
}
