//! `podman://REF` (and `--source podman`): dive's podman source. A podman API socket that
//! answers and holds the image (rootless, then rootful; see [`endpoints::podman`]) is read like
//! a Docker daemon; otherwise the `podman` command saves the image from its local store
//! (`podman image save --format docker-archive`) to a temporary file, which the docker-archive
//! reader reads. The command needs no service; podman's own configuration
//! (`CONTAINERS_STORAGE_CONF`, rootless storage…) decides which store it reads.

use std::process::{Command, Stdio};

use anyhow::{Result, anyhow, bail};

use super::daemon::{self, open_spooled};
use super::endpoints::{self, Probe};
use super::spool::Spool;
use super::{ImageSource, SourceOptions};

pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let what = format!("podman://{reference}");
    if reference.is_empty() || reference.starts_with('-') {
        bail!("{what}: not an image reference");
    }
    for endpoint in endpoints::podman() {
        if daemon::probe(&endpoint.host, reference) == Probe::Holds {
            return daemon::open_as(what, &endpoint.host, reference, options);
        }
    }
    save_with_command(what, reference, options)
}

/// `podman image save` into a spool, read as a docker-archive.
fn save_with_command(
    what: String,
    reference: &str,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
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
