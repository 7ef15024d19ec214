//! DL3020: Use COPY instead of ADD for files and folders.

use crate::dockerfile::ast::Keyword;
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::edits::keyword_like;
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

/// A source ADD treats as more than a local path: a URL, a git remote, an archive it would
/// unpack, or a variable that could be any of those.
fn is_special(path: &str) -> bool {
    // A quoted source counts by what is inside the quotes (as hadolint reads it).
    let path = path.trim_matches(['"', '\'']);
    path.contains("://") || path.starts_with("git@") || is_archive(path) || path.contains('$')
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Add || !instr.heredocs.is_empty() {
            continue;
        }
        // The keyword becomes COPY only when every source is local and no flag is ADD's own.
        let add_only_flag = ["checksum", "keep-git-dir", "unpack"]
            .iter()
            .any(|f| instr.flag(f).is_some());
        let fix = (!add_only_flag && !copy_sources(instr).iter().any(|s| is_special(&s.value)))
            .then(|| {
                Fix::safe(vec![Edit::replace(
                    instr.keyword_span,
                    keyword_like(&instr.keyword_text, "COPY"),
                )])
            });
        for src in copy_sources(instr) {
            let v = &src.value;
            if is_special(v) {
                continue;
            }
            let message = format!(
                "ADD of a local path (`{v}`) is COPY with surprises (it would unpack archives, fetch URLs): use COPY"
            );
            sink.report_fix(src.span, message, fix.clone());
        }
    }
}
