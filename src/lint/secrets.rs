//! Literal secrets written into a Dockerfile: `ENV DB_PASSWORD=hunter2`, `echo 'root:pw' |
//! chpasswd`, `useradd -p pw`. IL5001 reports them, and every report that shows source text
//! masks them, whichever rules are enabled, so a secret is never printed in full.

use crate::dockerfile::ast::{Keyword, Span};
use crate::lint::rule::Context;
use crate::lint::rules::util::{is_secret_name, run_commands};

/// Where a literal secret was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKind {
    /// The value of an `ARG`/`ENV` whose name says it holds a secret.
    Variable { name: String },
    /// `user:password` echoed into `chpasswd`.
    Chpasswd,
    /// `useradd -p` / `usermod --password` (the program's name).
    PasswordFlag { program: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralSecret {
    /// Where a finding about it points.
    pub span: Span,
    /// The words that hold the value (masked in reports).
    pub value: Span,
    pub kind: SecretKind,
}

/// Whether a value is written out rather than taken from a variable or a file, and is not an
/// obvious non-secret such as `true` or a path.
pub fn is_literal(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.contains('$')
        && !v.starts_with('/')
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "none" | "null"
        )
}

/// Every literal secret in the file, in source order.
pub fn literal_secrets(ctx: &Context) -> Vec<LiteralSecret> {
    let mut found = Vec::new();
    for instr in &ctx.dockerfile.instructions {
        if !matches!(instr.keyword, Keyword::Arg | Keyword::Env) {
            continue;
        }
        for pair in &instr.pairs {
            let Some(value) = &pair.value else { continue };
            if is_secret_name(&pair.key.value) && is_literal(&value.value) {
                found.push(LiteralSecret {
                    span: value.span,
                    value: value.span,
                    kind: SecretKind::Variable {
                        name: pair.key.value.clone(),
                    },
                });
            }
        }
    }
    // Parsing every RUN costs time; most files set no password from the shell at all.
    let mentions = |word: &str| ctx.source.contains(word);
    if !(mentions("chpasswd") || mentions("useradd") || mentions("usermod")) {
        return found;
    }
    for (idx, _, cmd) in run_commands(ctx) {
        // `echo 'root:secret' | chpasswd`
        if cmd.is("chpasswd") && cmd.pipeline_len > 1 {
            let Some(script) = ctx.facts().script(idx) else {
                continue;
            };
            for feeder in script.pipeline(cmd.pipeline) {
                if !(feeder.is("echo") || feeder.is("printf")) {
                    continue;
                }
                if let Some(w) = feeder.args.iter().find(|a| {
                    a.value.split_once(':').is_some_and(|(_, p)| is_literal(p)) && !a.is_dynamic()
                }) && !found.iter().any(|s| s.span == w.span)
                {
                    found.push(LiteralSecret {
                        span: w.span,
                        value: w.span,
                        kind: SecretKind::Chpasswd,
                    });
                }
            }
        }
        // `useradd -p <hash-or-password>` / `usermod --password …`
        if (cmd.is("useradd") || cmd.is("usermod"))
            && cmd
                .flag_value(&["-p", "--password"])
                .is_some_and(is_literal)
            && let Some(flag_at) = cmd
                .args
                .iter()
                .position(|w| w.value.starts_with("-p") || w.value.starts_with("--password"))
        {
            let flag = &cmd.args[flag_at];
            // `-p VALUE` holds the value in the next word; `-pVALUE` and `--password=VALUE`
            // in the flag's own.
            let value = if flag.value == "-p" || flag.value == "--password" {
                cmd.args.get(flag_at + 1).map_or(flag.span, |w| w.span)
            } else {
                flag.span
            };
            found.push(LiteralSecret {
                span: flag.span,
                value,
                kind: SecretKind::PasswordFlag {
                    program: cmd.program().to_string(),
                },
            });
        }
    }
    found
}

/// How many characters of a secret a report may show before masking the rest.
pub const SHOWN_PREFIX_CHARS: usize = 2;
