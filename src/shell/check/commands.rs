//! Checks about how particular commands are used: echo/printf, find/xargs, ls, cat, read,
//! mkdir, ln, `$?`, loops and `!`.

use super::lex::{Quote, Token};
use super::{Findings, LexedCommand, Pass};
use crate::shell::Connector;

/// The command piped into `c` (the previous command of its pipeline), if any.
fn piped_from<'p, 's>(pass: &'p Pass<'s>, c: &LexedCommand) -> Option<&'p LexedCommand<'s>> {
    if c.command.connector != Connector::Pipe {
        return None;
    }
    pass.commands.iter().rev().find(|p| {
        p.index < c.index
            && p.command.pipeline == c.command.pipeline
            && p.command.depth == c.command.depth
    })
}

pub fn useless_cat(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        let Some(cat) = piped_from(pass, c) else {
            continue;
        };
        if !cat.command.is("cat") || cat.command.connector == Connector::Pipe {
            continue;
        }
        let files: Vec<_> = cat.command.args.iter().collect();
        if files.len() == 1 && !files[0].is_flag() {
            out.report(
                "SC2002",
                cat.command.name.span,
                "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.",
            );
        }
    }
}

pub fn useless_echo(pass: &Pass, out: &mut Findings) {
    for c in pass.named("echo") {
        if let [w] = c.args.as_slice() {
            // `echo "$(cmd)"` and `echo $(cmd)` both just print cmd's output again.
            if let [Token::Command { .. }] = w.tokens.as_slice() {
                out.report(
                    "SC2005",
                    w.word.span,
                    "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.",
                );
            }
        }
    }
}

pub fn ls_grep(pass: &Pass, out: &mut Findings) {
    for c in pass.named("grep") {
        if piped_from(pass, c).is_some_and(|p| p.command.is("ls")) {
            let ls = piped_from(pass, c)
                .map(|p| p.command.span())
                .unwrap_or(c.command.span());
            out.report(
                "SC2010",
                ls,
                "Don't use ls | grep. Use a glob or a for loop with a condition to allow non-alphanumeric filenames.",
            );
        }
    }
}

/// `\n`, `\t`, `\\`, `\0NN`, `\xHH`…: what `echo` may or may not expand.
fn has_echo_escape(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        b[i] == b'\\'
            && match b.get(i + 1) {
                Some(c) if b"rntabefv\\'".contains(c) => true,
                Some(b'0'..=b'7') => true,
                Some(b'x') => b.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit()),
                _ => false,
            }
    })
}

pub fn echo_escapes(pass: &Pass, out: &mut Findings) {
    for c in pass.named("echo") {
        let has_e = c
            .command
            .args
            .iter()
            .take_while(|a| a.value.starts_with('-'))
            .any(|a| a.value[1..].bytes().all(|b| b"neE".contains(&b)) && a.value.contains('e'));
        if has_e {
            continue;
        }
        for w in &c.args {
            let quoted_escape = w.tokens.iter().any(|t| {
                matches!(t, Token::Text { range, quote: Quote::Single | Quote::Double } if has_echo_escape(w.text(range)))
            });
            if quoted_escape {
                out.report(
                    "SC2028",
                    w.word.span,
                    "echo may not expand escape sequences. Use printf.",
                );
            }
        }
    }
}

pub fn glob_as_option(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        if c.command.is("echo") || c.command.is("printf") {
            continue;
        }
        for w in &c.args {
            if matches!(w.word.raw.as_str(), "--" | ":::" | "::::") {
                break;
            }
            if let Some(Token::Text {
                range,
                quote: Quote::None,
            }) = w.tokens.first()
            {
                if w.text(range).starts_with(['*', '?']) {
                    out.report(
                        "SC2035",
                        w.word.span,
                        "Use ./*glob* or -- *glob* so names with dashes won't become options.",
                    );
                }
            }
        }
    }
}

pub fn find_xargs(pass: &Pass, out: &mut Findings) {
    for c in pass.named("xargs") {
        let Some(find) = piped_from(pass, c) else {
            continue;
        };
        if !find.command.is("find") {
            continue;
        }
        let nul_find = find
            .command
            .args
            .iter()
            .any(|a| matches!(a.value.as_str(), "-print0" | "-printf"));
        let nul_xargs = c.command.has_flag(&["-0", "--null", "-d", "--delimiter"]);
        if !nul_find && !nul_xargs {
            out.report(
                "SC2038",
                find.command.span(),
                "Use 'find .. -print0 | xargs -0 ..' or 'find .. -exec .. +' to allow non-alphanumeric filenames.",
            );
        }
    }
}

