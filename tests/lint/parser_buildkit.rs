//! BuildKit parser conformance: every fixture in testdata/buildkit/<case>/ (a Dockerfile and
//! BuildKit's dump of it, `result`) must be reproduced byte for byte by `to_buildkit`, and every
//! case in testdata/buildkit-negative/ must produce a parse error.
//!
//! The fixtures were recorded before BuildKit added the separator node to ENV/LABEL dumps (see
//! testdata/buildkit/SOURCES.tsv for where each comes from), so they are compared in
//! `Notation::BeforeSeparator`; the current notation is checked in `current_notation`.

use imgtools::dockerfile::dump::{Notation, to_buildkit, to_buildkit_notation};
use imgtools::dockerfile::{parse, parse_bytes};
use std::path::Path;

fn case_dirs(dir: &str) -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixture folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn positive_cases_match_buildkit_dump() {
    let dirs = case_dirs("testdata/buildkit");
    assert_eq!(dirs.len(), 27, "the BuildKit fixtures in testdata/buildkit");
    let mut mismatches = Vec::new();
    for dir in &dirs {
        let dockerfile = std::fs::read(dir.join("Dockerfile")).expect("Dockerfile");
        let expected = std::fs::read_to_string(dir.join("result")).expect("result");
        let df = parse_bytes(&dockerfile);
        let got = to_buildkit_notation(&df, Notation::BeforeSeparator);
        if got != expected {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                dir.display()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn negative_cases_report_errors() {
    let dirs = case_dirs("testdata/buildkit-negative");
    assert_eq!(dirs.len(), 2);
    for dir in &dirs {
        let df = parse_bytes(&std::fs::read(dir.join("Dockerfile")).expect("Dockerfile"));
        assert!(
            !df.errors.is_empty(),
            "{}: expected a parse error",
            dir.display()
        );
    }
}

#[test]
fn current_notation() {
    let df = parse(
        "FROM ubuntu:14.04\nENV name value\nENV a=b c=\"d e\"\nLABEL k=v\nCOPY --from=builder a /b\n",
    );
    assert_eq!(
        to_buildkit(&df),
        "(from \"ubuntu:14.04\")\n(env \"name\" \"value\" \"\")\n(env \"a\" \"b\" \"=\" \"c\" \"\\\"d e\\\"\" \"=\")\n(label \"k\" \"v\" \"=\")\n(copy [\"--from=builder\"] \"a\" \"/b\")\n"
    );
}
