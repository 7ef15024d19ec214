//! IL5008: WORKDIR inside a kernel or system directory (trivy DS030).

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "IL5008",
    name: "workdir-in-system-dir",
    category: Category::Security,
    severity: Severity::Error,
    summary: "WORKDIR should not be under /proc, /sys, /dev or /boot",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5008.md"),
    check,
};

/// Directories the kernel or the runtime own (pseudo-filesystems, boot files).
const SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found"];

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Workdir {
            continue;
        }
        let Some(arg) = instr.args.first() else {
            continue;
        };
        let path = arg.value.trim_matches('"');
        let normalized = crate::lint::rules::util::container_path_join("/", path);
        let inside = SYSTEM_DIRS
            .iter()
            .find(|d| normalized == **d || normalized.starts_with(&format!("{d}/")));
        if let Some(dir) = inside {
            sink.report(
                arg.span,
                format!("WORKDIR `{path}` is inside {dir}, which the kernel or the runtime owns: files written there are lost or reach the host"),
            );
        }
    }
}
