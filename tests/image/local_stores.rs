//! Local image stores found without setup, as their own clients find them: podman's service on
//! its default rootful socket with no `DOCKER_HOST`, a Docker context (`currentContext` in the
//! Docker config, or `DOCKER_CONTEXT`) whose endpoint is a podman socket elsewhere; each gives
//! the numbers of the docker-archive. A bare `image:tag` found nowhere names every place tried.

use std::path::Path;

use serde_json::Value;

use crate::support::{Imgdive, PodmanService, free_port, image, podman_storage_conf};

const WASTE: &str = "localhost/imgtools/waste:latest";

/// `imgdive --json - ARGS`: the numbers (or a panic with stderr), and stderr.
fn numbers(imgdive: &Imgdive, args: &[&str], env: &[(&str, &str)]) -> (Value, String) {
    let mut all = vec!["--json", "-", "--no-progress"];
    all.extend_from_slice(args);
    let out = imgdive.run(&all, env);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let numbers = serde_json::json!({
        "image": json["image"],
        "layer": json["layer"],
        "configDigest": json["imgdive"]["configDigest"],
    });
    (numbers, stderr)
}

fn archive_numbers(imgdive: &Imgdive) -> Value {
    let archive = image("waste").join("docker-archive.tar");
    numbers(imgdive, &[archive.to_str().unwrap()], &[]).0
}

