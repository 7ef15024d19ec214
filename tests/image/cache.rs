//! The registry blob cache against the loopback registry: bounded by `--cache-max` with the
//! least recently used blobs evicted first (never the image being opened), `--no-cache` pulls
//! through a private directory that is gone afterwards, `imgdive cache prune` shrinks it.

use std::path::Path;

use serde_json::Value;

use crate::support::{Imgdive, Registry};

fn export(imgdive: &Imgdive, args: &[&str], tmp: &Path) -> Value {
    let mut all = vec!["--json", "-", "--no-progress"];
    all.extend_from_slice(args);
    let out = imgdive.run(&all, &[("TMPDIR", tmp.to_str().unwrap())]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["image"].clone()
}

/// The cached blob files: hex names and total size.
fn cached(imgdive: &Imgdive) -> (Vec<String>, u64) {
    let dir = imgdive.cache_dir().join("imgdive/blobs/sha256");
    let mut names = Vec::new();
    let mut size = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        size += entry.metadata().unwrap().len();
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    (names, size)
}

fn prune(imgdive: &Imgdive, args: &[&str]) -> String {
    let mut all = vec!["cache", "prune"];
    all.extend_from_slice(args);
    let out = imgdive.run(&all, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_cache_is_bounded_least_recently_used_first() {
    let registry = Registry::start();
    let waste = format!("docker://{}", registry.push_test_image("waste"));
    let config = format!("docker://{}", registry.push_test_image("config"));
    let imgdive = Imgdive::new();
    let tmp = tempfile::tempdir().unwrap();

    let waste_numbers = export(&imgdive, &[&waste], tmp.path());
    let (waste_blobs, waste_size) = cached(&imgdive);
    assert_eq!(waste_blobs.len(), 8, "config + 7 layers");
    let config_numbers = export(&imgdive, &[&config], tmp.path());
    let (both, _) = cached(&imgdive);
    let config_blobs: Vec<String> = both
        .iter()
        .filter(|b| !waste_blobs.contains(b))
        .cloned()
        .collect();
    assert!(!config_blobs.is_empty());
    // config's own blobs, some shared with waste (the base layer), as a fresh cache gets them.
    let alone = Imgdive::new();
    export(&alone, &[&config], tmp.path());
    let config_all = cached(&alone).0;

    // waste used again (from the cache: nothing downloaded), so config's blobs are the least
    // recently used: a cap of waste's size evicts them and keeps waste's.
    let gets = registry.blob_gets();
    assert_eq!(export(&imgdive, &[&waste], tmp.path()), waste_numbers);
    assert_eq!(registry.blob_gets(), gets, "waste came from the cache");
    let report = prune(&imgdive, &["--max", &waste_size.to_string()]);
    assert!(
        report.starts_with(&format!("removed {} blobs", config_blobs.len())),
        "{report}"
    );
    assert_eq!(cached(&imgdive).0, waste_blobs);

    // A pull with a cap smaller than its own image keeps that image and evicts the rest.
    assert_eq!(
        export(&imgdive, &["--cache-max", "1", &config], tmp.path()),
        config_numbers
    );
    assert_eq!(
        cached(&imgdive).0,
        config_all,
        "only the image in use is left"
    );

    // --no-cache: downloaded again into a private directory, which is gone afterwards; the
    // cache is not touched.
    let gets = registry.blob_gets();
    assert_eq!(
        export(&imgdive, &["--no-cache", &waste], tmp.path()),
        waste_numbers
    );
    assert_eq!(registry.blob_gets(), gets + 8, "--no-cache downloads");
    assert_eq!(cached(&imgdive).0, config_all);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);

    let report = prune(&imgdive, &["--all"]);
    assert!(report.contains("0 blobs (0 bytes) kept"), "{report}");
    assert!(cached(&imgdive).0.is_empty());
}
