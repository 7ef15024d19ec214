//! imgdive core: images built in the test with the `tar` crate, in every on-disk format we read
//! (docker-archive classic and OCI-in-tar, OCI layout directory, oci-archive; plain, gzip and
//! zstd layers), checked through the library and through the real `imgdive` binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imgtools::image::model::{Change, EntryKind, Image};
use imgtools::image::source::{ImageSource, SourceOptions, SourceSpec, open};
use imgtools::image::{AnalyzeOptions, analyze};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------- building layers and images

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comp {
    Plain,
    Gzip,
    Zstd,
}

/// A layer tar written entry by entry; names are written raw (hostile ones included).
struct LayerTar {
    builder: tar::Builder<Vec<u8>>,
}

impl LayerTar {
    fn new() -> LayerTar {
        LayerTar {
            builder: tar::Builder::new(Vec::new()),
        }
    }

    fn header(name: &str, kind: tar::EntryType, size: u64, mode: u32) -> tar::Header {
        let mut header = tar::Header::new_gnu();
        {
            let gnu = header.as_gnu_mut().unwrap();
            assert!(name.len() < 100, "test names stay short");
            gnu.name[..name.len()].copy_from_slice(name.as_bytes());
        }
        header.set_entry_type(kind);
        header.set_size(size);
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(1_700_000_000);
        header
    }

    fn dir(mut self, name: &str) -> Self {
        let mut h = Self::header(name, tar::EntryType::Directory, 0, 0o755);
        h.set_cksum();
        self.builder.append(&h, std::io::empty()).unwrap();
        self
    }

    fn file_owned(mut self, name: &str, content: &[u8], mode: u32, uid: u64) -> Self {
        let mut h = Self::header(name, tar::EntryType::Regular, content.len() as u64, mode);
        h.set_uid(uid);
        h.set_gid(uid);
        h.set_cksum();
        self.builder.append(&h, content).unwrap();
        self
    }

    fn file(self, name: &str, content: &[u8]) -> Self {
        self.file_owned(name, content, 0o644, 0)
    }

    fn link(mut self, name: &str, target: &str, kind: tar::EntryType) -> Self {
        let mut h = Self::header(name, kind, 0, 0o777);
        h.set_link_name(target).unwrap();
        h.set_cksum();
        self.builder.append(&h, std::io::empty()).unwrap();
        self
    }

    fn symlink(self, name: &str, target: &str) -> Self {
        self.link(name, target, tar::EntryType::Symlink)
    }

    fn hardlink(self, name: &str, target: &str) -> Self {
        self.link(name, target, tar::EntryType::Link)
    }

    fn finish(self) -> Vec<u8> {
        self.builder.into_inner().unwrap()
    }
}

fn sha(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn compress(tar: &[u8], comp: Comp) -> Vec<u8> {
    match comp {
        Comp::Plain => tar.to_vec(),
        Comp::Gzip => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(tar).unwrap();
            enc.finish().unwrap()
        }
        Comp::Zstd => zstd::encode_all(tar, 3).unwrap(),
    }
}

fn media_type(comp: Comp) -> &'static str {
    match comp {
        Comp::Plain => "application/vnd.oci.image.layer.v1.tar",
        Comp::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Comp::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    }
}

/// An image: layer tars (uncompressed) and their history lines.
struct TestImage {
    layers: Vec<Vec<u8>>,
    commands: Vec<String>,
}

impl TestImage {
    fn config(&self) -> Vec<u8> {
        let diff_ids: Vec<String> = self.layers.iter().map(|l| sha(l)).collect();
        let mut history =
            vec![json!({"created_by": "/bin/sh -c #(nop)  ENV A=1", "empty_layer": true})];
        for c in &self.commands {
            history.push(json!({ "created_by": c }));
        }
        history.push(json!({"created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "empty_layer": true}));
        serde_json::to_vec(&json!({
            "architecture": "amd64",
            "os": "linux",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }))
        .unwrap()
    }

    /// Blobs of an OCI layout: (name, bytes) plus index.json's bytes.
    fn oci_files(&self, comp: Comp) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let config = self.config();
        let config_digest = sha(&config);
        let mut layer_descs = Vec::new();
        for layer in &self.layers {
            let blob = compress(layer, comp);
            let digest = sha(&blob);
            layer_descs
                .push(json!({"mediaType": media_type(comp), "digest": digest, "size": blob.len()}));
            files.push((format!("blobs/sha256/{}", &digest[7..]), blob));
        }
        files.push((
            format!("blobs/sha256/{}", &config_digest[7..]),
            config.clone(),
        ));
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
            "layers": layer_descs,
        }))
        .unwrap();
        let manifest_digest = sha(&manifest);
        files.push((
            format!("blobs/sha256/{}", &manifest_digest[7..]),
            manifest.clone(),
        ));
        let index = serde_json::to_vec(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": manifest_digest,
                "size": manifest.len(),
                "annotations": {"org.opencontainers.image.ref.name": "latest"}
            }]
        }))
        .unwrap();
        files.push(("index.json".to_string(), index));
        files.push((
            "oci-layout".to_string(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ));
        files
    }

    fn write_oci_dir(&self, dir: &Path, comp: Comp) {
        for (name, bytes) in self.oci_files(comp) {
            let path = dir.join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }

    fn write_tar(path: &Path, files: &[(String, Vec<u8>)]) {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, bytes) in files {
            let mut h = tar::Header::new_ustar();
            h.set_path(name).unwrap();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            h.set_cksum();
            builder.append(&h, bytes.as_slice()).unwrap();
        }
        std::fs::write(path, builder.into_inner().unwrap()).unwrap();
    }

    fn write_oci_archive(&self, path: &Path, comp: Comp) {
        Self::write_tar(path, &self.oci_files(comp));
    }

    /// Docker 25+: OCI layout inside the tar, with or without the compat manifest.json.
    fn write_docker25_archive(&self, path: &Path, comp: Comp, with_manifest_json: bool) {
        let mut files = self.oci_files(comp);
        if with_manifest_json {
            let config_digest = sha(&self.config());
            let layers: Vec<String> = self
                .layers
                .iter()
                .map(|l| format!("blobs/sha256/{}", &sha(&compress(l, comp))[7..]))
                .collect();
            files.push((
                "manifest.json".to_string(),
                serde_json::to_vec(&json!([{
                    "Config": format!("blobs/sha256/{}", &config_digest[7..]),
                    "RepoTags": ["test:latest"],
                    "Layers": layers,
                }]))
                .unwrap(),
            ));
        }
        Self::write_tar(path, &files);
    }

    /// The classic `docker save` layout: `<id>/layer.tar`, `<config>.json`, `manifest.json`.
    fn write_classic_archive(&self, path: &Path) {
        self.write_classic_archive_with_config(path, self.config());
    }

    fn write_classic_archive_with_config(&self, path: &Path, config: Vec<u8>) {
        let config_name = format!("{}.json", &sha(&config)[7..]);
        let mut files = vec![(config_name.clone(), config)];
        let mut layer_names = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            let name = format!("{:064x}/layer.tar", i + 1);
            files.push((format!("{:064x}/VERSION", i + 1), b"1.0".to_vec()));
            files.push((name.clone(), layer.clone()));
            layer_names.push(name);
        }
        files.push((
            "manifest.json".to_string(),
            serde_json::to_vec(&json!([{
                "Config": config_name,
                "RepoTags": ["test:latest"],
                "Layers": layer_names,
            }]))
            .unwrap(),
        ));
        Self::write_tar(path, &files);
    }
}

