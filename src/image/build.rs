//! From layer contents to the analysed [`Image`]: one union tree of every path, each node with
//! the list of layers that changed it (OCI whiteout semantics applied), history mapped to
//! layers, then the metrics.
//!
//! Layers are read in parallel (each on its own rayon thread, each blob through its own file
//! handle); the tree is then built in one sequential pass over all entries, O(entries) plus the
//! subtrees that whiteouts remove.

use std::collections::HashMap;
use std::io::IsTerminal;

use anyhow::Result;
use rayon::prelude::*;

use super::layer::{LayerContents, Op, RawEntry, read_layer};
use super::metrics;
use super::model::{EntryKind, Image, Layer, NodeId, PathNode, PathTree, Version};
use super::source::{ImageSource, digest_hex};

/// How to run an analysis.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    /// Show a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
}

/// Reads every layer of `source` and analyses the image.
pub fn analyze(source: &dyn ImageSource, options: &AnalyzeOptions) -> Result<Image> {
    let descriptors = source.layers();
    let total: u64 = descriptors.iter().map(|d| d.compressed_size).sum();
    let bar = if options.progress && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} reading {msg} layers [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(descriptors.len().to_string());
        Some(bar)
    } else {
        None
    };
    let progress = |n: u64| {
        if let Some(bar) = &bar {
            bar.inc(n);
        }
    };
    let results: Vec<Result<LayerContents>> = (0..descriptors.len())
        .into_par_iter()
        .map(|index| read_layer(source, index, &progress))
        .collect();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut contents = Vec::with_capacity(results.len());
    for result in results {
        contents.push(result?);
    }
    Ok(build_image(source, contents))
}

/// Assembles the image from layers already read (in order).
pub fn build_image(source: &dyn ImageSource, contents: Vec<LayerContents>) -> Image {
    let config = source.config();
    let descriptors = source.layers();

    let mut builder = TreeBuilder::default();
    let node_ids: Vec<Vec<NodeId>> = contents
        .iter()
        .map(|layer| {
            layer
                .entries
                .iter()
                .map(|entry| builder.insert(&entry.path))
                .collect()
        })
        .collect();
    let mut tree = builder.finish();

    let mut opaque_dirs_per_layer = Vec::with_capacity(contents.len());
    let mut written = vec![0u32; tree.nodes.len()];
    for (layer_index, (layer, ids)) in contents.iter().zip(&node_ids).enumerate() {
        let layer_index = layer_index as u32;
        opaque_dirs_per_layer.push(apply_layer(
            &mut tree,
            &mut written,
            layer_index,
            &layer.entries,
            ids,
        ));
    }

    // History: the k-th non-empty entry made the k-th layer; empty ones are kept aside.
    let mut commands = Vec::with_capacity(descriptors.len());
    let mut pending_empty = Vec::new();
    for entry in &config.parsed.history {
        let text = entry.created_by.clone().unwrap_or_default();
        if entry.empty_layer {
            pending_empty.push(text);
        } else {
            commands.push((text, std::mem::take(&mut pending_empty)));
        }
    }
    let trailing_empty = pending_empty;

    let mut layers = Vec::with_capacity(descriptors.len());
    for (index, (desc, layer)) in descriptors.iter().zip(&contents).enumerate() {
        let (command, empty_before) = commands
            .get(index)
            .cloned()
            .unwrap_or_else(|| ("(missing)".to_string(), Vec::new()));
        let digest = if desc.digest.is_empty() {
            desc.diff_id.clone()
        } else {
            desc.digest.clone()
        };
        let dive_id = if desc.dive_id.is_empty() {
            digest_hex(&digest).to_string()
        } else {
            desc.dive_id.clone()
        };
        layers.push(Layer {
            index: index as u32,
            digest,
            diff_id: desc.diff_id.clone(),
            media_type: desc.media_type.clone(),
            compressed_size: if desc.compressed_size > 0 {
                desc.compressed_size
            } else {
                layer.blob_bytes
            },
            size: layer.size,
            command,
            empty_before,
            entry_count: layer.entry_count,
            dive_id,
            opaque_dirs: std::mem::take(&mut opaque_dirs_per_layer[index]),
            compression: match layer.compression {
                Some(super::layer::Compression::Gzip) => "gzip",
                Some(super::layer::Compression::Zstd) => "zstd",
                _ => "none",
            }
            .to_string(),
        });
    }

    let dive_layers: Vec<metrics::DiveLayer> = contents
        .iter()
        .zip(&node_ids)
        .map(|(layer, ids)| metrics::DiveLayer::from_entries(&tree, &layer.entries, ids))
        .collect();
    let metrics = metrics::compute(&tree, &layers, &dive_layers);

    Image {
        reference: source.reference().to_string(),
        config_digest: config.digest(),
        os: config.parsed.os.clone(),
        architecture: config.parsed.architecture.clone(),
        layers,
        trailing_empty,
        tree,
        metrics,
    }
}

