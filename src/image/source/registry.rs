//! `docker://REF` / `registry://REF`: pulling from an OCI distribution registry with `oci-client`.
//!
//! The manifest is always asked for (a tag may move); the config and layer blobs go through a
//! content-addressed cache, `$XDG_CACHE_HOME/imgdive/blobs/sha256/<hex>` (else
//! `~/.cache/imgdive/…`), so a second open of the same image downloads nothing but the manifest.
//!
//! Layers are analysed while they download: opening a layer that is not cached yet starts its
//! download, and the layer reader decompresses and indexes the body as it arrives (download →
//! verify → decompress → index, pipelined per layer; the layers in parallel, as many as the
//! reader reads at once). Every chunk also goes to a temporary file next to the cache entry;
//! that file becomes the cache entry only once the layer reader has verified both the blob's
//! digest and the decompressed stream's diff_id ([`ImageSource::layer_checked`]), and is removed
//! otherwise, so nothing unverified is ever kept. Memory stays bounded: a chunk at a time.
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
//! - `IMGDIVE_DOWNLOAD_FIRST=1` downloads every layer into the cache before any is read (the
//!   sequential path, kept to measure the pipeline against).

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use futures_util::stream::{self, Stream, StreamExt};
use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::errors::{DigestError, OciDistributionError};
use oci_client::manifest::{ImageIndexEntry, OciDescriptor};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};

use super::archive::{DirStore, StoredImage};
use super::cache::{self, PrivateDir};
pub use super::credentials::credentials_for;
pub use super::platform::Platform;
use super::platform::list_platforms;
use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, digest_hex};
use crate::image::source::oci::blob_name;

/// How many blobs are downloaded at once on the download-first path.
const PARALLEL_DOWNLOADS: usize = 4;

/// Opens `reference` (`[host[:port]/]name[:tag|@digest]`) on its registry, through the blob
/// cache (trimmed to its cap, see [`cache`], now and once the image is dropped) or, with
/// `no_cache`, through a private directory removed when the image is dropped.
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    if options.no_cache {
        let dir = PrivateDir::create().with_context(|| format!("{reference}: --no-cache"))?;
        let mut image = pull(reference, options, dir.path())?;
        image.private = Some(dir);
        return Ok(Box::new(image));
    }
    let cache = cache_dir().with_context(|| format!("{reference}: no cache directory"))?;
    let mut image = pull(reference, options, &cache)?;
    let max = options.cache_max_bytes.unwrap_or(cache::DEFAULT_MAX_BYTES);
    image.trim_cache(max);
    image.cache_max_bytes = Some(max);
    Ok(Box::new(image))
}

/// The blob cache: `$XDG_CACHE_HOME/imgdive`, else `~/.cache/imgdive`.
pub fn cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("imgdive"))
}

/// An image on a registry: manifest and config fetched, layers read from the blob directory
/// when they are there and streamed from the registry (into it) when not.
pub struct RegistryImage {
    stored: StoredImage,
    /// The cache (or the `--no-cache` private directory) the blobs live in.
    blobs: PathBuf,
    remote: Remote,
    /// Streamed layers read to their end, waiting for the layer reader's verdict: layer index →
    /// the temporary file holding the blob.
    unchecked: Mutex<HashMap<usize, PathBuf>>,
    /// Trim the cache to this when the image is dropped (its new blobs are in by then).
    cache_max_bytes: Option<u64>,
    private: Option<PrivateDir>,
}

/// What a layer download needs: the registry client (holding the pull's credentials and
/// tokens) and the runtime it runs on.
struct Remote {
    runtime: tokio::runtime::Runtime,
    client: Client,
    image_ref: Reference,
    registry: String,
}

/// Pulls the manifest and the config (unless cached) into `blobs`; layers are fetched as they
/// are read (all of them first with `IMGDIVE_DOWNLOAD_FIRST=1`).
pub fn pull(reference: &str, options: &SourceOptions, blobs: &Path) -> Result<RegistryImage> {
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

    // Multi-threaded: layer reads on the analysis threads wait on their downloads with
    // `block_on`, while the runtime's own thread drives the connections.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .with_context(|| format!("{reference}: cannot start the network runtime"))?;
    let (manifest, config_bytes) = runtime
        .block_on(fetch_manifest_and_config(&client, &image_ref, &auth, blobs))
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
    let mut in_use = layer_names.clone();
    in_use.push(blob_name(&config.digest())?);
    cache::touch(blobs, &in_use);
    let image = RegistryImage {
        stored: StoredImage {
            reference: reference.to_string(),
            store: Box::new(DirStore::new(blobs)),
            config,
            layers,
            layer_names,
            // The manifest's; `pull_image_manifest` resolves a multi-platform index without
            // handing it back, so an index's own annotations are not seen from a registry.
            annotations: manifest.annotations.clone().unwrap_or_default(),
        },
        blobs: blobs.to_path_buf(),
        remote: Remote {
            runtime,
            client,
            image_ref,
            registry,
        },
        unchecked: Mutex::new(HashMap::new()),
        cache_max_bytes: None,
        private: None,
    };
    if std::env::var_os("IMGDIVE_DOWNLOAD_FIRST").is_some_and(|v| v == "1") {
        image.download_layers(&manifest.layers)?;
    }
    Ok(image)
}

