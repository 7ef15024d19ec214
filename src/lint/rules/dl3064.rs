//! DL3064: ARG/ENV names that suggest secrets.

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::is_secret_name;

pub static RULE: Rule = Rule {
    code: "DL3064",
    name: "secret-in-arg-or-env",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not use ARG or ENV instructions for sensitive data",
    aliases: &["SecretsUsedInArgOrEnv"],
    doc: include_str!("../../../rules/DL3064.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        for pair in &instr.pairs {
            if is_secret_name(&pair.key.value) {
                sink.report(
                    pair.key.span,
                    format!(
                        "{kw} `{}` looks like a secret: {kw} values are stored in the image metadata and history. Pass it with `RUN --mount=type=secret` instead",
                        pair.key.value
                    ),
                );
            }
        }
    }
}