/// The image every format test reads: a file overwritten, a file created then deleted, a
/// directory made opaque and recreated, hard and symbolic links, a chmod-only rewrite, and a
/// whole directory removed.
fn waste_image() -> TestImage {
    let l0 = LayerTar::new()
        .dir("etc/")
        .file("etc/passwd", &[b'p'; 100])
        .dir("app/")
        .file("app/big", &[b'b'; 1000])
        .file("app/keep", &[b'k'; 10])
        .dir("data/")
        .file("data/a", &[b'a'; 300])
        .file("data/b", &[b'c'; 200])
        .finish();
    let l1 = LayerTar::new()
        .dir("etc/")
        .file("etc/passwd", &[b'q'; 120])
        .dir("tmp/")
        .file("tmp/junk", &[b'j'; 500])
        .dir("app/")
        .hardlink("app/link", "app/keep")
        .symlink("app/sym", "/app/keep")
        .finish();
    let l2 = LayerTar::new()
        .dir("tmp/")
        .file("tmp/.wh.junk", b"")
        .dir("data/")
        .file("data/.wh..wh..opq", b"")
        .file("data/c", &[b'c'; 50])
        .dir("app/")
        .file_owned("app/keep", &[b'k'; 10], 0o600, 0)
        .finish();
    let l3 = LayerTar::new().file(".wh.app", b"").finish();
    TestImage {
        layers: vec![l0, l1, l2, l3],
        commands: vec![
            "/bin/sh -c #(nop) ADD file:base in / ".into(),
            "/bin/sh -c echo layer1".into(),
            "/bin/sh -c rm /tmp/junk && chmod 600 /app/keep".into(),
            "/bin/sh -c rm -rf /app".into(),
        ],
    }
}

fn read(source: &str) -> anyhow::Result<Image> {
    let spec = SourceSpec::parse(source)?;
    let opened = open(&spec, &SourceOptions::default())?;
    analyze(opened.as_ref(), &AnalyzeOptions::default())
}

fn imgdive(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imgdive"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CI")
        .output()
        .expect("run imgdive")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every format of the waste image, as SOURCE strings.
fn all_formats(dir: &Path) -> Vec<String> {
    let image = waste_image();
    let mut sources = Vec::new();
    let classic = dir.join("classic.tar");
    image.write_classic_archive(&classic);
    sources.push(format!("docker-archive:{}", classic.display()));
    sources.push(classic.display().to_string());
    let d25 = dir.join("docker25.tar");
    image.write_docker25_archive(&d25, Comp::Gzip, true);
    sources.push(format!("docker-archive:{}", d25.display()));
    let d25_plain = dir.join("docker25-plain.tar");
    image.write_docker25_archive(&d25_plain, Comp::Plain, true);
    sources.push(format!("docker-archive:{}", d25_plain.display()));
    let d25_index_only = dir.join("docker25-index-only.tar");
    image.write_docker25_archive(&d25_index_only, Comp::Zstd, false);
    sources.push(format!("docker-archive:{}", d25_index_only.display()));
    for comp in [Comp::Plain, Comp::Gzip, Comp::Zstd] {
        let layout = dir.join(format!("oci-{comp:?}"));
        image.write_oci_dir(&layout, comp);
        sources.push(format!("oci:{}", layout.display()));
        let archive = dir.join(format!("oci-{comp:?}.tar"));
        image.write_oci_archive(&archive, comp);
        sources.push(format!("oci-archive:{}:latest", archive.display()));
    }
    let plain_dir = dir.join("oci-Gzip");
    sources.push(plain_dir.display().to_string());
    sources
}

// ---------------------------------------------------------------- metrics, by hand

