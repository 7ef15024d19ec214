//! BuildKit's own examples (testdata/buildkit-checks/, copied from BuildKit's rule docs): each
//! "Bad" example must be flagged and each "Good" example must not be, when only that check is
//! selected by its BuildKit name, as `docker build --check` would judge them.

use std::path::Path;

use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::rules::REGISTRY;

fn examples() -> Vec<(String, bool, std::path::PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/buildkit-checks");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("testdata/buildkit-checks") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".Dockerfile") else {
            continue;
        };
        let (check, kind) = stem.split_once('.').expect("CheckName.kindN");
        out.push((check.to_string(), kind.starts_with("bad"), path));
    }
    out.sort();
    out
}

/// Lints one example with only `check` selected; the context holds the check's
/// `.dockerignore` when the docs assume one.
fn findings(check: &str, path: &Path) -> Vec<String> {
    let context = tempfile::tempdir().expect("tempdir");
    let ignore = path.with_file_name(format!("{check}.dockerignore"));
    if ignore.exists() {
        std::fs::copy(&ignore, context.path().join(".dockerignore")).expect("copy .dockerignore");
    }
    let input = Input {
        display_name: path.display().to_string(),
        path: path.to_path_buf(),
        bytes: std::fs::read(path).expect("read example"),
        build_context: Some(context.path().to_path_buf()),
    };
    let mut policy = Policy::new();
    policy.select = Some(vec![check.to_string()]);
    engine::lint(&input, &policy, REGISTRY)
        .findings
        .iter()
        .map(|f| format!("{}:{} {}", f.span.start.line, f.code, f.message))
        .collect()
}

#[test]
fn every_buildkit_doc_example_gets_buildkits_verdict() {
    let examples = examples();
    assert!(examples.len() >= 50, "only {} examples", examples.len());
    let mut wrong = Vec::new();
    for (check, bad, path) in &examples {
        assert!(
            REGISTRY.iter().any(|r| r.aliases.iter().any(|a| a == check)),
            "no rule answers to BuildKit's {check}"
        );
        let found = findings(check, path);
        if *bad == found.is_empty() {
            wrong.push(format!(
                "{}: expected {}, got {found:?}",
                path.file_name().unwrap_or_default().to_string_lossy(),
                if *bad { "a finding" } else { "none" }
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
