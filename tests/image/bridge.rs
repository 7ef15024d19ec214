//! Issue #11, the bridge: `imgdive --dockerfile` on images built by buildah (with and without
//! `--layers`) and on a BuildKit-style history, written as a real OCI layout.

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};
use sha2::Digest;

use crate::support::{Imgdive, image, repo_root};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn archive(name: &str) -> String {
    format!(
        "docker-archive:{}",
        image(name).join("docker-archive.tar").display()
    )
}

fn dockerfile(name: &str) -> String {
    repo_root()
        .join(format!("testdata/images/{name}.Dockerfile"))
        .display()
        .to_string()
}

/// `imgdive --json - --dockerfile DOCKERFILE SOURCE` → its `imgdive` object.
fn annotated(source: &str, dockerfile: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--json", "-", "--no-progress", "--dockerfile", dockerfile];
    args.extend_from_slice(extra);
    args.push(source);
    let out = Imgdive::new().run(&args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let export: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    export["imgdive"].clone()
}

fn layer_lines(extras: &Value) -> Vec<Value> {
    extras["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["dockerfile"]["line"].clone())
        .collect()
}

#[test]
fn imgdive_real_bridge_layers_map_to_their_lines() {
    let extras = annotated(&archive("bridge"), &dockerfile("bridge"), &[]);
    // COPY busybox, RUN --install, COPY apt-get, RUN seq > blob, COPY key, RUN apt-get, RUN rm.
    assert_eq!(
        layer_lines(&extras),
        [6, 7, 8, 11, 13, 15, 16].map(Value::from).to_vec()
    );
    let blob_layer = &extras["layers"][3]["dockerfile"];
    assert_eq!(blob_layer["endLine"], 11);
    assert_eq!(
        blob_layer["instruction"],
        "RUN mkdir -p /tmp && seq 1 $BLOB_LINES > /tmp/build-output.txt"
    );
    assert_eq!(extras["dockerfile"]["unmatched"], json!([]));
    let reclaimable = extras["reclaimable"].as_array().unwrap();
    let blob = reclaimable
        .iter()
        .find(|r| r["path"] == "/tmp/build-output.txt")
        .expect("the deleted blob is reclaimable");
    assert_eq!(
        (&blob["storedLine"], &blob["hiddenLine"]),
        (&json!(11), &json!(16))
    );
    let key = reclaimable
        .iter()
        .find(|r| r["path"] == "/root/.ssh/id_ed25519")
        .expect("the deleted key is reclaimable");
    assert_eq!(
        (&key["storedLine"], &key["hiddenLine"]),
        (&json!(13), &json!(16))
    );
}

#[test]
fn imgdive_real_without_dockerfile_the_export_has_no_line_keys() {
    let out = Imgdive::new().run(&["--json", "-", "--no-progress", &archive("bridge")], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let export: Value = serde_json::from_slice(&out.stdout).unwrap();
    let extras = &export["imgdive"];
    assert!(extras.get("dockerfile").is_none());
    assert!(extras["layers"][0].get("dockerfile").is_none());
    assert!(extras["reclaimable"][0].get("storedLine").is_none());
}

#[test]
fn imgdive_real_squashed_build_maps_its_one_layer_to_the_whole_span() {
    let extras = annotated(&archive("squashed"), &dockerfile("squashed"), &[]);
    let layers = extras["layers"].as_array().unwrap();
    assert_eq!(
        layers.len(),
        1,
        "buildah without --layers commits one layer"
    );
    let location = &layers[0]["dockerfile"];
    // From `COPY busybox` (line 6) through the last instruction of the build (CMD, line 14).
    assert_eq!(
        (&location["line"], &location["endLine"]),
        (&json!(6), &json!(14))
    );
    let text = location["instruction"].as_str().unwrap();
    assert!(
        text.starts_with("4 instructions committed as one layer"),
        "{text}"
    );
    assert!(
        text.contains("RUN seq 1 $LINES > /numbers.txt && echo done"),
        "{text}"
    );
    assert_eq!(extras["dockerfile"]["unmatched"], json!([]));
}

#[test]
fn imgdive_real_a_different_dockerfile_leaves_entries_unmatched() {
    // The waste image's history against the bridge Dockerfile: only the first two steps agree.
    let extras = annotated(&archive("waste"), &dockerfile("bridge"), &[]);
    let lines = layer_lines(&extras);
    assert_eq!(&lines[..2], &[json!(6), json!(7)]);
    assert!(lines[2..].iter().all(Value::is_null), "{lines:?}");
    let unmatched = extras["dockerfile"]["unmatched"].as_array().unwrap();
    assert!(
        unmatched
            .iter()
            .any(|u| u["createdBy"] == "/bin/sh -c rm /data/tmp.bin" && u["layer"] == 3),
        "{unmatched:?}"
    );
}

#[test]
fn imgdive_real_dockerfile_errors_are_one_line() {
    let imgdive = Imgdive::new();
    let out = imgdive.run(
        &[
            "--ci",
            "--dockerfile",
            "/nonexistent/Dockerfile",
            &archive("bridge"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("/nonexistent/Dockerfile: cannot read the Dockerfile"),
        "{err}"
    );
    let out = imgdive.run(
        &[
            "--json",
            "-",
            "--dockerfile",
            &dockerfile("bridge"),
            "--target",
            "nope",
            &archive("bridge"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--target \"nope\": no such stage"), "{err}");
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// An uncompressed layer holding one small file, different for each `n`.
fn small_layer(n: usize) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let body = format!("layer {n}\n");
    let mut header = tar::Header::new_gnu();
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    builder
        .append_data(&mut header, format!("layer-{n}.txt"), body.as_bytes())
        .unwrap();
    builder.into_inner().unwrap()
}

/// Writes an OCI layout whose config is `config` with one small layer per non-empty history
/// entry (its `rootfs.diff_ids` filled in); returns `oci:DIR`.
pub fn write_oci_with_config(dir: &Path, mut config: Value) -> String {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |bytes: &[u8], media_type: &str| {
        let digest = sha256(bytes);
        std::fs::write(blobs.join(&digest[7..]), bytes).unwrap();
        json!({"digest": digest, "size": bytes.len(), "mediaType": media_type})
    };
    let count = config["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["empty_layer"] != json!(true))
        .count();
    let tars: Vec<Vec<u8>> = (0..count).map(small_layer).collect();
    config["rootfs"] =
        json!({"type": "layers", "diff_ids": tars.iter().map(|t| sha256(t)).collect::<Vec<_>>()});
    let layers: Vec<Value> = tars
        .iter()
        .map(|t| put(t, "application/vnd.oci.image.layer.v1.tar"))
        .collect();
    let config_bytes = serde_json::to_vec(&config).unwrap();
    let config_desc = put(&config_bytes, "application/vnd.oci.image.config.v1+json");
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_desc,
        "layers": layers,
    }))
    .unwrap();
    let manifest_desc = put(&manifest, "application/vnd.oci.image.manifest.v1+json");
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [manifest_desc]})).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    format!("oci:{}", dir.display())
}

#[test]
fn imgdive_buildkit_history_maps_through_the_stage_chain() {
    let fixture = repo_root().join("testdata/bridge/buildkit");
    let config: Value =
        serde_json::from_slice(&std::fs::read(fixture.join("config.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = write_oci_with_config(dir.path(), config);
    let extras = annotated(
        &source,
        &fixture.join("Dockerfile").display().to_string(),
        &[],
    );
    // ubuntu's ADD → FROM ubuntu:22.04 (line 8); RUN apt-get update (11); RUN |1 … install (13);
    // WORKDIR (16); COPY ./site (17); COPY --from=build (18); the RUN chmod nobody wrote: null.
    assert_eq!(
        layer_lines(&extras),
        vec![
            json!(8),
            json!(11),
            json!(13),
            json!(16),
            json!(17),
            json!(18),
            Value::Null
        ]
    );
    assert_eq!(
        extras["layers"][0]["dockerfile"]["instruction"],
        "FROM ubuntu:22.04 AS base"
    );
    let unmatched = extras["dockerfile"]["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert_eq!(
        unmatched[0]["createdBy"],
        "RUN /bin/sh -c chmod +x /usr/local/bin/app # buildkit"
    );
    assert_eq!(unmatched[0]["layer"], 6);

    // --target base: the same history, matched against the `base` stage only.
    let extras = annotated(
        &source,
        &fixture.join("Dockerfile").display().to_string(),
        &["--target", "base"],
    );
    let lines = layer_lines(&extras);
    assert_eq!(&lines[..3], &[json!(8), json!(11), json!(13)]);
    assert!(lines[3..].iter().all(Value::is_null), "{lines:?}");
}
