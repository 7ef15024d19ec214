//! `docker://REF` / `registry://REF`: pulling from an OCI distribution registry with `oci-client`.
//!
//! The manifest is always asked for (a tag may move); the config and layer blobs go through a
//! content-addressed cache, `$XDG_CACHE_HOME/imgdive/blobs/sha256/<hex>` (else
//! `~/.cache/imgdive/…`). A blob enters the cache only after its bytes matched its digest (written
//! to a temporary file, verified by `oci-client` while streaming, then renamed), so a second open
//! of the same image downloads nothing but the manifest. The cache directory is then read like an
//! OCI layout, by the same [`StoredImage`] code as `oci:` directories, and the layer reader checks
//! each digest again as it decompresses.
//!
//! - The cache is bounded (`--cache-max`, default 10 GiB; least recently used blobs go first,
//!   see [`cache`]); `--no-cache` pulls into a private directory removed afterwards.
//! - Multi-platform indexes are resolved to `--platform` (`os/arch[/variant]`, default: this
//!   machine's).
//! - Credentials come from `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`):
//!   `credHelpers`/`credsStore` (`docker-credential-<name> get`) first, then `auths`. The
//!   anonymous bearer-token flow (`WWW-Authenticate: Bearer realm=…`) is `oci-client`'s.
//! - Plain HTTP only for `--insecure-registry HOST` and loopback hosts.
//! - Errors are one line naming the reference; credentials never appear in them.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use futures_util::stream::{self, StreamExt};
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::OciDistributionError;
use oci_client::manifest::{ImageIndexEntry, OciDescriptor};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};

use super::archive::{BlobStore, DirStore, StoredImage};
use super::cache::{self, PrivateDir};
pub use super::credentials::credentials_for;
pub use super::platform::Platform;
use super::platform::list_platforms;
use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, digest_hex};
use crate::image::source::oci::blob_name;

/// How many blobs are downloaded at once.
const PARALLEL_DOWNLOADS: usize = 4;

/// Opens `reference` (`[host[:port]/]name[:tag|@digest]`) on its registry, through the blob
/// cache (then trimmed to its cap, see [`cache`]) or, with `no_cache`, through a private
/// directory removed when the image is dropped.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    if options.no_cache {
        let dir = PrivateDir::create().with_context(|| format!("{reference}: --no-cache"))?;
        let mut image = pull(reference, options, dir.path())?;
        image.store = Box::new(PrivateStore {
            store: DirStore::new(dir.path()),
            _dir: dir,
        });
        return Ok(Box::new(image));
    }
    let cache = cache_dir().with_context(|| format!("{reference}: no cache directory"))?;
    let image = pull(reference, options, &cache)?;
    let mut in_use = image.layer_names.clone();
    in_use.push(blob_name(&image.config.digest())?);
    cache::touch(&cache, &in_use);
    let max = options.cache_max_bytes.unwrap_or(cache::DEFAULT_MAX_BYTES);
    if let Err(err) = cache::trim(&cache, max, &in_use) {
        // The image is read already; a cache that cannot shrink must not stop that.
        eprintln!("imgdive: warning: {err:#}");
    }
    Ok(Box::new(image))
}

/// A pull's blobs in a [`PrivateDir`], gone with the image.
struct PrivateStore {
    store: DirStore,
    _dir: PrivateDir,
}

impl BlobStore for PrivateStore {
    fn location(&self) -> &Path {
        self.store.location()
    }

    fn contains(&self, name: &str) -> bool {
        self.store.contains(name)
    }

    fn open(&self, name: &str) -> Result<(Box<dyn std::io::Read + Send + '_>, u64)> {
        self.store.open(name)
    }
}

/// The blob cache: `$XDG_CACHE_HOME/imgdive`, else `~/.cache/imgdive`.
pub fn cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("imgdive"))
}

