//! `daemon://REF`: the Docker Engine API over its unix socket (`DOCKER_HOST`, else
//! `/var/run/docker.sock`), streaming `GET /images/{name}/get`.
//!
//! Owned by the image-infra helper. Until it lands, opening fails with a clear message and
//! [`has_image`] answers `false` so bare references fall through to the registry.

use anyhow::{Result, bail};

use super::{ImageSource, SourceOptions};

/// Opens `reference` from the daemon.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let _ = options;
    bail!(
        "{reference}: reading from a Docker daemon is not built yet (use docker-archive:, oci: or oci-archive:)"
    )
}

/// Whether the daemon's socket answers and holds `reference` (used for bare `image:tag`).
pub fn has_image(reference: &str, options: &SourceOptions) -> bool {
    let _ = (reference, options);
    false
}