/// dive's numbers for the waste image, computed by hand from dive's formula:
///
/// leaves per layer (path: size): L0 /etc/passwd 100, /app/big 1000, /app/keep 10, /data/a
/// 300, /data/b 200 · L1 /etc/passwd 120, /tmp/junk 500, /app/link 0, /app/sym 0 · L2 /tmp/junk
/// (whiteout of a file: 0), /data/c 50, /app/keep 10 (the opaque marker is ignored; /data has
/// children so it is no leaf) · L3 /app (whiteout of a directory: its subtree in the stack of
/// L0..L2 = big 1000 + keep 10 + link 0 + sym 0 = 1010).
///
/// Σmin = 100+1000+10+300+200+0+0+0+50+1010 = 2670; Σcumulative = 220+1000+20+300+200+500+
/// 0+0+50+1010 = 3300; efficiency = 2670/3300. Wasted = /etc/passwd 220 + /tmp/junk 500 +
/// /app/keep 20 = 740. Sizes: 1610 + 620 + 60 + 0 = 2290, user bytes (above L0) = 680.
#[test]
fn dive_metrics_match_the_hand_computed_formula_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for source in all_formats(dir.path()) {
        let image = read(&source).unwrap_or_else(|e| panic!("{source}: {e:#}"));
        let m = &image.metrics;
        assert_eq!(m.total_size, 2290, "{source}");
        assert_eq!(
            image.layers.iter().map(|l| l.size).collect::<Vec<_>>(),
            [1610, 620, 60, 0]
        );
        assert!(
            (m.efficiency - 2670.0 / 3300.0).abs() < 1e-12,
            "{source}: {}",
            m.efficiency
        );
        assert_eq!(m.wasted_bytes, 740, "{source}");
        assert!(
            (m.user_wasted_percent - 740.0 / 680.0).abs() < 1e-12,
            "{source}"
        );
        let rows: Vec<(&str, u32, u64)> = m
            .inefficient
            .iter()
            .map(|p| (p.path.as_str(), p.count, p.bytes))
            .collect();
        assert_eq!(
            rows,
            [
                ("/tmp/junk", 2, 500),
                ("/etc/passwd", 2, 220),
                ("/app/keep", 2, 20)
            ],
            "{source}"
        );
    }
}

/// Reclaimable bytes: every stored copy hidden later, attributed.
#[test]
fn reclaimable_bytes_attribute_every_hidden_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.tar");
    waste_image().write_classic_archive(&path);
    let image = read(path.to_str().unwrap()).unwrap();
    let m = &image.metrics;
    let mut rows: Vec<(String, u64, u32, u32)> = m
        .reclaimable
        .iter()
        .map(|r| (r.path.clone(), r.bytes, r.stored_in, r.hidden_by))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            ("/app/big".to_string(), 1000, 0, 3), // whole directory removed
            ("/app/keep".to_string(), 10, 0, 2),  // chmod-only rewrite
            ("/app/keep".to_string(), 10, 2, 3),  // then removed with /app
            ("/data/a".to_string(), 300, 0, 2),   // opaque whiteout
            ("/data/b".to_string(), 200, 0, 2),   // opaque whiteout
            ("/etc/passwd".to_string(), 100, 0, 1), // overwritten
            ("/tmp/junk".to_string(), 500, 1, 2), // created then deleted
        ]
    );
    assert_eq!(m.reclaimable_bytes, 2120);
    // What is left visible: /etc/passwd (120) + /data/c (50) = 2290 - 2120.
    assert_eq!(m.total_size - m.reclaimable_bytes, 170);
}

#[test]
fn tree_records_what_each_layer_did() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    waste_image().write_oci_dir(&layout, Comp::Gzip);
    let image = read(&format!("oci:{}", layout.display())).unwrap();
    let t = &image.tree;
    let id = |p: &str| t.lookup(p).unwrap_or_else(|| panic!("{p} missing"));

    assert_eq!(t.change_in(id("/etc/passwd"), 0), Some(Change::Added));
    assert_eq!(t.change_in(id("/etc/passwd"), 1), Some(Change::Modified));
    assert_eq!(t.change_in(id("/tmp/junk"), 2), Some(Change::Removed));
    assert!(t.version_in(id("/tmp/junk"), 2).unwrap().explicit_whiteout);
    // Opaque directory: old children removed (not explicitly), new child added, dir kept.
    assert_eq!(t.change_in(id("/data/a"), 2), Some(Change::Removed));
    assert!(!t.version_in(id("/data/a"), 2).unwrap().explicit_whiteout);
    assert_eq!(t.change_in(id("/data/c"), 2), Some(Change::Added));
    assert!(t.state_at(id("/data"), 3).is_some());
    // chmod-only: same content hash, different mode → modified.
    assert_eq!(t.change_in(id("/app/keep"), 2), Some(Change::Modified));
    let before = t.state_at(id("/app/keep"), 1).unwrap();
    let after = t.state_at(id("/app/keep"), 2).unwrap();
    assert_eq!(before.content_hash, after.content_hash);
    assert_eq!((before.mode, after.mode), (0o644, 0o600));
    // Links.
    assert_eq!(
        t.state_at(id("/app/link"), 1).unwrap().kind,
        EntryKind::Hardlink("app/keep".into())
    );
    assert_eq!(
        t.state_at(id("/app/sym"), 1).unwrap().kind,
        EntryKind::Symlink("/app/keep".into())
    );
    // Whole directory removed: everything under it is gone after layer 3.
    for p in ["/app", "/app/big", "/app/keep", "/app/link", "/app/sym"] {
        assert!(t.state_at(id(p), 3).is_none(), "{p}");
        assert_eq!(t.change_in(id(p), 3), Some(Change::Removed), "{p}");
    }
    // History: empty layers kept aside.
    assert_eq!(image.layers[0].empty_before, ["/bin/sh -c #(nop)  ENV A=1"]);
    assert_eq!(image.trailing_empty, ["/bin/sh -c #(nop)  CMD [\"sh\"]"]);
    assert_eq!(image.layers[3].command, "/bin/sh -c rm -rf /app");
    assert_eq!(image.layers[1].compression, "gzip");
    assert_eq!(image.layers[1].media_type, media_type(Comp::Gzip));
}

