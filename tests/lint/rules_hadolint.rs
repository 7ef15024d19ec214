//! imglint's DL rules against the real hadolint binary (2.15.1, installed by `.ci/run`): on
//! each case below both must report the same (line, code) pairs for the codes the case is
//! about. Cases follow hadolint's own rule specs (`onBuildRuleCatches`: `ONBUILD RUN` triggers
//! are linted like RUN; opt-in rules turned on by a severity override; command aliases).

use std::collections::BTreeSet;
use std::io::Write;
use std::process::Command;

use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::rule::Severity;
use imgtools::lint::rules::REGISTRY;

/// Opt-in rules both tools are asked to run (`--warning CODE`, hadolint's way to enable them).
const ENABLE: &[&str] = &["DL1001", "DL3057"];

fn hadolint(dockerfile: &str) -> BTreeSet<(u32, String)> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(dockerfile.as_bytes()).expect("write");
    let mut cmd = Command::new("hadolint");
    cmd.args(["--no-fail", "-f", "json"]);
    for code in ENABLE {
        cmd.args(["--warning", code]);
    }
    let out = cmd
        .arg(file.path())
        .output()
        .expect("hadolint is installed");
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("hadolint json output");
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().expect("line") as u32,
                f["code"].as_str().expect("code").to_string(),
            )
        })
        .collect()
}

fn imglint(dockerfile: &str) -> BTreeSet<(u32, String)> {
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: dockerfile.as_bytes().to_vec(),
        build_context: None,
    };
    let mut policy = Policy::new();
    policy.overrides = ENABLE
        .iter()
        .map(|c| (c.to_string(), Severity::Warning))
        .collect();
    engine::lint(&input, &policy, REGISTRY)
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.code.to_string()))
        .collect()
}

/// Both tools' findings of `codes` on `dockerfile`, and the expected ones, must agree.
fn agree(dockerfile: &str, codes: &[&str], expected: &[(u32, &str)]) {
    let keep = |set: BTreeSet<(u32, String)>| -> BTreeSet<(u32, String)> {
        set.into_iter()
            .filter(|(_, c)| codes.contains(&c.as_str()))
            .collect()
    };
    let expected: BTreeSet<(u32, String)> =
        expected.iter().map(|(l, c)| (*l, c.to_string())).collect();
    let theirs = keep(hadolint(dockerfile));
    let ours = keep(imglint(dockerfile));
    assert_eq!(theirs, expected, "hadolint on:\n{dockerfile}");
    assert_eq!(ours, expected, "imglint on:\n{dockerfile}");
}

#[test]
fn onbuild_run_triggers_are_linted_like_run() {
    agree(
        "FROM debian:12\nONBUILD RUN apt-get install -y curl\nONBUILD RUN sudo ls\nONBUILD RUN pip install flask\nONBUILD RUN apk add git\n",
        &["DL3008", "DL3015", "DL3004", "DL3013", "DL3042", "DL3018"],
        &[
            (2, "DL3008"),
            (2, "DL3015"),
            (3, "DL3004"),
            (4, "DL3013"),
            (4, "DL3042"),
            (5, "DL3018"),
        ],
    );
}

#[test]
fn healthcheck_missing_is_opt_in_and_follows_stages() {
    let df = "FROM debian:12 AS base\nFROM base\nHEALTHCHECK CMD [\"true\"]\nFROM debian:12\n";
    agree(df, &["DL3057"], &[(4, "DL3057")]);
    assert!(
        engine::lint_str("Dockerfile", df)
            .findings
            .iter()
            .all(|f| f.code != "DL3057"),
        "DL3057 runs only when turned on"
    );
}

#[test]
fn inline_ignore_pragma_is_opt_in_and_ignores_global_pragmas() {
    let df = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n# hadolint global ignore=DL3059\n";
    agree(df, &["DL1001"], &[(2, "DL1001")]);
}

#[test]
fn package_manager_spellings() {
    let df = "FROM fedora:40\nRUN dnf in foo-1.0 && dnf clean all\nRUN microdnf install bar && microdnf clean all\nRUN npm install ./local.tgz\nRUN npm install express\nRUN yum in -y baz && yum clean all\nRUN gem i rails\n";
    agree(
        df,
        &["DL3038", "DL3041", "DL3016", "DL3030", "DL3033", "DL3028"],
        &[(3, "DL3038"), (3, "DL3041"), (5, "DL3016"), (7, "DL3028")],
    );
}

#[test]
fn secret_names_follow_hadolints_list_onbuild_included() {
    let df = "FROM debian:12\nONBUILD ENV DB_PASSWORD=x\nARG DB_USERNAME\nARG SIGNING_KEY\nARG AWS_ACCESS_KEY_ID\nENV PUBLIC_URL=/\n";
    agree(
        df,
        &["DL3064"],
        &[(2, "DL3064"), (3, "DL3064"), (5, "DL3064")],
    );
}
