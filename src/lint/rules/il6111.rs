//! IL6111: COPY/ADD of a file excluded by .dockerignore.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::copy_sources;

pub static RULE: Rule = Rule {
    code: "IL6111",
    name: "copy-ignored-file",
    category: Category::Correctness,
    severity: Severity::Warning,
    summary: "COPY/ADD of a file excluded by .dockerignore",
    aliases: &["CopyIgnoredFile"],
    opt_in: false,
    doc: include_str!("../../../rules/IL6111.md"),
    check,
};

/// One `.dockerignore` line: a glob over context-relative paths, or an exception (`!`).
struct IgnoreRule {
    glob: globset::GlobMatcher,
    exception: bool,
}

/// Reads `.dockerignore` from the build context (none, unreadable or malformed → no rules).
fn read_dockerignore(ctx: &Context) -> Vec<IgnoreRule> {
    let Some(text) = ctx.read_context_file(".dockerignore", 1 << 20) else {
        return Vec::new();
    };
    let mut rules = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (exception, pattern) = match line.strip_prefix('!') {
            Some(p) => (true, p.trim()),
            None => (false, line),
        };
        let pattern = clean(pattern);
        if pattern.is_empty() {
            continue;
        }
        let glob = globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build();
        if let Ok(glob) = glob {
            rules.push(IgnoreRule {
                glob: glob.compile_matcher(),
                exception,
            });
        }
    }
    rules
}

/// `./a//b/` → `a/b`, as Go's filepath.Clean with the leading `/` dropped.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Whether `path` (context-relative) is excluded: the last matching rule decides, and a
/// pattern that matches a parent directory excludes everything under it.
fn excluded(rules: &[IgnoreRule], path: &str) -> bool {
    let mut prefixes = Vec::new();
    let mut acc = String::new();
    for part in path.split('/') {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(part);
        prefixes.push(acc.clone());
    }
    let mut result = false;
    for rule in rules {
        if prefixes.iter().any(|p| rule.glob.is_match(p)) {
            result = !rule.exception;
        }
    }
    result
}

fn check(ctx: &Context, sink: &mut Sink) {
    let rules = read_dockerignore(ctx);
    if rules.is_empty() {
        return;
    }
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add)
            || instr.flag("from").is_some()
            || !instr.heredocs.is_empty()
        {
            continue;
        }
        for src in copy_sources(instr) {
            let v = &src.value;
            if v.contains("://") || v.contains('$') || v.contains(['*', '?', '[']) {
                continue;
            }
            let path = clean(v);
            if path.is_empty() {
                continue;
            }
            if excluded(&rules, &path) {
                let kw = instr.keyword.as_str().to_ascii_uppercase();
                sink.report(src.span, format!("Attempting to {kw} file \"{v}\" that is excluded by .dockerignore: the build fails or copies nothing. Remove it from .dockerignore (or add a `!{path}` exception)"));
            }
        }
    }
}