/// One layer, zero bytes: the metrics are defined, never NaN.
#[test]
fn edge_cases_never_produce_nan() {
    let dir = tempfile::tempdir().unwrap();
    let one = TestImage {
        layers: vec![LayerTar::new().dir("empty/").finish()],
        commands: vec!["/bin/sh -c mkdir /empty".into()],
    };
    let path = dir.path().join("one.tar");
    one.write_classic_archive(&path);
    let image = read(path.to_str().unwrap()).unwrap();
    assert_eq!(image.metrics.efficiency, 1.0);
    assert_eq!(image.metrics.user_wasted_percent, 0.0);
    assert_eq!(image.metrics.wasted_bytes, 0);

    let one_with_bytes = TestImage {
        layers: vec![LayerTar::new().file("f", b"12345").finish()],
        commands: vec!["x".into()],
    };
    one_with_bytes.write_classic_archive(&path);
    let image = read(path.to_str().unwrap()).unwrap();
    assert_eq!(image.metrics.efficiency, 1.0);
    assert_eq!(image.metrics.user_wasted_percent, 0.0);
    let out = imgdive(&["--ci", path.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("NaN"));
}

// ---------------------------------------------------------------- hostile names

#[test]
fn hostile_names_stay_inside_the_image_and_are_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let marker = format!("imgdive-hostile-{}", std::process::id());
    let l0 = LayerTar::new()
        .file("../../etc/passwd", b"root:x:0:0")
        .file(&format!("/tmp/{marker}"), b"abs")
        .file("evil\x1b[31mred", &[b'x'; 40])
        .file("new\nline", b"nl")
        .finish();
    let l1 = LayerTar::new()
        .file("evil\x1b[31mred", &[b'y'; 40])
        .finish();
    let image = TestImage {
        layers: vec![l0, l1],
        commands: vec!["a".into(), "b".into()],
    };
    let path = dir.path().join("hostile.tar");
    image.write_classic_archive(&path);
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();

    let analysed = read(path.to_str().unwrap()).unwrap();
    let t = &analysed.tree;
    assert!(t.lookup("/etc/passwd").is_some());
    assert!(t.lookup(&format!("/tmp/{marker}")).is_some());
    let evil = t.lookup("/evil\x1b[31mred").expect("kept as data");
    assert_eq!(&*t.node(evil).name, "evil\x1b[31mred");
    assert!(t.lookup("/new\nline").is_some());

    let json_path = work.join("out.json");
    let out = imgdive(
        &[
            "--ci",
            "--json",
            json_path.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        &work,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\x1b'),
        "raw escape sequence printed: {stdout:?}"
    );
    assert!(stdout.contains("/evil\\x1b[31mred"), "{stdout}");
    let json = std::fs::read_to_string(&json_path).unwrap();
    assert!(!json.contains('\x1b') && json.contains("\\u001b"));
    let sarif = imgdive(
        &[
            "--ci",
            "--format",
            "sarif",
            "--lowest-efficiency",
            "0.99",
            path.to_str().unwrap(),
        ],
        &work,
    );
    assert!(!String::from_utf8_lossy(&sarif.stdout).contains('\x1b'));
    // Nothing was written to the host: no /tmp/<marker>, the work dir holds only our JSON.
    assert!(!Path::new(&format!("/tmp/{marker}")).exists());
    let left: Vec<_> = std::fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("out.json")]);
}

// ---------------------------------------------------------------- bad input

fn assert_one_line_error(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    for needle in needles {
        assert!(err.contains(needle), "{err:?} should name {needle:?}");
    }
}

fn layer_blob_path(
    layout: &Path,
    image: &TestImage,
    index: usize,
    comp: Comp,
) -> (PathBuf, String) {
    let digest = sha(&compress(&image.layers[index], comp));
    (
        layout.join(format!("blobs/sha256/{}", &digest[7..])),
        digest,
    )
}

#[test]
fn truncated_layer_is_a_one_line_error_naming_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let image = waste_image();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let (blob, digest) = layer_blob_path(&layout, &image, 1, Comp::Gzip);
    let bytes = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, &bytes[..bytes.len() / 2]).unwrap();
    let out = imgdive(&["--ci", &format!("oci:{}", layout.display())], dir.path());
    assert_one_line_error(&out, &["layer 1", &digest]);

    // An uncompressed layer cut short inside a classic archive.
    let l0 = image.layers[0].clone();
    let cut = TestImage {
        layers: vec![l0[..700].to_vec()],
        commands: vec!["x".into()],
    };
    let path = dir.path().join("cut.tar");
    cut.write_classic_archive(&path);
    let out = imgdive(&["--ci", path.to_str().unwrap()], dir.path());
    assert_one_line_error(&out, &["layer 0"]);
}

#[test]
fn corrupt_gzip_is_a_one_line_error_naming_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let image = waste_image();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let (blob, digest) = layer_blob_path(&layout, &image, 0, Comp::Gzip);
    let mut bytes = std::fs::read(&blob).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 16] {
        *b ^= 0x5a;
    }
    std::fs::write(&blob, &bytes).unwrap();
    let out = imgdive(&["--ci", &format!("oci:{}", layout.display())], dir.path());
    assert_one_line_error(&out, &["layer 0", &digest]);
}

#[test]
fn digest_mismatch_is_a_one_line_error_naming_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let image = waste_image();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    // A perfectly valid layer, stored under another layer's digest.
    let (blob, digest) = layer_blob_path(&layout, &image, 2, Comp::Gzip);
    std::fs::write(&blob, compress(&image.layers[3], Comp::Gzip)).unwrap();
    let out = imgdive(&["--ci", &format!("oci:{}", layout.display())], dir.path());
    assert_one_line_error(&out, &["layer 2", &digest, "digest mismatch"]);

    // Classic archive: a layer.tar that does not hash to the config's diff_id (the layer has no
    // blob digest, so the diff_id is what catches it).
    let good = waste_image();
    let mut bad = waste_image();
    bad.layers[1] = LayerTar::new().file("other", b"x").finish();
    let path = dir.path().join("classic.tar");
    bad.write_classic_archive_with_config(&path, good.config());
    let out = imgdive(&["--ci", path.to_str().unwrap()], dir.path());
    assert_one_line_error(
        &out,
        &["layer 1", &sha(&good.layers[1]), "diff_id mismatch"],
    );
}

