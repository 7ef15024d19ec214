//! BuildKit's own examples (testdata/buildkit-checks/, copied from BuildKit's rule docs): each
//! "Bad" example must be flagged and each "Good" example must not be, when only that check is
//! selected by its BuildKit name, as `docker build --check` would judge them.

use std::path::Path;

use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::rules::REGISTRY;

/// Examples whose label in BuildKit's docs disagrees with BuildKit's own code; the test expects
/// what BuildKit does.
const DOC_LABEL_IS_WRONG: &[(&str, &str)] = &[
    (
        "CopyIgnoredFile.bad1.Dockerfile",
        "BuildKit cleans `./tmp/helloworld.txt` to `tmp/helloworld.txt` before matching \
     (validateCopySourcePath), and `*/tmp/*` needs a directory above `tmp`: not flagged",
    ),
    (
        "LegacyKeyValueFormat.bad1.Dockerfile",
        "BuildKit's parseArg reads `ARG foo bar` as two ARGs, `foo` and `bar`, and only ENV and \
         LABEL report LegacyKeyValueFormat (dispatchEnv, dispatchLabel): not flagged",
    ),
];

fn examples() -> Vec<(String, bool, std::path::PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/buildkit-checks");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("testdata/buildkit-checks") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
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
            REGISTRY
                .iter()
                .any(|r| r.aliases.iter().any(|a| a == check)),
            "no rule answers to BuildKit's {check}"
        );
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let flagged = *bad != DOC_LABEL_IS_WRONG.iter().any(|(f, _)| *f == file);
        let found = findings(check, path);
        if flagged == found.is_empty() {
            wrong.push(format!(
                "{}: expected {}, got {found:?}",
                file,
                if flagged { "a finding" } else { "none" }
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
