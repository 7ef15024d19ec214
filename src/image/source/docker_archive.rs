//! `docker save` / `skopeo copy … docker-archive:` tars: the classic layout (`manifest.json` +
//! `<id>/layer.tar`) and Docker 25+'s OCI layout inside the tar (`index.json`, `blobs/sha256/…`,
//! usually with a compatibility `manifest.json` too).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::archive::{BlobStore, StoredImage, TarStore};
use super::{ConfigBlob, ImageSource, LayerDescriptor, SourceOptions};

#[derive(Debug, Deserialize)]
struct ManifestItem {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

pub fn open(path: &Path) -> Result<Box<dyn ImageSource>> {
    let what = format!("docker-archive:{}", path.display());
    let store = TarStore::open(path).with_context(|| what.clone())?;
    if store.contains("manifest.json") {
        return Ok(Box::new(open_classic(Box::new(store), what)?));
    }
    if store.contains("index.json") {
        let image = super::oci::open_layout(
            Box::new(store),
            what,
            None,
            &SourceOptions::default(),
            Some("blobs"),
        )?;
        return Ok(Box::new(image));
    }
    bail!("{what}: neither manifest.json nor index.json found (not a docker save archive)");
}

fn open_classic(store: Box<dyn BlobStore>, what: String) -> Result<StoredImage> {
    let bytes = store.read_small("manifest.json")?;
    let items: Vec<ManifestItem> = serde_json::from_slice(&bytes)
        .with_context(|| format!("{what}: manifest.json is not a docker save manifest"))?;
    // Like `docker load` and dive: the first image of a multi-image archive.
    let item = items
        .into_iter()
        .next()
        .with_context(|| format!("{what}: manifest.json lists no image"))?;
    let config_bytes = store
        .read_small(&item.config)
        .with_context(|| format!("{what}: config {}", item.config))?;
    let config = ConfigBlob::parse(config_bytes, &format!("{what}: config {}", item.config))?;
    let diff_ids = config.parsed.rootfs.diff_ids.clone();
    if diff_ids.len() != item.layers.len() {
        bail!(
            "{what}: manifest.json lists {} layers but the config {} diff_ids",
            item.layers.len(),
            diff_ids.len()
        );
    }
    let mut layers = Vec::new();
    let mut layer_names = Vec::new();
    for (index, name) in item.layers.iter().enumerate() {
        let clean = super::archive::clean_name(name);
        // Docker 25 names layers by blob digest; verify against it. Classic `<id>/layer.tar`
        // files are uncompressed, so the diff_id verifies them (done by the layer reader).
        let digest = clean
            .strip_prefix("blobs/sha256/")
            .map(|hex| format!("sha256:{hex}"))
            .unwrap_or_default();
        let compressed_size = if store.contains(&clean) {
            store.open(&clean)?.1
        } else {
            0
        };
        layers.push(LayerDescriptor {
            digest,
            media_type: String::new(),
            compressed_size,
            diff_id: diff_ids[index].clone(),
            dive_id: clean.split('/').next().unwrap_or_default().to_string(),
        });
        layer_names.push(clean);
    }
    let image = StoredImage {
        reference: what,
        store,
        config,
        layers,
        layer_names,
        annotations: Default::default(),
    };
    image.check_blobs_present()?;
    Ok(image)
}