#[test]
fn manifest_naming_a_missing_blob_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let image = waste_image();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Zstd);
    let (blob, digest) = layer_blob_path(&layout, &image, 3, Comp::Zstd);
    std::fs::remove_file(&blob).unwrap();
    let out = imgdive(&["--ci", &format!("oci:{}", layout.display())], dir.path());
    assert_one_line_error(&out, &["layer 3", &digest, "missing"]);

    let archive = dir.path().join("a.tar");
    let files: Vec<(String, Vec<u8>)> = image
        .oci_files(Comp::Plain)
        .into_iter()
        .filter(|(name, _)| !name.ends_with(&sha(&image.layers[0])[7..]))
        .collect();
    TestImage::write_tar(&archive, &files);
    let out = imgdive(
        &["--ci", &format!("oci-archive:{}", archive.display())],
        dir.path(),
    );
    assert_one_line_error(&out, &["layer 0", "missing"]);
}

#[test]
fn not_an_image_and_missing_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.tar");
    std::fs::write(&junk, b"this is not a tar archive at all, just text").unwrap();
    assert_one_line_error(
        &imgdive(&["--ci", junk.to_str().unwrap()], dir.path()),
        &["junk.tar"],
    );
    assert_one_line_error(
        &imgdive(&["--ci", "/nonexistent/image.tar"], dir.path()),
        &["/nonexistent/image.tar"],
    );
    // No argument: usage, exit 2.
    let out = imgdive(&[], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage"));
}

// ---------------------------------------------------------------- CI mode, JSON, SARIF

#[test]
fn ci_rules_from_file_flags_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.tar");
    waste_image().write_classic_archive(&path);
    let src = path.to_str().unwrap();

    // Defaults (0.9 / disabled / 0.1): efficiency 0.809 fails.
    let out = imgdive(&["--ci", src], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL: lowestEfficiency"), "{text}");
    assert!(text.contains("SKIP: highestWastedBytes"), "{text}");
    assert!(text.contains("/tmp/junk"), "{text}");
    assert!(text.contains("reclaimableBytes: 2120"), "{text}");

    // A .dive-ci that passes (camelCase keys, humanize sizes).
    std::fs::write(
        dir.path().join(".dive-ci"),
        "rules:\n  lowestEfficiency: 0.8\n  highestWastedBytes: 1KB\n  highestUserWastedPercent: disabled\n",
    )
    .unwrap();
    let out = imgdive(&["--ci", src], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Strict comparison: wasted 740 > 739 fails, 740 > 740 does not.
    let out = imgdive(&["--ci", "--highestWastedBytes", "739B", src], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let out = imgdive(&["--ci", "--highest-wasted-bytes", "740", src], dir.path());
    assert_eq!(out.status.code(), Some(0));

    // CI=true turns CI mode on without --ci.
    let out = Command::new(env!("CARGO_BIN_EXE_imgdive"))
        .arg(src)
        .current_dir(dir.path())
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Result:PASS"));

    // A bad threshold is a usage error.
    let out = imgdive(&["--ci", "--lowest-efficiency", "lots", src], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_output_is_valid_and_has_one_result_per_failed_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.tar");
    waste_image().write_classic_archive(&path);
    let out = imgdive(
        &[
            "--ci",
            "--format",
            "sarif",
            "--highest-wasted-bytes",
            "100",
            path.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The official schema's `language` patterns have a stray `]` that ECMA-262 regexes (as the
    // validator checks them) reject; they are irrelevant to our output, so the stray `]` goes.
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/schemas/sarif-schema-2.1.0.json"),
    )
    .unwrap()
    .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}$");
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "lowestEfficiency",
            "highestWastedBytes",
            "highestUserWastedPercent"
        ]
    );
    assert!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("img.tar")
    );
}

#[test]
fn json_export_follows_dives_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.tar");
    waste_image().write_classic_archive(&path);
    let out_path = dir.path().join("out.json");
    let out = imgdive(
        &["--json", out_path.to_str().unwrap(), path.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    let image = &v["image"];
    assert_eq!(image["sizeBytes"], 2290);
    assert_eq!(image["inefficientBytes"], 740);
    assert!((image["efficiencyScore"].as_f64().unwrap() - 2670.0 / 3300.0).abs() < 1e-12);
    assert_eq!(
        image["fileReference"][0],
        json!({"count": 2, "sizeBytes": 500, "file": "/tmp/junk"})
    );
    let layers = v["layer"].as_array().unwrap();
    assert_eq!(layers.len(), 4);
    assert_eq!(layers[1]["index"], 1);
    assert_eq!(layers[1]["id"], format!("{:064x}", 2));
    assert_eq!(layers[1]["digestId"], sha(&waste_image().layers[1]));
    assert_eq!(layers[1]["command"], "echo layer1");
    assert_eq!(layers[1]["sizeBytes"], 620);
    // fileList: children before parents, sorted; hard link with size 0 and typeFlag '1'.
    let paths: Vec<&str> = layers[1]["fileList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "app/link",
            "app/sym",
            "app",
            "etc/passwd",
            "etc",
            "tmp/junk",
            "tmp"
        ]
    );
    let link = &layers[1]["fileList"][0];
    assert_eq!(link["typeFlag"], 49);
    assert_eq!(link["linkName"], "app/keep");
    assert_eq!(link["size"], 0);
    let app = &layers[1]["fileList"][2];
    assert_eq!(app["isDir"], true);
    assert_eq!(app["fileMode"], (1u64 << 31) | 0o755);
    // Layer 3: a whiteout file under its .wh. name.
    assert_eq!(layers[3]["fileList"][0]["path"], ".wh.app");
    // imgdive's additions.
    assert_eq!(v["imgdive"]["reclaimableBytes"], 2120);
    assert_eq!(v["imgdive"]["layers"][0]["compression"], "none");
}

