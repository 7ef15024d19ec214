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
        [6, 7, 8, 11, 13, 15, 18].map(Value::from).to_vec()
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
        (&json!(11), &json!(18))
    );
    let key = reclaimable
        .iter()
        .find(|r| r["path"] == "/root/.ssh/id_ed25519")
        .expect("the deleted key is reclaimable");
    assert_eq!(
        (&key["storedLine"], &key["hiddenLine"]),
        (&json!(13), &json!(18))
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
    // An endless --dockerfile is refused at 16 MiB, not read into memory.
    let out = imgdive.run(
        &["--ci", "--dockerfile", "/dev/zero", &archive("bridge")],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/dev/zero: larger than 16 MiB"), "{err}");
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

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Imgdive::new().run(args, &[]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    (out.status.code(), text)
}

#[test]
fn imgdive_real_bridge_secrets_are_found_and_never_printed_in_full() {
    let source = archive("bridge");
    let df = dockerfile("bridge");
    let extras = annotated(&source, &df, &[]);
    let secrets = extras["secrets"].as_array().unwrap();
    let key = secrets
        .iter()
        .find(|s| s["kind"] == "private-key")
        .expect("the deploy key");
    assert_eq!(key["location"], "/root/.ssh/id_ed25519");
    assert_eq!(
        (&key["layer"], &key["hiddenBy"], &key["line"]),
        (&json!(4), &json!(6), &json!(13))
    );
    let token = secrets
        .iter()
        .find(|s| s["kind"] == "github-token")
        .expect("the build-argument token");
    assert!(
        token["location"]
            .as_str()
            .unwrap()
            .starts_with("config:history:"),
        "{token}"
    );
    assert_eq!(
        (&token["layer"], &token["line"]),
        (&Value::Null, &json!(18))
    );
    assert_eq!(token["preview"], "ghp_…(40 chars)");

    let mut outputs = vec![run(&[
        "--json",
        "-",
        "--no-progress",
        "--dockerfile",
        &df,
        &source,
    ])];
    for format in ["text", "sarif", "github", "gitlab"] {
        outputs.push(run(&[
            "--ci",
            "--no-progress",
            "--dockerfile",
            &df,
            "--format",
            format,
            &source,
        ]));
    }
    outputs.push(run(&[
        "--ci",
        "--no-progress",
        "--format",
        "sarif",
        &source,
    ]));
    outputs.push(run(&["--json", "-", "--no-progress", &source]));
    for (code, text) in &outputs {
        assert!(code.is_some_and(|c| c <= 1), "{text}");
        for secret in crate::planted::planted_secrets() {
            assert!(
                !text.contains(&secret),
                "a secret is printed in full: {secret}"
            );
        }
    }
    let (code, text) = &outputs[1];
    assert_eq!(*code, Some(1), "secrets fail by default");
    assert!(
        text.contains("FAIL: secrets: 2 secret(s) in the image"),
        "{text}"
    );
    assert!(
        text.contains("private-key at /root/.ssh/id_ed25519 b3Bl…(459 chars) [layer 4, deleted by layer 6 but still shipped] (Dockerfile line 13)"),
        "{text}"
    );
}

#[test]
fn imgdive_real_ci_rules_beyond_dive() {
    let source = archive("bridge");
    let base = [
        "--ci",
        "--no-progress",
        "--lowest-efficiency",
        "disabled",
        "--highest-user-wasted-percent",
        "disabled",
    ];
    let with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args.push(&source);
        run(&args)
    };
    let (code, text) = with(&["--secrets", "warn"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("WARN: secrets: 2 secret(s)"), "{text}");
    assert!(text.contains("[Warn:1]"), "{text}");
    let (code, text) = with(&["--secrets", "off", "--highest-layer-count", "6"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("SKIP: secrets"), "{text}");
    assert!(
        text.contains("FAIL: highestLayerCount: too many layers: 7 (value=7 > threshold=6)"),
        "{text}"
    );
    let (_, text) = with(&[
        "--secrets",
        "off",
        "--highest-layer-count",
        "7",
        "--highest-image-bytes",
        "20MB",
        "--highest-layer-bytes",
        "13MB",
    ]);
    assert!(text.contains("PASS: highestLayerCount"), "{text}");
    assert!(text.contains("PASS: highestImageBytes"), "{text}");
    assert!(
        text.contains("FAIL: highestLayerBytes: layer 3 is too large: 13.29 MB"),
        "{text}"
    );
    // The true reclaimable figure, and ignorePaths taking the deleted blob out of it.
    let (code, text) = with(&["--secrets", "off", "--highest-reclaimable-bytes", "1MB"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("FAIL: highestReclaimableBytes: too many bytes stored but hidden by later layers: 13.29 MB (value=13289417 > threshold=1000000)"), "{text}");
    let (code, text) = with(&[
        "--secrets",
        "off",
        "--highest-reclaimable-bytes",
        "1MB",
        "--highest-wasted-bytes",
        "1MB",
        "--ignore-paths",
        "/tmp/**",
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("PASS: highestReclaimableBytes"), "{text}");
    assert!(text.contains("PASS: highestWastedBytes"), "{text}");
    // The same rules from a .dive-ci file, ignorePaths as a YAML list.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".dive-ci");
    std::fs::write(
        &config,
        "rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: disabled\n  highestReclaimableBytes: 1MB\n  secrets: off\n  ignorePaths:\n    - /tmp/build-output.txt\n    - /root/.ssh\n",
    )
    .unwrap();
    let (code, text) = run(&[
        "--ci",
        "--no-progress",
        "--ci-config",
        config.to_str().unwrap(),
        &source,
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("PASS: highestReclaimableBytes"), "{text}");
    std::fs::write(&config, "rules:\n  secrets: sometimes\n").unwrap();
    let (code, text) = run(&[
        "--ci",
        "--no-progress",
        "--ci-config",
        config.to_str().unwrap(),
        &source,
    ]);
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("rules.secrets") && text.contains("not fail, warn or off"),
        "{text}"
    );
}

#[test]
fn imgdive_real_sarif_locates_waste_and_secrets_at_dockerfile_lines() {
    let source = archive("bridge");
    let df = dockerfile("bridge");
    let (code, text) = run(&[
        "--ci",
        "--no-progress",
        "--dockerfile",
        &df,
        "--format",
        "sarif",
        "--highest-reclaimable-bytes",
        "1MB",
        &source,
    ]);
    assert_eq!(code, Some(1), "{text}");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    crate::sarif::assert_valid(&crate::sarif::schema_validator(), &log);
    // Its own tool and category, so code scanning keeps imglint's analysis next to it.
    assert_eq!(log["runs"][0]["tool"]["driver"]["name"], "imgdive");
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "imgdive/");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let at = |rule: &str| -> Vec<(String, u64)> {
        results
            .iter()
            .filter(|r| r["ruleId"] == rule)
            .map(|r| {
                let loc = &r["locations"][0]["physicalLocation"];
                (
                    loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                    loc["region"]["startLine"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let uri = at("reclaimable")[0].0.clone();
    assert!(uri.ends_with("testdata/images/bridge.Dockerfile"), "{uri}");
    assert_eq!(
        at("reclaimable").iter().map(|l| l.1).collect::<Vec<_>>(),
        [11, 13]
    );
    assert_eq!(
        at("highestReclaimableBytes")
            .iter()
            .map(|l| l.1)
            .collect::<Vec<_>>(),
        [11]
    );
    assert_eq!(
        at("secrets").iter().map(|l| l.1).collect::<Vec<_>>(),
        [13, 18]
    );
    let blob = results
        .iter()
        .find(|r| r["ruleId"] == "reclaimable")
        .unwrap();
    assert_eq!(
        blob["message"]["text"],
        "13.29 MB in 1 file(s) stored by this instruction and deleted or overwritten at line 18: still shipped in its layer"
    );
    // GitLab Code Quality through the same reporter.
    let (_, text) = run(&[
        "--ci",
        "--no-progress",
        "--dockerfile",
        &df,
        "--format",
        "gitlab",
        &source,
    ]);
    let issues: Value = serde_json::from_str(&text).expect("GitLab JSON");
    let lines: Vec<u64> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["lines"]["begin"].as_u64().unwrap())
        .collect();
    assert!(
        lines.contains(&11) && lines.contains(&13) && lines.contains(&18),
        "{lines:?}"
    );
    // gitlab/github without a Dockerfile: nothing to locate results in.
    let (code, text) = run(&["--ci", "--no-progress", "--format", "github", &source]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("add --dockerfile"), "{text}");
}

fn imglint(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_imglint"))
        .args(args)
        .output()
        .expect("run imglint");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr(&out),
    )
}

#[test]
fn imglint_real_image_measures_its_layer_bloat_findings() {
    let source = archive("bridge");
    let df = dockerfile("bridge");
    let (code, out, err) = imglint(&["--image", &source, "--format", "json", &df]);
    assert_eq!(code, Some(1), "{err}");
    let findings: Value = serde_json::from_str(&out).expect("JSON");
    let findings = findings.as_array().unwrap();
    let message = |code: &str, line: u64| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["code"] == code && f["line"] == line)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let il1001 = message("IL1001", 18);
    assert_eq!(il1001.len(), 2, "{findings:?}");
    assert!(
        il1001[0].ends_with(
            "[measured: 13.29 MB stored by line 11 and deleted at line 18, still in the image]"
        ),
        "{il1001:?}"
    );
    assert!(
        il1001[1].ends_with(
            "[measured: 521 B stored by line 13 and deleted at line 18, still in the image]"
        ),
        "{il1001:?}"
    );
    let dl3009 = message("DL3009", 15);
    assert!(
        dl3009[0].ends_with("[measured: 2.94 MB of package lists and caches left in this layer]"),
        "{dl3009:?}"
    );
    // From the image alone: the 13.29 MB layer of line 11 (over the default 10 MB); the 521-byte
    // key is under it.
    let image_only = message("reclaimable", 11);
    assert_eq!(image_only.len(), 1, "{findings:?}");
    assert!(message("reclaimable", 13).is_empty());
    let (_, out, _) = imglint(&[
        "--image",
        &source,
        "--image-waste-threshold",
        "100B",
        "--format",
        "json",
        &df,
    ]);
    assert!(out.contains("\"line\":13") || out.contains("\"line\": 13"));

    // A line the image was not built from: said so, not guessed.
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("Dockerfile");
    let text = std::fs::read_to_string(&df).unwrap().replace(
        "apt-get install -y --no-install-recommends curl",
        "apt-get install -y --no-install-recommends curl wget",
    );
    std::fs::write(&edited, text).unwrap();
    let (_, out, err) = imglint(&[
        "--image",
        &source,
        "--format",
        "json",
        edited.to_str().unwrap(),
    ]);
    let findings: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let dl3009 = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DL3009")
        .unwrap();
    assert!(
        dl3009["message"]
            .as_str()
            .unwrap()
            .ends_with("[not in the image: no layer was built from this line]"),
        "{dl3009}"
    );

    // `rm -rf DIR`: the bytes of everything under it, summed.
    let (_, out, err) = imglint(&[
        "--image",
        &archive("waste"),
        "--format",
        "json",
        &dockerfile("waste"),
    ]);
    let findings: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let messages: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "IL1001" || f["code"] == "DL3059")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    for expected in [
        "[measured: 168.89 kB stored by line 11 and deleted at line 23, still in the image]",
        "[measured: 49.68 kB stored by line 11 and deleted at line 25, still in the image]",
        "[measured: 53.08 kB stored by lines 11, 25, 27 and deleted at line 29, still in the image]",
    ] {
        assert!(
            messages.iter().any(|m| m.ends_with(expected)),
            "{expected} in {messages:?}"
        );
    }

    // An unreadable image: exit 2, one line naming it.
    let (code, _, err) = imglint(&["--image", "oci:/nonexistent/layout", &df]);
    assert_eq!(code, Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--image oci:/nonexistent/layout"), "{err}");
}
