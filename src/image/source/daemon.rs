//! `daemon://REF`: the Docker Engine API over its socket (found by [`endpoints::docker`]:
//! `DOCKER_HOST`, the Docker context, else `/var/run/docker.sock`), streaming
//! `GET /images/{name}/get` (`docker save`). Podman's `podman system service` speaks the same
//! API: the podman source reads its sockets through here, and the tests use it.
//!
//! The saved archive is copied into a [`Spool`] (see there why a stream cannot be read in
//! place) and then read by the docker-archive reader.

use std::io::Read;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use bollard::Docker;
use futures_util::StreamExt;

use super::endpoints::{self, Probe};
use super::platform::{Platform, list_platforms};
use super::spool::Spool;
use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, docker_archive};

/// Seconds to wait for the daemon's answers (a large `docker save` may take a while to start).
const TIMEOUT_SECS: u64 = 120;

/// Seconds [`probe`] waits before deciding the daemon does not answer (generous: podman on
/// a loaded machine can take several seconds for its first answer).
const HAS_IMAGE_TIMEOUT_SECS: u64 = 30;

/// Opens `reference` from the Docker daemon.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let endpoint = endpoints::docker().map_err(|e| anyhow!("daemon://{reference}: {e:#}"))?;
    open_at(&endpoint.host, reference, options)
}

/// Opens `reference` from the daemon at `host` (`unix:///path`, `tcp://host:port`).
pub fn open_at(
    host: &str,
    reference: &str,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    open_as(format!("daemon://{reference}"), host, reference, options)
}

/// [`open_at`], the image reported as `what` (`podman://REF` for podman's socket).
pub(super) fn open_as(
    what: String,
    host: &str,
    reference: &str,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    let runtime = runtime().map_err(|e| anyhow!("{what}: {e}"))?;
    let spool = runtime
        .block_on(save_to_spool(reference, host, options))
        .map_err(|e| anyhow!("{what}: {e}"))?;
    open_spooled(what, spool, &format!("the daemon at {host}"), options)
}

/// Reads a saved archive as the image `what`; `sender` names who wrote it, for messages.
pub(super) fn open_spooled(
    what: String,
    spool: Spool,
    sender: &str,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    let inner = docker_archive::open(spool.path(), None, options).map_err(|e| {
        anyhow!(
            "{what}: {sender} sent an unreadable archive: {}",
            format!("{e:#}").replace(&spool.path().display().to_string(), "<saved archive>")
        )
    })?;
    Ok(Box::new(DaemonImage {
        reference: what,
        inner,
        _spool: spool,
    }))
}

/// Asks the daemon at `host` whether it holds `reference` (for a bare `image:tag`), within a
/// bounded wait: a lookup must not hang on a socket nobody serves.
pub fn probe(host: &str, reference: &str) -> Probe {
    if let Some(path) = host.strip_prefix("unix://")
        && !Path::new(path).exists()
    {
        return Probe::Silent("no socket".to_string());
    }
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(e) => return Probe::Silent(e.to_string()),
    };
    runtime.block_on(async {
        let ask = async {
            let docker = match connect(host).await {
                Ok(docker) => docker,
                Err(e) => return Probe::Silent(e.to_string()),
            };
            match docker.inspect_image(reference).await {
                Ok(_) => Probe::Holds,
                Err(bollard::errors::Error::DockerResponseServerError {
                    status_code: 404, ..
                }) => Probe::Lacks,
                Err(e) => Probe::Silent(format!("{host} failed: {}", one_line(&e))),
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(HAS_IMAGE_TIMEOUT_SECS), ask)
            .await
            .unwrap_or_else(|_| {
                Probe::Silent(format!(
                    "{host} did not answer within {HAS_IMAGE_TIMEOUT_SECS} s"
                ))
            })
    })
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow!("cannot start the I/O runtime: {e}"))
}