#[test]
fn a_file_can_be_read_back_from_its_layer() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    waste_image().write_oci_dir(&layout, Comp::Zstd);
    let spec = SourceSpec::parse(&format!("oci:{}", layout.display())).unwrap();
    let source = open(&spec, &SourceOptions::default()).unwrap();
    let read = |layer, path| {
        imgtools::image::content::read_file(source.as_ref(), layer, path, 1 << 20).unwrap()
    };
    assert_eq!(read(1, "/etc/passwd"), Some(vec![b'q'; 120]));
    assert_eq!(read(0, "etc/passwd"), Some(vec![b'p'; 100]));
    assert_eq!(read(2, "/etc/passwd"), None);
    assert_eq!(read(1, "/app"), None);
    let short = imgtools::image::content::read_file(source.as_ref(), 0, "/app/big", 10).unwrap();
    assert_eq!(short, Some(vec![b'b'; 10]));
}

/// dive's quirks, reproduced (numbers checked against dive 0.13.1 on the same archive):
///
/// L0 leaves: /a/x 100, /b 50, /z 70, /d/q 30 · L1: `.wh.nothere` names a path absent from the
/// stack → dive's visitor fails, `/nothere` keeps minimum −1 and the rest of L1 (/b 60, /z 10)
/// is never visited · L2: /d is made opaque (marker ignored; the now childless /d is a leaf of 0
/// bytes), /a/x 5 · L3: `.wh.d` removes a directory whose stacked subtree still holds /d/q (the
/// opaque marker was ignored) → 30; /zz 1.
/// Σmin = 5+50+70+30−1+0+1 = 155, Σcumulative = 105+50+70+30+0+30+1 = 286, wasted = 105+30.
#[test]
fn dive_quirks_are_reproduced() {
    let image = TestImage {
        layers: vec![
            LayerTar::new()
                .dir("a/")
                .file("a/x", &[b'x'; 100])
                .file("b", &[b'b'; 50])
                .file("z", &[b'z'; 70])
                .dir("d/")
                .file("d/q", &[b'q'; 30])
                .finish(),
            LayerTar::new()
                .file(".wh.nothere", b"")
                .file("b", &[b'B'; 60])
                .file("z", &[b'Z'; 10])
                .finish(),
            LayerTar::new()
                .dir("d/")
                .file("d/.wh..wh..opq", b"")
                .file("a/x", &[b'y'; 5])
                .finish(),
            LayerTar::new().file(".wh.d", b"").file("zz", b"1").finish(),
        ],
        commands: vec!["0".into(), "1".into(), "2".into(), "3".into()],
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quirks.tar");
    image.write_classic_archive(&path);
    let m = read(path.to_str().unwrap()).unwrap().metrics;
    assert_eq!(m.total_size, 326);
    assert!(
        (m.efficiency - 155.0 / 286.0).abs() < 1e-12,
        "{}",
        m.efficiency
    );
    assert_eq!(m.wasted_bytes, 135);
    let rows: Vec<(&str, u32, u64)> = m
        .inefficient
        .iter()
        .map(|p| (p.path.as_str(), p.count, p.bytes))
        .collect();
    assert_eq!(rows, [("/a/x", 2, 105), ("/d", 2, 30)]);
    // Our own figure is not fooled: /b 50, /z 70 overwritten, /a/x 100 overwritten, /d/q 30
    // hidden by the opaque directory.
    assert_eq!(m.reclaimable_bytes, 50 + 70 + 100 + 30);
}

/// `docker save` stores a layer identical to an earlier one as a symlink to its tar.
#[test]
fn classic_archive_layers_stored_as_symlinks_are_followed() {
    let layer = LayerTar::new().file("f", &[b'f'; 10]).finish();
    let image = TestImage {
        layers: vec![layer.clone(), layer.clone()],
        commands: vec!["a".into(), "b".into()],
    };
    let config = image.config();
    let config_name = format!("{}.json", &sha(&config)[7..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("linked.tar");
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |name: &str, bytes: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_path(name).unwrap();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        builder.append(&h, bytes).unwrap();
    };
    add(&config_name, &config);
    add("aaa/layer.tar", &layer);
    let manifest = serde_json::to_vec(&json!([{
        "Config": config_name, "RepoTags": [], "Layers": ["aaa/layer.tar", "bbb/layer.tar"]
    }]))
    .unwrap();
    add("manifest.json", &manifest);
    let mut h = tar::Header::new_ustar();
    h.set_path("bbb/layer.tar").unwrap();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_link_name("../aaa/layer.tar").unwrap();
    h.set_size(0);
    h.set_cksum();
    builder.append(&h, std::io::empty()).unwrap();
    std::fs::write(&path, builder.into_inner().unwrap()).unwrap();

    let analysed = read(path.to_str().unwrap()).unwrap();
    assert_eq!(analysed.layers[1].size, 10);
    assert_eq!(analysed.layers[1].dive_id, "bbb");
    assert_eq!(analysed.metrics.wasted_bytes, 20);
}

/// A multi-platform OCI layout: the nested index is resolved to `--platform`.
#[test]
fn nested_index_is_resolved_to_the_requested_platform() {
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("multi");
    let amd = TestImage {
        layers: vec![LayerTar::new().file("amd", &[b'a'; 3]).finish()],
        commands: vec!["amd".into()],
    };
    let arm = TestImage {
        layers: vec![LayerTar::new().file("arm", &[b'r'; 5]).finish()],
        commands: vec!["arm".into()],
    };
    let mut platform_manifests = Vec::new();
    for (image, arch) in [(&amd, "amd64"), (&arm, "arm64")] {
        let files = image.oci_files(Comp::Gzip);
        let index: Value =
            serde_json::from_slice(&files.iter().find(|(n, _)| n == "index.json").unwrap().1)
                .unwrap();
        let mut desc = index["manifests"][0].clone();
        desc["platform"] = json!({"os": "linux", "architecture": arch});
        desc.as_object_mut().unwrap().remove("annotations");
        platform_manifests.push(desc);
        for (name, bytes) in files.into_iter().filter(|(n, _)| n.starts_with("blobs/")) {
            let path = layout.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
    let nested = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": platform_manifests,
    }))
    .unwrap();
    let nested_digest = sha(&nested);
    std::fs::write(
        layout.join(format!("blobs/sha256/{}", &nested_digest[7..])),
        &nested,
    )
    .unwrap();
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": nested_digest, "size": nested.len(),
            "annotations": {"org.opencontainers.image.ref.name": "v1"}
        }]}))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        layout.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .unwrap();

    let read_platform = |platform: &str| {
        let spec = SourceSpec::parse(&format!("oci:{}:v1", layout.display())).unwrap();
        let options = SourceOptions {
            platform: Some(platform.to_string()),
            ..SourceOptions::default()
        };
        let source = open(&spec, &options)?;
        analyze(source.as_ref(), &AnalyzeOptions::default())
    };
    let arm_image = read_platform("linux/arm64").unwrap();
    assert!(arm_image.tree.lookup("/arm").is_some());
    assert_eq!(arm_image.metrics.total_size, 5);
    let amd_image = read_platform("linux/amd64").unwrap();
    assert!(amd_image.tree.lookup("/amd").is_some());
    let err = read_platform("linux/s390x").unwrap_err();
    assert!(format!("{err:#}").contains("linux/s390x"), "{err:#}");
    // An unknown ref name lists the known ones.
    let spec = SourceSpec::parse(&format!("oci:{}:nope", layout.display())).unwrap();
    let err = open(&spec, &SourceOptions::default()).err().unwrap();
    assert!(format!("{err:#}").contains("v1"), "{err:#}");
}

