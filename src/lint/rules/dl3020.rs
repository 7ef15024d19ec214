//! DL3020: Use COPY instead of ADD for files and folders.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::copy_sources;

pub static RULE: Rule = Rule {
    code: "DL3020",
    name: "copy-not-add",
    category: Category::Correctness,
    severity: Severity::Error,
    summary: "Use COPY instead of ADD for files and folders",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3020.md"),
    check,
};

fn is_archive(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".tar",
        ".tar.gz",
        ".tgz",
        ".tar.bz2",
        ".tbz2",
        ".tbz",
        ".tar.xz",
        ".txz",
        ".tar.zst",
        ".tzst",
        ".tar.lz",
        ".tar.lzma",
        ".gz",
        ".bz2",
        ".xz",
        ".zst",
    ]
    .iter()
    .any(|ext| p.ends_with(ext))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Add || !instr.heredocs.is_empty() {
            continue;
        }
        for src in copy_sources(instr) {
            let v = &src.value;
            let remote = v.contains("://") || v.starts_with("git@");
            if remote || is_archive(v) || v.contains('$') {
                continue;
            }
            sink.report(src.span, format!("ADD of a local path (`{v}`) is COPY with surprises (it would unpack archives, fetch URLs): use COPY"));
        }
    }
}
