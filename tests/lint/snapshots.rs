//! Snapshot tests of what imglint users see (insta; review changes with `cargo insta review`):
//! every rule's findings over each corpus subdirectory, and every report format on one fixed
//! file with findings of several rules and severities. A rule that silently stops firing, or
//! a format that changes shape, shows up here as a diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use imgtools::lint::rule::{Context, RuleSettings, Sink};
use imgtools::lint::rules::REGISTRY;
use imgtools::report::FORMAT_NAMES;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every rule over every file of one corpus subdirectory: one JSON line per finding, sorted.
fn corpus_findings(subdir: &Path) -> String {
    let mut paths = Vec::new();
    files_under(subdir, &mut paths);
    let settings = RuleSettings::default();
    let mut lines = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).expect("read corpus file");
        let text = String::from_utf8_lossy(&bytes).to_string();
        let df = imgtools::dockerfile::parse(&text);
        let ctx = Context::new(path, &text, &df, path.parent(), &settings);
        let shown = path.strip_prefix(manifest_dir()).unwrap_or(path);
        for rule in REGISTRY {
            let mut sink = Sink::default();
            (rule.check)(&ctx, &mut sink);
            for d in &sink.diagnostics {
                lines.push(
                    serde_json::json!({
                        "file": shown.display().to_string(),
                        "line": d.span.start.line,
                        "column": d.span.start.column,
                        "code": rule.code,
                        "message": d.message,
                    })
                    .to_string(),
                );
            }
        }
    }
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn corpus_findings_per_subdirectory() {
    let corpus = manifest_dir().join("testdata/corpus");
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("testdata/corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    assert!(subdirs.len() >= 5, "corpus subdirectories: {subdirs:?}");
    for subdir in subdirs {
        let name = subdir.file_name().unwrap().to_string_lossy().to_string();
        let findings = corpus_findings(&subdir);
        assert!(
            findings.lines().count() > 1,
            "{name}: the corpus has findings in every subdirectory"
        );
        insta::assert_snapshot!(format!("corpus_{name}"), findings);
    }
}

#[test]
fn every_report_format_on_the_quickstart_file() {
    let mut seen = Vec::new();
    for &(name, format) in FORMAT_NAMES {
        // Each format once, under its own (first) name; the others are hadolint's spellings.
        if seen.contains(&format) {
            continue;
        }
        seen.push(format);
        let out = Command::new(env!("CARGO_BIN_EXE_imglint"))
            .args(["--no-color", "-f", name, "testdata/quickstart/Dockerfile"])
            .current_dir(manifest_dir())
            .env_remove("NO_COLOR")
            .output()
            .expect("run imglint");
        let expected = if format.findings_never_fail() { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(expected), "{name}: exit code");
        let stdout = String::from_utf8(out.stdout).expect("reports are UTF-8");
        // SARIF names the working directory; the checkout's location is not part of the output.
        let stdout = stdout.replace(&manifest_dir().display().to_string(), "[REPO]");
        insta::assert_snapshot!(format!("report_{name}"), stdout);
    }
}
