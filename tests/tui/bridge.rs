//! Issue #11 in the interactive view: `imgdive --dockerfile` on the buildah-built bridge image
//! (scripts/images/build.sh) shows each layer's Dockerfile line, the reclaimable bytes by line,
//! the secrets with a marker on the file — and no planted secret in full on any screen.

use std::path::Path;
use std::process::Command;

use crate::e2e::Tmux;

fn bridge_image() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("scripts/images/build.sh"))
        .arg("bridge")
        .output()
        .expect("run scripts/images/build.sh (needs buildah, skopeo, busybox-static)");
    assert!(
        out.status.success(),
        "scripts/images/build.sh bridge: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    format!("docker-archive:{dir}/docker-archive.tar")
}

#[test]
fn bridge_image_shows_lines_and_secrets_never_in_full() {
    let image = bridge_image();
    let tmux = Tmux::start(
        &format!("--dockerfile testdata/images/bridge.Dockerfile {image}"),
        None,
    );
    let mut screens = vec![tmux.wait_for("Secrets:")];
    let first = &screens[0];
    assert!(
        first.contains("Dockerfile:6 COPY busybox /bin/busybox"),
        "{first}"
    );
    assert!(
        first.contains(
            "line 11 RUN mkdir -p /tmp && seq 1 $BLOB_LINES >: 13.29 MB, deleted at line"
        ),
        "{first}"
    );
    assert!(first.contains("Secrets:              2"), "{first}");
    assert!(
        first.contains("⚠ private-key /root/.ssh/id_ed25519 b3Bl…(459 chars) (layer 4, deleted by"),
        "{first}"
    );
    // Layer 4, the COPY of the key: its line, and the marker on the file in the tree (which
    // shows the whole image as of the layer; in the tree, ctrl+u narrows it to the layer's own
    // entries, where the key is on screen).
    tmux.keys(&["Down", "Down", "Down", "Down"]);
    screens.push(tmux.wait_for("Dockerfile:13 COPY deploy_key /root/.ssh/id_ed25519"));
    tmux.keys(&["Tab", "C-u"]);
    screens.push(tmux.wait_for("id_ed25519 ⚠ secret"));
    tmux.keys(&["Tab", "Down", "Down"]);
    screens.push(tmux.wait_for("Dockerfile:18 RUN rm /tmp/build-output.txt"));
    for screen in &screens {
        for secret in crate::planted::planted_secrets() {
            assert!(
                !screen.contains(&secret),
                "a secret on screen in full: {secret}\n{screen}"
            );
        }
    }
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
    drop(tmux.screen());
}
