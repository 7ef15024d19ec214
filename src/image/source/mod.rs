//! Where an image's bytes come from. Everything above this module sees one [`ImageSource`]: the
//! config (bytes + parsed), the ordered layer descriptors and a way to open each layer blob as a
//! stream. Whether the bytes live in a tar on disk, an OCI layout directory, a registry or a
//! Docker daemon is decided here and nowhere else.
//!
//! Layer blobs are handed out as they are stored (possibly compressed); the layer reader sniffs
//! the compression and verifies the digest, so every source gets the same checks.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

pub mod archive;
pub mod cache;
pub mod containerd;
mod credentials;
pub mod daemon;
pub mod docker_archive;
pub mod endpoints;
pub mod lookup;
pub mod oci;
pub mod platform;
pub mod podman;
pub mod registry;
pub mod spool;

/// One layer as the manifest (or `manifest.json`) describes it, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerDescriptor {
    /// Digest of the blob exactly as [`ImageSource::open_layer`] returns it (`sha256:…`). The
    /// layer reader hashes the stream and fails on a mismatch. Empty when unknown (then nothing
    /// is verified).
    pub digest: String,
    /// Media type as the manifest names it (empty when the source has none, e.g. a classic
    /// `docker save` archive); compression is sniffed from magic bytes anyway.
    pub media_type: String,
    /// Size of the blob as stored.
    pub compressed_size: u64,
    /// The config's `rootfs.diff_ids` entry for this layer (`sha256:…` of the uncompressed tar).
    pub diff_id: String,
    /// dive's layer id: the first path component of the layer's name inside a `docker save`
    /// archive (`<hex>`, `<hex>.tar` or literally `blobs`), else the digest's hex.
    pub dive_id: String,
}

/// The image config blob: raw bytes (hashed for the image id) and the fields we use.
#[derive(Debug, Clone)]
pub struct ConfigBlob {
    pub bytes: Vec<u8>,
    pub parsed: ImageConfig,
}

impl ConfigBlob {
    pub fn parse(bytes: Vec<u8>, what: &str) -> Result<ConfigBlob> {
        let parsed: ImageConfig = serde_json::from_slice(&bytes)
            .with_context(|| format!("{what}: not a valid image config"))?;
        Ok(ConfigBlob { bytes, parsed })
    }

    /// `sha256:…` of the config bytes: the image id.
    pub fn digest(&self) -> String {
        sha256_digest(&self.bytes)
    }
}

/// The parts of the OCI / Docker image config that imgdive reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub rootfs: RootFs,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// What the container runs with (`User`, `Cmd`, `Env`…).
    #[serde(default)]
    pub config: Option<crate::image::config::RunConfig>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HistoryEntry {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
}

/// A readable image, wherever it lives.
///
/// `Sync` so layers can be opened from several rayon threads at once: each call to
/// [`open_layer`](ImageSource::open_layer) returns an independent stream.
pub trait ImageSource: Send + Sync {
    /// What the user asked for, for messages (`docker-archive:img.tar`, `alpine:3.20`…).
    fn reference(&self) -> &str;
    fn config(&self) -> &ConfigBlob;
    /// Layers, bottom first.
    fn layers(&self) -> &[LayerDescriptor];
    /// The blob of layer `index` as stored (compressed or not).
    fn open_layer(&self, index: usize) -> Result<Box<dyn Read + Send + '_>>;
    /// The index's, the index entry's and the manifest's annotations, merged (the manifest's
    /// win); empty where the format has none.
    fn annotations(&self) -> BTreeMap<String, String> {
        BTreeMap::new()
    }
    /// Told by the layer reader, after it read layer `index` to its end (or failed to), whether
    /// the blob matched its digest and the decompressed stream its diff_id. A source that keeps
    /// what it streamed (the registry's blob cache) keeps it only when `verified`.
    fn layer_checked(&self, _index: usize, _verified: bool) {}
}

