//! IL6113: BuildKit's SecretsUsedInArgOrEnv, with BuildKit's name matching.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::dl3064::arg_and_env;

pub static RULE: Rule = Rule {
    code: "IL6113",
    name: "buildkit-secrets-used-in-arg-or-env",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Sensitive data should not be used in the ARG or ENV commands",
    aliases: &["SecretsUsedInArgOrEnv"],
    opt_in: true,
    doc: include_str!("../../../rules/IL6113.md"),
    check,
};

/// BuildKit's rule: some `_`-separated word of the name (any case) is one of these…
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
/// …and none is one of these.
const ALLOWED_WORDS: &[&str] = &["public", "file", "version"];

fn is_buildkit_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    words.iter().any(|w| SECRET_WORDS.contains(w))
        && !words.iter().any(|w| ALLOWED_WORDS.contains(w))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in arg_and_env(&ctx.dockerfile.instructions) {
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        for pair in &instr.pairs {
            if is_buildkit_secret(&pair.key.value) {
                sink.report(
                    pair.key.span,
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({kw} \"{}\")",
                        pair.key.value
                    ),
                );
            }
        }
    }
}
