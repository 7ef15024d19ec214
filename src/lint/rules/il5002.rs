//! IL5002: an SSH server is installed or started in the image.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::system_packages;
use crate::lint::rules::util::run_commands;

pub static RULE: Rule = Rule {
    code: "IL5002",
    name: "sshd-in-container",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not run an SSH server in a container",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5002.md"),
    check,
};

const MESSAGE: &str = "An SSH server in a container is an extra, long-lived attack surface with its own keys and passwords: use `docker exec`/`kubectl exec` for access";

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, cmd) in run_commands(ctx) {
        for pkg in system_packages(cmd) {
            let name = pkg.value.split(['=', '<', '>']).next().unwrap_or("");
            let ssh_server = matches!(name, "openssh-server" | "dropbear")
                || (cmd.is("apk") && name == "openssh");
            if ssh_server {
                sink.report(pkg.span, MESSAGE);
            }
        }
    }
    let df = ctx.dockerfile;
    for (idx, instr) in df.instructions.iter().enumerate() {
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let Some(script) = ctx.facts().script(idx) else {
            continue;
        };
        if let Some(cmd) = script
            .commands
            .iter()
            .find(|c| c.is("sshd") || c.is("dropbear"))
        {
            sink.report(cmd.name.span, MESSAGE);
        }
    }
}