/// Options that the command line passes through to every source.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// `os/arch[/variant]` to pick from a multi-platform index; `None` = this machine's.
    pub platform: Option<String>,
    /// Registry hosts (`host[:port]`) that may be reached over plain HTTP.
    pub insecure_registries: Vec<String>,
    /// Largest temporary copy of an archive that cannot be read in place (a compressed tar,
    /// stdin, a daemon's save); `None`: [`spool::DEFAULT_MAX_SPOOL_BYTES`].
    pub max_spool_bytes: Option<u64>,
    /// containerd namespace (`--namespace`); `None`: `CONTAINERD_NAMESPACE`, else `default`.
    pub containerd_namespace: Option<String>,
    /// Registry blobs go to a private directory removed afterwards, not the cache.
    pub no_cache: bool,
    /// The registry blob cache's cap; `None`: [`cache::DEFAULT_MAX_BYTES`].
    pub cache_max_bytes: Option<u64>,
}

impl SourceOptions {
    pub fn max_spool_bytes(&self) -> u64 {
        self.max_spool_bytes
            .unwrap_or(spool::DEFAULT_MAX_SPOOL_BYTES)
    }
}

/// What the SOURCE argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// `docker-archive:PATH[:REF]`, a plain path to a tar file (plain, gzip or zstd), or `-`
    /// (stdin).
    DockerArchive {
        path: PathBuf,
        reference: Option<String>,
    },
    /// `oci:DIR[:ref]`, or a plain path to a directory holding `oci-layout`.
    OciDir {
        path: PathBuf,
        reference: Option<String>,
    },
    /// `oci-archive:PATH[:ref]`.
    OciArchive {
        path: PathBuf,
        reference: Option<String>,
    },
    /// `docker://REF` or `registry://REF`.
    Registry(String),
    /// `daemon://REF`.
    Daemon(String),
    /// `podman://REF`: podman's socket, else the podman command's local store.
    Podman(String),
    /// `containerd://REF`: containerd's content store.
    Containerd(String),
    /// A bare `image:tag`: the first place that holds it, see [`lookup`].
    Auto(String),
}

impl SourceSpec {
    /// Parses the SOURCE argument. Never touches the network; looks at the filesystem only to
    /// tell a plain path from an image reference.
    pub fn parse(source: &str) -> Result<SourceSpec> {
        if source.trim().is_empty() {
            bail!("empty image source");
        }
        if let Some(rest) = source.strip_prefix("docker-archive:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let (path, reference) = split_path_image_ref(rest);
            return Ok(SourceSpec::DockerArchive { path, reference });
        }
        if let Some(rest) = source.strip_prefix("oci-archive:") {
            let (path, reference) = split_path_ref(rest);
            return Ok(SourceSpec::OciArchive { path, reference });
        }
        if let Some(rest) = source.strip_prefix("oci:") {
            let (path, reference) = split_path_ref(rest);
            return Ok(SourceSpec::OciDir { path, reference });
        }
        for scheme in ["docker://", "registry://"] {
            if let Some(rest) = source.strip_prefix(scheme) {
                return Ok(SourceSpec::Registry(rest.to_string()));
            }
        }
        if let Some(rest) = source.strip_prefix("daemon://") {
            return Ok(SourceSpec::Daemon(rest.to_string()));
        }
        if let Some(rest) = source.strip_prefix("podman://") {
            return Ok(SourceSpec::Podman(rest.to_string()));
        }
        if let Some(rest) = source.strip_prefix("containerd://") {
            return Ok(SourceSpec::Containerd(rest.to_string()));
        }
        let path = Path::new(source);
        if source == "-" {
            return Ok(SourceSpec::DockerArchive {
                path: path.to_path_buf(),
                reference: None,
            });
        }
        if path.is_dir() {
            return Ok(SourceSpec::OciDir {
                path: path.to_path_buf(),
                reference: None,
            });
        }
        if path.is_file() {
            return Ok(SourceSpec::DockerArchive {
                path: path.to_path_buf(),
                reference: None,
            });
        }
        if looks_like_path(source) {
            bail!("{source}: no such file or directory");
        }
        Ok(SourceSpec::Auto(source.to_string()))
    }
}

/// dive's `--source` values: where a SOURCE without a `scheme:` prefix is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The Docker daemon (dive's `docker`): as `daemon://`.
    Docker,
    /// The podman command's store: as `podman://`.
    Podman,
    /// A `docker save` tar: as `docker-archive:`.
    DockerArchive,
    /// A registry: as `docker://`.
    Registry,
    /// containerd: as `containerd://`.
    Containerd,
}

