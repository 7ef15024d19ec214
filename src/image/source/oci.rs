//! OCI image layouts: `oci:DIR[:ref]`, `oci-archive:PATH[:ref]`, and the OCI layout Docker 25+
//! writes inside `docker save` archives.
//!
//! `index.json` → (nested index resolved to the platform) → manifest → config and layers.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::archive::{BlobStore, DirStore, StoredImage, TarStore};
use super::platform::{Platform as PlatformSpec, list_platforms};
use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions, digest_hex};

#[derive(Debug, Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
struct Descriptor {
    #[serde(default, rename = "mediaType")]
    media_type: String,
    digest: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(Debug, Clone, Deserialize)]
struct Platform {
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    variant: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    #[serde(default, rename = "mediaType")]
    media_type: String,
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Vec<Descriptor>,
    #[serde(default)]
    manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
}

pub fn open_dir(
    path: &Path,
    reference: Option<&str>,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    if !path.is_dir() {
        bail!("{}: not a directory", path.display());
    }
    let store = DirStore::new(path);
    let what = format!("oci:{}", path.display());
    Ok(Box::new(open_layout(
        Box::new(store),
        what,
        reference,
        options,
        None,
    )?))
}

pub fn open_archive(
    path: &Path,
    reference: Option<&str>,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    let store = TarStore::open(path, options.max_spool_bytes())?;
    let what = format!("oci-archive:{}", path.display());
    Ok(Box::new(open_layout(
        Box::new(store),
        what,
        reference,
        options,
        None,
    )?))
}

/// The blob name of a digest in an OCI layout.
pub fn blob_name(digest: &str) -> Result<String> {
    let (alg, hex) = digest
        .split_once(':')
        .with_context(|| format!("malformed digest {digest:?}"))?;
    if alg.is_empty()
        || hex.is_empty()
        || !hex.bytes().all(|b| b.is_ascii_alphanumeric())
        || !alg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+._-".contains(&b))
    {
        bail!("malformed digest {digest:?}");
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

/// Reads an OCI layout held by `store`. `dive_id` overrides the per-layer dive id (Docker's
/// archives report `blobs`); otherwise it is the digest hex.
pub fn open_layout(
    store: Box<dyn BlobStore>,
    what: String,
    reference: Option<&str>,
    options: &SourceOptions,
    dive_id: Option<&str>,
) -> Result<StoredImage> {
    let index_bytes = store
        .read_small("index.json")
        .with_context(|| format!("{what}: no index.json (not an OCI image layout)"))?;
    let index: Index = serde_json::from_slice(&index_bytes)
        .with_context(|| format!("{what}: index.json is not a valid OCI index"))?;
    let manifests = index.manifests.unwrap_or_default();
    let chosen = choose_manifest(&manifests, reference, options)
        .with_context(|| format!("{what}: index.json"))?;
    let mut annotations = index.annotations.unwrap_or_default();
    let manifest = resolve_manifest(store.as_ref(), chosen, options, 0, &mut annotations)
        .with_context(|| format!("{what}: {}", chosen.digest))?;
    let config_desc = manifest
        .config
        .as_ref()
        .with_context(|| format!("{what}: manifest has no config"))?;
    let config_name = blob_name(&config_desc.digest)?;
    let config_bytes = store
        .read_small(&config_name)
        .with_context(|| format!("{what}: config {}", config_desc.digest))?;
    let config = ConfigBlob::parse(
        config_bytes,
        &format!("{what}: config {}", config_desc.digest),
    )?;
    if config.digest() != config_desc.digest {
        bail!(
            "{what}: config blob does not match its digest {}",
            config_desc.digest
        );
    }
    let diff_ids = &config.parsed.rootfs.diff_ids;
    let mut layers = Vec::with_capacity(manifest.layers.len());
    let mut layer_names = Vec::with_capacity(manifest.layers.len());
    for (index, desc) in manifest.layers.iter().enumerate() {
        let name = blob_name(&desc.digest).with_context(|| format!("{what}: layer {index}"))?;
        layers.push(LayerDescriptor {
            digest: desc.digest.clone(),
            media_type: desc.media_type.clone(),
            compressed_size: desc.size,
            diff_id: diff_ids.get(index).cloned().unwrap_or_default(),
            dive_id: dive_id.map_or_else(|| digest_hex(&desc.digest).to_string(), str::to_string),
        });
        layer_names.push(name);
    }
    if diff_ids.len() != layers.len() {
        bail!(
            "{what}: the manifest lists {} layers but the config {} diff_ids",
            layers.len(),
            diff_ids.len()
        );
    }
    let image = StoredImage {
        reference: what,
        store,
        config,
        layers,
        layer_names,
        annotations,
    };
    image.check_blobs_present()?;
    Ok(image)
}

/// The position of the descriptor `--platform` (or this machine's) picks, by the one resolver
/// every source uses.
fn choose_platform(descriptors: &[&Descriptor], options: &SourceOptions) -> Result<Option<usize>> {
    let wanted = PlatformSpec::parse_or_host(options.platform.as_deref()).context("--platform")?;
    Ok(wanted.choose(descriptors.iter().map(|d| {
        d.platform
            .as_ref()
            .map(|p| (p.os.as_str(), p.architecture.as_str(), p.variant.as_deref()))
    })))
}

fn ref_name(desc: &Descriptor) -> Option<&str> {
    desc.annotations
        .get("org.opencontainers.image.ref.name")
        .or_else(|| desc.annotations.get("io.containerd.image.name"))
        .map(String::as_str)
}

fn choose_manifest<'a>(
    manifests: &'a [Descriptor],
    reference: Option<&str>,
    options: &SourceOptions,
) -> Result<&'a Descriptor> {
    if manifests.is_empty() {
        bail!("lists no image");
    }
    let candidates: Vec<&Descriptor> = match reference {
        Some(wanted) => manifests
            .iter()
            .filter(|d| {
                d.annotations.values().any(|v| {
                    v == wanted || v.rsplit_once(':').is_some_and(|(_, tag)| tag == wanted)
                })
            })
            .collect(),
        None => manifests.iter().collect(),
    };
    if candidates.is_empty() {
        let names: Vec<&str> = manifests.iter().filter_map(ref_name).collect();
        bail!(
            "no image named {:?} (available: {})",
            reference.unwrap_or_default(),
            if names.is_empty() {
                "none named".to_string()
            } else {
                names.join(", ")
            }
        );
    }
    if candidates.len() == 1 {
        return Ok(candidates[0]);
    }
    let chosen = choose_platform(&candidates, options)?.unwrap_or(0);
    Ok(candidates[chosen])
}

