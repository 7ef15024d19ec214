//! The image config (issue #12, part 1): every setting `imgdive --json` reports under
//! `imgdive.config`, and each layer's history date, equal what the real `skopeo inspect --config`
//! shows for the same buildah-built image, in each on-disk form; the manifest's annotations
//! equal `skopeo inspect --raw`'s.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::{Imgdive, image, require_tool};

fn skopeo(args: &[&str]) -> Value {
    require_tool("skopeo", "skopeo");
    let out = Command::new("skopeo")
        .args(args)
        .output()
        .expect("run skopeo");
    assert!(
        out.status.success(),
        "skopeo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("skopeo prints JSON")
}

fn imgdive_json(source: &str) -> Value {
    let out = Imgdive::new().run(&["--json", "-", source], &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "imgdive {source}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("imgdive prints JSON")
}

/// A map's keys, sorted, as a JSON list (`{"8080/tcp": {}}` → `["8080/tcp"]`); none → `[]`.
fn keys(map: &Value) -> Value {
    let mut keys: Vec<&String> = map
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    keys.sort();
    json!(keys)
}

fn or(value: &Value, default: Value) -> Value {
    if value.is_null() {
        default
    } else {
        value.clone()
    }
}

#[test]
fn config_equals_skopeo_inspect_in_every_form() {
    let dir = image("config");
    let oci = format!("oci:{}:latest", dir.join("oci-gzip").display());
    let archive = format!(
        "docker-archive:{}",
        dir.join("docker-archive.tar").display()
    );
    for (ours, theirs) in [
        (oci.clone(), oci.clone()),
        (archive.clone(), archive.clone()),
    ] {
        let want = skopeo(&["inspect", "--config", &theirs]);
        let got = imgdive_json(&ours);
        let config = &got["imgdive"]["config"];
        let run = &want["config"];
        let checks = [
            ("user", or(&run["User"], json!(""))),
            ("workingDir", or(&run["WorkingDir"], json!(""))),
            ("entrypoint", run["Entrypoint"].clone()),
            ("cmd", run["Cmd"].clone()),
            ("env", or(&run["Env"], json!([]))),
            ("exposedPorts", keys(&run["ExposedPorts"])),
            ("volumes", keys(&run["Volumes"])),
            ("labels", or(&run["Labels"], json!({}))),
            ("stopSignal", or(&run["StopSignal"], json!(""))),
            ("created", want["created"].clone()),
            ("author", or(&want["author"], json!(""))),
            ("architecture", want["architecture"].clone()),
            ("os", want["os"].clone()),
            ("variant", want["variant"].clone()),
        ];
        for (key, expected) in checks {
            assert_eq!(config[key], expected, "{ours}: imgdive.config.{key}");
        }
        // What testdata/images/config.Dockerfile sets, so the comparison above is not vacuous.
        assert_eq!(config["user"], "1000:1000", "{ours}");
        assert_eq!(config["workingDir"], "/srv/app", "{ours}");
        assert_eq!(config["entrypoint"], json!(["/bin/sh", "-c"]), "{ours}");
        assert_eq!(
            config["exposedPorts"],
            json!(["53/udp", "8080/tcp"]),
            "{ours}"
        );
        assert_eq!(config["volumes"], json!(["/data"]), "{ours}");
        assert_eq!(config["labels"]["team"], "tools", "{ours}");
        assert!(
            config["env"]
                .as_array()
                .unwrap()
                .contains(&json!("GREETING=hello world")),
            "{ours}: {}",
            config["env"]
        );
        assert_eq!(config["stopSignal"], "SIGTERM", "{ours}");
        // The OCI format has no HEALTHCHECK or ONBUILD.
        assert_eq!(config["healthcheck"], Value::Null, "{ours}");
        assert_eq!(config["onBuild"], json!([]), "{ours}");

        // Each layer's date is the `created` of the history entry that made it.
        let dated: Vec<&Value> = want["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["empty_layer"] != json!(true))
            .map(|h| &h["created"])
            .collect();
        let layers = got["imgdive"]["layers"].as_array().unwrap();
        assert_eq!(layers.len(), dated.len(), "{ours}");
        for (layer, created) in layers.iter().zip(dated) {
            assert_eq!(
                &layer["created"], created,
                "{ours}: layer {}",
                layer["index"]
            );
        }
    }

    // Annotations: the manifest's (buildah records the base image) and the index entry's.
    let manifest = skopeo(&["inspect", "--raw", &oci]);
    let got = imgdive_json(&oci);
    let annotations = &got["imgdive"]["config"]["annotations"];
    let expected = manifest["annotations"]
        .as_object()
        .expect("manifest annotations");
    assert!(!expected.is_empty());
    for (key, value) in expected {
        assert_eq!(&annotations[key], value, "annotation {key}");
    }
    assert_eq!(annotations["org.opencontainers.image.ref.name"], "latest");
    // A classic docker-archive has no annotations.
    assert_eq!(
        imgdive_json(&archive)["imgdive"]["config"]["annotations"],
        json!({})
    );
}
