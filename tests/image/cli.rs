//! The imgdive binary end to end on real parts: registry credentials (Docker config `auths`,
//! credential helpers, a wrong password), the daemon through DOCKER_HOST, the blob cache under
//! XDG_CACHE_HOME, exit codes and one-line errors, and escaped names in every output.

use std::os::unix::fs::PermissionsExt;
use std::process::Output;

use crate::support::{Imgdive, PodmanService, Registry, base64, image};
use serde_json::Value;

const USER: &str = "alice";
const PASSWORD: &str = "s3cret-Pa55word";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit 2 and exactly one line on stderr, which names `reference`; returns that line.
fn assert_read_error(out: &Output, reference: &str) -> String {
    let err = stderr(out);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}\nstderr: {err}",
        stdout(out)
    );
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("imgdive: error: "), "{err}");
    assert!(err.contains(reference), "names {reference}: {err}");
    err
}

/// The `--json -` export of a source (CI rules off so the exit code is 0).
fn export(imgdive: &Imgdive, source: &str, env: &[(&str, &str)]) -> Value {
    let out = imgdive.run(&["--json", "-", "--no-progress", source], env);
    assert_eq!(out.status.code(), Some(0), "{source}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{source}: JSON: {e}"))
}

fn authed_registry() -> (Registry, String) {
    let registry = Registry::start_with_auth(USER, PASSWORD);
    let reference = registry.push_test_image("waste");
    (registry, reference)
}

#[test]
fn wrong_password_is_exit_2_naming_the_reference_without_the_secret() {
    let (registry, reference) = authed_registry();
    let imgdive = Imgdive::new();

    let anonymous = imgdive.run(&["--ci", &format!("docker://{reference}")], &[]);
    let line = assert_read_error(&anonymous, &reference);
    assert!(line.contains("401") || line.contains("refused"), "{line}");

    let wrong = "not-the-Pa55word";
    let encoded = base64(format!("{USER}:{wrong}").as_bytes());
    imgdive.write_docker_config(&format!(
        r#"{{"auths":{{"{}":{{"auth":"{encoded}"}}}}}}"#,
        registry.addr
    ));
    let out = imgdive.run(&["--ci", &format!("docker://{reference}")], &[]);
    let line = assert_read_error(&out, &reference);
    assert!(line.contains("refused the credentials"), "{line}");
    for secret in [wrong, encoded.as_str(), PASSWORD] {
        assert!(
            !stderr(&out).contains(secret) && !stdout(&out).contains(secret),
            "secret printed"
        );
    }
}

