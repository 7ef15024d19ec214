//! Every real Dockerfile in testdata/corpus parses without error, except the one that is
//! invalid on purpose, which must report at least one.

use imgtools::dockerfile::{dump, parse_bytes};
use std::path::{Path, PathBuf};

const INVALID: &str = "wagoodman_dive/cmd_dive_cli_testdata_invalid_Dockerfile";

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("testdata/corpus exists") {
        let dir = dir.expect("readable entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("readable folder") {
            files.push(file.expect("readable entry").path());
        }
    }
    files.sort();
    files
}

#[test]
fn corpus_parses_without_errors() {
    let files = corpus_files();
    assert_eq!(files.len(), 424, "the corpus has 424 Dockerfiles");
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable file");
        let df = parse_bytes(&bytes);
        let name = path.to_string_lossy().replace('\\', "/");
        if name.ends_with(INVALID) {
            assert!(
                !df.errors.is_empty(),
                "{name}: the invalid file must report an error"
            );
            continue;
        }
        if !df.errors.is_empty() {
            failures.push(format!("{name}: {:?}", df.errors));
        }
        assert!(!df.instructions.is_empty(), "{name}: no instructions");
        assert!(!df.stages.is_empty(), "{name}: no stages");
        // Both dumps work on every file.
        assert!(!dump::to_buildkit(&df).is_empty());
        assert!(dump::to_json(&df)["instructions"].is_array());
    }
    assert!(
        failures.is_empty(),
        "parse errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn corpus_spans_point_at_the_keyword() {
    for path in corpus_files() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable")).into_owned();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        let df = imgtools::dockerfile::parse(&text);
        for i in &df.instructions {
            let at = &text[i.keyword_span.start.offset..i.keyword_span.end.offset];
            assert_eq!(at, i.keyword_text, "{}: keyword span", path.display());
            let line = text
                .lines()
                .nth(i.keyword_span.start.line as usize - 1)
                .unwrap_or("");
            let col: String = line
                .chars()
                .skip(i.keyword_span.start.column as usize - 1)
                .take(i.keyword_text.chars().count())
                .collect();
            assert_eq!(
                col,
                i.keyword_text,
                "{}: keyword line/column",
                path.display()
            );
            for a in &i.args {
                assert!(
                    a.span.start <= a.span.end,
                    "{}: arg span order",
                    path.display()
                );
                assert!(
                    a.span.start >= i.span.start && a.span.end <= i.span.end,
                    "{}: arg inside instruction",
                    path.display()
                );
            }
        }
    }
}
