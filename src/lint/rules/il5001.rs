//! IL5001: a literal password or secret value in the Dockerfile.

use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::secrets::{SecretKind, literal_secrets};

pub static RULE: Rule = Rule {
    code: "IL5001",
    name: "hardcoded-secret",
    category: Category::Security,
    severity: Severity::Error,
    summary: "A password or secret is written literally in the Dockerfile",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/IL5001.md"),
    check,
};

fn check(ctx: &Context, sink: &mut Sink) {
    for secret in literal_secrets(ctx) {
        match secret.kind {
            SecretKind::Variable { name } => sink.report(
                secret.span,
                format!(
                    "`{name}` has a literal value: anyone who pulls the image can read it. Remove it and provide the secret at run time (or via `RUN --mount=type=secret` at build time)"
                ),
            ),
            SecretKind::Chpasswd => sink.report(
                secret.span,
                "A password is set from a literal in the Dockerfile (visible in `docker history`): lock the account or set it at run time",
            ),
            SecretKind::PasswordFlag { program } => sink.report(
                secret.span,
                format!("`{program} -p` sets a password from a literal visible in `docker history`"),
            ),
        }
    }
}
