//! `docker save` / `skopeo copy … docker-archive:` tars: the classic layout (`manifest.json` +
//! `<id>/layer.tar`) and Docker 25+'s OCI layout inside the tar (`index.json`, `blobs/sha256/…`,
//! usually with a compatibility `manifest.json` too), plain or compressed, from a file or stdin.
//!
//! A multi-image archive (`docker save a b`, `podman save -m`) is read only with a reference
//! (`docker-archive:PATH:REF`) naming one of its images; without one it is an error that lists
//! the images it holds, since picking the first would silently show the wrong image.

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
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
}

/// Opens the archive at `path` (`-`: stdin), the image `reference` names when given.
pub fn open(
    path: &Path,
    reference: Option<&str>,
    options: &SourceOptions,
) -> Result<Box<dyn ImageSource>> {
    let what = format!("docker-archive:{}", path.display());
    let store = TarStore::open(path, options.max_spool_bytes()).with_context(|| what.clone())?;
    if store.contains("manifest.json") {
        return Ok(Box::new(open_classic(Box::new(store), what, reference)?));
    }
    if store.contains("index.json") {
        let image =
            super::oci::open_layout(Box::new(store), what, reference, options, Some("blobs"))?;
        return Ok(Box::new(image));
    }
    bail!("{what}: neither manifest.json nor index.json found (not a docker save archive)");
}

/// Whether `tag` (as `manifest.json` lists it) is what the user named: the same, the same after
/// Docker's defaults (`docker.io/library/`, `:latest`), or the same ending after a `/`
/// (`app:1` names `localhost/app:1`, as podman lists it).
fn names(tag: &str, wanted: &str) -> bool {
    let full = |name: &str| {
        let name = name
            .strip_prefix("docker.io/library/")
            .or_else(|| name.strip_prefix("docker.io/"))
            .unwrap_or(name);
        let last = name.rsplit('/').next().unwrap_or(name);
        if last.contains(':') || last.contains('@') {
            name.to_string()
        } else {
            format!("{name}:latest")
        }
    };
    let (tag, wanted) = (full(tag), full(wanted));
    tag == wanted || tag.ends_with(&format!("/{wanted}"))
}

/// The manifest item `reference` names; without one, the only item.
fn choose_item(
    items: Vec<ManifestItem>,
    reference: Option<&str>,
    what: &str,
) -> Result<ManifestItem> {
    let listed = |items: &[ManifestItem]| {
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match item.repo_tags.as_deref() {
                Some([_, ..]) => item.repo_tags.as_deref().unwrap_or_default().join(" "),
                _ => format!("#{index} (untagged, config {})", item.config),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if items.is_empty() {
        bail!("{what}: manifest.json lists no image");
    }
    let Some(wanted) = reference else {
        if items.len() > 1 {
            bail!(
                "{what}: the archive holds {} images, name one as {what}:REF: {}",
                items.len(),
                listed(&items)
            );
        }
        return Ok(items.into_iter().next().expect("one item"));
    };
    let matching: Vec<usize> = (0..items.len())
        .filter(|&i| {
            let tags = items[i].repo_tags.as_deref().unwrap_or_default();
            tags.iter().any(|tag| names(tag, wanted))
        })
        .collect();
    match matching.as_slice() {
        [one] => Ok(items.into_iter().nth(*one).expect("matched item")),
        [] => bail!(
            "{what}: no image named {wanted:?} in the archive (it holds: {})",
            listed(&items)
        ),
        _ => bail!(
            "{what}: {wanted:?} names {} images in the archive (it holds: {})",
            matching.len(),
            listed(&items)
        ),
    }
}

fn open_classic(
    store: Box<dyn BlobStore>,
    what: String,
    reference: Option<&str>,
) -> Result<StoredImage> {
    let bytes = store.read_small("manifest.json")?;
    let items: Vec<ManifestItem> = serde_json::from_slice(&bytes)
        .with_context(|| format!("{what}: manifest.json is not a docker save manifest"))?;
    let item = choose_item(items, reference, &what)?;
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

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_reference_names_a_tag_with_dockers_defaults() {
        assert!(names("docker.io/library/alpine:3.20", "alpine:3.20"));
        assert!(names("alpine:latest", "alpine"));
        assert!(names("localhost/imgtools/waste:latest", "imgtools/waste"));
        assert!(names("localhost/imgtools/waste:latest", "waste:latest"));
        assert!(!names("localhost/imgtools/waste:latest", "aste:latest"));
        assert!(!names("alpine:3.20", "alpine"));
        assert!(names("127.0.0.1:5000/a:1", "127.0.0.1:5000/a:1"));
    }
}
