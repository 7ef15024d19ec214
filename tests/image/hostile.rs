//! Hostile images (issue #8, imgdive): each built here by a small generator — tampered layers,
//! decompression bombs, huge extended headers, sparse entries declaring exabytes, repeated
//! whiteouts, deep trees, FIFOs where files belong — and read through the library and the real
//! `imgdive` binary. Each must end quickly with one clear error line naming the layer, or be
//! analysed in time linear in its size; never hang, exhaust memory or overwrite what it should
//! not.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use imgtools::image::model::Image;
use imgtools::image::source::{
    ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, SourceSpec, open,
};
use imgtools::image::{AnalyzeOptions, analyze};
use proptest::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256, Sha512};

// ------------------------------------------------------------------------------ generators

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// A GNU tar header for `name` (raw bytes, < 100) of `kind` with `size` bytes of data.
fn header(name: &[u8], kind: tar::EntryType, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(if kind == tar::EntryType::Directory {
        0o755
    } else {
        0o644
    });
    h.set_mtime(1_700_000_000);
    h.set_cksum();
    h
}

/// A layer tar from (name, kind, content) triples, written raw.
fn layer(entries: &[(&[u8], tar::EntryType, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, kind, content) in entries {
        append(
            &mut out,
            &header(name, *kind, content.len() as u64),
            content,
        );
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

/// Appends one header and its data, padded to 512 bytes.
fn append(out: &mut Vec<u8>, header: &tar::Header, data: &[u8]) {
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

/// How a layer tar is stored (plain, gzip, zstd).
type Store = fn(&[u8]) -> Vec<u8>;

/// An image in memory: config and layer blobs as stored. The `ImageSource` hands the blobs out
/// exactly as an on-disk source would, so the layer reader under test is the real one.
struct MemImage {
    config: ConfigBlob,
    layers: Vec<LayerDescriptor>,
    blobs: Vec<Vec<u8>>,
}

impl MemImage {
    /// `layers`: (blob as stored, diff_id the config claims). Manifest digests are left empty
    /// (as in a classic `docker save` archive), so only the diff_id can catch a tampered layer.
    fn new(layers: Vec<(Vec<u8>, String)>) -> MemImage {
        let diff_ids: Vec<&String> = layers.iter().map(|(_, d)| d).collect();
        let config = serde_json::to_vec(&json!({
            "architecture": "amd64", "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
        }))
        .unwrap();
        MemImage {
            config: ConfigBlob::parse(config, "config").unwrap(),
            layers: layers
                .iter()
                .map(|(blob, diff_id)| LayerDescriptor {
                    digest: String::new(),
                    media_type: String::new(),
                    compressed_size: blob.len() as u64,
                    diff_id: diff_id.clone(),
                    // A classic archive names each layer by its directory; the same blob
                    // listed twice is the same directory.
                    dive_id: sha256(blob)[7..].to_string(),
                })
                .collect(),
            blobs: layers.into_iter().map(|(blob, _)| blob).collect(),
        }
    }

    /// Layers whose diff_ids are right: `(uncompressed tar, how it is stored)`.
    fn honest(layers: Vec<(Vec<u8>, Store)>) -> MemImage {
        MemImage::new(
            layers
                .into_iter()
                .map(|(tar, store)| (store(&tar), sha256(&tar)))
                .collect(),
        )
    }
}

impl ImageSource for MemImage {
    fn reference(&self) -> &str {
        "memory"
    }
    fn config(&self) -> &ConfigBlob {
        &self.config
    }
    fn layers(&self) -> &[LayerDescriptor] {
        &self.layers
    }
    fn open_layer(&self, index: usize) -> anyhow::Result<Box<dyn Read + Send + '_>> {
        Ok(Box::new(self.blobs[index].as_slice()))
    }
}

fn plain(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

/// Analyses on another thread; `Err` with the message, or panics when it takes over `limit`.
fn analyze_within(
    image: MemImage,
    options: AnalyzeOptions,
    limit: Duration,
) -> Result<Image, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(analyze(&image, &options).map_err(|e| format!("{e:#}")));
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("analysis still running after {limit:?}"))
}

fn analyze_err(image: MemImage) -> String {
    match analyze_within(image, AnalyzeOptions::default(), Duration::from_secs(60)) {
        Ok(_) => panic!("the hostile image must be rejected"),
        Err(err) => err,
    }
}

fn imgdive(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imgdive"))
        .args(args)
        .env_remove("CI")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes an OCI layout holding `image` (gzip layers) to `dir`; returns `oci:DIR`.
pub(super) fn write_oci_layout(dir: &Path, tars: &[Vec<u8>]) -> String {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |bytes: &[u8]| {
        let digest = sha256(bytes);
        std::fs::write(blobs.join(&digest[7..]), bytes).unwrap();
        json!({"digest": digest, "size": bytes.len(),
               "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip"})
    };
    let layers: Vec<_> = tars.iter().map(|t| put(&gzip(t))).collect();
    let diff_ids: Vec<String> = tars.iter().map(|t| sha256(t)).collect();
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }))
    .unwrap();
    let config_desc = put(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_desc["digest"], "size": config.len()},
        "layers": layers,
    }))
    .unwrap();
    let manifest_desc = put(&manifest);
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": manifest_desc["digest"], "size": manifest.len()}]}))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    format!("oci:{}", dir.display())
}