#[test]
fn credentials_from_docker_config_and_from_a_credential_helper() {
    let (registry, reference) = authed_registry();
    let archive = image("waste").join("docker-archive.tar");
    let imgdive = Imgdive::new();
    let want = export(
        &imgdive,
        &format!("docker-archive:{}", archive.display()),
        &[],
    );

    // `auths` with the base64 user:password the Docker CLI writes.
    let encoded = base64(format!("{USER}:{PASSWORD}").as_bytes());
    imgdive.write_docker_config(&format!(
        r#"{{"auths":{{"http://{}/":{{"auth":"{encoded}"}}}}}}"#,
        registry.addr
    ));
    let got = export(&imgdive, &format!("docker://{reference}"), &[]);
    assert_eq!(got["image"], want["image"]);

    // A credential helper on PATH, as `credHelpers` names it; it records what it was asked.
    let fresh = Imgdive::new();
    let bin = fresh.home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let asked = fresh.home.path().join("helper-asked");
    let helper = bin.join("docker-credential-imgtest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 1\ncat > '{}'\nprintf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}' \"$(cat '{}')\"\n",
            asked.display(),
            asked.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    fresh.write_docker_config(&format!(
        r#"{{"credHelpers":{{"{}":"imgtest"}}}}"#,
        registry.addr
    ));
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let got = export(
        &fresh,
        &format!("registry://{reference}"),
        &[("PATH", &path)],
    );
    assert_eq!(got["image"], want["image"]);
    assert_eq!(
        std::fs::read_to_string(&asked).unwrap(),
        registry.addr,
        "server on the helper's stdin"
    );
}

#[test]
fn registry_blobs_are_cached_under_xdg_cache_home() {
    let registry = Registry::start();
    registry.push_test_image("waste");
    let imgdive = Imgdive::new();
    let source = format!("docker://{}/imgtools/waste:latest", registry.addr);
    let first = export(&imgdive, &source, &[]);
    let gets = registry.blob_gets();
    assert_eq!(gets, 8, "config + 7 layers");
    let cached = std::fs::read_dir(imgdive.cache_dir().join("imgdive/blobs/sha256"))
        .unwrap()
        .count();
    assert_eq!(cached, 8);
    let second = export(&imgdive, &source, &[]);
    assert_eq!(first, second);
    assert_eq!(
        registry.blob_gets(),
        gets,
        "the second open downloaded blobs"
    );

    // A stopped registry: the manifest cannot be asked for, so the open fails, in one line.
    drop(registry);
    let out = imgdive.run(&["--ci", &source], &[]);
    let line = assert_read_error(&out, source.trim_start_matches("docker://"));
    assert!(line.contains("cannot connect"), "{line}");
}

#[test]
fn daemon_and_bare_references_go_through_docker_host() {
    let waste = image("waste");
    let archive = waste.join("docker-archive.tar");
    let service = PodmanService::start();
    service.load(&archive);
    let imgdive = Imgdive::new();
    let host = service.docker_host();
    let env = [("DOCKER_HOST", host.as_str())];
    let want = export(
        &imgdive,
        &format!("docker-archive:{}", archive.display()),
        &[],
    );
    let daemon = export(&imgdive, "daemon://localhost/imgtools/waste:latest", &env);
    assert_eq!(daemon["image"], want["image"]);
    for (d, w) in daemon["layer"]
        .as_array()
        .unwrap()
        .iter()
        .zip(want["layer"].as_array().unwrap())
    {
        assert_eq!(d["sizeBytes"], w["sizeBytes"]);
        assert_eq!(d["digestId"], w["digestId"]);
    }
    // A bare reference the daemon holds is read from the daemon (no registry is running).
    let bare = export(&imgdive, "localhost/imgtools/waste:latest", &env);
    assert_eq!(bare["image"], want["image"]);

    // A bare reference the daemon does not hold is pulled from its registry instead.
    let registry = Registry::start();
    registry.push_test_image("waste");
    let pulled = export(
        &imgdive,
        &format!("{}/imgtools/waste:latest", registry.addr),
        &env,
    );
    assert_eq!(pulled["image"], want["image"]);
    assert_eq!(registry.blob_gets(), 8, "read from the registry");

    let out = imgdive.run(&["--ci", "daemon://localhost/imgtools/absent:latest"], &env);
    let line = assert_read_error(&out, "daemon://localhost/imgtools/absent:latest");
    assert!(line.contains("no such image"), "{line}");
}

#[test]
fn damaged_layer_is_exit_2_naming_the_layer() {
    let src = image("waste").join("oci-gzip");
    let dir = tempfile::tempdir().unwrap();
    let copy = std::process::Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", src.display()))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(copy.success());
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    let manifest_digest = index["manifests"][0]["digest"].as_str().unwrap();
    let blobs = dir.path().join("blobs/sha256");
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(blobs.join(manifest_digest.trim_start_matches("sha256:"))).unwrap(),
    )
    .unwrap();
    let digest = manifest["layers"][2]["digest"].as_str().unwrap();
    let blob = blobs.join(digest.trim_start_matches("sha256:"));
    let len = std::fs::metadata(&blob).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&blob)
        .unwrap()
        .set_len(len / 3)
        .unwrap();

    let imgdive = Imgdive::new();
    let out = imgdive.run(&["--ci", &format!("oci:{}", dir.path().display())], &[]);
    let line = assert_read_error(&out, &format!("layer 2 ({digest})"));
    assert!(out.stdout.is_empty(), "no report for an unreadable image");
    drop(line);
}

#[test]
fn names_with_escape_sequences_are_escaped_in_every_output() {
    let archive = image("waste").join("docker-archive.tar");
    let imgdive = Imgdive::new();
    let source = format!("docker-archive:{}", archive.display());
    // --top large enough that the zero-byte files with hostile names are listed.
    let ci = imgdive.run(
        &[
            "--ci",
            "--top",
            "1000",
            "--lowest-efficiency",
            "0",
            "--highest-user-wasted-percent",
            "1",
            &source,
        ],
        &[],
    );
    assert_eq!(ci.status.code(), Some(0), "{}", stderr(&ci));
    let text = stdout(&ci);
    assert!(!ci.stdout.contains(&0x1b), "raw ESC in the CI report");
    assert!(text.contains("esc\\x1b[31mred"), "{text}");
    assert!(text.contains("new\\nline"), "{text}");
    let sarif = imgdive.run(&["--ci", "--format", "sarif", &source], &[]);
    assert!(!sarif.stdout.contains(&0x1b), "raw ESC in SARIF");
    let json = imgdive.run(&["--json", "-", &source], &[]);
    assert!(!json.stdout.contains(&0x1b), "raw ESC in the JSON export");
    assert!(serde_json::from_slice::<Value>(&json.stdout).is_ok());
}

#[test]
fn unreachable_registry_is_exit_2() {
    let port = crate::support::free_port();
    let reference = format!("127.0.0.1:{port}/imgtools/waste:latest");
    let out = Imgdive::new().run(&["--ci", &format!("docker://{reference}")], &[]);
    let line = assert_read_error(&out, &reference);
    assert!(line.contains("cannot connect"), "{line}");
}
