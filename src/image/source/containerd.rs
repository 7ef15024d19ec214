//! `containerd://REF`: an image in containerd's store, read through its gRPC API — the images
//! service names the image's root descriptor, the content store serves every blob — without
//! unpacking anything. The socket is `CONTAINERD_ADDRESS`, else
//! `/run/containerd/containerd.sock`; the namespace `--namespace`, else `CONTAINERD_NAMESPACE`,
//! else `default` (as `ctr` and nerdctl choose them).
//!
//! The content store is exposed as a [`BlobStore`] holding an `index.json` with the one root
//! descriptor, so the OCI layout reader resolves indexes (`--platform`), checks digests and
//! reads layers exactly as it does for a layout on disk.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use containerd_client::services::v1::content_client::ContentClient;
use containerd_client::services::v1::images_client::ImagesClient;
use containerd_client::services::v1::{GetImageRequest, InfoRequest, ReadContentRequest};
use containerd_client::tonic::{Code, Request, Status, Streaming, transport::Channel};

use super::archive::BlobStore;
use super::endpoints::Probe;
use super::{ImageSource, SourceOptions, oci};

/// containerd's socket when `CONTAINERD_ADDRESS` is not set.
pub const DEFAULT_ADDRESS: &str = "/run/containerd/containerd.sock";

/// Seconds to wait for the socket to answer a call (a blob stream may take longer as a whole).
const CALL_TIMEOUT_SECS: u64 = 30;

/// `CONTAINERD_ADDRESS` (a path, or `unix://path`), else the default socket.
pub fn address() -> PathBuf {
    let address = std::env::var("CONTAINERD_ADDRESS")
        .ok()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| DEFAULT_ADDRESS.to_string());
    PathBuf::from(address.trim_start_matches("unix://"))
}

