//! DL3064: ARG/ENV names that suggest secrets (hadolint's name list and substrings).

use crate::dockerfile::ast::{Instruction, Keyword};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};

pub static RULE: Rule = Rule {
    code: "DL3064",
    name: "secret-in-arg-or-env",
    category: Category::Security,
    severity: Severity::Warning,
    summary: "Do not use ARG or ENV instructions for sensitive data",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3064.md"),
    check,
};

/// Well-known names of credentials (CI services, clouds, registries).
const KNOWN_SENSITIVE: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CF_USERNAME",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "CI_DEPLOY_USER",
    "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL",
    "DOCKER_PASSWORD",
    "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_ID",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "HEROKU_API_USER",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_AUTHN_GROUPID",
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTID",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "OS_USERNAME",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "STRIPE_DEVICE_NAME",
    "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS",
    "TRAVIS_SUDO",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

/// Parts of a name (lower case, anywhere in it) that suggest a secret.
const SUSPICIOUS: &[&str] = &[
    "api_key",
    "client_key",
    "password",
    "private",
    "secret",
    "token",
    "username",
];

/// Whether DL3064 reports an ARG/ENV named `name`: a well-known credential name, or one holding
/// a suspicious part. A name ending in `_FILE` or `_PATH` holds where the secret is, not the
/// secret, and is not reported (imglint is more precise than hadolint here).
pub fn is_sensitive_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.ends_with("_FILE") || upper.ends_with("_PATH") {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    KNOWN_SENSITIVE.contains(&upper.as_str()) || SUSPICIOUS.iter().any(|s| lower.contains(s))
}

/// ARG and ENV instructions, `ONBUILD ARG`/`ONBUILD ENV` triggers included.
pub fn arg_and_env(instructions: &[Instruction]) -> impl Iterator<Item = &Instruction> {
    instructions
        .iter()
        .map(|i| i.onbuild.as_deref().unwrap_or(i))
        .filter(|i| matches!(i.keyword, Keyword::Arg | Keyword::Env))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in arg_and_env(&ctx.dockerfile.instructions) {
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        for pair in &instr.pairs {
            if is_sensitive_name(&pair.key.value) {
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