impl RegistryImage {
    /// The blobs this image uses, relative to the blob directory.
    fn blob_names(&self) -> Vec<String> {
        let mut names = self.stored.layer_names.clone();
        names.extend(blob_name(&self.stored.config.digest()));
        names
    }

    fn trim_cache(&self, max: u64) {
        if let Err(err) = cache::trim(&self.blobs, max, &self.blob_names()) {
            // The image is read already; a cache that cannot shrink must not stop that.
            eprintln!("imgdive: warning: {err:#}");
        }
    }

    /// The download-first path: every layer not cached yet, into the cache, before any is read.
    fn download_layers(&self, layers: &[OciDescriptor]) -> Result<()> {
        let remote = &self.remote;
        let results: Vec<_> = remote.runtime.block_on(
            stream::iter(layers.iter().enumerate())
                .map(|(index, desc)| async move {
                    let what = format!("layer {index}");
                    fetch_blob(&remote.client, &remote.image_ref, &what, desc, &self.blobs).await
                })
                .buffer_unordered(PARALLEL_DOWNLOADS)
                .collect(),
        );
        for result in results {
            result.map_err(|err| {
                anyhow!(
                    "{}: {}",
                    self.stored.reference,
                    describe_blob(&err, &remote.registry)
                )
            })?;
        }
        Ok(())
    }

    /// Starts downloading layer `index` and hands back its body as it arrives, copied into a
    /// temporary file in the blob directory.
    fn stream_layer(&self, index: usize) -> Result<Box<dyn Read + Send + '_>> {
        let desc = &self.stored.layers[index];
        let path = self.blobs.join(&self.stored.layer_names[index]);
        let dir = path.parent().unwrap_or(&self.blobs);
        fs::create_dir_all(dir)
            .map_err(|e| anyhow!("blob cache: cannot create {}: {e}", dir.display()))?;
        // Unique per process and layer, so concurrent pulls never share a file.
        let partial = dir.join(format!(
            "{}.partial-{}-{index}",
            digest_hex(&desc.digest),
            std::process::id()
        ));
        let file = fs::File::create(&partial)
            .map_err(|e| anyhow!("blob cache: {}: {e}", partial.display()))?;
        let guard = RemoveOnDrop(partial);
        let oci_desc = OciDescriptor {
            media_type: desc.media_type.clone(),
            digest: desc.digest.clone(),
            size: i64::try_from(desc.compressed_size).unwrap_or(i64::MAX),
            ..OciDescriptor::default()
        };
        let remote = &self.remote;
        let body = remote
            .runtime
            .block_on(remote.client.pull_blob_stream(&remote.image_ref, &oci_desc))
            .map_err(|error| anyhow!("{}", describe_oci(&error, &remote.registry, "blob")))?;
        Ok(Box::new(StreamingBlob {
            image: self,
            index,
            body,
            chunk: None,
            offset: 0,
            file: BufWriter::with_capacity(1 << 20, file),
            partial: Some(guard),
            finished: false,
        }))
    }
}

impl ImageSource for RegistryImage {
    fn reference(&self) -> &str {
        &self.stored.reference
    }

    fn config(&self) -> &ConfigBlob {
        &self.stored.config
    }

    fn layers(&self) -> &[LayerDescriptor] {
        &self.stored.layers
    }

    fn open_layer(&self, index: usize) -> Result<Box<dyn Read + Send + '_>> {
        let name = self
            .stored
            .layer_names
            .get(index)
            .with_context(|| format!("layer {index}: no such layer"))?;
        if self.stored.store.contains(name) {
            return self.stored.open_layer(index);
        }
        self.stream_layer(index)
    }

    fn annotations(&self) -> std::collections::BTreeMap<String, String> {
        self.stored.annotations.clone()
    }

    fn layer_checked(&self, index: usize, verified: bool) {
        let Some(partial) = self
            .unchecked
            .lock()
            .ok()
            .and_then(|mut unchecked| unchecked.remove(&index))
        else {
            return;
        };
        if verified {
            let path = self.blobs.join(&self.stored.layer_names[index]);
            if fs::rename(&partial, &path).is_ok() {
                return;
            }
        }
        let _ = fs::remove_file(&partial);
    }
}

impl Drop for RegistryImage {
    fn drop(&mut self) {
        // Streamed to the end but never checked (a reader that verifies nothing): not kept.
        if let Ok(unchecked) = self.unchecked.get_mut() {
            for partial in unchecked.values() {
                let _ = fs::remove_file(partial);
            }
        }
        if let Some(max) = self.cache_max_bytes {
            self.trim_cache(max);
        }
    }
}

