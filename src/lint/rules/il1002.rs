//! IL1002: npm cache clean missing after npm install.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_cache_cleanup;
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "IL1002",
    name: "npm-cache-clean",
    category: Category::LayerBloat,
    severity: Severity::Info,
    summary: "npm cache clean missing after npm install",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL1002.md"),
    check,
};

fn is_install(cmd: &Command) -> bool {
    cmd.is("npm") && cmd.subcommand_is(&[], &["install", "i", "ci", "add"])
}

fn is_cleanup(cmd: &Command) -> bool {
    cmd.is("npm")
        && cmd
            .positionals(&[])
            .iter()
            .map(|w| w.value.as_str())
            .take(2)
            .eq(["cache", "clean"])
}

fn check(ctx: &Context, sink: &mut Sink) {
    check_cache_cleanup(
        ctx,
        sink,
        is_install,
        is_cleanup,
        &["/root/.npm", "/home/node/.npm"],
        None,
        "npm keeps every downloaded tarball in ~/.npm in this layer: end the RUN with `npm cache clean --force` (or use a cache mount on /root/.npm)",
    );
}