/// Connects and agrees on an API version (podman 4 serves at most 1.41; bollard asks for newer).
async fn connect(host: &str) -> Result<Docker> {
    let docker = if host.starts_with("unix://") || host.starts_with('/') {
        let path = host.trim_start_matches("unix://");
        if !Path::new(path).exists() {
            return Err(anyhow!("no Docker daemon socket at {host}"));
        }
        Docker::connect_with_unix(path, TIMEOUT_SECS, bollard::API_DEFAULT_VERSION)
    } else {
        Docker::connect_with_host(host)
    }
    .map_err(|e| {
        anyhow!(
            "cannot connect to the Docker daemon at {host}: {}",
            one_line(&e)
        )
    })?;
    docker.negotiate_version().await.map_err(|e| {
        anyhow!(
            "cannot connect to the Docker daemon at {host}: {}",
            one_line(&e)
        )
    })
}

async fn save_to_spool(reference: &str, host: &str, options: &SourceOptions) -> Result<Spool> {
    let docker = connect(host).await?;
    // Ask first: a missing image then gets a clear message instead of a failed stream.
    let inspected = docker.inspect_image(reference).await.map_err(|e| match e {
        bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        } => anyhow!("no such image in the Docker daemon at {host}"),
        other => anyhow!("the Docker daemon at {host} failed: {}", one_line(&other)),
    })?;
    if let Some(wanted) = &options.platform {
        check_platform(&docker, host, wanted, &inspected)?;
    }
    let max_bytes = options.max_spool_bytes();
    let spool = Spool::create()?;
    let mut file = spool.writer(max_bytes)?;
    let mut stream = docker.export_image(reference);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            anyhow!(
                "saving the image from the Docker daemon at {host} failed: {}",
                one_line(&e)
            )
        })?;
        file.write(&chunk)?;
    }
    file.finish()?;
    Ok(spool)
}

/// The Docker API version whose `GET /images/{name}/get` takes a `platform` (Engine 28).
const PLATFORM_SAVE_API: (usize, usize) = (1, 48);

/// `--platform` against the image the daemon holds under the tag: a daemon stores one platform
/// per tag (unless it keeps whole indexes, which only API 1.48's save can pick from), so another
/// platform is an error naming both, and what the daemon would need.
fn check_platform(
    docker: &Docker,
    host: &str,
    wanted: &str,
    inspected: &bollard::models::ImageInspect,
) -> Result<()> {
    let wanted = Platform::parse_or_host(Some(wanted)).map_err(|e| anyhow!("--platform: {e}"))?;
    let os = inspected.os.as_deref().unwrap_or_default();
    let architecture = inspected.architecture.as_deref().unwrap_or_default();
    let variant = inspected.variant.as_deref().filter(|v| !v.is_empty());
    if wanted.matches(os, architecture, variant) {
        return Ok(());
    }
    let held = list_platforms([Some((os, architecture, variant))]);
    let version = docker.client_version();
    let api = (version.major_version, version.minor_version);
    if api < PLATFORM_SAVE_API {
        bail!(
            "the Docker daemon at {host} holds the image for {held}, not {wanted}, and its API {}.{} is too old to save another platform (needs {}.{}, Docker Engine 28)",
            api.0,
            api.1,
            PLATFORM_SAVE_API.0,
            PLATFORM_SAVE_API.1
        );
    }
    bail!(
        "the Docker daemon at {host} holds the image for {held}, not {wanted} (pull that platform into the daemon, or read the image from its registry)"
    );
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The spooled archive, reported under the daemon reference the user gave.
struct DaemonImage {
    reference: String,
    inner: Box<dyn ImageSource>,
    _spool: Spool,
}

impl ImageSource for DaemonImage {
    fn reference(&self) -> &str {
        &self.reference
    }

    fn config(&self) -> &ConfigBlob {
        self.inner.config()
    }

    fn layers(&self) -> &[LayerDescriptor] {
        self.inner.layers()
    }

    fn open_layer(&self, index: usize) -> Result<Box<dyn Read + Send + '_>> {
        self.inner.open_layer(index)
    }

    fn annotations(&self) -> std::collections::BTreeMap<String, String> {
        self.inner.annotations()
    }
}
