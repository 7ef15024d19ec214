//! DL3066: the final USER is a name rather than a numeric UID.

use crate::dockerfile::stages::effective_user;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{is_root_user, user_name};

pub static RULE: Rule = Rule {
    code: "DL3066",
    name: "numeric-user",
    category: Category::RootUser,
    severity: Severity::Info,
    summary: "Use a numeric UID in the last USER instruction",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3066.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let Some(last) = df.final_stage() else {
        return;
    };
    let Some(user) = effective_user(df, last.index) else {
        return;
    };
    let name = user_name(user);
    if name.is_empty()
        || name.contains('$')
        || is_root_user(name)
        || name.chars().all(|c| c.is_ascii_digit())
    {
        return;
    }
    let span = user
        .args
        .first()
        .map(|a| a.span_of(0..name.len()))
        .unwrap_or(user.span);
    sink.report(
        span,
        format!(
            "USER `{name}` is a name: platforms that enforce non-root (Kubernetes runAsNonRoot, OpenShift) need a numeric UID, e.g. `USER 10001`"
        ),
    );
}
