//! Bashisms in POSIX sh (ShellCheck's SC3xxx): reported only when the RUN's shell is `sh`
//! (or BusyBox ash, for what ash lacks).

use super::lex::{Quote, Token};
use super::{Dialect, Findings, Pass};

fn posix(pass: &Pass) -> bool {
    pass.dialect != Dialect::Bash
}

pub fn brace_expansion(pass: &Pass, out: &mut Findings) {
    if !posix(pass) {
        return;
    }
    for c in &pass.commands {
        for w in &c.args {
            let brace = w.tokens.iter().find_map(|t| match t {
                Token::Text {
                    range,
                    quote: Quote::None,
                } => {
                    let text = w.text(range);
                    let open = text.find('{')?;
                    let close = text[open..].find('}')? + open;
                    let inner = &text[open + 1..close];
                    (inner.contains(',') || inner.contains("..")).then(|| range.clone())
                }
                _ => None,
            });
            if let Some(range) = brace {
                out.report(
                    "SC3009",
                    w.span_of(&range),
                    "In POSIX sh, brace expansion is undefined.",
                );
            }
        }
    }
}

pub fn double_equals(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for c in &pass.commands {
        if !(c.command.is("[") || c.command.is("test")) {
            continue;
        }
        for w in c.args.iter().filter(|w| w.word.raw == "==") {
            out.report(
                "SC3014",
                w.word.span,
                "In POSIX sh, == in place of = is undefined.",
            );
        }
    }
}

pub fn arrays(pass: &Pass, out: &mut Findings) {
    if !posix(pass) {
        return;
    }
    for a in pass
        .script
        .assignments
        .iter()
        .filter(|a| !a.in_shell_string)
    {
        if a.raw_value.starts_with('(') {
            out.report("SC3030", a.span, "In POSIX sh, arrays are undefined.");
        }
    }
}

pub fn echo_flags(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for c in pass.named("echo") {
        if let Some(flag) = c.args.first().filter(|w| is_echo_flag(&w.word.raw)) {
            out.report(
                "SC3037",
                flag.word.span,
                "In POSIX sh, echo flags are undefined.",
            );
        }
    }
}

fn is_echo_flag(raw: &str) -> bool {
    raw.len() > 1 && raw.starts_with('-') && raw[1..].bytes().all(|b| b"neE".contains(&b))
}

pub fn pipefail(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for c in pass.named("set") {
        let words = &c.args;
        for (i, w) in words.iter().enumerate() {
            let takes_option = i > 0 && {
                let v = words[i - 1].word.value.as_str();
                (v.starts_with('-') || v.starts_with('+')) && v.ends_with('o')
            };
            if takes_option && w.word.value == "pipefail" {
                out.report(
                    "SC3040",
                    w.word.span,
                    "In POSIX sh, set option pipefail is undefined.",
                );
            }
        }
    }
}

pub fn source(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for c in pass.named("source") {
        out.report(
            "SC3046",
            c.command.name.span,
            "In POSIX sh, 'source' in place of '.' is undefined.",
        );
    }
}

pub fn double_brackets(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for span in &pass.script.constructs.double_brackets {
        out.report("SC3010", *span, "In POSIX sh, [[ ]] is undefined.");
    }
}

pub fn output_and_error(pass: &Pass, out: &mut Findings) {
    if pass.dialect != Dialect::Sh {
        return;
    }
    for span in &pass.script.constructs.output_and_error {
        out.report("SC3020", *span, "In POSIX sh, &> is undefined.");
    }
}

pub fn array_references(pass: &Pass, out: &mut Findings) {
    if !posix(pass) {
        return;
    }
    for c in &pass.commands {
        for w in c.args.iter().chain(&c.redirects) {
            for t in &w.tokens {
                let Token::Param { range, .. } = t else {
                    continue;
                };
                let body = w
                    .text(range)
                    .strip_prefix("${")
                    .and_then(|b| b.strip_suffix('}'))
                    .unwrap_or("");
                if is_array_reference(body) {
                    out.report(
                        "SC3054",
                        w.span_of(range),
                        "In POSIX sh, array references are undefined.",
                    );
                }
            }
        }
    }
}

/// `NAME[…]` (the inside of `${NAME[…]}`).
fn is_array_reference(body: &str) -> bool {
    let Some(open) = body.find('[') else {
        return false;
    };
    open > 0
        && body.ends_with(']')
        && body[..open]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
