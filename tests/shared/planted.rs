//! The secrets planted in the bridge test image (testdata/images/bridge.Dockerfile), in full:
//! the deploy key's body lines and the token passed as a build argument. Tests assert that none
//! of them appears in any output. Shared by the image and TUI test binaries (`#[path]`).

use std::path::Path;

pub fn planted_secrets() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let key = std::fs::read_to_string(root.join("testdata/images/context/bridge/deploy_key"))
        .expect("the planted deploy key");
    let dockerfile = std::fs::read_to_string(root.join("testdata/images/bridge.Dockerfile"))
        .expect("the bridge Dockerfile");
    let mut secrets: Vec<String> = key
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::to_string)
        .collect();
    secrets.extend(
        dockerfile
            .lines()
            .filter_map(|l| l.strip_prefix("ARG GITHUB_TOKEN="))
            .map(str::to_string),
    );
    assert!(secrets.len() > 1, "the key and the token are planted");
    secrets
}
