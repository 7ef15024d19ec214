//! IL5007: EXPOSE 22 (trivy DS004).

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL5007",
    name: "expose-ssh-port",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not expose the SSH port 22",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5007.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Expose {
            continue;
        }
        for arg in &instr.args {
            let (port, proto) = arg
                .value
                .split_once('/')
                .unwrap_or((arg.value.as_str(), "tcp"));
            if port == "22" && matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp") {
                sink.report(
                    arg.span,
                    "Port 22 is SSH: a container reachable over SSH carries its own keys and login surface; use `docker exec`/`kubectl exec` instead",
                );
            }
        }
    }
}