impl Engine {
    pub fn parse(name: &str) -> Result<Engine> {
        match name {
            "docker" => Ok(Engine::Docker),
            "podman" => Ok(Engine::Podman),
            "docker-archive" => Ok(Engine::DockerArchive),
            "registry" => Ok(Engine::Registry),
            "containerd" => Ok(Engine::Containerd),
            other => bail!(
                "--source {other:?}: expected docker, podman, containerd, docker-archive or registry"
            ),
        }
    }

    /// The SOURCE this engine reads `source` from; a SOURCE that names its scheme keeps it.
    pub fn spec(self, source: &str) -> Result<SourceSpec> {
        let has_scheme = [
            "docker-archive:",
            "oci:",
            "oci-archive:",
            "docker://",
            "registry://",
            "daemon://",
            "podman://",
            "containerd://",
        ]
        .iter()
        .any(|p| source.starts_with(p));
        if has_scheme {
            return SourceSpec::parse(source);
        }
        Ok(match self {
            Engine::Docker => SourceSpec::Daemon(source.to_string()),
            Engine::Podman => SourceSpec::Podman(source.to_string()),
            Engine::Registry => SourceSpec::Registry(source.to_string()),
            Engine::Containerd => SourceSpec::Containerd(source.to_string()),
            Engine::DockerArchive => SourceSpec::DockerArchive {
                path: PathBuf::from(source),
                reference: None,
            },
        })
    }
}

/// `PATH[:ref]`: the whole string when it names an existing path (paths may contain `:`),
/// else split at the last `:` when what follows looks like a tag, not a path.
fn split_path_ref(rest: &str) -> (PathBuf, Option<String>) {
    if Path::new(rest).exists() {
        return (PathBuf::from(rest), None);
    }
    match rest.rsplit_once(':') {
        Some((path, reference)) if !path.is_empty() && !reference.contains('/') => {
            (PathBuf::from(path), Some(reference.to_string()))
        }
        _ => (PathBuf::from(rest), None),
    }
}

/// `PATH[:REF]` where REF is an image reference (`app:1`, `localhost/app`): split after the
/// longest prefix that exists (paths may contain `:`), else at the first `:`.
fn split_path_image_ref(rest: &str) -> (PathBuf, Option<String>) {
    let splits = rest
        .match_indices(':')
        .map(|(at, _)| at)
        .collect::<Vec<_>>();
    let existing = splits
        .iter()
        .rev()
        .find(|&&at| at > 0 && Path::new(&rest[..at]).exists());
    if Path::new(rest).exists() || rest == "-" {
        return (PathBuf::from(rest), None);
    }
    match existing.or(splits.first()) {
        Some(&at) if at > 0 && at + 1 < rest.len() => {
            (PathBuf::from(&rest[..at]), Some(rest[at + 1..].to_string()))
        }
        _ => (PathBuf::from(rest), None),
    }
}

fn looks_like_path(source: &str) -> bool {
    source.starts_with('/')
        || source.starts_with("./")
        || source.starts_with("../")
        || source.ends_with(".tar")
        || source.ends_with(".tar.gz")
        || source.ends_with(".tgz")
        || source.ends_with(".tar.zst")
}

/// Opens the image a SOURCE names.
pub fn open(spec: &SourceSpec, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    open_noting(spec, options, &mut |_| {})
}

/// [`open`], telling `note` where a bare `image:tag` was found.
pub fn open_noting(
    spec: &SourceSpec,
    options: &SourceOptions,
    note: &mut dyn FnMut(&str),
) -> Result<Box<dyn ImageSource>> {
    match spec {
        SourceSpec::DockerArchive { path, reference } => {
            docker_archive::open(path, reference.as_deref(), options)
        }
        SourceSpec::OciDir { path, reference } => {
            oci::open_dir(path, reference.as_deref(), options)
        }
        SourceSpec::OciArchive { path, reference } => {
            oci::open_archive(path, reference.as_deref(), options)
        }
        SourceSpec::Registry(reference) => registry::open(reference, options),
        SourceSpec::Daemon(reference) => daemon::open(reference, options),
        SourceSpec::Podman(reference) => podman::open(reference, options),
        SourceSpec::Containerd(reference) => containerd::open(reference, options),
        SourceSpec::Auto(reference) => lookup::open(reference, options, note),
    }
}

