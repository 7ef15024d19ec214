//! IL5010: ARG/ENV names of cloud credentials that DL3064's list does not catch
//! (`…_KEY_ID`, `…_CLIENT_ID` next to `…_CLIENT_SECRET`, storage account keys).

use crate::dockerfile::ast::Keyword;
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::dl3064::is_sensitive_name;

pub static RULE: Rule = Rule {
    code: "IL5010",
    name: "credential-id-in-arg-or-env",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not pass cloud credential identifiers in ARG or ENV",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5010.md"),
    check,
};

/// Name endings that identify one half of a credential pair or a key that is itself secret.
const CREDENTIAL_SUFFIXES: &[&str] = &[
    "_KEY_ID",
    "_ACCOUNT_KEY",
    "_STORAGE_KEY",
    "_CONNECTION_STRING",
];

fn check(ctx: &Context, sink: &mut Sink) {
    let df = ctx.dockerfile;
    let defined: Vec<String> = df
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Arg | Keyword::Env))
        .flat_map(|i| i.pairs.iter().map(|p| p.key.value.to_ascii_uppercase()))
        .collect();
    for instr in &df.instructions {
        if !matches!(instr.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        for pair in &instr.pairs {
            let name = &pair.key.value;
            // DL3064 reports the names its word list knows; this rule adds the rest.
            if is_sensitive_name(name) {
                continue;
            }
            let upper = name.to_ascii_uppercase();
            let pair_secret = upper
                .strip_suffix("_CLIENT_ID")
                .map(|prefix| format!("{prefix}_CLIENT_SECRET"))
                .is_some_and(|secret| defined.contains(&secret));
            if pair_secret || CREDENTIAL_SUFFIXES.iter().any(|s| upper.ends_with(s)) {
                let kw = instr.keyword.as_str().to_ascii_uppercase();
                sink.report(
                    pair.key.span,
                    format!("{kw} `{name}` is part of a cloud credential: {kw} values stay in the image metadata and history. Pass it with `RUN --mount=type=secret,env={name}` instead"),
                );
            }
        }
    }
}
