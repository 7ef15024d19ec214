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
            // Only a substitution of one statement that runs a program (`$(<file)` reads a
            // file, `$(a; b)` prints two outputs).
            if let [Token::Command { inner, .. }] = w.tokens.as_slice()
                && is_one_command(w.text(inner))
            {
                out.report(
                    "SC2005",
                    w.word.span,
                    "Useless echo? Instead of 'echo $(cmd)', just use 'cmd'.",
                );
            }
        }
    }
}

/// Whether shell text is one statement (no top-level `;`, newline or `&`) that is not only a
/// redirection.
fn is_one_command(text: &str) -> bool {
    let text = text.trim().trim_end_matches(';').trim_end();
    if text.is_empty() || text.starts_with('<') {
        return false;
    }
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(b'"') if c == b'\\' => i += 1,
            Some(_) => {}
            None => match c {
                b'\\' => i += 1,
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b';' | b'\n' if depth == 0 => return false,
                b'&' if depth == 0 => {
                    if b.get(i + 1) == Some(&b'&') {
                        i += 1;
                    } else if i == 0 || b[i - 1] != b'>' && b[i - 1] != b'<' {
                        return false;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    true
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
                && w.text(range).starts_with(['*', '?'])
            {
                out.report(
                    "SC2035",
                    w.word.span,
                    "Use ./*glob* or -- *glob* so names with dashes won't become options.",
                );
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

pub fn ls_output(pass: &Pass, out: &mut Findings) {
    // One report per pipeline, and none where `ls | grep` (SC2010) or `ls | xargs` (SC2011)
    // already says more.
    let mut done = std::collections::HashSet::new();
    for c in &pass.commands {
        let Some(ls) = piped_from(pass, c).filter(|p| p.command.is("ls")) else {
            continue;
        };
        let pipeline = ls.command.pipeline;
        let more_specific = pass.commands.iter().any(|n| {
            n.command.pipeline == pipeline
                && (n.command.is("grep") || n.command.is("xargs"))
                && piped_from(pass, n).is_some_and(|p| p.command.is("ls"))
        });
        // `ls -N` prints names literally, as the pipe expects.
        if more_specific || ls.command.has_flag(&["-N"]) || !done.insert(pipeline) {
            continue;
        }
        out.report(
            "SC2012",
            ls.command.name.span,
            "Use find instead of ls to better handle non-alphanumeric filenames.",
        );
    }
}

pub fn shorthand_if(pass: &Pass, out: &mut Findings) {
    for span in &pass.script.constructs.shorthand_ifs {
        out.report(
            "SC2015",
            *span,
            "Note that A && B || C is not if-then-else. C may run when A is true.",
        );
    }
}

/// `for x in $(PROGRAM …)`: the loop's only word is one unquoted command substitution running
/// `program`; gives the word.
fn loops_over_output<'s>(pass: &Pass<'s>, program: &str) -> Vec<&'s crate::shell::Word> {
    let mut found = Vec::new();
    for l in pass.script.for_loops.iter().filter(|l| !l.in_shell_string) {
        let [word] = l.values.as_slice() else {
            continue;
        };
        let tokens = super::lex(&word.raw);
        let [
            Token::Command {
                inner,
                quoted: false,
                ..
            },
        ] = tokens.as_slice()
        else {
            continue;
        };
        let body = word.raw.get(inner.clone()).unwrap_or("");
        let first = body.split_whitespace().next().unwrap_or("");
        if crate::shell::basename(first) == program {
            found.push(word);
        }
    }
    found
}

pub fn for_in_find(pass: &Pass, out: &mut Findings) {
    for word in loops_over_output(pass, "find") {
        out.report(
            "SC2044",
            word.span,
            "For loops over find output are fragile. Use find -exec or a while read loop.",
        );
    }
}

pub fn for_in_ls(pass: &Pass, out: &mut Findings) {
    for word in loops_over_output(pass, "ls") {
        out.report(
            "SC2045",
            word.span,
            "Iterating over ls output is fragile. Use globs.",
        );
    }
}

pub fn trap_quotes(pass: &Pass, out: &mut Findings) {
    for c in pass.named("trap") {
        let Some(action) = c.args.first() else {
            continue;
        };
        // Only an action written as one double-quoted string, as ShellCheck checks.
        let raw = action.word.raw.as_str();
        let one_string = raw.len() >= 2
            && raw.starts_with('"')
            && raw.ends_with('"')
            && action.tokens.iter().all(|t| match t {
                Token::Text { quote, .. } => *quote == Quote::Double,
                Token::Param { quoted, .. }
                | Token::Command { quoted, .. }
                | Token::Arithmetic { quoted, .. } => *quoted,
            });
        if !one_string {
            continue;
        }
        for t in &action.tokens {
            if matches!(t, Token::Param { .. } | Token::Command { .. }) {
                out.report(
                    "SC2064",
                    action.span_of(t.range()),
                    "Use single quotes, otherwise this expands now rather than when signalled.",
                );
            }
        }
    }
}

pub fn char_range_glob(pass: &Pass, out: &mut Findings) {
    for c in &pass.commands {
        // `tr` and `read` take brackets as their own syntax.
        if c.command.is("tr") || c.command.is("read") {
            continue;
        }
        for w in &c.args {
            for t in &w.tokens {
                let Token::Text {
                    range,
                    quote: Quote::None,
                } = t
                else {
                    continue;
                };
                if let Some(glob) = duplicate_char_class(w.text(range)) {
                    let at = range.start + glob.start..range.start + glob.end;
                    out.report(
                        "SC2102",
                        w.span_of(&at),
                        "Ranges can only match single chars (mentioned due to duplicates).",
                    );
                }
            }
        }
    }
}

/// The first `[…]` bracket expression in unquoted text whose members repeat a character
/// (`pkg[security,socks]`: the author meant a literal, not one character out of a set).
fn duplicate_char_class(text: &str) -> Option<std::ops::Range<usize>> {
    let open = text.find('[')?;
    // A `]` right after `[` (or `[!`/`[^`) is a member, not the end.
    let body_start = open + 1;
    let search_from = match &text.as_bytes()[body_start..] {
        [b'!' | b'^', b']', ..] => body_start + 2,
        [b']', ..] => body_start + 1,
        _ => body_start,
    };
    let close = text[search_from..].find(']')? + search_from;
    let contents = &text[body_start..close];
    let contents = contents
        .strip_prefix('!')
        .or_else(|| contents.strip_prefix('^'))
        .unwrap_or(contents);
    let named_class = contents.len() > 1 && contents.starts_with(':') && contents.ends_with(':');
    if named_class || contents.contains('[') {
        return None;
    }
    let mut members: Vec<char> = contents.chars().filter(|&c| c != '-').collect();
    members.sort_unstable();
    let repeats = members.windows(2).any(|p| p[0] == p[1]);
    repeats.then_some(open..close + 1)
}

pub fn unchecked_cd(pass: &Pass, out: &mut Findings) {
    if pass.errexit {
        return;
    }
    for &index in &pass.script.constructs.unchecked_statuses {
        let Some(c) = pass.script.commands.get(index) else {
            continue;
        };
        let name = c.program();
        if !matches!(name, "cd" | "pushd" | "popd") {
            continue;
        }
        // `pushd -n` only rotates the stack; `cd ..` and `cd /` cannot fail.
        let no_change = name != "cd" && c.has_flag(&["-n"]);
        let safe_dir = matches!(c.args.as_slice(), [dir] if is_always_there(&dir.raw));
        if no_change || safe_dir {
            continue;
        }
        out.report(
            "SC2164",
            c.span(),
            format!("Use '{name} ... || exit' or '{name} ... || return' in case {name} fails."),
        );
    }
}

/// `/`, `.`, `..`, `../..`, `./`: directories that always exist.
fn is_always_there(dir: &str) -> bool {
    dir.split('/')
        .filter(|part| !part.is_empty())
        .all(|part| part == "." || part == "..")
}

pub fn which(pass: &Pass, out: &mut Findings) {
    for c in pass.named("which") {
        out.report(
            "SC2230",
            c.command.name.span,
            "'which' is non-standard. Use builtin 'command -v' instead.",
        );
    }
}
