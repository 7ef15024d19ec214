//! The real `pre-commit` (PyPI) running this repository's hooks against a throw-away git
//! repository.
//!
//! One test drives the `imglint-system` hook with the freshly built binary first on PATH; another
//! drives the `imglint` hook as users get it (`language: rust`): pre-commit runs `cargo install
//! --path` on this repository, then the installed binary. That build goes to
//! `target/pre-commit-hook/` (kept between runs) with LTO off, so it costs one release build of
//! the dependencies the first time and seconds afterwards.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git is needed for this test");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn hooks() -> Vec<serde_norway::Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// A scratch directory holding an empty git repository `project/`.
fn new_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("project");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    (work, repo)
}

/// `pre-commit try-repo <this repository> ARGS…` in `repo`, with the freshly built imglint first
/// on PATH (for the `*-system` hooks) and pre-commit's cache and config under `work`.
fn try_repo(repo: &Path, work: &Path, args: &[&str]) -> std::process::Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_imglint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("pre-commit")
        .args(["try-repo", env!("CARGO_MANIFEST_DIR")])
        .args(args)
        .current_dir(repo)
        .env("PATH", &path)
        .env("PRE_COMMIT_HOME", work.join("cache"))
        .env("XDG_CONFIG_HOME", work.join("config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit is needed for this test (pip install pre-commit)")
}

#[test]
fn rust_and_system_hooks_differ_only_in_language() {
    let hooks = hooks();
    let find = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("hook {id}"))
            .clone()
    };
    for (rust, system) in [
        ("imglint", "imglint-system"),
        ("imglint-fix", "imglint-fix-system"),
    ] {
        let (mut rust, mut system) = (find(rust), find(system));
        assert_eq!(rust["language"].as_str(), Some("rust"));
        assert_eq!(system["language"].as_str(), Some("system"));
        for hook in [&mut rust, &mut system] {
            let map = hook.as_mapping_mut().unwrap();
            for key in ["id", "language", "description"] {
                map.remove(key);
            }
        }
        assert_eq!(rust, system);
    }
    assert_eq!(find("imglint-fix")["entry"].as_str(), Some("imglint --fix"));
}

#[test]
fn the_fix_hook_fixes_then_passes() {
    let (work, repo) = new_repo();
    std::fs::write(
        repo.join("Dockerfile"),
        "FROM alpine:3.20\nADD app /app\nUSER 10001\nCMD app\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    let run = || try_repo(&repo, work.path(), &["imglint-fix-system", "--all-files"]);
    let out = run();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a fixed file fails the hook:\n{text}"
    );
    assert!(text.contains("files were modified by this hook"), "{text}");
    assert_eq!(
        std::fs::read_to_string(repo.join("Dockerfile")).unwrap(),
        "FROM alpine:3.20\nCOPY app /app\nUSER 10001\nCMD [\"app\"]\n"
    );
    git(&repo, &["add", "."]);
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn pre_commit_runs_the_hook_on_dockerfiles_only() {
    let (work, repo) = new_repo();
    std::fs::write(
        repo.join("Dockerfile"),
        "FROM ubuntu\nUSER 10001\nCMD node server.js\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("api.Dockerfile"),
        "FROM alpine:3.20\nUSER 10001\nENTRYPOINT [\"/bin/true\"]\n",
    )
    .unwrap();
    std::fs::write(repo.join("README.md"), "FROM ubuntu\n").unwrap();
    git(&repo, &["add", "."]);

    let run = || {
        try_repo(
            &repo,
            work.path(),
            &["imglint-system", "--all-files", "--verbose"],
        )
    };
    let out = run();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings fail the hook:\n{text}"
    );
    assert!(text.contains("Dockerfile:1:6: warning DL3006"), "{text}");
    assert!(
        !text.contains("README.md"),
        "only Dockerfiles are passed:\n{text}"
    );
    assert!(
        text.contains("in 1 file of 2"),
        "both Dockerfiles linted in one call:\n{text}"
    );

    // Fixed, the hook passes; the user's files are never modified by the hook.
    std::fs::write(
        repo.join("Dockerfile"),
        "FROM ubuntu:24.04\nUSER 10001\nCMD [\"node\", \"server.js\"]\n",
    )
    .unwrap();
    let out = run();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");
    assert_eq!(
        std::fs::read_to_string(repo.join("Dockerfile")).unwrap(),
        "FROM ubuntu:24.04\nUSER 10001\nCMD [\"node\", \"server.js\"]\n"
    );
}

/// A throw-away repository with one Dockerfile that has a finding, staged.
fn repo_with_a_finding(work: &Path) -> std::path::PathBuf {
    let repo = work.join("project");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("Dockerfile"), "FROM ubuntu\nUSER 10001\n").unwrap();
    git(&repo, &["add", "."]);
    repo
}

#[test]
fn the_rust_hook_builds_imglint_with_cargo_and_runs_it() {
    let work = tempfile::tempdir().unwrap();
    let repo = repo_with_a_finding(work.path());
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pre-commit-hook");
    let out = Command::new("pre-commit")
        .args([
            "try-repo",
            env!("CARGO_MANIFEST_DIR"),
            "imglint",
            "--all-files",
            "--verbose",
        ])
        .current_dir(&repo)
        .env("PRE_COMMIT_HOME", work.path().join("cache"))
        .env("XDG_CONFIG_HOME", work.path().join("config"))
        .env("NO_COLOR", "1")
        // Shared between runs and kept out of the test's temp dir: the release build of the
        // dependencies is the slow part, and only the first run pays for it.
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .output()
        .expect("pre-commit is needed for this test (pip install pre-commit)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the finding fails the hook:\n{text}"
    );
    assert!(text.contains("Dockerfile:1:6: warning DL3006"), "{text}");
}
