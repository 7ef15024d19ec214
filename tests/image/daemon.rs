//! The daemon source against a real Docker-API socket: `podman system service` holding the
//! waste image, loaded from the docker-archive buildah/skopeo made.

use std::io::Read;

use crate::support::{PodmanService, image};
use imgtools::image::source::{ImageSource, SourceOptions, daemon, docker_archive, sha256_digest};

#[test]
fn daemon_save_matches_the_docker_archive() {
    let waste = image("waste");
    let options = SourceOptions::default();
    let service = PodmanService::start();
    service.load(&waste.join("docker-archive.tar"));

    let from_daemon = daemon::open_at(
        &service.docker_host(),
        "localhost/imgtools/waste:latest",
        &options,
    )
    .expect("open");
    let from_file =
        docker_archive::open(&waste.join("docker-archive.tar"), None, &options).unwrap();
    assert_eq!(
        from_daemon.reference(),
        "daemon://localhost/imgtools/waste:latest"
    );
    assert_eq!(from_daemon.config().digest(), from_file.config().digest());
    let diff_ids = |s: &dyn ImageSource| -> Vec<String> {
        s.layers().iter().map(|l| l.diff_id.clone()).collect()
    };
    assert_eq!(diff_ids(from_daemon.as_ref()), diff_ids(from_file.as_ref()));
    assert_eq!(from_daemon.layers().len(), 7);
    for index in 0..from_daemon.layers().len() {
        let mut bytes = Vec::new();
        from_daemon
            .open_layer(index)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        // docker save stores layers uncompressed: the blob is the diff.
        assert_eq!(sha256_digest(&bytes), from_daemon.layers()[index].diff_id);
    }
}

#[test]
fn daemon_unknown_image_and_missing_socket_are_one_line_errors() {
    let service = PodmanService::start();
    let options = SourceOptions::default();
    let err = daemon::open_at(
        &service.docker_host(),
        "localhost/imgtools/nothing:latest",
        &options,
    )
    .err()
    .expect("unknown image");
    let message = format!("{err:#}");
    assert!(
        message.starts_with("daemon://localhost/imgtools/nothing:latest: "),
        "{message}"
    );
    assert!(message.contains("no such image"), "{message}");
    assert!(!message.contains('\n'), "{message}");

    let missing = service.dir.path().join("nobody-listens.sock");
    let host = format!("unix://{}", missing.display());
    let message = format!(
        "{:#}",
        daemon::open_at(&host, "busybox:latest", &options)
            .err()
            .expect("no socket")
    );
    assert!(
        message.starts_with("daemon://busybox:latest: "),
        "{message}"
    );
    assert!(message.contains(&host), "{message}");
}

#[test]
fn daemon_platform_is_checked_and_an_old_api_is_named() {
    let service = PodmanService::start();
    service.load(&image("waste").join("docker-archive.tar"));
    let host = service.docker_host();
    let with_platform = |platform: &str| SourceOptions {
        platform: Some(platform.to_string()),
        ..SourceOptions::default()
    };
    // buildah built the waste image for this machine's platform.
    let here = imgtools::image::source::platform::Platform::host().to_string();
    let opened = daemon::open_at(
        &host,
        "localhost/imgtools/waste:latest",
        &with_platform(&here),
    )
    .expect("the platform the daemon holds");
    assert_eq!(opened.layers().len(), 7);
    let other = if here == "linux/arm64" {
        "linux/amd64"
    } else {
        "linux/arm64"
    };
    let message = format!(
        "{:#}",
        daemon::open_at(
            &host,
            "localhost/imgtools/waste:latest",
            &with_platform(other)
        )
        .err()
        .expect("another platform")
    );
    assert!(
        message.contains(&format!("holds the image for {here}, not {other}")),
        "{message}"
    );
    // podman's service speaks API 1.41: too old for a platform-picking save.
    assert!(
        message.contains("is too old to save another platform"),
        "{message}"
    );
    assert!(message.contains("API 1.41"), "{message}");
    assert!(message.contains("needs 1.48"), "{message}");
    assert!(!message.contains('\n'), "{message}");

    // The command line: exit 2, the same one line.
    let out = crate::support::Imgdive::new().run(
        &[
            "--ci",
            "--platform",
            other,
            "daemon://localhost/imgtools/waste:latest",
        ],
        &[("DOCKER_HOST", &host)],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("is too old to save another platform (needs 1.48"),
        "{stderr}"
    );
}