/// Pulls the manifest, and the config and layer blobs not yet in `cache`, then reads the image
/// from the cache.
pub fn pull(reference: &str, options: &SourceOptions, cache: &Path) -> Result<StoredImage> {
    let image_ref: Reference = reference
        .parse()
        .map_err(|e| anyhow!("{reference}: not a valid image reference ({e})"))?;
    let registry = image_ref.resolve_registry().to_string();
    let auth = credentials_for(&registry).unwrap_or_else(|err| {
        // A broken helper or config must not stop an anonymous pull of a public image.
        eprintln!("imgdive: warning: {registry}: ignoring stored credentials: {err:#}");
        RegistryAuth::Anonymous
    });
    let platform = Platform::parse_or_host(options.platform.as_deref())
        .with_context(|| format!("{reference}: --platform"))?;
    let available = Arc::new(Mutex::new(String::new()));
    let client = Client::new(client_config(
        &registry,
        options,
        platform.clone(),
        available.clone(),
    ));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .with_context(|| format!("{reference}: cannot start the network runtime"))?;
    let (manifest, config_bytes) = runtime
        .block_on(fetch(&client, &image_ref, &auth, cache))
        .map_err(|err| {
            let available = available.lock().map(|a| a.clone()).unwrap_or_default();
            anyhow!(
                "{reference}: {}",
                describe(&err, &registry, &platform, &available)
            )
        })?;

    let config = ConfigBlob::parse(config_bytes, &format!("{reference}: config"))?;
    let diff_ids = &config.parsed.rootfs.diff_ids;
    if diff_ids.len() != manifest.layers.len() {
        bail!(
            "{reference}: the manifest lists {} layers but the config {} diff_ids",
            manifest.layers.len(),
            diff_ids.len()
        );
    }
    let mut layers = Vec::with_capacity(manifest.layers.len());
    let mut layer_names = Vec::with_capacity(manifest.layers.len());
    for (index, desc) in manifest.layers.iter().enumerate() {
        layer_names
            .push(blob_name(&desc.digest).with_context(|| format!("{reference}: layer {index}"))?);
        layers.push(LayerDescriptor {
            digest: desc.digest.clone(),
            media_type: desc.media_type.clone(),
            compressed_size: u64::try_from(desc.size).unwrap_or(0),
            diff_id: diff_ids[index].clone(),
            dive_id: digest_hex(&desc.digest).to_string(),
        });
    }
    let image = StoredImage {
        reference: reference.to_string(),
        store: Box::new(DirStore::new(cache)),
        config,
        layers,
        layer_names,
        // The manifest's; `pull_image_manifest` resolves a multi-platform index without
        // handing it back, so an index's own annotations are not seen from a registry.
        annotations: manifest.annotations.clone().unwrap_or_default(),
    };
    image.check_blobs_present()?;
    Ok(image)
}

/// What a pull failed on, before it is turned into one line.
#[derive(Debug)]
enum PullError {
    Manifest(OciDistributionError),
    Blob {
        what: String,
        digest: String,
        error: OciDistributionError,
    },
    Cache(String),
}

async fn fetch(
    client: &Client,
    image_ref: &Reference,
    auth: &RegistryAuth,
    cache: &Path,
) -> std::result::Result<(oci_client::manifest::OciImageManifest, Vec<u8>), PullError> {
    let (manifest, _digest) = client
        .pull_image_manifest(image_ref, auth)
        .await
        .map_err(PullError::Manifest)?;

    let mut wanted: Vec<(String, OciDescriptor)> =
        vec![("config".to_string(), manifest.config.clone())];
    for (index, layer) in manifest.layers.iter().enumerate() {
        wanted.push((format!("layer {index}"), layer.clone()));
    }
    let missing: u64 = wanted
        .iter()
        .filter(|(_, desc)| blob_name(&desc.digest).is_ok_and(|name| !cache.join(name).is_file()))
        .map(|(_, desc)| u64::try_from(desc.size).unwrap_or(0))
        .sum();
    let bar = download_bar(missing);
    let bar = &bar;
    let results: Vec<_> =
        stream::iter(wanted)
            .map(|(what, desc)| async move {
                fetch_blob(client, image_ref, &what, &desc, cache, bar).await
            })
            .buffer_unordered(PARALLEL_DOWNLOADS)
            .collect()
            .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for result in results {
        result?;
    }
    let config_path = cache.join(
        blob_name(&manifest.config.digest).map_err(|e| PullError::Cache(format!("config: {e}")))?,
    );
    let config = fs::read(&config_path)
        .map_err(|e| PullError::Cache(format!("{}: {e}", config_path.display())))?;
    Ok((manifest, config))
}

