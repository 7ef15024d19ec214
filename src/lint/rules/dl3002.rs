//! DL3002: the last USER of a stage is root.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::{is_root_user, user_name};

pub static RULE: Rule = Rule {
    code: "DL3002",
    name: "last-user-root",
    category: Category::RootUser,
    severity: Severity::Warning,
    summary: "Last USER should not be root",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3002.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    for stage in &df.stages {
        let last_user = df
            .stage_instructions(stage)
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::User);
        if let Some(user) = last_user
            && is_root_user(user_name(user))
        {
            let span = user.args.first().map(|a| a.span).unwrap_or(user.span);
            sink.report(
                    span,
                    "The stage ends as root: switch to an unprivileged USER after the steps that need root",
                );
        }
    }
}
