//! Snapshot tests of what imgdive users see on the committed demo image
//! (testdata/images/demo.tar): the `--ci` report and the `--json` export. Review changes with
//! `cargo insta review`.

use std::path::Path;

use crate::support::Imgdive;

fn run(args: &[&str]) -> std::process::Output {
    let imgdive = Imgdive::new();
    imgdive
        .command()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run imgdive")
}

#[test]
fn ci_report_of_the_demo_image() {
    let out = run(&["--ci", "testdata/images/demo.tar"]);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "CI mode ends 0 or 1: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("ci_demo", stdout);
}

#[test]
fn json_export_of_the_demo_image() {
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/images/demo.tar")
            .is_file()
    );
    let out = run(&["--json", "-", "testdata/images/demo.tar"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    insta::assert_snapshot!(
        "json_demo",
        serde_json::to_string_pretty(&value).expect("JSON") + "\n"
    );
}
