//! DL3032: yum clean all missing after yum command.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_cache_cleanup;
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3032",
    name: "yum-clean-all",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "yum clean all missing after yum command",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3032.md"),
    check,
};

fn is_install(cmd: &Command) -> bool {
    cmd.is("yum")
        && cmd.subcommand_is(
            crate::lint::rules::packages::YUM_VALUE_FLAGS,
            &[
                "install",
                "groupinstall",
                "localinstall",
                "reinstall",
                "update",
                "upgrade",
            ],
        )
}

fn is_cleanup(cmd: &Command) -> bool {
    cmd.is("yum") && cmd.subcommand_is(&[], &["clean"])
}

fn check(ctx: &Context, sink: &mut Sink) {
    check_cache_cleanup(
        ctx,
        sink,
        is_install,
        is_cleanup,
        &["/var/cache/yum"],
        Some("clean all"),
        "yum keeps downloaded packages and metadata in /var/cache/yum in this layer: end the RUN with `yum clean all`",
    );
}