/// The image manifest `desc` leads to (through nested indexes); every descriptor's and
/// document's annotations on the way are merged into `annotations`, the innermost winning.
fn resolve_manifest(
    store: &dyn BlobStore,
    desc: &Descriptor,
    options: &SourceOptions,
    depth: u32,
    annotations: &mut BTreeMap<String, String>,
) -> Result<Manifest> {
    if depth > 4 {
        bail!("indexes nested too deeply");
    }
    let name = blob_name(&desc.digest)?;
    let bytes = store.read_small(&name)?;
    if super::sha256_digest(&bytes) != desc.digest && desc.digest.starts_with("sha256:") {
        bail!("manifest blob does not match its digest");
    }
    let mut manifest: Manifest =
        serde_json::from_slice(&bytes).context("not a valid manifest or index")?;
    annotations.extend(desc.annotations.clone());
    annotations.extend(manifest.annotations.take().unwrap_or_default());
    let is_index = manifest.manifests.is_some()
        || desc.media_type.contains("index")
        || desc.media_type.contains("manifest.list")
        || manifest.media_type.contains("index")
        || manifest.media_type.contains("manifest.list");
    if is_index {
        let list = manifest.manifests.unwrap_or_default();
        let refs: Vec<&Descriptor> = list.iter().collect();
        let chosen = choose_platform(&refs, options)?.with_context(|| {
            let wanted = PlatformSpec::parse_or_host(options.platform.as_deref())
                .map(|p| p.to_string())
                .unwrap_or_default();
            let available = list_platforms(refs.iter().map(|d| {
                d.platform
                    .as_ref()
                    .map(|p| (p.os.as_str(), p.architecture.as_str(), p.variant.as_deref()))
            }));
            format!("no manifest for platform {wanted} (the index has: {available})")
        })?;
        return resolve_manifest(store, refs[chosen], options, depth + 1, annotations);
    }
    Ok(manifest)
}
