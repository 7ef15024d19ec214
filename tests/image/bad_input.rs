//! Bad input made from real files: the waste image's gzip OCI layout (built by buildah, exported
//! by skopeo), copied and damaged — truncated layer, corrupt gzip stream (with the manifest
//! rewritten so the digest matches the corrupt bytes), a blob that does not match its digest, a
//! manifest naming a missing blob — and a hostile layer (`../../etc/passwd`, `/abs/path`,
//! control characters) appended to the real image. Each failure is one line naming the layer.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::support::image;
use imgtools::image::source::{SourceOptions, oci, sha256_digest};
use imgtools::image::{AnalyzeOptions, analyze};
use serde_json::Value;

/// A private copy of the waste image's gzip OCI layout.
fn layout_copy() -> tempfile::TempDir {
    let src = image("waste").join("oci-gzip");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn blob_path(dir: &Path, digest: &str) -> PathBuf {
    dir.join("blobs/sha256")
        .join(digest.trim_start_matches("sha256:"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Writes a JSON blob and returns its descriptor fields (digest, size).
fn write_blob(dir: &Path, bytes: &[u8]) -> (String, u64) {
    let digest = sha256_digest(bytes);
    std::fs::write(blob_path(dir, &digest), bytes).unwrap();
    (digest, bytes.len() as u64)
}

/// The manifest of the layout's only image, and its digest.
fn manifest(dir: &Path) -> (Value, String) {
    let index = read_json(&dir.join("index.json"));
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    (read_json(&blob_path(dir, &digest)), digest)
}

/// Stores a new manifest and points index.json at it.
fn replace_manifest(dir: &Path, manifest: &Value) {
    let (digest, size) = write_blob(dir, &serde_json::to_vec(manifest).unwrap());
    let mut index = read_json(&dir.join("index.json"));
    index["manifests"][0]["digest"] = Value::from(digest);
    index["manifests"][0]["size"] = Value::from(size);
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

fn layer_digest(dir: &Path, index: usize) -> String {
    manifest(dir).0["layers"][index]["digest"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Analyses the layout; returns the error message (panics if it succeeds).
fn failure(dir: &Path) -> String {
    let result = oci::open_dir(dir, Some("latest"), &SourceOptions::default())
        .and_then(|source| analyze(source.as_ref(), &AnalyzeOptions::default()).map(|_| ()));
    let message = format!("{:#}", result.expect_err("damaged image must fail"));
    eprintln!("error: {message}");
    assert!(!message.contains('\n'), "not one line: {message}");
    message
}

#[test]
fn truncated_layer_names_the_layer() {
    let dir = layout_copy();
    let digest = layer_digest(dir.path(), 2);
    let path = blob_path(dir.path(), &digest);
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let message = failure(dir.path());
    assert!(
        message.contains(&format!("layer 2 ({digest})")),
        "{message}"
    );
}

#[test]
fn corrupt_gzip_stream_with_a_matching_digest_names_the_layer() {
    let dir = layout_copy();
    let (mut manifest_json, _) = manifest(dir.path());
    let old = layer_digest(dir.path(), 2);
    let mut bytes = std::fs::read(blob_path(dir.path(), &old)).unwrap();
    // Damage the deflate data (past the 10-byte gzip header), not the container.
    for b in &mut bytes[40..200] {
        *b ^= 0x5a;
    }
    let (digest, size) = write_blob(dir.path(), &bytes);
    manifest_json["layers"][2]["digest"] = Value::from(digest.clone());
    manifest_json["layers"][2]["size"] = Value::from(size);
    replace_manifest(dir.path(), &manifest_json);
    let message = failure(dir.path());
    assert!(
        message.contains(&format!("layer 2 ({digest})")),
        "{message}"
    );
    assert!(
        !message.contains("does not match"),
        "must fail on the gzip stream: {message}"
    );
}

#[test]
fn blob_that_does_not_match_its_digest_names_the_layer() {
    let dir = layout_copy();
    let digest = layer_digest(dir.path(), 5);
    let path = blob_path(dir.path(), &digest);
    // Replace the blob with another valid gzip layer of the same image: it decompresses fine,
    // only the digest can tell.
    let other = layer_digest(dir.path(), 3);
    std::fs::copy(blob_path(dir.path(), &other), &path).unwrap();
    let message = failure(dir.path());
    assert!(
        message.contains(&format!("layer 5 ({digest})")),
        "{message}"
    );
    assert!(message.to_lowercase().contains("digest"), "{message}");
}

#[test]
fn manifest_naming_a_missing_blob_names_the_layer() {
    let dir = layout_copy();
    let digest = layer_digest(dir.path(), 6);
    std::fs::remove_file(blob_path(dir.path(), &digest)).unwrap();
    let message = failure(dir.path());
    assert!(message.contains("layer 6"), "{message}");
    assert!(
        message.contains(digest.trim_start_matches("sha256:")),
        "{message}"
    );
}

/// A gzip tar layer whose entry names are written raw into the header (the tar crate refuses
/// `..` through its safe API, as it should).
fn hostile_layer() -> Vec<u8> {
    let names: [&[u8]; 5] = [
        b"../../etc/passwd",
        b"/abs/path",
        b"data/\x1b]0;pwned\x07title",
        b"data/carriage\rreturn",
        b"./../data/../../escape/deep/file",
    ];
    let mut tar_bytes = Vec::new();
    {
        let mut builder = tar::Builder::new(&mut tar_bytes);
        for name in names {
            let body = b"hostile\n";
            let mut header = tar::Header::new_old();
            header.as_old_mut().name[..name.len()].copy_from_slice(name);
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            builder.append(&header, &body[..]).unwrap();
        }
        builder.finish().unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar_bytes).unwrap();
    let compressed = gz.finish().unwrap();
    // Return both forms through one buffer: diff id is over the uncompressed tar.
    let mut out = sha256_digest(&tar_bytes).into_bytes();
    out.push(b'\n');
    out.extend(compressed);
    out
}

#[test]
fn hostile_entry_names_stay_inside_the_image_and_never_touch_the_host() {
    let dir = layout_copy();
    let packed = hostile_layer();
    let split = packed.iter().position(|&b| b == b'\n').unwrap();
    let diff_id = String::from_utf8(packed[..split].to_vec()).unwrap();
    let (layer_digest, layer_size) = write_blob(dir.path(), &packed[split + 1..]);

    let (mut manifest_json, _) = manifest(dir.path());
    let config_digest = manifest_json["config"]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let mut config = read_json(&blob_path(dir.path(), &config_digest));
    config["rootfs"]["diff_ids"]
        .as_array_mut()
        .unwrap()
        .push(Value::from(diff_id));
    config["history"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "created_by": "hostile layer appended by the test"
        }));
    let (config_digest, config_size) =
        write_blob(dir.path(), &serde_json::to_vec(&config).unwrap());
    manifest_json["config"]["digest"] = Value::from(config_digest);
    manifest_json["config"]["size"] = Value::from(config_size);
    manifest_json["layers"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": layer_digest,
            "size": layer_size,
        }));
    replace_manifest(dir.path(), &manifest_json);

    let passwd_before = std::fs::read("/etc/passwd").ok();
    let source = oci::open_dir(dir.path(), Some("latest"), &SourceOptions::default()).unwrap();
    let image =
        analyze(source.as_ref(), &AnalyzeOptions::default()).expect("hostile names are kept");
    let tree = &image.tree;
    let last = (image.layers.len() - 1) as u32;
    for path in [
        "/etc/passwd",
        "/abs/path",
        "/data/\x1b]0;pwned\x07title",
        "/data/carriage\rreturn",
        "/escape/deep/file",
        // The escape sequence and newline names buildah really wrote (waste.Dockerfile).
        "/data/esc\x1b[31mred",
        "/data/new\nline",
    ] {
        let id = tree
            .lookup(path)
            .unwrap_or_else(|| panic!("{path:?} not in the image root"));
        assert!(
            tree.state_at(id, last).is_some(),
            "{path:?} present at the top"
        );
    }
    assert_eq!(
        std::fs::read("/etc/passwd").ok(),
        passwd_before,
        "host file touched"
    );
    assert!(!Path::new("/abs/path").exists());
    assert!(!Path::new("/escape").exists());
    assert!(!dir.path().join("etc").exists() && !dir.path().join("abs").exists());
}