/// Builds the node arena; children are sorted once at the end.
///
/// Children are found through a hash of (parent, name) — no per-lookup allocation; a hash
/// collision (names are attacker-controlled) falls back to scanning the parent's children.
#[derive(Default)]
struct TreeBuilder {
    nodes: Vec<PathNode>,
    index: HashMap<(NodeId, u64), NodeId>,
}

impl TreeBuilder {
    fn insert(&mut self, path: &str) -> NodeId {
        if self.nodes.is_empty() {
            self.nodes.push(PathNode {
                name: String::new(),
                parent: None,
                children: Vec::new(),
                versions: Vec::new(),
            });
        }
        let mut current: NodeId = 0;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let key = (current, xxhash_rust::xxh3::xxh3_64(part.as_bytes()));
            let found = match self.index.get(&key) {
                Some(id) if self.nodes[*id as usize].name == part => Some(*id),
                Some(_) => self.nodes[current as usize]
                    .children
                    .iter()
                    .copied()
                    .find(|c| self.nodes[*c as usize].name == part),
                None => None,
            };
            current = match found {
                Some(id) => id,
                None => {
                    let id = self.nodes.len() as NodeId;
                    self.nodes.push(PathNode {
                        name: part.to_string(),
                        parent: Some(current),
                        children: Vec::new(),
                        versions: Vec::new(),
                    });
                    self.nodes[current as usize].children.push(id);
                    self.index.entry(key).or_insert(id);
                    id
                }
            };
        }
        current
    }

    fn finish(mut self) -> PathTree {
        if self.nodes.is_empty() {
            self.insert("");
        }
        drop(std::mem::take(&mut self.index));
        let names: Vec<String> = self.nodes.iter().map(|n| n.name.clone()).collect();
        for node in &mut self.nodes {
            node.children
                .sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
        }
        PathTree { nodes: self.nodes }
    }
}

fn is_present(tree: &PathTree, id: NodeId) -> bool {
    tree.nodes[id as usize]
        .versions
        .last()
        .is_some_and(|v| v.entry.is_some())
}

/// Records a version; one per layer per node, and a write in a layer beats a removal in the
/// same layer (whiteouts only apply to lower layers).
fn push_version(tree: &mut PathTree, id: NodeId, version: Version) {
    let versions = &mut tree.nodes[id as usize].versions;
    if let Some(last) = versions.last_mut()
        && last.layer == version.layer
    {
        if last.entry.is_some() && version.entry.is_none() {
            return;
        }
        *last = version;
        return;
    }
    versions.push(version);
}

/// Removes every present descendant of `id` in `layer` (not `id` itself), skipping paths the
/// layer writes itself.
fn remove_descendants(tree: &mut PathTree, written: &[u32], layer: u32, id: NodeId) {
    let mut stack: Vec<NodeId> = tree.nodes[id as usize].children.clone();
    while let Some(node) = stack.pop() {
        stack.extend_from_slice(&tree.nodes[node as usize].children);
        if written[node as usize] != layer + 1 && is_present(tree, node) {
            push_version(
                tree,
                node,
                Version {
                    layer,
                    entry: None,
                    explicit_whiteout: false,
                },
            );
        }
    }
}

/// Applies one layer's entries to the union tree: opaque markers and whiteouts first (they hide
/// lower layers only), then the layer's own writes. Returns the opaque directories.
fn apply_layer(
    tree: &mut PathTree,
    written: &mut [u32],
    layer: u32,
    entries: &[RawEntry],
    ids: &[NodeId],
) -> Vec<NodeId> {
    let stamp = layer + 1;
    for (entry, &id) in entries.iter().zip(ids) {
        if matches!(entry.op, Op::Put(_)) {
            written[id as usize] = stamp;
        }
    }
    let mut opaque = Vec::new();
    for (entry, &id) in entries.iter().zip(ids) {
        match &entry.op {
            Op::Opaque => {
                opaque.push(id);
                remove_descendants(tree, written, layer, id);
            }
            Op::Whiteout => {
                if written[id as usize] != stamp {
                    push_version(
                        tree,
                        id,
                        Version {
                            layer,
                            entry: None,
                            explicit_whiteout: true,
                        },
                    );
                }
                remove_descendants(tree, written, layer, id);
            }
            Op::Put(new) => {
                // Replacing a directory by a non-directory removes what was under it.
                if layer > 0
                    && !new.kind.is_dir()
                    && tree
                        .state_at(id, layer - 1)
                        .is_some_and(|e| e.kind == EntryKind::Dir)
                {
                    remove_descendants(tree, written, layer, id);
                }
            }
        }
    }
    for (entry, &id) in entries.iter().zip(ids) {
        if let Op::Put(new) = &entry.op {
            push_version(
                tree,
                id,
                Version {
                    layer,
                    entry: Some(new.clone()),
                    explicit_whiteout: false,
                },
            );
        }
    }
    opaque.sort_unstable();
    opaque.dedup();
    opaque
}
