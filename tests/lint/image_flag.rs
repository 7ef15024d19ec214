//! `imglint --image` in the linter-only build (no `imgdive` feature): one clear line, exit 2.
//! With the feature, tests/image/bridge.rs runs the real thing.

#[cfg(not(feature = "imgdive"))]
#[test]
fn image_flag_needs_the_imgdive_feature() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_imglint"))
        .args(["--image", "oci:/nowhere", "-"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run imglint");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--image needs imglint built with the imgdive feature"),
        "{err}"
    );
}
