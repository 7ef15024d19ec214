//! `imgdive diff` (issue #12, part 2) on two versions of one image built with buildah
//! (testdata/images/diff-a.Dockerfile, diff-b.Dockerfile): they share their first two layers
//! and differ in /app as the Dockerfiles say.

use std::process::Output;

use serde_json::{Value, json};

use crate::support::{Imgdive, image};
use imgtools::image::AnalyzeOptions;
use imgtools::image::source::{SourceOptions, SourceSpec, open};

fn sources() -> (String, String) {
    let a = image("diff-a");
    let b = image("diff-b");
    (
        format!("docker-archive:{}", a.join("docker-archive.tar").display()),
        format!("oci:{}:latest", b.join("oci-gzip").display()),
    )
}

fn run(args: &[&str]) -> Output {
    let mut all = vec!["diff", "--no-progress"];
    all.extend_from_slice(args);
    Imgdive::new().run(&all, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn json_lists_what_changed_biggest_first() {
    let (a, b) = sources();
    let out = run(&[&a, &b, "--json", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let changes = v["changes"].as_array().unwrap();
    let got: Vec<Value> = changes.clone();
    let want = [
        json!({"path": "/app/new.bin", "change": "added", "aSize": null, "bSize": 30000}),
        json!({"path": "/app/data.txt", "change": "modified", "aSize": 3893, "bSize": 23893}),
        json!({"path": "/app/run.sh", "change": "modified", "aSize": 8, "bSize": 8}),
        json!({"path": "/app/gone", "change": "removed", "aSize": 5, "bSize": null}),
        json!({"path": "/app/version", "change": "modified", "aSize": 3, "bSize": 3}),
        json!({"path": "/app/link", "change": "modified", "aSize": 0, "bSize": 0}),
    ];
    assert_eq!(got, want, "{}", serde_json::to_string_pretty(&v).unwrap());
    assert_eq!(
        v["summary"],
        json!({"added": 1, "removed": 1, "modified": 4, "sizeDelta":
            v["b"]["sizeBytes"].as_i64().unwrap() - v["a"]["sizeBytes"].as_i64().unwrap()})
    );
    assert_eq!(v["a"]["source"], a.as_str());
    // sizeBytes is the same figure as dive's export gives for each image.
    let export = Imgdive::new().run(&["--json", "-", &b], &[]);
    let export: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(v["b"]["sizeBytes"], export["image"]["sizeBytes"]);
}

#[test]
fn text_lists_changes_and_shared_layers_are_read_once() {
    let (a, b) = sources();
    let out = run(&[&a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with('+'))
        .expect("a change");
    assert!(lines[first].ends_with("/app/new.bin"), "{text}");
    assert!(lines[first].contains("+30 kB"), "{text}");
    assert!(
        lines[first + 1].starts_with('~') && lines[first + 1].ends_with("/app/data.txt"),
        "{text}"
    );
    assert!(text.contains("-  ") && text.contains("/app/gone"), "{text}");
    assert!(
        !text.contains("/app/same"),
        "unchanged path listed:\n{text}"
    );
    assert!(text.contains("1 added, 1 removed, 4 modified"), "{text}");
    assert!(
        text.contains("2 layers in both images (same diff_id), read once"),
        "{text}"
    );

    // The library says the same: two layers are read for both images.
    let open_spec =
        |s: &str| open(&SourceSpec::parse(s).unwrap(), &SourceOptions::default()).unwrap();
    let (sa, sb) = (open_spec(&a), open_spec(&b));
    let (ia, ib, shared) =
        imgtools::image::diff::analyze_pair(sa.as_ref(), sb.as_ref(), &AnalyzeOptions::default())
            .unwrap();
    assert_eq!(shared, 2);
    // Each analysis equals the one read alone.
    let alone = imgtools::image::analyze(sb.as_ref(), &AnalyzeOptions::default()).unwrap();
    assert_eq!(ib.tree, alone.tree);
    assert_eq!(ib.metrics, alone.metrics);
    // An image against itself: nothing changed.
    assert!(imgtools::image::diff::diff(&ia, &ia).changes.is_empty());
}

#[test]
fn ci_fails_when_the_image_grows_too_much() {
    let (a, b) = sources();
    // B is 49,995 bytes bigger than A (about 2.5 %).
    for (limit, code) in [("10KB", 1), ("1%", 1), ("100KB", 0), ("10%", 0)] {
        let out = run(&[&a, &b, "--ci", "--highest-size-increase", limit]);
        assert_eq!(out.status.code(), Some(code), "{limit}: {}", stderr(&out));
        let verdict = if code == 1 {
            "FAIL: highestSizeIncrease"
        } else {
            "PASS: highestSizeIncrease"
        };
        assert!(stdout(&out).contains(verdict), "{limit}: {}", stdout(&out));
    }
    // From the rules file, which `imgdive --ci` reads too (and does not reject the key).
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("dive-ci.yaml");
    std::fs::write(
        &rules,
        "rules:\n  highestSizeIncrease: 20KB\n  lowestEfficiency: 0\n",
    )
    .unwrap();
    let rules = rules.to_str().unwrap();
    let out = run(&[&a, &b, "--ci", "--ci-config", rules]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = Imgdive::new().run(&["--ci", "--ci-config", rules, &b], &[]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    // A bad threshold is a usage error.
    let out = run(&[&a, &b, "--ci", "--highest-size-increase", "lots"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}
