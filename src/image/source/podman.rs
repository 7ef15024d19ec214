//! `podman://REF` (and `--source podman`): dive's podman source — the `podman` command saves the
//! image from its local store (`podman image save --format docker-archive`) to a temporary
//! file, which the docker-archive reader reads. No service or socket is needed; podman's own
//! configuration (`CONTAINERS_STORAGE_CONF`, rootless storage…) decides which store is read.

use std::process::{Command, Stdio};

use anyhow::{Result, anyhow, bail};

use super::daemon::open_spooled;
use super::spool::Spool;
use super::{ImageSource, SourceOptions};

pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let what = format!("podman://{reference}");
    if reference.is_empty() || reference.starts_with('-') {
        bail!("{what}: not an image reference");
    }
    let spool = Spool::create().map_err(|e| anyhow!("{what}: {e}"))?;
    let output = Command::new("podman")
        .args([
            "image",
            "save",
            "--quiet",
            "--format",
            "docker-archive",
            "--output",
        ])
        .arg(spool.path())
        .arg(reference)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| anyhow!("{what}: cannot run podman ({e}); is it installed?"))?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        bail!("{what}: podman image save failed: {message}");
    }
    open_spooled(what, spool, "podman image save", options)
}