/// Deleting one name of a hard-linked file frees nothing: the bytes stay visible through the
/// other name. dive still counts the deleted path as wasted (both copies, as always).
#[test]
fn bytes_kept_alive_by_a_hard_link_are_not_reclaimable() {
    let image = TestImage {
        layers: vec![
            LayerTar::new()
                .file("big", &[b'b'; 100])
                .hardlink("alias", "big")
                .file("gone", &[b'g'; 7])
                .finish(),
            LayerTar::new()
                .file(".wh.big", b"")
                .file(".wh.gone", b"")
                .finish(),
        ],
        commands: vec!["a".into(), "b".into()],
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.tar");
    image.write_classic_archive(&path);
    let m = read(path.to_str().unwrap()).unwrap().metrics;
    assert_eq!(m.wasted_bytes, 107);
    assert_eq!(m.reclaimable_bytes, 7);
    assert_eq!(m.reclaimable.len(), 1);
    assert_eq!(m.reclaimable[0].path, "/gone");
}

#[test]
fn extract_never_writes_through_a_symlink_from_the_image() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside
        .path()
        .to_str()
        .unwrap()
        .trim_start_matches('/')
        .to_string();
    // Layer 0 makes `esc` a symlink out of the root; layer 1 writes a file "under" it, and a
    // file whose tar name climbs out with `..`.
    let l0 = LayerTar::new()
        .symlink("esc", &format!("/{target}"))
        .dir("d/")
        .file("d/f", b"ok")
        .finish();
    let l1 = LayerTar::new()
        .file("esc/pwned", b"x")
        .file("../../../d/g", b"y")
        .finish();
    let image = TestImage {
        layers: vec![l0, l1],
        commands: vec!["/bin/sh -c a".into(), "/bin/sh -c b".into()],
    };
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let dest = dir.path().join("out");
    let out = imgdive(
        &[
            "extract",
            &format!("oci:{}", layout.display()),
            "/",
            "-o",
            dest.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(dest.join("esc").is_symlink());
    assert_eq!(std::fs::read(dest.join("d/f")).unwrap(), b"ok");
    assert_eq!(
        std::fs::read(dest.join("d/g")).unwrap(),
        b"y",
        "`..` stays in the root"
    );
}

/// The `--json` export of an image of `layers` (one history line each), written as a gzip OCI
/// layout in `dir`.
fn export_of(layers: Vec<Vec<u8>>, dir: &Path) -> Value {
    let image = TestImage {
        commands: (0..layers.len())
            .map(|i| format!("/bin/sh -c step{i}"))
            .collect(),
        layers,
    };
    let layout = dir.join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let out = imgdive(&["--json", "-", &format!("oci:{}", layout.display())], dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn duplicate_content_under_other_paths_is_listed_not_reclaimed() {
    let vendored = [b'v'; 700];
    let l0 = LayerTar::new()
        .dir("lib/")
        .file("lib/libz.so", &vendored)
        .file("lib/other", &[b'o'; 50])
        .finish();
    // A `COPY --from` of the same library to another path, and the same path rewritten
    // identically (an inefficient path, not a duplicate).
    let l1 = LayerTar::new()
        .dir("app/")
        .file("app/vendor-libz.so", &vendored)
        .file("app/copy2", &vendored)
        .file("lib/other", &[b'o'; 50])
        .finish();
    let dir = tempfile::tempdir().unwrap();
    let v = export_of(vec![l0, l1], dir.path());
    let duplicates = v["imgdive"]["duplicates"].as_array().unwrap();
    assert_eq!(duplicates.len(), 1, "{duplicates:?}");
    let d = &duplicates[0];
    assert_eq!(d["size"], 700);
    assert_eq!(d["duplicateBytes"], 1400, "three paths, two extra copies");
    assert_eq!(
        d["copies"],
        json!([
            {"path": "/app/copy2", "layer": 1},
            {"path": "/app/vendor-libz.so", "layer": 1},
            {"path": "/lib/libz.so", "layer": 0},
        ])
    );
    // Squashing would not save them: reclaimable bytes are only the rewritten /lib/other.
    assert_eq!(v["imgdive"]["reclaimableBytes"], 50);
}

/// Two eStargz-style layers: each stores its table of contents and a landmark at the root,
/// beside the user's files (one of which is really overwritten).
fn estargz_layers() -> Vec<Vec<u8>> {
    let toc = |n: usize| vec![b'{'; 400 + n];
    let l0 = LayerTar::new()
        .file("stargz.index.json", &toc(0))
        .file(".prefetch.landmark", &[0xf])
        .dir("app/")
        .file("app/conf", &[b'a'; 60])
        .finish();
    let l1 = LayerTar::new()
        .file("stargz.index.json", &toc(20))
        .file(".no.prefetch.landmark", &[0xf])
        .dir("app/")
        .file("app/conf", &[b'b'; 70])
        .finish();
    vec![l0, l1]
}

#[test]
fn estargz_metadata_is_format_metadata_not_waste() {
    let dir = tempfile::tempdir().unwrap();
    let v = export_of(estargz_layers(), dir.path());
    // Only /app/conf is waste: both copies (dive's rule), and the first copy is reclaimable.
    assert_eq!(
        v["image"]["fileReference"],
        json!([{"count": 2, "sizeBytes": 130, "file": "/app/conf"}])
    );
    assert_eq!(v["image"]["inefficientBytes"], 130);
    assert_eq!(v["imgdive"]["reclaimableBytes"], 60);
    assert_eq!(
        v["imgdive"]["formatMetadata"],
        json!([
            {"path": "/.prefetch.landmark", "layer": 0, "bytes": 1},
            {"path": "/stargz.index.json", "layer": 0, "bytes": 400},
            {"path": "/.no.prefetch.landmark", "layer": 1, "bytes": 1},
            {"path": "/stargz.index.json", "layer": 1, "bytes": 420},
        ])
    );
    // An ordinary image has no such section.
    let plain = tempfile::tempdir().unwrap();
    let v = export_of(vec![LayerTar::new().file("a", b"x").finish()], plain.path());
    assert!(v["imgdive"].get("formatMetadata").is_none());
}

#[test]
fn estargz_metadata_is_one_line_of_the_ci_text() {
    let dir = tempfile::tempdir().unwrap();
    let image = TestImage {
        commands: vec!["/bin/sh -c step0".into(), "/bin/sh -c step1".into()],
        layers: estargz_layers(),
    };
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let out = imgdive(&["--ci", &format!("oci:{}", layout.display())], dir.path());
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&layout.display().to_string(), "<layout>");
    insta::assert_snapshot!("ci_estargz", text);
}

/// Rewrites the config of the OCI layout at `layout` with `edit` (and the manifest and index
/// that name it by digest).
fn rewrite_oci_config(layout: &Path, edit: impl Fn(Vec<u8>) -> Vec<u8>) {
    let blob = |digest: &str| layout.join("blobs/sha256").join(&digest[7..]);
    let mut index: Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let manifest_digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(blob(&manifest_digest)).unwrap()).unwrap();
    let config_digest = manifest["config"]["digest"].as_str().unwrap().to_string();
    let config = edit(std::fs::read(blob(&config_digest)).unwrap());
    std::fs::write(blob(&sha(&config)), &config).unwrap();
    manifest["config"]["digest"] = json!(sha(&config));
    manifest["config"]["size"] = json!(config.len());
    let manifest = serde_json::to_vec(&manifest).unwrap();
    std::fs::write(blob(&sha(&manifest)), &manifest).unwrap();
    index["manifests"][0]["digest"] = json!(sha(&manifest));
    index["manifests"][0]["size"] = json!(manifest.len());
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&index).unwrap(),
    )
    .unwrap();
}

