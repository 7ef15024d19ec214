//! DL3025: shell-form CMD/ENTRYPOINT.

use crate::dockerfile::ast::{Form, Instruction, Keyword};
use crate::lint::fix::{Edit, Fix};
use crate::lint::rule::{Category, Context, Rule, Severity, Sink};
use crate::lint::rules::util::SHELL_BUILTINS;

pub static RULE: Rule = Rule {
    code: "DL3025",
    name: "json-args-recommended",
    category: Category::MissingExec,
    severity: Severity::Warning,
    summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    aliases: &[],
    opt_in: false,
    doc: include_str!("../../../rules/DL3025.md"),
    check,
};

/// The JSON form: plain words (no quoting, expansion, globbing or operators) become one string
/// each; anything else becomes `["/bin/sh", "-c", "<text>"]`, which is exactly what the shell
/// form means. An ENTRYPOINT next to a CMD keeps `/bin/sh -c` too (as JSON it would receive the
/// CMD as arguments). No fix under a SHELL instruction (the shell form is not `/bin/sh -c`
/// there) or when the text has comment lines inside it.
fn fix(ctx: &Context, instr: &Instruction) -> Option<Fix> {
    let df = ctx.dockerfile;
    if df.instructions.iter().any(|i| i.keyword == Keyword::Shell)
        || !instr.inner_comments.is_empty()
        || !instr.heredocs.is_empty()
    {
        return None;
    }
    let arg = instr.args.first()?;
    let text = arg.value.trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain_word = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c))
    };
    let beside_cmd = instr.keyword == Keyword::Entrypoint
        && df
            .instructions
            .iter()
            .any(|i| i.keyword == Keyword::Cmd && i.stage == instr.stage);
    let plain =
        words.iter().all(|w| plain_word(w)) && !SHELL_BUILTINS.contains(&words[0]) && !beside_cmd;
    let json = |items: &[&str]| {
        let quoted: Vec<String> = items
            .iter()
            .map(|s| serde_json::to_string(s).expect("strings serialise"))
            .collect();
        format!("[{}]", quoted.join(", "))
    };
    let replacement = if plain {
        json(&words)
    } else {
        json(&["/bin/sh", "-c", text])
    };
    Some(Fix::safe(vec![Edit::replace(arg.span, replacement)]))
}

fn check(ctx: &Context, sink: &mut Sink) {
    for instr in &ctx.dockerfile.instructions {
        // hadolint checks `HEALTHCHECK CMD` too: its shell form adds a `/bin/sh` to every probe.
        if instr.keyword == Keyword::Healthcheck
            && !instr.healthcheck_none
            && instr.form == Form::Shell
            && let Some(arg) = instr.args.first().filter(|a| !a.value.trim().is_empty())
        {
            sink.report(arg.span, "Shell-form HEALTHCHECK CMD starts `/bin/sh -c` for every probe: write it as a JSON array, e.g. HEALTHCHECK CMD [\"prog\", \"arg\"]");
            continue;
        }
        if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) || instr.form != Form::Shell
        {
            continue;
        }
        let Some(arg) = instr.args.first() else {
            continue;
        };
        if arg.value.trim().is_empty() {
            continue;
        }
        let kw = instr.keyword.as_str().to_ascii_uppercase();
        sink.report_fix(
            arg.span,
            format!(
                "Shell-form {kw} runs under `/bin/sh -c`, which does not forward SIGTERM to the program: write it as a JSON array, e.g. {kw} [\"prog\", \"arg\"]"
            ),
            fix(ctx, instr),
        );
    }
}
