//! `daemon://REF`: the Docker Engine API over its socket (`DOCKER_HOST`, else
//! `/var/run/docker.sock`), streaming `GET /images/{name}/get` (`docker save`). Podman's
//! `podman system service` speaks the same API and is what the tests use.
//!
//! The saved archive is spooled to a temporary file and then read by the docker-archive reader.
//! A stream cannot be read in place: `docker save` writes `manifest.json` (which says which
//! entries are layers, in which order) after the layers, and the reader decompresses several
//! layers at once on different threads, each seeking to its own slice of the tar. Holding the
//! stream in memory instead would cost the whole image's size in RAM. The file is removed when
//! the image is dropped.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Result, anyhow};
use bollard::Docker;
use futures_util::StreamExt;

use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, docker_archive};

/// The socket used when `DOCKER_HOST` is not set.
pub const DEFAULT_SOCKET: &str = "unix:///var/run/docker.sock";

/// Seconds to wait for the daemon's answers (a large `docker save` may take a while to start).
const TIMEOUT_SECS: u64 = 120;

/// Seconds [`has_image`] waits before deciding the daemon does not answer (generous: podman on
/// a loaded machine can take several seconds for its first answer).
const HAS_IMAGE_TIMEOUT_SECS: u64 = 30;

/// Opens `reference` from the daemon.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    let _ = options; // The daemon stores one platform per tag; nothing to choose.
    open_at(&daemon_host(), reference)
}

/// Opens `reference` from the daemon at `host` (`unix:///path`, `tcp://host:port`).
pub fn open_at(host: &str, reference: &str) -> Result<Box<dyn ImageSource>> {
    let what = format!("daemon://{reference}");
    let runtime = runtime().map_err(|e| anyhow!("{what}: {e}"))?;
    let spool = runtime
        .block_on(save_to_spool(reference, host))
        .map_err(|e| anyhow!("{what}: {e}"))?;
    open_spooled(what, spool, &format!("the daemon at {host}"))
}

/// Reads a saved archive as the image `what`; `sender` names who wrote it, for messages.
pub(super) fn open_spooled(
    what: String,
    spool: Spool,
    sender: &str,
) -> Result<Box<dyn ImageSource>> {
    let inner = docker_archive::open(&spool.0).map_err(|e| {
        anyhow!(
            "{what}: {sender} sent an unreadable archive: {}",
            format!("{e:#}").replace(&spool.0.display().to_string(), "<saved archive>")
        )
    })?;
    Ok(Box::new(DaemonImage {
        reference: what,
        inner,
        _spool: spool,
    }))
}

/// Whether the daemon's socket answers and holds `reference` (used for bare `image:tag`).
pub fn has_image(reference: &str, options: &SourceOptions) -> bool {
    let _ = options;
    let host = daemon_host();
    let Ok(runtime) = runtime() else {
        return false;
    };
    // A bounded wait: a bare `image:tag` must not hang on a socket nobody serves.
    runtime.block_on(async {
        let ask = async {
            let Ok(docker) = connect(&host).await else {
                return false;
            };
            docker.inspect_image(reference).await.is_ok()
        };
        tokio::time::timeout(std::time::Duration::from_secs(HAS_IMAGE_TIMEOUT_SECS), ask)
            .await
            .unwrap_or(false)
    })
}

/// `DOCKER_HOST`, else the default socket.
fn daemon_host() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| DEFAULT_SOCKET.to_string())
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

async fn save_to_spool(reference: &str, host: &str) -> Result<Spool> {
    let docker = connect(host).await?;
    // Ask first: a missing image then gets a clear message instead of a failed stream.
    if let Err(e) = docker.inspect_image(reference).await {
        return Err(match e {
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            } => anyhow!("no such image in the Docker daemon at {host}"),
            other => anyhow!("the Docker daemon at {host} failed: {}", one_line(&other)),
        });
    }
    let spool = Spool::create()?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&spool.0)
        .map_err(|e| anyhow!("{}: {e}", spool.0.display()))?;
    let mut stream = docker.export_image(reference);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            anyhow!(
                "saving the image from the Docker daemon at {host} failed: {}",
                one_line(&e)
            )
        })?;
        file.write_all(&chunk)
            .map_err(|e| anyhow!("cannot spool the saved image to {}: {e}", spool.0.display()))?;
    }
    file.sync_data().ok();
    Ok(spool)
}

fn one_line(error: &dyn std::fmt::Display) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A temporary file holding a saved image, deleted on drop.
pub(super) struct Spool(pub(super) PathBuf);

impl Spool {
    pub(super) fn create() -> Result<Spool> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir();
        loop {
            let path = dir.join(format!(
                "imgdive-daemon-{}-{}.tar",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Spool(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(anyhow!("cannot create a file in {}: {e}", dir.display())),
            }
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
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