/// Median wall time of `f` over three runs.
fn time(mut f: impl FnMut()) -> Duration {
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    runs.sort();
    runs[1]
}

/// Input ×4 must cost less than ×8 in time (linear, with room for noise); tiny times are
/// floored so timer noise cannot fail the test.
fn assert_scales_linearly(what: &str, small: Duration, large: Duration) {
    let floor = Duration::from_millis(20);
    let ratio = large.as_secs_f64() / small.max(floor).as_secs_f64();
    assert!(
        ratio < 8.0,
        "{what}: 4× the input took {ratio:.1}× the time ({small:?} → {large:?})"
    );
}

// ------------------------------------------------------------------ 1. every layer verified

#[test]
fn tampered_layers_fail_on_their_diff_id_in_every_compression() {
    let good = layer(&[(b"etc/passwd", tar::EntryType::Regular, b"root:x:0:0")]);
    let evil = layer(&[(b"etc/passwd", tar::EntryType::Regular, b"evil:x:0:0")]);
    for store in [plain as fn(&[u8]) -> Vec<u8>, gzip, zstd] {
        let image = MemImage::new(vec![
            (store(&good), sha256(&good)),
            (store(&evil), sha256(&good)),
        ]);
        let err = analyze_err(image);
        assert!(err.starts_with("layer 1 (sha256:"), "{err}");
        assert!(err.contains("diff_id mismatch"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

#[test]
fn malformed_and_unsupported_diff_ids_are_rejected_and_sha512_is_verified() {
    let tar = layer(&[(b"a", tar::EntryType::Regular, b"x")]);
    for (diff_id, needle) in [
        ("sha256:1234".to_string(), "malformed diff_id"),
        (String::new(), "malformed diff_id"),
        (format!("md5:{}", "0".repeat(32)), "unsupported algorithm"),
        (sha256(&tar).to_uppercase(), "unsupported algorithm"),
    ] {
        let err = analyze_err(MemImage::new(vec![(gzip(&tar), diff_id)]));
        assert!(err.starts_with("layer 0 ("), "{err}");
        assert!(err.contains(needle), "{err}");
    }
    let sha512 = format!("sha512:{}", hex::encode(Sha512::digest(&tar)));
    analyze_within(
        MemImage::new(vec![(gzip(&tar), sha512.clone())]),
        AnalyzeOptions::default(),
        Duration::from_secs(60),
    )
    .expect("a correct sha512 diff_id verifies");
    let wrong = sha512.replace(&sha512[7..9], "00");
    let err = analyze_err(MemImage::new(vec![(gzip(&tar), wrong)]));
    assert!(err.contains("diff_id mismatch: expected sha512:"), "{err}");
}

#[test]
fn a_tampered_gzip_layer_in_a_classic_archive_fails_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let good = layer(&[(b"bin/sh", tar::EntryType::Regular, b"#!good")]);
    let evil = layer(&[(b"bin/sh", tar::EntryType::Regular, b"#!evil")]);
    let config = serde_json::to_vec(&json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256(&good)]}}))
    .unwrap();
    let config_name = format!("{}.json", &sha256(&config)[7..]);
    let mut outer = tar::Builder::new(Vec::new());
    for (name, bytes) in [
        (config_name.clone(), config),
        ("1/layer.tar".to_string(), gzip(&evil)),
        (
            "manifest.json".to_string(),
            serde_json::to_vec(&json!([{"Config": config_name, "Layers": ["1/layer.tar"]}]))
                .unwrap(),
        ),
    ] {
        let mut h = tar::Header::new_ustar();
        h.set_path(&name).unwrap();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        outer.append(&h, bytes.as_slice()).unwrap();
    }
    let path = dir.path().join("image.tar");
    std::fs::write(&path, outer.into_inner().unwrap()).unwrap();
    let out = imgdive(&["--ci", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("layer 0 (") && err.contains("diff_id mismatch"),
        "{err}"
    );
}

