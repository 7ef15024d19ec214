//! `imglint -f sarif` validated against the official SARIF 2.1.0 schema (a copy in
//! testdata/schemas/) plus the properties GitHub code scanning needs.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::sarif::{assert_valid, schema_validator};

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        Repo { dir }
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn sarif(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let mut child = Command::new(env!("CARGO_BIN_EXE_imglint"))
            .args(["-f", "sarif"])
            .args(args)
            .current_dir(self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".no-user-config"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
    }
}

const DOCKERFILE: &str =
    "FROM ubuntu\nRUN apt-get update\nRUN apt-get install -y curl\nCMD node server.js\n";

#[test]
fn sarif_is_valid_and_complete_for_github() {
    let validator = schema_validator();
    let repo = Repo::new();
    repo.write("Dockerfile", DOCKERFILE);
    repo.write(
        "svc/my api/Dockerfile",
        "FROM alpine:latest\nFROBNICATE\nUSER root\n",
    );
    let log = repo.sarif(&["."], None);
    assert_valid(&validator, &log);

    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "imglint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(run["automationDetails"]["id"], "imglint/");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() > 20, "every rule is described");
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap();
            assert!(
                !text.is_empty() && text.len() <= 1024 || key == "help",
                "{rule}"
            );
        }
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(
            ["note", "warning", "error"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        );
    }

    let results = run["results"].as_array().unwrap();
    let mut uris = std::collections::BTreeSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let location = &r["locations"][0]["physicalLocation"];
        uris.insert(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        let (sl, sc, el, ec) = (
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        );
        assert!(
            sl >= 1 && sc >= 1 && el >= sl && (el > sl || ec > sc),
            "{region}"
        );
        let hash = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hash.contains(':'), "{hash}");
    }
    assert_eq!(
        uris.into_iter().collect::<Vec<_>>(),
        ["Dockerfile", "svc/my%20api/Dockerfile"],
        "URIs relative to the working directory"
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );

    // Level mapping: the parse error is an error, info/style findings are notes.
    let level_of = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .map(|r| r["level"].as_str().unwrap().to_string())
    };
    assert_eq!(level_of("DL1000").as_deref(), Some("error"));
    assert_eq!(level_of("DL3006").as_deref(), Some("warning"));
    assert_eq!(level_of("DL3015").as_deref(), Some("note"), "info → note");

    // The region of a known finding: `ubuntu` on line 1, columns 6 to 12 (exclusive).
    let untagged = results.iter().find(|r| r["ruleId"] == "DL3006").unwrap();
    let region = &untagged["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (&1.into(), &6.into(), &1.into(), &12.into())
    );
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let repo = Repo::new();
    repo.write("Dockerfile", DOCKERFILE);
    let before = repo.sarif(&["Dockerfile"], None);
    repo.write(
        "Dockerfile",
        &format!("# syntax=docker/dockerfile:1\n\n{DOCKERFILE}"),
    );
    let after = repo.sarif(&["Dockerfile"], None);
    let prints = |log: &Value| -> Vec<(String, String)> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let (b, a) = (prints(&before), prints(&after));
    assert!(!b.is_empty());
    assert_eq!(
        b, a,
        "the same findings keep their fingerprints when lines move"
    );
    let unique: std::collections::HashSet<_> = b.iter().collect();
    assert_eq!(unique.len(), b.len());
}

#[test]
fn stdin_uses_the_stdin_filename() {
    let validator = schema_validator();
    let repo = Repo::new();
    let log = repo.sarif(
        &["--stdin-filename", "docker/Dockerfile", "-"],
        Some(DOCKERFILE),
    );
    assert_valid(&validator, &log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "docker/Dockerfile"
        );
    }
}

#[test]
fn the_schema_check_rejects_broken_sarif() {
    // Guards the guard: the validator must fail a log that breaks the schema.
    let validator = schema_validator();
    let repo = Repo::new();
    repo.write("Dockerfile", DOCKERFILE);
    let mut log = repo.sarif(&["Dockerfile"], None);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
    let mut log = repo.sarif(&["Dockerfile"], None);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&log));
}