/// Downloads one blob into the cache unless it is already there. `oci-client` hashes the stream
/// and fails on a mismatch; only then is the temporary file renamed into place.
async fn fetch_blob(
    client: &Client,
    image_ref: &Reference,
    what: &str,
    desc: &OciDescriptor,
    cache: &Path,
    bar: &Option<indicatif::ProgressBar>,
) -> std::result::Result<(), PullError> {
    let name = blob_name(&desc.digest).map_err(|e| PullError::Cache(format!("{what}: {e}")))?;
    let path = cache.join(&name);
    if path.is_file() {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(cache);
    fs::create_dir_all(dir)
        .map_err(|e| PullError::Cache(format!("cannot create {}: {e}", dir.display())))?;
    // Unique per process and blob, so concurrent pulls of the same image never share a file.
    let partial = dir.join(format!(
        "{}.partial-{}",
        digest_hex(&desc.digest),
        std::process::id()
    ));
    let guard = RemoveOnDrop(partial.clone());
    let file = tokio::fs::File::create(&partial)
        .await
        .map_err(|e| PullError::Cache(format!("{}: {e}", partial.display())))?;
    client
        .pull_blob(
            image_ref,
            desc,
            ProgressWriter {
                inner: file,
                bar: bar.clone(),
            },
        )
        .await
        .map_err(|error| PullError::Blob {
            what: what.to_string(),
            digest: desc.digest.clone(),
            error,
        })?;
    fs::rename(&partial, &path)
        .map_err(|e| PullError::Cache(format!("{}: {e}", path.display())))?;
    drop(guard);
    Ok(())
}

/// A download progress bar on stderr, only when stderr is a terminal and there is something to
/// download.
fn download_bar(total: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if total == 0 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} downloading [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// Counts bytes into the progress bar as they are written to the cache file.
struct ProgressWriter<W> {
    inner: W,
    bar: Option<indicatif::ProgressBar>,
}

impl<W: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for ProgressWriter<W> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        if let (std::task::Poll::Ready(Ok(n)), Some(bar)) = (&poll, &self.bar) {
            bar.inc(*n as u64);
        }
        poll
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Deletes a half-written file when a download fails (after a successful rename there is
/// nothing left to delete).
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Turns a pull failure into the text after `REF: `, one line, without credentials.
/// `available`: the index's platforms when one was resolved and had none that matched.
fn describe(err: &PullError, registry: &str, platform: &Platform, available: &str) -> String {
    match err {
        PullError::Manifest(error) => match error {
            OciDistributionError::ImageManifestNotFoundError(_) if !available.is_empty() => {
                format!(
                    "no image for platform {platform} in the index on {registry} (the index has: {available})"
                )
            }
            OciDistributionError::ImageManifestNotFoundError(_) => {
                format!("no image for platform {platform} in the index on {registry}")
            }
            other => describe_oci(other, registry, "manifest"),
        },
        PullError::Blob {
            what,
            digest,
            error,
        } => {
            let why = match error {
                OciDistributionError::DigestError(_) => {
                    "the downloaded bytes do not match the digest".to_string()
                }
                other => describe_oci(other, registry, "blob"),
            };
            format!("{what} ({digest}): {why}")
        }
        PullError::Cache(message) => format!("blob cache: {message}"),
    }
}

fn describe_oci(error: &OciDistributionError, registry: &str, object: &str) -> String {
    match error {
        OciDistributionError::UnauthorizedError { .. } => {
            format!("{registry} refused the credentials (401 Unauthorized)")
        }
        OciDistributionError::AuthenticationFailure(_) => {
            format!("authentication with {registry} failed")
        }
        OciDistributionError::RegistryError { envelope, .. } => {
            let codes: Vec<String> = envelope
                .errors
                .iter()
                .map(|e| format!("{:?}", e.code))
                .collect();
            if codes
                .iter()
                .any(|c| c.contains("Unauthorized") || c.contains("Denied"))
            {
                format!("{registry} refused the credentials ({})", codes.join(", "))
            } else if codes.iter().any(|c| c.contains("Unknown")) {
                format!("{object} not found on {registry} ({})", codes.join(", "))
            } else {
                format!("{registry} answered with an error ({})", codes.join(", "))
            }
        }
        OciDistributionError::ServerError { code, .. } if *code == 404 => {
            format!("{object} not found on {registry} (404)")
        }
        OciDistributionError::ServerError { code, .. } => {
            format!("{registry} answered HTTP {code}")
        }
        OciDistributionError::RequestError(e) => {
            if e.is_connect() {
                format!("cannot connect to registry {registry} ({})", root_cause(e))
            } else if e.is_timeout() {
                format!("registry {registry} timed out")
            } else {
                format!("request to registry {registry} failed ({})", root_cause(e))
            }
        }
        OciDistributionError::IoError(e) => format!("I/O error while downloading: {e}"),
        other => one_line(&other.to_string()),
    }
}

/// The innermost cause of an error (e.g. "Connection refused (os error 111)").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = error;
    while let Some(next) = cur.source() {
        cur = next;
    }
    one_line(&cur.to_string())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `available` receives an index's platforms when none of them is `platform`.
fn client_config(
    registry: &str,
    options: &SourceOptions,
    platform: Platform,
    available: Arc<Mutex<String>>,
) -> ClientConfig {
    let mut plain_http: Vec<String> = options.insecure_registries.clone();
    if is_loopback(registry) {
        plain_http.push(registry.to_string());
    }
    ClientConfig {
        protocol: ClientProtocol::HttpsExcept(plain_http),
        platform_resolver: Some(Box::new(move |entries: &[ImageIndexEntry]| {
            let platforms = entry_platforms(entries);
            let chosen = platform.choose(platforms.iter().map(borrowed));
            if chosen.is_none()
                && let Ok(mut available) = available.lock()
            {
                *available = list_platforms(platforms.iter().map(borrowed));
            }
            Some(entries[chosen?].digest.clone())
        })),
        connect_timeout: Some(Duration::from_secs(10)),
        read_timeout: Some(Duration::from_secs(120)),
        ..ClientConfig::default()
    }
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        registry.rsplit_once(':').map_or(registry, |(host, _)| host)
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The oci-client index entries' platforms, for the one resolver every source uses.
fn entry_platforms(entries: &[ImageIndexEntry]) -> Vec<Option<(String, String, Option<String>)>> {
    entries
        .iter()
        .map(|e| {
            e.platform.as_ref().map(|p| {
                (
                    p.os.to_string(),
                    p.architecture.to_string(),
                    p.variant.clone(),
                )
            })
        })
        .collect()
}

fn borrowed(
    platform: &Option<(String, String, Option<String>)>,
) -> Option<(&str, &str, Option<&str>)> {
    platform
        .as_ref()
        .map(|(os, arch, variant)| (os.as_str(), arch.as_str(), variant.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_get_plain_http() {
        assert!(is_loopback("127.0.0.1:5000"));
        assert!(is_loopback("localhost:5000"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("registry.example.com:5000"));
        assert!(!is_loopback("10.0.0.1:5000"));
    }
}
