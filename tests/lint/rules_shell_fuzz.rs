//! The shell layer must survive any RUN text: arbitrary shell-ish input never panics or
//! overflows the stack, every word span lies inside the text, and every ShellCheck-class check
//! runs on it (in each dialect) without panicking, with findings inside the text.

use std::collections::HashSet;

use imgtools::shell::check::{Dialect, Pass, analyze};
use proptest::prelude::*;

fn check(text: &str) {
    let script = imgtools::shell::parse_str(text);
    let lines = text.lines().count().max(1) as u32 + 1;
    for cmd in &script.commands {
        for w in std::iter::once(&cmd.name).chain(&cmd.args) {
            assert!(w.span.start <= w.span.end, "{text:?}: inverted span");
            assert!(w.span.start.line <= lines, "{text:?}: span past the end");
        }
    }
    let known: HashSet<String> = ["X".to_string()].into();
    for dialect in [Dialect::Sh, Dialect::Bash, Dialect::Ash] {
        let pass = Pass::new(&script, dialect, &known);
        for f in analyze(&pass, |_| true) {
            assert!(
                f.span.start <= f.span.end,
                "{text:?}: {} inverted span",
                f.code
            );
            assert!(
                f.span.start.line <= lines,
                "{text:?}: {} past the end",
                f.code
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn shell_soup_never_panics(text in "[a-z $()`'\"\\\\|&;<>{}\\n=*#-]{0,80}") {
        check(&text);
    }

    #[test]
    fn expansion_soup_never_panics(text in "(echo|export|set -e;|!|for a in|read|printf|find . \\||xargs|\\$\\{?[A-Z@*#?1]\\}?|\\$\\(|\\)|'|\"|`|\\\\|=|é| |;|\\[|==|-[enpm]|\\{a,b\\}){0,30}") {
        check(&text);
    }

    #[test]
    fn command_chains_never_panic(parts in prop::collection::vec("(apt-get|sh -c|env X=1|cd|curl -o f|rm -rf) [a-z/.-]{0,8}", 1..6),
                                  seps in prop::collection::vec("( && | \\|\\| | ; | \\| |\n)", 6)) {
        let mut text = String::new();
        for (i, p) in parts.iter().enumerate() {
            text.push_str(p);
            text.push_str(&seps[i]);
        }
        check(&text);
    }
}

/// Unclosed and deeply nested constructs: brush-parser backtracks exponentially on some of
/// them (20 unclosed `(` or `case … in x)` took seconds), so the shell layer refuses them up
/// front. Each must come back quickly, without overflowing the stack.
#[test]
fn deep_or_unclosed_nesting_is_refused_quickly() {
    let openers = [
        "(",
        "$(",
        "{ ",
        "if true; then ",
        "\"$(",
        "sh -c \"",
        "for a in b; do ",
        "while true; do ",
        "case x in y) ",
        "case x in y) a;; ",
        "(a) ",
    ];
    for n in [6, 20, 2000] {
        for open in openers {
            let text = format!("{}echo hi", open.repeat(n));
            let started = std::time::Instant::now();
            check(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{n} x {open:?} took {:?}",
                started.elapsed()
            );
        }
    }
}
