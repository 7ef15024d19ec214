//! The registry source against a real registry (docker-registry on 127.0.0.1) holding images
//! built by buildah: same image as the OCI layout it was pushed from and the same numbers as its
//! docker-archive (layers analysed while they download), platform resolution, the blob cache,
//! and failures (tampered blob, missing blob, unreachable registry).

use std::io::Read;
use std::path::Path;

use crate::support::{Registry, image};
use imgtools::image::source::{
    ImageSource, SourceOptions, docker_archive, oci, registry, sha256_digest,
};
use imgtools::image::{AnalyzeOptions, analyze};

fn read_all(source: &dyn ImageSource, index: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    source
        .open_layer(index)
        .expect("open layer")
        .read_to_end(&mut bytes)
        .expect("read layer");
    bytes
}

/// The names in the cache's `blobs/sha256`.
fn cached_names(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache.join("blobs/sha256"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn registry_layers_are_analysed_while_they_download_and_then_cached() {
    let waste = image("waste");
    let registry = Registry::start();
    registry.push_test_image("waste");
    let cache = tempfile::tempdir().unwrap();
    let options = SourceOptions::default();
    let reference = format!("{}/imgtools/waste:latest", registry.addr);

    let pulled = registry::pull(&reference, &options, cache.path()).expect("pull");
    let layout = oci::open_dir(&waste.join("oci-gzip"), Some("latest"), &options).unwrap();
    assert_eq!(pulled.config().digest(), layout.config().digest());
    assert_eq!(pulled.layers(), layout.layers());
    assert_eq!(
        pulled.layers().len(),
        7,
        "waste.Dockerfile has 7 filesystem layers"
    );
    // Opening reads the manifest and the config only: the layers stream as they are read.
    assert_eq!(
        registry.blob_gets(),
        1,
        "only the config before the analysis"
    );
    assert_eq!(cached_names(cache.path()).len(), 1);

    let streamed = analyze(&pulled, &AnalyzeOptions::default()).expect("pipelined analysis");
    let archive = docker_archive::open(&waste.join("docker-archive.tar"), None, &options).unwrap();
    let want = analyze(archive.as_ref(), &AnalyzeOptions::default()).unwrap();
    assert_eq!(
        streamed.metrics, want.metrics,
        "the docker-archive's numbers"
    );
    assert_eq!(streamed.tree, want.tree);
    for (got, want) in streamed.layers.iter().zip(&want.layers) {
        assert_eq!(
            (got.diff_id.as_str(), got.size, got.entry_count),
            (want.diff_id.as_str(), want.size, want.entry_count)
        );
    }
    let first_gets = registry.blob_gets();
    assert_eq!(first_gets, 8, "config + 7 layers downloaded once each");
    // Every layer verified went into the cache under its digest, nothing else is left.
    let names = cached_names(cache.path());
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(!names.iter().any(|n| n.contains(".partial")), "{names:?}");
    for (index, layer) in pulled.layers().iter().enumerate() {
        let bytes = read_all(&pulled, index);
        assert_eq!(sha256_digest(&bytes), layer.digest, "layer {index}");
        assert_eq!(bytes.len() as u64, layer.compressed_size);
    }
    assert_eq!(registry.blob_gets(), first_gets, "read back from the cache");
    drop(pulled);

    // Second open: the manifest is asked for again (tags move), no blob is downloaded.
    let again = registry::pull(&reference, &options, cache.path()).expect("second pull");
    let from_cache = analyze(&again, &AnalyzeOptions::default()).unwrap();
    assert_eq!(from_cache.metrics, streamed.metrics);
    assert_eq!(
        registry.blob_gets(),
        first_gets,
        "second open downloaded blobs"
    );
}

#[test]
fn registry_download_first_gives_the_same_image() {
    // The sequential path kept to measure the pipeline against (IMGDIVE_DOWNLOAD_FIRST=1): a
    // separate process, since the variable is read by the library.
    let registry = Registry::start();
    let reference = format!("docker://{}", registry.push_test_image("waste"));
    let imgdive = crate::support::Imgdive::new();
    let json = |env: &[(&str, &str)]| {
        let out = imgdive.run(&["--json", "-", "--no-progress", &reference], env);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["image"].clone()
    };
    let first = json(&[("IMGDIVE_DOWNLOAD_FIRST", "1")]);
    assert_eq!(
        registry.blob_gets(),
        8,
        "every blob downloaded before the read"
    );
    let fresh = crate::support::Imgdive::new();
    let out = fresh.run(&["--json", "-", "--no-progress", &reference], &[]);
    let pipelined: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(first, pipelined["image"]);
}

#[test]
fn registry_index_resolves_to_the_requested_platform() {
    let platform = image("platform");
    let registry = Registry::start();
    registry.push(
        &format!("oci:{}:latest", platform.join("oci-index").display()),
        "imgtools/platform:latest",
        true,
    );
    let reference = format!("{}/imgtools/platform:latest", registry.addr);
    let cache = tempfile::tempdir().unwrap();
    let pull = |platform: Option<&str>| {
        let options = SourceOptions {
            platform: platform.map(str::to_string),
            ..SourceOptions::default()
        };
        registry::pull(&reference, &options, cache.path())
    };

    let arm = pull(Some("linux/arm64")).expect("arm64");
    assert_eq!(arm.config().parsed.architecture, "arm64");
    let amd = pull(Some("linux/amd64")).expect("amd64");
    assert_eq!(amd.config().parsed.architecture, "amd64");
    assert_ne!(arm.layers()[0].digest, amd.layers()[0].digest);

    let host = pull(None).expect("host platform");
    let host_arch = registry::Platform::host().architecture;
    assert_eq!(host.config().parsed.architecture, host_arch);

    let err = pull(Some("linux/s390x")).err().expect("no s390x image");
    let message = format!("{err:#}");
    assert!(message.contains("linux/s390x"), "{message}");
    assert!(message.contains(&reference), "{message}");
    // The index's platforms are listed, from the registry and from the layout it came from.
    let from_layout = oci::open_dir(
        &platform.join("oci-index"),
        Some("latest"),
        &SourceOptions {
            platform: Some("linux/s390x".to_string()),
            ..SourceOptions::default()
        },
    )
    .err()
    .expect("no s390x image in the layout");
    for message in [message, format!("{from_layout:#}")] {
        assert!(message.contains("the index has: "), "{message}");
        assert!(message.contains("linux/amd64"), "{message}");
        assert!(message.contains("linux/arm64"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }
}

#[test]
fn registry_blob_with_wrong_bytes_is_refused_and_not_cached() {
    let waste = image("waste");
    let registry = Registry::start();
    registry.push_test_image("waste");
    let layout = oci::open_dir(
        &waste.join("oci-gzip"),
        Some("latest"),
        &SourceOptions::default(),
    )
    .unwrap();
    let victim = layout.layers()[2].digest.clone();
    // Flip bytes of the stored blob: the registry serves it as it is on disk.
    let path = registry.blob_data_path(&victim);
    let mut data = std::fs::read(&path).expect("blob in registry storage");
    let middle = data.len() / 2;
    data[middle] ^= 0xff;
    std::fs::write(&path, data).unwrap();

    let cache = tempfile::tempdir().unwrap();
    let reference = format!("{}/imgtools/waste:latest", registry.addr);
    let pulled = registry::pull(&reference, &SourceOptions::default(), cache.path()).unwrap();
    let err = analyze(&pulled, &AnalyzeOptions::default()).expect_err("digest mismatch must fail");
    let message = format!("{err:#}");
    assert!(
        message.starts_with(&format!("layer 2 ({victim})")),
        "{message}"
    );
    assert!(message.contains("blob digest mismatch"), "{message}");
    assert!(!message.contains('\n'), "{message}");
    drop(pulled);
    let cached = cache
        .path()
        .join("blobs/sha256")
        .join(victim.trim_start_matches("sha256:"));
    assert!(!cached.exists(), "a corrupt blob entered the cache");
    let leftovers: Vec<_> = std::fs::read_dir(cache.path().join("blobs/sha256"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".partial-"))
        .collect();
    assert!(leftovers.is_empty(), "partial downloads left behind");
}

#[test]
fn registry_missing_blob_and_unknown_image_name_the_reference() {
    let waste = image("waste");
    let registry = Registry::start();
    registry.push_test_image("waste");
    let cache = tempfile::tempdir().unwrap();
    let options = SourceOptions::default();

    let unknown = format!("{}/imgtools/nothing:latest", registry.addr);
    let message = format!(
        "{:#}",
        registry::pull(&unknown, &options, cache.path())
            .err()
            .expect("unknown image")
    );
    assert!(message.starts_with(&unknown), "{message}");
    assert!(message.contains("not found"), "{message}");

    let layout = oci::open_dir(&waste.join("oci-gzip"), Some("latest"), &options).unwrap();
    let victim = layout.layers()[4].digest.clone();
    std::fs::remove_file(registry.blob_data_path(&victim)).unwrap();
    let reference = format!("{}/imgtools/waste:latest", registry.addr);
    let pulled = registry::pull(&reference, &options, cache.path()).unwrap();
    let message = format!(
        "{:#}",
        analyze(&pulled, &AnalyzeOptions::default()).expect_err("missing blob")
    );
    assert!(
        message.starts_with(&format!("layer 4 ({victim})")),
        "{message}"
    );
    assert!(message.contains("not found"), "{message}");
    assert!(message.contains(&registry.addr), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn unreachable_registry_is_one_line_naming_the_reference() {
    let port = crate::support::free_port();
    let reference = format!("127.0.0.1:{port}/imgtools/waste:latest");
    let cache = tempfile::tempdir().unwrap();
    let message = format!(
        "{:#}",
        registry::pull(&reference, &SourceOptions::default(), cache.path())
            .err()
            .expect("nothing listens")
    );
    assert!(message.starts_with(&reference), "{message}");
    assert!(message.contains("cannot connect"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn anonymous_pull_goes_through_the_bearer_token_flow() {
    let tokens = crate::support::TokenServer::start();
    let registry = Registry::start_with_token_server(&tokens);
    // The registry answers 401 with a Bearer challenge without a token.
    assert_eq!(
        crate::support::http_get_status(&registry.addr, "/v2/"),
        Some(401)
    );
    registry.push_test_image("waste");
    let before = tokens.requests.lock().unwrap().len();
    let cache = tempfile::tempdir().unwrap();
    let reference = format!("{}/imgtools/waste:latest", registry.addr);
    let pulled = registry::pull(&reference, &SourceOptions::default(), cache.path())
        .expect("pull with an anonymous bearer token");
    assert_eq!(pulled.layers().len(), 7);
    analyze(&pulled, &AnalyzeOptions::default()).expect("layers with the same token flow");
    let requests = tokens.requests.lock().unwrap()[before..].to_vec();
    assert!(!requests.is_empty(), "no token was asked for");
    for request in &requests {
        assert!(request.authorization.is_none(), "anonymous: {request:?}");
        assert!(
            request.path_and_query.contains("imgtools%2Fwaste%3Apull")
                || request.path_and_query.contains("imgtools/waste:pull"),
            "{request:?}"
        );
        assert!(
            request
                .path_and_query
                .contains(crate::support::TOKEN_SERVICE),
            "{request:?}"
        );
    }
}
