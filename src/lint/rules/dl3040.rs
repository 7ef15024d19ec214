//! DL3040: dnf clean all missing after dnf command.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_cache_cleanup;
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3040",
    name: "dnf-clean-all",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "dnf clean all missing after dnf command",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3040.md"),
    check,
};

fn is_install(cmd: &Command) -> bool {
    (cmd.is("dnf") || cmd.is("microdnf"))
        && cmd.subcommand_is(
            crate::lint::rules::packages::YUM_VALUE_FLAGS,
            &[
                "install",
                "in",
                "groupinstall",
                "localinstall",
                "reinstall",
                "rei",
                "update",
                "upgrade",
                "up",
                "upgrade-minimal",
                "up-min",
            ],
        )
}

fn is_cleanup(cmd: &Command) -> bool {
    (cmd.is("dnf") || cmd.is("microdnf")) && cmd.subcommand_is(&[], &["clean"])
}

fn check(ctx: &Context, sink: &mut Sink) {
    check_cache_cleanup(
        ctx,
        sink,
        is_install,
        is_cleanup,
        // dnf5 keeps its cache in /var/cache/libdnf5.
        &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"],
        Some("clean all"),
        "dnf keeps downloaded packages and metadata in /var/cache/dnf in this layer: end the RUN with `dnf clean all`",
    );
}
