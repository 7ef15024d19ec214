//! `docker://REF` / `registry://REF`: pulling from an OCI distribution registry.
//!
//! Owned by the image-infra helper, who implements it with `oci-client` (platform resolution,
//! anonymous bearer tokens, `~/.docker/config.json` credentials, blob cache). Until then every
//! call fails with a clear message.

use anyhow::{Result, bail};

use super::{ImageSource, SourceOptions};

/// Opens `reference` (`[host[:port]/]name[:tag|@digest]`) on its registry.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let _ = options;
    bail!("{reference}: reading from a registry is not built yet (use docker-archive:, oci: or oci-archive:)")
}
