//! DL3048: Invalid Label Key.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3048",
    name: "label-key-invalid",
    category: Category::Style,
    severity: Severity::Style,
    summary: "Invalid Label Key",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3048.md"),
    check,
};

fn problem(key: &str) -> Option<&'static str> {
    let k = key.trim_matches('"');
    if k.is_empty() {
        return Some("is empty");
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| k.starts_with(p))
    {
        return Some("uses a namespace reserved by Docker");
    }
    if !k
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' || c == '_')
    {
        return Some("should only contain lower-case letters, digits, `.`, `-` and `_`");
    }
    if k.contains("..") || k.contains("--") {
        return Some("contains `..` or `--`");
    }
    // Docker's key guideline: begin with a lower-case letter, end with a letter or digit.
    if !k.starts_with(|c: char| c.is_ascii_lowercase())
        || !k.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("must start with a lower-case letter and end with a letter or digit");
    }
    None
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if instr.keyword != Keyword::Label {
            continue;
        }
        for pair in &instr.pairs {
            if pair.key.value.contains('$') {
                continue;
            }
            if let Some(why) = problem(&pair.key.value) {
                sink.report(pair.key.span, format!("Label key `{}` {why} (use reverse-DNS keys such as `org.opencontainers.image.title`)", pair.key.value));
            }
        }
    }
}
