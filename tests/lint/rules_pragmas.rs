//! Suppression comments as findings: unknown names (IL6201, with a suggestion), unused
//! suppressions (IL6202, opt-in), and BuildKit names silencing their hadolint twins.

use imgtools::lint::Finding;
use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::rules::REGISTRY;

fn lint(dockerfile: &str, policy: &Policy) -> Vec<Finding> {
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: dockerfile.as_bytes().to_vec(),
        build_context: None,
    };
    engine::lint(&input, policy, REGISTRY).findings
}

fn of<'f>(findings: &'f [Finding], code: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn unknown_names_in_every_pragma_form_are_findings_with_a_suggestion() {
    let df = "# check=skip=JSONArgsRecomended;experimental=InvalidDefinitionDescriptio\nFROM debian:12\n# hadolint ignore=DL3O25, SC2086\nCMD echo hi\n# imglint global ignore=layer-blot\n# hadolint stage ignore=no-such-rule\nFROM debian:12\n";
    let findings = lint(df, &Policy::new());
    let unknown = of(&findings, "IL6201");
    let got: Vec<(u32, &str)> = unknown
        .iter()
        .map(|f| (f.span.start.line, f.message.as_str()))
        .collect();
    assert_eq!(got.len(), 5, "{got:#?}");
    // Same position: ordered by message.
    assert!(
        got[0].0 == 1
            && got[0]
                .1
                .contains("(did you mean InvalidDefinitionDescription?)")
    );
    assert!(got[1].0 == 1 && got[1].1.contains("(did you mean JSONArgsRecommended?)"));
    assert!(got[2].0 == 3 && got[2].1.contains("`DL3O25` (did you mean DL3025?)"));
    assert!(got[3].0 == 5 && got[3].1.contains("(did you mean layer-bloat?)"));
    assert!(got[4].0 == 6 && !got[4].1.contains("did you mean"));
    assert!(
        unknown
            .iter()
            .all(|f| f.category.as_str() == "maintainability")
    );
    // The misspelled name did not suppress DL3025.
    assert_eq!(of(&findings, "DL3025").len(), 1);
}

#[test]
fn unused_suppressions_are_reported_when_asked_for() {
    let df = "FROM debian:12\n# hadolint ignore=DL3025,DL3008\nCMD echo hi\n";
    assert!(of(&lint(df, &Policy::new()), "IL6202").is_empty(), "opt-in");
    let mut policy = Policy::new();
    policy.select = Some(vec!["DL3025".into(), "unused-pragma".into()]);
    let findings = lint(df, &policy);
    let unused = of(&findings, "IL6202");
    assert_eq!(unused.len(), 1, "{findings:#?}");
    assert_eq!(unused[0].span.start.line, 2);
    assert!(unused[0].message.contains("`DL3008`"));
    assert!(of(&findings, "DL3025").is_empty());
}

#[test]
fn a_buildkit_name_silences_its_hadolint_twin() {
    let df = "# check=skip=JSONArgsRecommended\nFROM debian:12\nCMD echo hi\n";
    assert!(of(&lint(df, &Policy::new()), "DL3025").is_empty());
    let df = "FROM debian:12\n# hadolint ignore=DL3025\nCMD echo hi\n";
    let mut policy = Policy::new();
    policy.select = Some(vec!["JSONArgsRecommended".into()]);
    assert!(lint(df, &policy).is_empty());
}

/// Runs the real `imglint` binary on `dockerfile` (stdin) with BUILDKIT_DOCKERFILE_CHECK set to
/// `buildkit_check` (unset for `None`; an empty value counts as unset).
fn imglint_codes(dockerfile: &str, buildkit_check: Option<&str>) -> Vec<String> {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_imglint"));
    cmd.args(["-f", "json", "--no-fail", "-"]);
    match buildkit_check {
        Some(value) => cmd.env("BUILDKIT_DOCKERFILE_CHECK", value),
        None => cmd.env_remove("BUILDKIT_DOCKERFILE_CHECK"),
    };
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run imglint");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dockerfile.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("imglint output");
    assert!(out.status.success(), "{out:?}");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn buildkit_dockerfile_check_replaces_the_directive() {
    let df = "# check=skip=DL3025\n# stage comment\nFROM debian:12.7 AS base\nCMD echo hi\n";
    for unset in [None, Some("")] {
        let plain = imglint_codes(df, unset);
        assert!(!plain.contains(&"DL3025".to_string()), "{plain:?}");
        assert!(!plain.contains(&"IL6112".to_string()), "{plain:?}");
    }
    let replaced = imglint_codes(df, Some("experimental=InvalidDefinitionDescription"));
    assert!(replaced.contains(&"DL3025".to_string()), "{replaced:?}");
    assert!(replaced.contains(&"IL6112".to_string()), "{replaced:?}");
}