/// `--namespace`, else `CONTAINERD_NAMESPACE`, else `default`.
pub fn namespace(options: &SourceOptions) -> String {
    options
        .containerd_namespace
        .clone()
        .or_else(|| std::env::var("CONTAINERD_NAMESPACE").ok())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// Opens `reference` from containerd at [`address`].
pub fn open(reference: &str, options: &SourceOptions) -> Result<Box<dyn ImageSource>> {
    open_at(&address(), reference, options)
}

/// Opens `reference` from the containerd listening at `socket`.
pub fn open_at(
    socket: &Path,
    reference: &str,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    let what = format!("containerd://{reference}");
    let store =
        ContentStore::connect(socket, &namespace(options)).map_err(|e| anyhow!("{what}: {e:#}"))?;
    let root = store
        .image_target(reference)
        .map_err(|e| anyhow!("{what}: {e:#}"))?;
    let image = oci::open_layout(Box::new(store.with_root(root)), what, None, options, None)?;
    Ok(Box::new(image))
}

/// Whether the containerd at `socket` answers and holds `reference` (for a bare `image:tag`).
pub fn probe(socket: &Path, reference: &str, options: &SourceOptions) -> Probe {
    if !socket.exists() {
        return Probe::Silent("no socket".to_string());
    }
    match ContentStore::connect(socket, &namespace(options)) {
        Err(e) => Probe::Silent(format!("{e:#}")),
        Ok(store) => match store.image_target(reference) {
            Ok(_) => Probe::Holds,
            Err(e) if e.downcast_ref::<NotFound>().is_some() => Probe::Lacks,
            Err(e) => Probe::Silent(format!("{e:#}")),
        },
    }
}

/// The image is not in the namespace (as opposed to containerd failing).
#[derive(Debug)]
struct NotFound(String);

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFound {}

/// The image's root descriptor, as `index.json` lists it.
#[derive(Debug, Clone)]
struct Root {
    media_type: String,
    digest: String,
    size: i64,
    annotations: BTreeMap<String, String>,
}

/// containerd's content store in one namespace, as named blobs.
struct ContentStore {
    runtime: tokio::runtime::Runtime,
    channel: Channel,
    namespace: String,
    socket: PathBuf,
    /// `index.json`: the root descriptor, once the image is known.
    index: Vec<u8>,
}

impl ContentStore {
    fn connect(socket: &Path, namespace: &str) -> Result<ContentStore> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .context("cannot start the I/O runtime")?;
        if !socket.exists() {
            bail!("no containerd socket at {}", socket.display());
        }
        let channel = runtime
            .block_on(async {
                tokio::time::timeout(
                    Duration::from_secs(CALL_TIMEOUT_SECS),
                    containerd_client::connect(socket),
                )
                .await
            })
            .map_err(|_| anyhow!("containerd at {} did not answer", socket.display()))?
            .map_err(|e| anyhow!("cannot connect to containerd at {}: {e}", socket.display()))?;
        Ok(ContentStore {
            runtime,
            channel,
            namespace: namespace.to_string(),
            socket: socket.to_path_buf(),
            index: Vec::new(),
        })
    }

    /// A call in the store's namespace; `deadline` bounds a call that answers at once (a blob
    /// stream of any size has none).
    fn request<T>(&self, message: T, deadline: bool) -> Request<T> {
        let mut request = Request::new(message);
        if let Ok(value) = self.namespace.parse() {
            request.metadata_mut().insert("containerd-namespace", value);
        }
        if deadline {
            request.set_timeout(Duration::from_secs(CALL_TIMEOUT_SECS));
        }
        request
    }

    fn failed(&self, status: &Status) -> anyhow::Error {
        anyhow!(
            "containerd at {} failed: {}",
            self.socket.display(),
            status
                .message()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )
    }

    /// The root descriptor of `reference`, tried as given and then fully qualified
    /// (`alpine` → `docker.io/library/alpine:latest`, the name containerd stores).
    fn image_target(&self, reference: &str) -> Result<Root> {
        let mut names = vec![reference.to_string()];
        if let Ok(parsed) = reference.parse::<oci_client::Reference>()
            && parsed.whole() != reference
        {
            names.push(parsed.whole());
        }
        for name in &names {
            let mut images = ImagesClient::new(self.channel.clone());
            let request = self.request(GetImageRequest { name: name.clone() }, true);
            match self.runtime.block_on(images.get(request)) {
                Ok(response) => {
                    let target = response
                        .into_inner()
                        .image
                        .and_then(|image| image.target)
                        .with_context(|| format!("containerd lists {name} without a target"))?;
                    return Ok(Root {
                        media_type: target.media_type,
                        digest: target.digest,
                        size: target.size,
                        annotations: target.annotations.into_iter().collect(),
                    });
                }
                Err(status) if status.code() == Code::NotFound => continue,
                Err(status) => return Err(self.failed(&status)),
            }
        }
        Err(NotFound(format!(
            "no such image in namespace {:?} of containerd at {}",
            self.namespace,
            self.socket.display()
        ))
        .into())
    }

    fn with_root(mut self, root: Root) -> ContentStore {
        let index = serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": root.media_type,
                "digest": root.digest,
                "size": root.size,
                "annotations": root.annotations,
            }],
        });
        self.index = index.to_string().into_bytes();
        self
    }

    /// `blobs/<alg>/<hex>` → `<alg>:<hex>`.
    fn digest_of(name: &str) -> Option<String> {
        let rest = name.strip_prefix("blobs/")?;
        let (alg, hex) = rest.split_once('/')?;
        Some(format!("{alg}:{hex}"))
    }

    fn size_of(&self, digest: &str) -> Result<u64> {
        let mut content = ContentClient::new(self.channel.clone());
        let request = self.request(
            InfoRequest {
                digest: digest.to_string(),
            },
            true,
        );
        let info = self
            .runtime
            .block_on(content.info(request))
            .map_err(|status| match status.code() {
                Code::NotFound => anyhow!("blob {digest} is not in containerd's content store"),
                _ => self.failed(&status),
            })?
            .into_inner()
            .info
            .with_context(|| format!("containerd has no info on {digest}"))?;
        u64::try_from(info.size).map_err(|_| anyhow!("{digest}: negative size"))
    }
}

impl BlobStore for ContentStore {
    fn location(&self) -> &Path {
        &self.socket
    }

    fn contains(&self, name: &str) -> bool {
        if name == "index.json" {
            return true;
        }
        ContentStore::digest_of(name).is_some_and(|digest| self.size_of(&digest).is_ok())
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send + '_>, u64)> {
        if name == "index.json" {
            let len = self.index.len() as u64;
            return Ok((Box::new(&self.index[..]), len));
        }
        let digest =
            ContentStore::digest_of(name).with_context(|| format!("{name}: not a blob name"))?;
        let len = self.size_of(&digest)?;
        let mut content = ContentClient::new(self.channel.clone());
        let request = self.request(
            ReadContentRequest {
                digest,
                offset: 0,
                size: 0,
            },
            false,
        );
        let stream = self
            .runtime
            .block_on(content.read(request))
            .map_err(|status| self.failed(&status))?
            .into_inner();
        let reader = BlobReader {
            runtime: self.runtime.handle().clone(),
            stream,
            chunk: Vec::new(),
            at: 0,
        };
        Ok((Box::new(reader), len))
    }
}

/// A content-store read stream as a blocking reader (layers are read on rayon threads).
struct BlobReader {
    runtime: tokio::runtime::Handle,
    stream: Streaming<containerd_client::services::v1::ReadContentResponse>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.runtime.block_on(self.stream.message()) {
                Ok(Some(message)) => {
                    self.chunk = message.data;
                    self.at = 0;
                }
                Ok(None) => return Ok(0),
                Err(status) => {
                    return Err(std::io::Error::other(format!(
                        "containerd content read failed: {}",
                        status.message()
                    )));
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