pub fn single_iteration_loop(pass: &Pass, out: &mut Findings) {
    for l in pass.script.for_loops.iter().filter(|l| !l.in_shell_string) {
        let [word] = l.values.as_slice() else {
            continue;
        };
        let tokens = super::lex(&word.raw);
        let quoted_expansion = tokens.iter().any(|t| !matches!(t, Token::Text { .. }));
        let may_split = super::lex::may_split(&word.raw, &tokens);
        // `for x in "$LIST"` is SC2066 (the quotes stop the split), not this.
        if !may_split && !quoted_expansion {
            out.report(
                "SC2043",
                word.span,
                "This loop will only ever run once. Bad quoting or missing glob/expansion?",
            );
        }
    }
}

pub fn printf_format_variable(pass: &Pass, out: &mut Findings) {
    for c in pass.named("printf") {
        let mut args = c
            .args
            .iter()
            .skip_while(|a| a.word.is_flag() && a.word.value != "--");
        let mut format = args.next();
        if format.is_some_and(|f| f.word.value == "--") {
            format = args.next();
        }
        // `printf -v var FMT`: the format follows the variable name.
        if c.command.has_flag(&["-v"]) {
            format = c
                .args
                .iter()
                .position(|a| a.word.value == "-v")
                .and_then(|i| c.args.get(i + 2));
        }
        let Some(format) = format else {
            continue;
        };
        if format
            .tokens
            .iter()
            .any(|t| matches!(t, Token::Param { .. } | Token::Command { .. }))
        {
            out.report(
                "SC2059",
                format.word.span,
                "Don't use variables in the printf format string. Use printf '..%s..' \"$foo\".",
            );
        }
    }
}

pub fn echo_in_substitution(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        for w in c.args.iter().chain(&c.redirects) {
            for t in &w.tokens {
                let Token::Command { range, inner, .. } = t else {
                    continue;
                };
                let body = w.text(inner).trim();
                let Some(rest) = body.strip_prefix("echo ") else {
                    continue;
                };
                // Only a plain `echo words`: a pipe, list or flag changes what it does.
                let plain = !rest.contains(['|', ';', '&', '>', '<', '`', '$'])
                    && !rest.trim_start().starts_with('-');
                if plain {
                    out.report(
                        "SC2116",
                        w.span_of(range),
                        "Useless echo? Instead of 'cmd $(echo foo)', just use 'cmd foo'.",
                    );
                }
            }
        }
    }
}

pub fn read_without_r(pass: &Pass, out: &mut Findings) {
    for c in pass.named("read") {
        if !c.command.has_flag(&["-r"]) {
            out.report(
                "SC2162",
                c.command.name.span,
                "read without -r will mangle backslashes.",
            );
        }
    }
}

pub fn mkdir_p_m(pass: &Pass, out: &mut Findings) {
    for c in pass.named("mkdir") {
        let cmd = c.command;
        if cmd.has_flag(&["-p", "--parents"]) && cmd.has_flag(&["-m", "--mode"]) {
            let mode = cmd
                .find_flag(&["-m", "--mode"])
                .map_or(cmd.span(), |w| w.span);
            out.report(
                "SC2174",
                mode,
                "When used with -p, -m only applies to the deepest directory.",
            );
        }
    }
}

pub fn exit_code_test(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        if !(c.command.is("[") || c.command.is("test")) {
            continue;
        }
        let compares_status = c.args.windows(2).any(|p| {
            p[0].word.raw == "$?"
                && matches!(p[1].word.value.as_str(), "-eq" | "-ne" | "=" | "!=" | "==")
        });
        if compares_status {
            out.report(
                "SC2181",
                c.command.span(),
                "Check exit code directly with e.g. 'if mycmd;', not indirectly with $?.",
            );
        }
    }
}

pub fn ln_without_destination(pass: &Pass, out: &mut Findings) {
    for c in pass.named("ln") {
        let operands = c
            .command
            .positionals(&["-t", "--target-directory", "-S", "--suffix"]);
        if operands.len() == 1 && !c.command.has_flag(&["-t", "--target-directory"]) {
            out.report(
                "SC2226",
                c.command.span(),
                "This ln has no destination. Check the arguments, or specify '.' explicitly.",
            );
        }
    }
}

pub fn unchecked_negation(pass: &Pass, out: &mut Findings) {
    if !pass.errexit {
        return;
    }
    for span in &pass.script.unchecked_negations {
        out.report(
            "SC2251",
            *span,
            "This ! is not on a condition and skips errexit. Use `&& exit 1` instead, or make sure $? is checked.",
        );
    }
}
