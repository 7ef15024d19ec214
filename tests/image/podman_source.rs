//! dive's podman source: `podman://REF` and `--source podman REF` read an image from the real
//! podman command's store (a temporary one here, via CONTAINERS_STORAGE_CONF), and
//! `--source docker-archive PATH` reads a tar; every form gives the same image.

use std::process::Command;

use serde_json::Value;

use crate::support::{Imgdive, image, podman_storage_conf, require_tool};

#[test]
fn podman_and_source_flag_read_the_same_image() {
    require_tool("podman", "podman");
    let archive = image("config").join("docker-archive.tar");
    let store = tempfile::tempdir().unwrap();
    let conf = podman_storage_conf(store.path());
    let env = [("CONTAINERS_STORAGE_CONF", conf.to_str().unwrap())];
    let load = Command::new("podman")
        .env(env[0].0, env[0].1)
        .args(["load", "--quiet", "--input"])
        .arg(&archive)
        .output()
        .expect("run podman");
    assert!(
        load.status.success(),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    let reference = "localhost/imgtools/config:latest";
    let imgdive = Imgdive::new();
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["--json", "-", "--no-progress"];
        all.extend_from_slice(args);
        let out = imgdive.run(&all, &env);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let from_tar = json(&[archive.to_str().unwrap()]);
    let podman_url = format!("podman://{reference}");
    for (args, name) in [
        (vec![podman_url.as_str()], "podman://"),
        (vec!["--source", "podman", reference], "--source podman"),
        (
            vec!["--source", "docker-archive", archive.to_str().unwrap()],
            "--source docker-archive",
        ),
    ] {
        let got = json(&args);
        assert_eq!(
            got["imgdive"]["configDigest"], from_tar["imgdive"]["configDigest"],
            "{name}"
        );
        assert_eq!(got["image"], from_tar["image"], "{name}");
        assert_eq!(got["imgdive"]["config"]["user"], "1000:1000", "{name}");
    }
    let out = imgdive.run(&["--ci", "podman://localhost/no/such:image"], &env);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("podman://localhost/no/such:image"), "{err}");
    let out = imgdive.run(&["--ci", "--source", "containerd", "x"], &env);
    assert_eq!(out.status.code(), Some(2));
}
