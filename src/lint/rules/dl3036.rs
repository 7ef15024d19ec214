//! DL3036: zypper clean missing after zypper use.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::check_cache_cleanup;
use crate::shell::Command;

pub static RULE: Rule = Rule {
    code: "DL3036",
    name: "zypper-clean",
    category: Category::LayerBloat,
    severity: Severity::Warning,
    summary: "zypper clean missing after zypper use",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3036.md"),
    check,
};

fn is_install(cmd: &Command) -> bool {
    cmd.is("zypper")
        && cmd.subcommand_is(
            crate::lint::rules::packages::ZYPPER_VALUE_FLAGS,
            &[
                "install",
                "in",
                "update",
                "up",
                "patch",
                "dist-upgrade",
                "dup",
            ],
        )
}

fn is_cleanup(cmd: &Command) -> bool {
    cmd.is("zypper") && cmd.subcommand_is(&[], &["clean", "cc"])
}

fn check(ctx: &Context, sink: &mut Sink) {
    check_cache_cleanup(
        ctx,
        sink,
        is_install,
        is_cleanup,
        &["/var/cache/zypp"],
        Some("clean"),
        "zypper keeps downloaded packages in /var/cache/zypp in this layer: end the RUN with `zypper clean`",
    );
}
