//! IL2002: `apt-get update` in a RUN of its own.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::packages::{APK_VALUE_FLAGS, APT_VALUE_FLAGS};
use crate::lint::rules::util::runs;

pub static RULE: Rule = Rule {
    code: "IL2002",
    name: "package-index-update-alone",
    category: Category::CacheOrder,
    severity: Severity::Warning,
    summary: "Update the package index in the same RUN as the install",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL2002.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for (_, _, script) in runs(ctx) {
        let updates = script.commands.iter().find(|c| {
            (c.is("apt-get") || c.is("apt")) && c.subcommand_is(APT_VALUE_FLAGS, &["update"])
                || c.is("apk") && c.subcommand_is(APK_VALUE_FLAGS, &["update"])
        });
        let Some(update) = updates else { continue };
        let installs = script.commands.iter().any(|c| {
            (c.is("apt-get") || c.is("apt") || c.is("aptitude"))
                && c.subcommand_is(
                    APT_VALUE_FLAGS,
                    &["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"],
                )
                || c.is("apk") && c.subcommand_is(APK_VALUE_FLAGS, &["add", "upgrade", "fetch"])
                // Scripts and other tools that install (e.g. `xargs apt-get install`, helper scripts).
                || c.args.iter().any(|a| a.value == "install" || a.value == "add")
        });
        if !installs {
            sink.report(
                update.span(),
                format!(
                    "`{}` alone is cached as a layer and goes stale: later installs use an old index and fail or get old packages. Run it in the same RUN as the install (`{} update && {} install …`)",
                    update.text(),
                    update.program(),
                    update.program()
                ),
            );
        }
    }
}