// --------------------------------------------------------------------- 2. bounded work

/// A GNU sparse entry declaring `real_size` bytes of holes with no data at all.
fn sparse_bomb(real_size: u64) -> Vec<u8> {
    let mut h = header(b"bomb", tar::EntryType::GNUSparse, 0);
    {
        let gnu = h.as_gnu_mut().unwrap();
        gnu.realsize = [0; 12];
        gnu.realsize[0] = 0x80; // base-256
        gnu.realsize[4..].copy_from_slice(&real_size.to_be_bytes());
        // One chunk of no data at the very end: everything before it is a hole.
        gnu.sparse[0].offset = gnu.realsize;
        gnu.sparse[0].numbytes = *b"00000000000\0";
    }
    h.set_cksum();
    let mut out = Vec::new();
    append(&mut out, &h, &[]);
    for _ in 0..1000 {
        append(&mut out, &header(b"x", tar::EntryType::Regular, 3), b"abc");
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[test]
fn a_sparse_entry_declaring_exabytes_is_read_in_no_time() {
    let tar = sparse_bomb(4 << 60);
    let image = analyze_within(
        MemImage::honest(vec![(tar, gzip)]),
        AnalyzeOptions::default(),
        Duration::from_secs(20),
    )
    .expect("a sparse file is a file");
    let node = image
        .tree
        .lookup("bomb")
        .expect("the sparse file is listed");
    let entry = image.tree.state_at(node, 0).unwrap();
    assert!(entry.size <= AnalyzeOptions::default().max_decompressed_bytes);
}

#[test]
fn layers_over_the_decompression_budget_are_stopped() {
    let zeros = vec![0u8; 1 << 20];
    // Eight different layers (the names differ), each a small gzip of 1 MiB of zeros.
    let tars: Vec<Vec<u8>> = (0..8)
        .map(|i| {
            let name = format!("zeros{i}");
            layer(&[(name.as_bytes(), tar::EntryType::Regular, &zeros)])
        })
        .collect();
    assert!(gzip(&tars[0]).len() < 64 << 10, "the bomb is small");
    let image = MemImage::new(tars.iter().map(|t| (gzip(t), sha256(t))).collect());
    let options = AnalyzeOptions {
        max_decompressed_bytes: 4 << 20,
        ..AnalyzeOptions::default()
    };
    let err = analyze_within(image, options, Duration::from_secs(60)).unwrap_err();
    assert!(
        err.contains("decompresses to more than 4194304 bytes"),
        "{err}"
    );
    assert!(err.contains("--max-decompressed-bytes"), "{err}");

    // Through the binary: the flag sets the budget; the default lets the image through.
    let dir = tempfile::tempdir().unwrap();
    let source = write_oci_layout(dir.path(), &tars);
    let out = imgdive(&["--ci", "--max-decompressed-bytes", "4MiB", &source]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--max-decompressed-bytes"),
        "{}",
        stderr(&out)
    );
    let out = imgdive(&["--ci", "--highest-user-wasted-percent", "disabled", &source]);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn one_layer_listed_many_times_is_read_once() {
    // A hostile archive names one layer a hundred times: the same blob and diff_id are
    // decompressed and verified once, so this stays within a budget of four copies.
    let zeros = vec![0u8; 1 << 20];
    let tar = layer(&[(b"zeros", tar::EntryType::Regular, &zeros)]);
    let blob = gzip(&tar);
    let image = MemImage::new((0..100).map(|_| (blob.clone(), sha256(&tar))).collect());
    let options = AnalyzeOptions {
        max_decompressed_bytes: 4 << 20,
        ..AnalyzeOptions::default()
    };
    let image = analyze_within(image, options, Duration::from_secs(60)).unwrap();
    assert_eq!(image.layers.len(), 100);
    assert!(image.layers.iter().all(|l| l.size == image.layers[0].size));
    assert!(image.layers[0].size >= 1 << 20);
}

// --------------------------------------------------------------- 3. bounded header memory

#[test]
fn extended_headers_over_one_mib_are_refused() {
    let long = vec![b'a'; 2 << 20];
    for kind in [
        tar::EntryType::GNULongName,
        tar::EntryType::GNULongLink,
        tar::EntryType::XHeader,
    ] {
        let mut tar = Vec::new();
        let data = if kind == tar::EntryType::XHeader {
            let record = format!("path={}\n", "a".repeat(long.len()));
            format!("{} {record}", record.len() + 8).into_bytes()
        } else {
            long.clone()
        };
        append(
            &mut tar,
            &header(b"././@LongLink", kind, data.len() as u64),
            &data,
        );
        append(&mut tar, &header(b"f", tar::EntryType::Regular, 1), b"x");
        tar.extend_from_slice(&[0u8; 1024]);
        let err = analyze_err(MemImage::honest(vec![(tar, gzip)]));
        assert!(err.starts_with("layer 0 ("), "{kind:?}: {err}");
        assert!(err.contains("larger than 1048576 bytes"), "{kind:?}: {err}");
    }
    // A long name well under the limit is fine.
    let mut tar = Vec::new();
    let name = format!("{}/file", "d".repeat(5000));
    append(
        &mut tar,
        &header(
            b"././@LongLink",
            tar::EntryType::GNULongName,
            name.len() as u64,
        ),
        name.as_bytes(),
    );
    append(&mut tar, &header(b"f", tar::EntryType::Regular, 1), b"x");
    tar.extend_from_slice(&[0u8; 1024]);
    let image = analyze_within(
        MemImage::honest(vec![(tar, gzip)]),
        AnalyzeOptions::default(),
        Duration::from_secs(60),
    )
    .unwrap();
    assert!(image.tree.lookup(&name).is_some());
}

// ---------------------------------------------------------------- 4. no quadratic paths

/// Layer 0: a directory of `n` files; layer 1: `n` whiteouts of that same directory.
fn repeated_whiteouts(n: usize) -> MemImage {
    let names: Vec<String> = (0..n).map(|i| format!("d/f{i}")).collect();
    let mut entries: Vec<(&[u8], tar::EntryType, &[u8])> =
        vec![(b"d/", tar::EntryType::Directory, b"")];
    entries.extend(
        names
            .iter()
            .map(|n| (n.as_bytes(), tar::EntryType::Regular, &b""[..])),
    );
    let lower = layer(&entries);
    let upper = layer(&vec![(&b".wh.d"[..], tar::EntryType::Regular, &b""[..]); n]);
    MemImage::honest(vec![(lower, plain), (upper, plain)])
}

#[test]
fn repeated_whiteouts_of_one_path_scale_linearly() {
    let small = repeated_whiteouts(3000);
    let large = repeated_whiteouts(12000);
    let t_small = time(|| {
        analyze(&small, &AnalyzeOptions::default()).unwrap();
    });
    let t_large = time(|| {
        let image = analyze(&large, &AnalyzeOptions::default()).unwrap();
        let d = image.tree.lookup("d/f0").unwrap();
        assert!(
            image.tree.state_at(d, 1).is_none(),
            "the whiteout removes d/f0"
        );
    });
    assert_scales_linearly("repeated whiteouts", t_small, t_large);
}

/// One file `depth` directories deep, its name in a GNU long-name header.
fn deep_file(depth: usize) -> MemImage {
    let name = format!("{}f", "a/".repeat(depth));
    let mut tar = Vec::new();
    append(
        &mut tar,
        &header(
            b"././@LongLink",
            tar::EntryType::GNULongName,
            name.len() as u64,
        ),
        name.as_bytes(),
    );
    append(&mut tar, &header(b"f", tar::EntryType::Regular, 1), b"x");
    tar.extend_from_slice(&[0u8; 1024]);
    MemImage::honest(vec![(tar, gzip)])
}

#[test]
fn json_export_of_a_deep_tree_scales_linearly() {
    let export = |image: &Image| {
        let mut out = Vec::new();
        imgtools::image::export::write_dive_export(image, &mut out).unwrap();
        out
    };
    let small = analyze(&deep_file(4000), &AnalyzeOptions::default()).unwrap();
    let large = analyze(&deep_file(16000), &AnalyzeOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&export(&large)).unwrap();
    let list = json["layer"][0]["fileList"].as_array().unwrap();
    assert_eq!(list.len(), 16001, "the file and every implied directory");
    assert_eq!(list[0]["path"], format!("{}f", "a/".repeat(16000)));
    assert_eq!(
        list[1]["path"], "",
        "implied directories are Go's zero FileInfo"
    );
    let t_small = time(|| {
        export(&small);
    });
    let t_large = time(|| {
        export(&large);
    });
    assert_scales_linearly("--json on a deep tree", t_small, t_large);
}

/// `layers` layers of one file each over a first layer of `files` files.
fn many_layers(layers: usize, files: usize) -> MemImage {
    let names: Vec<String> = (0..files).map(|i| format!("base/f{i}")).collect();
    let base = layer(
        &names
            .iter()
            .map(|n| (n.as_bytes(), tar::EntryType::Regular, &b"x"[..]))
            .collect::<Vec<_>>(),
    );
    let mut all = vec![(base, plain as fn(&[u8]) -> Vec<u8>)];
    for i in 0..layers {
        let name = format!("l{i}");
        all.push((
            layer(&[(name.as_bytes(), tar::EntryType::Regular, b"y")]),
            plain,
        ));
    }
    MemImage::honest(all)
}

#[test]
fn json_export_is_not_layers_times_nodes() {
    let export = |image: &Image| {
        imgtools::image::export::write_dive_export(image, std::io::sink()).unwrap();
    };
    let small = analyze(&many_layers(500, 5000), &AnalyzeOptions::default()).unwrap();
    let large = analyze(&many_layers(2000, 20000), &AnalyzeOptions::default()).unwrap();
    assert_scales_linearly(
        "--json over layers × files",
        time(|| export(&small)),
        time(|| export(&large)),
    );
}

// ---------------------------------------------------- 5. never replace what was not asked

#[test]
fn json_output_never_replaces_links_fifos_devices_or_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let tar = layer(&[(b"a", tar::EntryType::Regular, b"x")]);
    let source = write_oci_layout(&dir.path().join("layout"), std::slice::from_ref(&tar));

    // A symlink stays a symlink; its target gets the export.
    let target = dir.path().join("target.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = imgdive(&["--json", link.to_str().unwrap(), &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert!(written["layer"].is_array());

    // A device stays a device.
    let out = imgdive(&["--json", "/dev/null", &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    // A FIFO is written through to its reader.
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let out = imgdive(&["--json", fifo.to_str().unwrap(), &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let through: serde_json::Value = serde_json::from_slice(&reader.join().unwrap()).unwrap();
    assert!(through["image"].is_object());
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // /dev/stdout is stdout.
    let out = imgdive(&["--json", "/dev/stdout", &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(printed["layer"].is_array());

    // The input is refused: an archive named twice, or a file inside the layout.
    let archive = dir.path().join("image.tar");
    let layout = dir.path().join("layout");
    let mut builder = tar::Builder::new(Vec::new());
    builder.append_dir_all(".", &layout).unwrap();
    std::fs::write(&archive, builder.into_inner().unwrap()).unwrap();
    let before = std::fs::read(&archive).unwrap();
    let archive_source = format!("oci-archive:{}", archive.display());
    let out = imgdive(&["--json", archive.to_str().unwrap(), &archive_source]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("image being read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&archive).unwrap(),
        before,
        "the input is untouched"
    );
    let index = layout.join("index.json");
    let index_before = std::fs::read(&index).unwrap();
    let out = imgdive(&["--json", index.to_str().unwrap(), &source]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&index).unwrap(), index_before);
}

// ------------------------------------------------------------------ 6. names stay safe

#[test]
fn json_string_values_escape_c1_controls_and_bidi_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{202e}gpj.exe\u{85}".as_bytes();
    let tar = layer(&[(name, tar::EntryType::Regular, b"x")]);
    let source = write_oci_layout(dir.path(), &[tar]);
    let out = imgdive(&["--json", "-", &source]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{202e}') && !text.contains('\u{85}'),
        "raw in {text}"
    );
    assert!(text.contains(r"evil\u202egpj.exe\u0085"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["layer"][0]["fileList"][0]["path"], "evil\u{202e}gpj.exe\u{85}",
        "escaping is lossless"
    );
}

// ------------------------------------------------------------- 7. only regular files opened

#[test]
fn a_fifo_in_place_of_an_oci_file_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    let tar = layer(&[(b"a", tar::EntryType::Regular, b"x")]);
    let source = write_oci_layout(dir.path(), &[tar]);
    let index = dir.path().join("index.json");
    std::fs::remove_file(&index).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(&index)
            .status()
            .unwrap()
            .success()
    );
    let (tx, rx) = mpsc::channel();
    let spec = SourceSpec::parse(&source).unwrap();
    std::thread::spawn(move || {
        let _ = tx.send(
            open(&spec, &SourceOptions::default())
                .err()
                .map(|e| format!("{e:#}")),
        );
    });
    let err = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("opening the layout must not block on the FIFO")
        .expect("a FIFO index.json is an error");
    assert!(err.contains("not a regular file"), "{err}");

    let fifo_archive = dir.path().join("image.tar");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo_archive)
            .status()
            .unwrap()
            .success()
    );
    let (tx, rx) = mpsc::channel();
    let spec = SourceSpec::DockerArchive {
        path: fifo_archive,
        reference: None,
    };
    std::thread::spawn(move || {
        let _ = tx.send(open(&spec, &SourceOptions::default()).is_err());
    });
    assert!(
        rx.recv_timeout(Duration::from_secs(20))
            .expect("must not block")
    );
}

// ------------------------------------------------- property: the layer reader on any bytes

/// Entries from arbitrary names (whiteouts and opaque markers likely) and contents.
fn arb_entries() -> impl Strategy<Value = Vec<(Vec<u8>, u8, Vec<u8>)>> {
    let name = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..40),
        "[a-c./]{1,12}".prop_map(String::into_bytes),
        "(d/)?\\.wh\\.[a-c]{1,3}".prop_map(String::into_bytes),
        Just(b"d/.wh..wh..opq".to_vec()),
    ];
    prop::collection::vec(
        (
            name,
            prop::sample::select(vec![b'0', b'1', b'2', b'5', b'6', b'L', b'x', b'S', b'K']),
            prop::collection::vec(any::<u8>(), 0..600),
        ),
        0..12,
    )
}

fn build_tar(entries: &[(Vec<u8>, u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, kind, data) in entries {
        let name = &name[..name.len().min(99)];
        append(
            &mut out,
            &header(name, tar::EntryType::new(*kind), data.len() as u64),
            data,
        );
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Well-formed and mutated tars, plain, gzip and zstd, honest or not: the reader returns
    /// (an image or one error line naming the layer) within bounded time, never panics.
    #[test]
    fn the_layer_reader_never_panics_or_hangs(
        entries in arb_entries(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        truncate in prop::option::of(any::<prop::sample::Index>()),
        compression in 0..3u8,
        garbage in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut tar = build_tar(&entries);
        for (at, byte) in &flips {
            let i = at.index(tar.len());
            tar[i] ^= byte;
        }
        if let Some(at) = truncate {
            tar.truncate(at.index(tar.len()));
        }
        let mut blob = match compression {
            0 => tar.clone(),
            1 => gzip(&tar),
            _ => zstd(&tar),
        };
        let lower = MemImage::new(vec![(blob.clone(), sha256(&tar))]);
        blob.extend_from_slice(&garbage);
        let upper = MemImage::new(vec![(plain(&garbage), sha256(&garbage)), (blob, sha256(&tar))]);
        for image in [lower, upper] {
            let options = AnalyzeOptions { max_decompressed_bytes: 1 << 22, ..AnalyzeOptions::default() };
            if let Err(err) = analyze_within(image, options, Duration::from_secs(30)) {
                prop_assert!(err.starts_with("layer "), "{}", err);
            }
        }
    }
}