/// `sha256:<hex>` of some bytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// The hex part of a `sha256:<hex>` digest (the whole string when it has no algorithm prefix).
pub fn digest_hex(digest: &str) -> &str {
    digest.split_once(':').map_or(digest, |(_, hex)| hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_source_form() {
        assert_eq!(
            SourceSpec::parse("docker-archive:/tmp/x.tar").unwrap(),
            SourceSpec::DockerArchive {
                path: "/tmp/x.tar".into(),
                reference: None
            }
        );
        assert_eq!(
            SourceSpec::parse("docker-archive:/nonexistent/x.tar:app:1").unwrap(),
            SourceSpec::DockerArchive {
                path: "/nonexistent/x.tar".into(),
                reference: Some("app:1".into())
            }
        );
        assert_eq!(
            SourceSpec::parse("docker-archive:-:localhost/app").unwrap(),
            SourceSpec::DockerArchive {
                path: "-".into(),
                reference: Some("localhost/app".into())
            }
        );
        assert_eq!(
            SourceSpec::parse("-").unwrap(),
            SourceSpec::DockerArchive {
                path: "-".into(),
                reference: None
            }
        );
        assert_eq!(
            SourceSpec::parse("oci:/nonexistent/dir:v1").unwrap(),
            SourceSpec::OciDir {
                path: "/nonexistent/dir".into(),
                reference: Some("v1".into())
            }
        );
        assert_eq!(
            SourceSpec::parse("oci-archive:/nonexistent/a.tar").unwrap(),
            SourceSpec::OciArchive {
                path: "/nonexistent/a.tar".into(),
                reference: None
            }
        );
        assert_eq!(
            SourceSpec::parse("docker://alpine:3.20").unwrap(),
            SourceSpec::Registry("alpine:3.20".into())
        );
        assert_eq!(
            SourceSpec::parse("registry://127.0.0.1:5000/a/b:c").unwrap(),
            SourceSpec::Registry("127.0.0.1:5000/a/b:c".into())
        );
        assert_eq!(
            SourceSpec::parse("daemon://busybox").unwrap(),
            SourceSpec::Daemon("busybox".into())
        );
        assert_eq!(
            SourceSpec::parse("alpine:3.20").unwrap(),
            SourceSpec::Auto("alpine:3.20".into())
        );
        assert_eq!(
            SourceSpec::parse("podman://localhost/app:1").unwrap(),
            SourceSpec::Podman("localhost/app:1".into())
        );
        assert_eq!(
            SourceSpec::parse("docker-archive:///tmp/x.tar").unwrap(),
            SourceSpec::DockerArchive {
                path: "/tmp/x.tar".into(),
                reference: None
            }
        );
        // dive's --source: a bare reference goes to that engine, a scheme wins.
        let docker = Engine::parse("docker").unwrap();
        assert_eq!(
            docker.spec("app:1").unwrap(),
            SourceSpec::Daemon("app:1".into())
        );
        assert_eq!(
            docker.spec("docker://app:1").unwrap(),
            SourceSpec::Registry("app:1".into())
        );
        assert_eq!(
            Engine::parse("podman").unwrap().spec("app").unwrap(),
            SourceSpec::Podman("app".into())
        );
        assert_eq!(
            Engine::parse("docker-archive")
                .unwrap()
                .spec("x.tar")
                .unwrap(),
            SourceSpec::DockerArchive {
                path: "x.tar".into(),
                reference: None
            }
        );
        assert_eq!(
            Engine::parse("registry").unwrap().spec("app:1").unwrap(),
            SourceSpec::Registry("app:1".into())
        );
        assert_eq!(
            Engine::parse("containerd").unwrap().spec("app:1").unwrap(),
            SourceSpec::Containerd("app:1".into())
        );
        assert_eq!(
            SourceSpec::parse("containerd://docker.io/library/alpine:3.20").unwrap(),
            SourceSpec::Containerd("docker.io/library/alpine:3.20".into())
        );
        assert!(Engine::parse("nerdctl").is_err());
        assert!(SourceSpec::parse("/nonexistent/image.tar").is_err());
        assert!(SourceSpec::parse("").is_err());
    }
}
