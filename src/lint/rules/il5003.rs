//! IL5003: a non-root image exposes a privileged port.

use crate::dockerfile::ast::Keyword;
use crate::dockerfile::stages::{effective_user, stage_chain};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{is_root_user, user_name};

pub static RULE: Rule = Rule {
    code: "IL5003",
    name: "privileged-port-non-root",
    category: Category::Security,
    severity: Severity::Info,
    summary: "A non-root image should not expose a port below 1024",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5003.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else { return };
    let Some(user) = effective_user(df, last.index) else {
        return;
    };
    let name = user_name(user);
    if is_root_user(name) || name.contains('$') {
        return;
    }
    for s in stage_chain(df, last.index) {
        for instr in df.stage_instructions(&df.stages[s]) {
            if instr.keyword != Keyword::Expose {
                continue;
            }
            for arg in &instr.args {
                let port = arg.value.split('/').next().unwrap_or("");
                let low = port.split('-').next().unwrap_or(port);
                if let Ok(n) = low.parse::<u32>()
                    && n > 0
                    && n < 1024
                {
                    sink.report(
                            arg.span,
                            format!(
                                "Port {n} is privileged, but the image runs as `{name}`: the process cannot bind it without CAP_NET_BIND_SERVICE. Listen on a port ≥ 1024 (e.g. {}) and map it at run time",
                                n + 8000
                            ),
                        );
                }
            }
        }
    }
}