/// A layer blob as the registry sends it: each chunk is handed to the reader and written to a
/// temporary file. At the end of the body (where `oci-client` has checked the digest) the file
/// waits in [`RegistryImage::unchecked`] for the layer reader's verdict; a reader dropped
/// before the end removes it.
struct StreamingBlob<'a, S, B> {
    image: &'a RegistryImage,
    index: usize,
    body: S,
    chunk: Option<B>,
    /// How much of `chunk` was handed out.
    offset: usize,
    file: BufWriter<fs::File>,
    partial: Option<RemoveOnDrop>,
    finished: bool,
}

impl<S, B> Read for StreamingBlob<'_, S, B>
where
    S: Stream<Item = io::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(chunk) = &self.chunk {
                let rest = &chunk.as_ref()[self.offset..];
                if !rest.is_empty() {
                    let n = rest.len().min(buf.len());
                    buf[..n].copy_from_slice(&rest[..n]);
                    self.offset += n;
                    return Ok(n);
                }
            }
            if self.finished {
                return Ok(0);
            }
            let next = self.image.remote.runtime.block_on(self.body.next());
            match next {
                Some(Ok(chunk)) => {
                    self.file
                        .write_all(chunk.as_ref())
                        .map_err(cache_write_error)?;
                    self.chunk = Some(chunk);
                    self.offset = 0;
                }
                Some(Err(error)) => return Err(body_error(error, &self.image.remote.registry)),
                None => {
                    self.file.flush().map_err(cache_write_error)?;
                    self.finished = true;
                    if let (Some(partial), Ok(mut unchecked)) =
                        (self.partial.take(), self.image.unchecked.lock())
                    {
                        unchecked.insert(self.index, partial.keep());
                    }
                }
            }
        }
    }
}

fn cache_write_error(error: io::Error) -> io::Error {
    io::Error::other(format!("blob cache: cannot write the download: {error}"))
}

/// One line for a failure in the middle of a blob's body.
fn body_error(error: io::Error, registry: &str) -> io::Error {
    let inner = error.get_ref();
    if let Some(DigestError::VerificationError { expected, actual }) =
        inner.and_then(|e| e.downcast_ref::<DigestError>())
    {
        return io::Error::other(format!(
            "blob digest mismatch: expected {expected}, got {actual} (as downloaded from {registry})"
        ));
    }
    io::Error::other(format!(
        "download from {registry} failed: {}",
        root_cause(&error)
    ))
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

async fn fetch_manifest_and_config(
    client: &Client,
    image_ref: &Reference,
    auth: &RegistryAuth,
    blobs: &Path,
) -> std::result::Result<(oci_client::manifest::OciImageManifest, Vec<u8>), PullError> {
    let (manifest, _digest) = client
        .pull_image_manifest(image_ref, auth)
        .await
        .map_err(PullError::Manifest)?;
    fetch_blob(client, image_ref, "config", &manifest.config, blobs).await?;
    let config_path = blobs.join(
        blob_name(&manifest.config.digest).map_err(|e| PullError::Cache(format!("config: {e}")))?,
    );
    let config = fs::read(&config_path)
        .map_err(|e| PullError::Cache(format!("{}: {e}", config_path.display())))?;
    Ok((manifest, config))
}

/// Downloads one blob into the blob directory unless it is already there. `oci-client` hashes
/// the stream and fails on a mismatch; only then is the temporary file renamed into place.
async fn fetch_blob(
    client: &Client,
    image_ref: &Reference,
    what: &str,
    desc: &OciDescriptor,
    blobs: &Path,
) -> std::result::Result<(), PullError> {
    let name = blob_name(&desc.digest).map_err(|e| PullError::Cache(format!("{what}: {e}")))?;
    let path = blobs.join(&name);
    if path.is_file() {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(blobs);
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
        .pull_blob(image_ref, desc, file)
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

/// Deletes a half-written file when a download fails (after a successful rename there is
/// nothing left to delete).
struct RemoveOnDrop(PathBuf);

impl RemoveOnDrop {
    /// The path, no longer removed on drop.
    fn keep(mut self) -> PathBuf {
        std::mem::take(&mut self.0)
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.0);
        }
    }
}

/// Turns a pull failure into the text after `REF: `, one line, without credentials.
/// `available`: the index's platforms when one was resolved and had none that matched.
fn describe(err: &PullError, registry: &str, platform: &Platform, available: &str) -> String {
    match err {
        PullError::Manifest(OciDistributionError::ImageManifestNotFoundError(_))
            if !available.is_empty() =>
        {
            format!(
                "no image for platform {platform} in the index on {registry} (the index has: {available})"
            )
        }
        PullError::Manifest(OciDistributionError::ImageManifestNotFoundError(_)) => {
            format!("no image for platform {platform} in the index on {registry}")
        }
        PullError::Manifest(other) => describe_oci(other, registry, "manifest"),
        other => describe_blob(other, registry),
    }
}

/// [`describe`] for a failure after the manifest.
fn describe_blob(err: &PullError, registry: &str) -> String {
    match err {
        PullError::Manifest(error) => describe_oci(error, registry, "manifest"),
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
