//! The imglint container image (Containerfile at the root), used as hadolint/hadolint is: built
//! with the real buildah (scripts/container/build.sh, which release-builds a static imglint and
//! keeps both the cargo build and the image between runs, so CI pays for them once), run with
//! the real podman on stdin, linted by imglint itself, and analysed by imgdive.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The tag `.pre-commit-hooks.yaml`'s `imglint-docker` hook runs (build.sh's default).
const IMAGE: &str = "localhost/imglint:latest";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is needed (apt-get install {tool}, see .ci/run)"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Builds (or reuses) the image once per test process.
fn image() -> &'static str {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        require("buildah");
        require("podman");
        let o = Command::new(repo_root().join("scripts/container/build.sh"))
            .arg(IMAGE)
            .output()
            .unwrap();
        assert!(o.status.success(), "build.sh: {}", text(&o.stderr));
    });
    IMAGE
}

/// `podman run` options this project's machines need: crun cannot start containers in their
/// sandbox (no cgroup controllers, rlimits above the sandbox's), runc with modest rlimits can.
const RUN_OPTIONS: &[&str] = &[
    "--runtime",
    "runc",
    "--ulimit",
    "nofile=1024:1024",
    "--ulimit",
    "nproc=1024:1024",
];

fn podman_run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new("podman")
        .args(["run", "--rm", "-i", "--network=none"])
        .args(RUN_OPTIONS)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const BAD: &str = "FROM ubuntu\nRUN apt-get install -y curl\nMAINTAINER me\n";

#[test]
fn lints_stdin_like_the_hadolint_image() {
    let image = image();
    let o = podman_run(&[image], BAD);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("DL3006") && out.contains("DL4000"), "{out}");

    let o = podman_run(&[image, "-f", "sarif", "-"], BAD);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let sarif: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("SARIF is JSON ({e}): {}", text(&o.stdout)));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    let o = podman_run(&[image], "FROM ubuntu:24.04\nUSER 10001\nCMD [\"true\"]\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn image_is_small_static_and_not_root() {
    let image = image();
    let inspect = Command::new("podman")
        .args(["image", "inspect", image])
        .output()
        .unwrap();
    assert!(inspect.status.success(), "{}", text(&inspect.stderr));
    let info: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let info = &info[0];
    let size = info["Size"].as_u64().unwrap();
    assert!(size < 15_000_000, "image is {size} bytes");
    assert_eq!(info["Config"]["User"], "65532:65532");
    // The process really runs as that user, with nothing else in the image.
    let o = podman_run(
        &["--entrypoint", "/usr/local/bin/imglint", image, "--version"],
        "",
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("imglint "));
    let layers = info["RootFS"]["Layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1, "one layer: the binary");
}

#[test]
fn containerfile_lints_clean_with_imglint() {
    let o = Command::new(env!("CARGO_BIN_EXE_imglint"))
        .args(["-f", "json", "-t", "style"])
        .arg(repo_root().join("Containerfile"))
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert_eq!(text(&o.stdout).trim(), "[]");
}

#[test]
fn imgdive_finds_no_waste_in_the_image() {
    let image = image();
    let dir = tempfile::tempdir().unwrap();
    let archive: PathBuf = dir.path().join("imglint.tar");
    let o = Command::new("podman")
        .args(["save", "--format", "oci-archive", "-o"])
        .arg(&archive)
        .arg(image)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = Command::new(env!("CARGO_BIN_EXE_imgdive"))
        .args(["--json", "-", "--no-progress"])
        .arg(format!("oci-archive:{}", archive.display()))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let export: Value = serde_json::from_slice(&o.stdout).unwrap();
    let efficiency = export["image"]["efficiencyScore"].as_f64().unwrap();
    assert!(efficiency >= 0.99, "efficiency {efficiency}");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o.stderr));
}

/// pre-commit's `language: docker_image` hook, with podman standing in for docker (a `docker`
/// on PATH that runs podman: pre-commit only runs `docker run`, `docker inspect` and
/// `docker system info`).
#[test]
fn pre_commit_docker_image_hook_runs_the_image() {
    image();
    require("pre-commit");
    let work = tempfile::tempdir().unwrap();
    let shim = work.path().join("bin");
    std::fs::create_dir(&shim).unwrap();
    // `docker run …` becomes `podman run RUN_OPTIONS …`; everything else goes to podman as is.
    let docker = shim.join("docker");
    std::fs::write(
        &docker,
        format!(
            "#!/bin/sh\nif [ \"$1\" = run ]; then shift; exec podman run {} \"$@\"; fi\nexec podman \"$@\"\n",
            RUN_OPTIONS.join(" ")
        ),
    )
    .unwrap();
    std::fs::set_permissions(&docker, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let repo = work.path().join("project");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("Dockerfile"), BAD).unwrap();
    std::fs::write(
        repo.join("ok.Dockerfile"),
        "FROM alpine:3.20\nUSER 10001\nENTRYPOINT [\"/bin/true\"]\n",
    )
    .unwrap();
    git(&repo, &["add", "."]);
    let path = format!(
        "{}:{}",
        shim.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("pre-commit")
        .args([
            "try-repo",
            env!("CARGO_MANIFEST_DIR"),
            "imglint-docker",
            "--all-files",
            "--verbose",
        ])
        .current_dir(&repo)
        .env("PATH", &path)
        .env("PRE_COMMIT_HOME", work.path().join("cache"))
        .env("XDG_CONFIG_HOME", work.path().join("config"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = text(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "findings fail the hook: {out}{}",
        text(&o.stderr)
    );
    assert!(
        out.contains("Dockerfile:1:") && out.contains("DL3006"),
        "{out}"
    );
    assert!(!out.contains("ok.Dockerfile:"), "{out}");
}