#[test]
fn registry_layer_with_a_wrong_diff_id_fails_and_is_not_cached() {
    // Every blob is what its digest says, but the config promises another layer 1: the layer
    // streams from the registry, fails its diff_id check, and its download is thrown away.
    let dir = tempfile::tempdir().unwrap();
    let image = waste_image();
    let layout = dir.path().join("oci");
    image.write_oci_dir(&layout, Comp::Gzip);
    let promised = sha(&LayerTar::new().file("other", b"x").finish());
    let real = sha(&image.layers[1]);
    rewrite_oci_config(&layout, |config| {
        String::from_utf8(config)
            .unwrap()
            .replace(&real, &promised)
            .into_bytes()
    });
    let registry = crate::support::Registry::start();
    registry.push(
        &format!("oci:{}:latest", layout.display()),
        "imgtools/wrong-diff-id:latest",
        false,
    );
    let cache = dir.path().join("cache");
    let reference = format!("{}/imgtools/wrong-diff-id:latest", registry.addr);
    let pulled =
        imgtools::image::source::registry::pull(&reference, &SourceOptions::default(), &cache)
            .unwrap();
    let layer_digest = pulled.layers()[1].digest.clone();
    let message = format!(
        "{:#}",
        analyze(&pulled, &AnalyzeOptions::default()).expect_err("diff_id mismatch")
    );
    assert!(
        message.starts_with(&format!("layer 1 ({layer_digest})")),
        "{message}"
    );
    assert!(
        message.contains(&format!("diff_id mismatch: expected {promised}")),
        "{message}"
    );
    assert!(!message.contains('\n'), "{message}");
    drop(pulled);
    let names: Vec<String> = std::fs::read_dir(cache.join("blobs/sha256"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.contains(&layer_digest[7..].to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains(".partial")), "{names:?}");
}