/// Fails the run with a one-line error; gives it.
fn error(imgdive: &Imgdive, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = imgdive.run(args, env);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn podman_on_its_default_rootful_socket_without_docker_host() {
    let socket = Path::new("/run/podman/podman.sock");
    assert!(
        std::os::unix::net::UnixStream::connect(socket).is_err(),
        "a podman service of this machine already listens at {}: stop it to run this test",
        socket.display()
    );
    let _ = std::fs::remove_file(socket);
    std::fs::create_dir_all(socket.parent().unwrap()).unwrap();
    let service = PodmanService::start_at(socket);
    service.load(&image("waste").join("docker-archive.tar"));
    let imgdive = Imgdive::new();
    let want = archive_numbers(&imgdive);
    // The podman command's own store is empty: podman:// can only have read the socket.
    let store = tempfile::tempdir().unwrap();
    let conf = podman_storage_conf(store.path());
    let env = [("CONTAINERS_STORAGE_CONF", conf.to_str().unwrap())];

    let (bare, note) = numbers(&imgdive, &[WASTE], &env);
    assert_eq!(bare, want, "bare reference");
    assert!(
        note.contains(&format!(
            "{WASTE}: found in podman at unix:///run/podman/podman.sock (rootful podman)"
        )),
        "{note}"
    );
    let (podman, _) = numbers(&imgdive, &[&format!("podman://{WASTE}")], &env);
    assert_eq!(podman, want, "podman://");
    let (pinned, _) = numbers(&imgdive, &["--source", "podman", WASTE], &env);
    assert_eq!(pinned, want, "--source podman");
    drop(service);
    assert!(!socket.exists());
}

/// A Docker CLI config in `dir` whose context `name` points at `host`.
fn write_context(dir: &Path, name: &str, host: &str) {
    use sha2::{Digest, Sha256};
    let meta = dir
        .join("contexts/meta")
        .join(hex::encode(Sha256::digest(name.as_bytes())));
    std::fs::create_dir_all(&meta).unwrap();
    let json = serde_json::json!({
        "Name": name,
        "Metadata": {},
        "Endpoints": { "docker": { "Host": host, "SkipTLSVerify": false } },
    });
    std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
}

#[test]
fn docker_context_pointing_at_a_podman_socket() {
    let service = PodmanService::start();
    service.load(&image("waste").join("docker-archive.tar"));
    let imgdive = Imgdive::new();
    let want = archive_numbers(&imgdive);
    let config = imgdive.docker_config_dir();
    write_context(&config, "imgtools-test", &service.docker_host());
    imgdive.write_docker_config(r#"{"auths":{},"currentContext":"imgtools-test"}"#);

    let (daemon, _) = numbers(&imgdive, &[&format!("daemon://{WASTE}")], &[]);
    assert_eq!(daemon, want, "daemon:// through currentContext");
    let (bare, note) = numbers(&imgdive, &[WASTE], &[]);
    assert_eq!(bare, want, "bare reference through currentContext");
    assert!(
        note.contains(&format!(
            "found in Docker at {} (Docker context \"imgtools-test\")",
            service.docker_host()
        )),
        "{note}"
    );

    // DOCKER_CONTEXT wins over currentContext, as in the Docker CLI.
    imgdive.write_docker_config(r#"{"currentContext":"gone"}"#);
    write_context(&config, "other", &service.docker_host());
    let env = [("DOCKER_CONTEXT", "other")];
    let (daemon, _) = numbers(&imgdive, &["--source", "docker", WASTE], &env);
    assert_eq!(daemon, want, "--source docker through DOCKER_CONTEXT");
    // A context that is named but missing is an error naming it, not another daemon.
    let message = error(&imgdive, &["--ci", &format!("daemon://{WASTE}")], &[]);
    assert!(
        message.contains("Docker context \"gone\" (currentContext): no such context"),
        "{message}"
    );
}

#[test]
fn a_bare_reference_found_nowhere_names_every_place_tried() {
    let service = PodmanService::start();
    let imgdive = Imgdive::new();
    let registry = format!("127.0.0.1:{}", free_port());
    let reference = format!("{registry}/imgtools/nothing:latest");
    let host = service.docker_host();
    let message = error(&imgdive, &["--ci", &reference], &[("DOCKER_HOST", &host)]);
    for place in [
        format!("{reference}: not found; tried Docker at {host} (DOCKER_HOST): no such image"),
        "podman".to_string(),
        "containerd at ".to_string(),
        "registry: ".to_string(),
    ] {
        assert!(message.contains(&place), "{place}: {message}");
    }
    // No DOCKER_HOST and no context: the default socket, which nobody serves here.
    let message = error(&imgdive, &["--ci", &reference], &[]);
    assert!(
        message.contains("Docker at unix:///var/run/docker.sock (the default socket): no socket;"),
        "{message}"
    );
    // --source pins one place: only the registry is asked.
    let message = error(&imgdive, &["--ci", "--source", "registry", &reference], &[]);
    assert!(!message.contains("Docker"), "{message}");
}

/// The numbers of the JSON export that containerd's copy must share with the archive (the
/// layer ids differ: an archive names layers by file, containerd by digest).
fn layer_numbers(numbers: &Value) -> Value {
    let layers: Vec<Value> = numbers["layer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| serde_json::json!([l["sizeBytes"], l["digestId"], l["command"]]))
        .collect();
    serde_json::json!({
        "image": numbers["image"],
        "layers": layers,
        "configDigest": numbers["configDigest"],
    })
}

#[test]
fn containerd_content_store_without_unpacking() {
    let containerd = crate::support::Containerd::start();
    let archive = image("waste").join("docker-archive.tar");
    containerd.import("imgdive", &archive);
    let imgdive = Imgdive::new();
    let want = layer_numbers(&archive_numbers(&imgdive));
    let address = containerd.socket.to_str().unwrap();
    let env = [("CONTAINERD_ADDRESS", address)];
    let url = format!("containerd://{WASTE}");

    let (got, _) = numbers(&imgdive, &["--namespace", "imgdive", &url], &env);
    assert_eq!(layer_numbers(&got), want, "containerd://");
    let env_ns = [
        ("CONTAINERD_ADDRESS", address),
        ("CONTAINERD_NAMESPACE", "imgdive"),
    ];
    let (got, _) = numbers(&imgdive, &["--source", "containerd", WASTE], &env_ns);
    assert_eq!(layer_numbers(&got), want, "--source containerd");
    // A bare reference: no Docker, no podman of this test's, so containerd holds it.
    let (got, note) = numbers(&imgdive, &["--namespace", "imgdive", WASTE], &env);
    assert_eq!(layer_numbers(&got), want, "bare reference");
    assert!(
        note.contains(&format!(
            "{WASTE}: found in containerd at {address} (namespace \"imgdive\")"
        )),
        "{note}"
    );

    // Another namespace does not hold it: one line naming the namespace.
    let message = error(&imgdive, &["--ci", &url], &env);
    assert!(
        message.contains("no such image in namespace \"default\" of containerd"),
        "{message}"
    );
    // No containerd at all.
    let gone = containerd.dir.path().join("nobody.sock");
    let message = error(
        &imgdive,
        &["--ci", &url],
        &[("CONTAINERD_ADDRESS", gone.to_str().unwrap())],
    );
    assert!(message.contains("no containerd socket at"), "{message}");
}
