//! From layer contents to the analysed [`Image`]: one union tree of every path, each node with
//! the list of layers that changed it (OCI whiteout semantics applied), history mapped to
//! layers, then the metrics.
//!
//! Layers are read in parallel (each on its own rayon thread, each blob through its own file
//! handle); the tree is then built in one sequential pass over all entries, O(entries) plus the
//! subtrees that whiteouts remove.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use super::config::{ConfigHeader, ImageSettings};
use super::layer::{
    DEFAULT_MAX_DECOMPRESSED_BYTES, Entries, LayerContents, Op, ReadLimits, read_layer,
};
use super::metrics;
use super::model::{EntryKind, Image, Layer, NodeId, PathNode, PathTree, Version};
use super::source::{ImageSource, digest_hex};

/// How to run an analysis.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Show a progress bar on stderr (only when stderr is a terminal).
    pub progress: bool,
    /// Total bytes all layers together may decompress to ([`ReadLimits`]).
    pub max_decompressed_bytes: u64,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            progress: false,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
        }
    }
}

/// Where the analysis is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadProgress {
    pub layers_done: u64,
    pub layer_count: u64,
    /// Blob bytes read so far (compressed, as stored).
    pub bytes_read: u64,
    /// Σ of the layers' stored sizes (0 when the source does not know them).
    pub bytes_total: u64,
    /// Every layer is read; the tree and metrics are being built.
    pub building: bool,
}

/// Reads every layer of `source` and analyses the image, with progress bars on stderr when
/// `options.progress` asks for them: the whole image, and one per layer being read (for a
/// registry, the layers downloading).
pub fn analyze(source: &dyn ImageSource, options: &AnalyzeOptions) -> Result<Image> {
    let bars =
        (options.progress && std::io::stderr().is_terminal()).then(|| LayerBars::new(source));
    let report = |p: &ReadProgress| {
        if let Some(bars) = &bars {
            bars.total.set_position(p.bytes_read);
        }
    };
    let on_layer = |index: usize, read: Option<u64>| {
        if let Some(bars) = &bars {
            bars.layer(source, index, read);
        }
    };
    let image = read_and_build(source, options, &report, &on_layer);
    if let Some(bars) = &bars {
        bars.total.finish_and_clear();
    }
    image
}

/// The stderr progress display: a bar for the image and one for each layer in flight.
struct LayerBars {
    multi: indicatif::MultiProgress,
    total: indicatif::ProgressBar,
    layers: std::sync::Mutex<HashMap<usize, indicatif::ProgressBar>>,
}

impl LayerBars {
    fn new(source: &dyn ImageSource) -> LayerBars {
        let multi =
            indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::stderr());
        let total: u64 = source.layers().iter().map(|d| d.compressed_size).sum();
        let bar = multi.add(indicatif::ProgressBar::new(total));
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} reading {msg} layers [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(source.layers().len().to_string());
        LayerBars {
            multi,
            total: bar,
            layers: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// `read`: bytes of layer `index` just read; `None`: the layer is done.
    fn layer(&self, source: &dyn ImageSource, index: usize, read: Option<u64>) {
        let Ok(mut layers) = self.layers.lock() else {
            return;
        };
        let Some(n) = read else {
            if let Some(bar) = layers.remove(&index) {
                bar.finish_and_clear();
                self.multi.remove(&bar);
            }
            return;
        };
        let bar = layers.entry(index).or_insert_with(|| {
            let size = source.layers()[index].compressed_size;
            let bar = self.multi.add(indicatif::ProgressBar::new(size));
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "  {prefix:>9} [{bar:30}] {bytes}/{total_bytes}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(format!("layer {index}"));
            bar
        });
        bar.inc(n);
    }
}

/// The one pipeline from a source to its analysis (CI mode, JSON export and the TUI all use
/// it): every layer read and verified in parallel within one [`ReadLimits`], then the tree and
/// metrics. `report` is called when a layer is done, about every MiB read, and once before the
/// tree is built.
pub fn analyze_with_progress(
    source: &dyn ImageSource,
    options: &AnalyzeOptions,
    report: &(dyn Fn(&ReadProgress) + Sync),
) -> Result<Image> {
    read_and_build(source, options, report, &|_, _| {})
}

/// [`analyze_with_progress`], also telling `on_layer` each layer's bytes as they are read
/// (`Some(n)`) and when the layer is done (`None`).
fn read_and_build(
    source: &dyn ImageSource,
    options: &AnalyzeOptions,
    report: &(dyn Fn(&ReadProgress) + Sync),
    on_layer: &(dyn Fn(usize, Option<u64>) + Sync),
) -> Result<Image> {
    let descriptors = source.layers();
    let limits = ReadLimits::new(options.max_decompressed_bytes);
    let progress_at = |layers_done: u64, bytes_read: u64, building: bool| ReadProgress {
        layers_done,
        layer_count: descriptors.len() as u64,
        bytes_read,
        bytes_total: descriptors.iter().map(|d| d.compressed_size).sum(),
        building,
    };
    let bytes_read = AtomicU64::new(0);
    let layers_done = AtomicU64::new(0);
    report(&progress_at(0, 0, false));
    let on_bytes = |n: u64| {
        let before = bytes_read.fetch_add(n, Ordering::Relaxed);
        if (before + n) >> 20 != before >> 20 {
            report(&progress_at(
                layers_done.load(Ordering::Relaxed),
                before + n,
                false,
            ));
        }
    };
    let first_copy = first_copies(descriptors);
    let read = (0..descriptors.len())
        .into_par_iter()
        .map(|index| {
            if first_copy[index] != index {
                // Read once, below; counted done here.
                on_layer(index, None);
                layers_done.fetch_add(1, Ordering::Relaxed);
                return Ok(None);
            }
            let on_layer_bytes = |n: u64| {
                on_bytes(n);
                on_layer(index, Some(n));
            };
            let result = read_layer(source, index, &limits, &on_layer_bytes);
            on_layer(index, None);
            let done = layers_done.fetch_add(1, Ordering::Relaxed) + 1;
            report(&progress_at(
                done,
                bytes_read.load(Ordering::Relaxed),
                false,
            ));
            result.map(Some)
        })
        .collect::<Result<Vec<Option<LayerContents>>>>()?;
    let mut contents: Vec<LayerContents> = Vec::with_capacity(read.len());
    for (index, layer) in read.into_iter().enumerate() {
        // A copy's first comes earlier, so it is in `contents` already.
        let layer = layer.unwrap_or_else(|| contents[first_copy[index]].clone());
        contents.push(layer);
    }
    report(&progress_at(
        descriptors.len() as u64,
        bytes_read.load(Ordering::Relaxed),
        true,
    ));
    Ok(build_image(source, contents))
}

/// For each layer, the index of the first layer with the same blob and the same diff_id (itself
/// when none comes earlier). A layer listed many times (a hostile archive naming one 1 GiB
/// layer a hundred times) is then decompressed and verified once; its copies are the same bytes
/// by both digests. Layers whose digests are unknown are never merged.
fn first_copies(descriptors: &[super::source::LayerDescriptor]) -> Vec<usize> {
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    descriptors
        .iter()
        .enumerate()
        .map(|(index, d)| {
            if d.diff_id.is_empty() || (d.digest.is_empty() && d.dive_id.is_empty()) {
                return index;
            }
            *seen
                .entry((d.digest.as_str(), d.dive_id.as_str(), d.diff_id.as_str()))
                .or_insert(index)
        })
        .collect()
}

/// Assembles the image from its layers, read in order. Each layer's entries are consumed as the
/// tree takes them (a million of them weigh about as much as the tree itself).
pub fn build_image(source: &dyn ImageSource, mut contents: Vec<LayerContents>) -> Image {
    let config = source.config();
    let descriptors = source.layers();

    // The largest layer's entries are distinct paths, so at least that many nodes: reserved up
    // front, the index is not rehashed on its way to a million keys.
    let mut builder =
        TreeBuilder::with_capacity(contents.iter().map(|l| l.entries.len()).max().unwrap_or(0));
    let node_ids: Vec<Vec<NodeId>> = contents
        .iter()
        .map(|layer| {
            layer
                .entries
                .iter()
                .enumerate()
                .map(|(index, entry)| builder.insert(layer.path(entry), layer.raw_path(index)))
                .collect()
        })
        .collect();
    let mut tree = builder.finish();
    // dive's per-layer views need only the tree's shape: built before the versions, so their
    // sort keys (one per entry) are gone before the versions take their memory.
    let dive_layers: Vec<metrics::DiveLayer> = contents
        .iter()
        .zip(&node_ids)
        .map(|(layer, ids)| metrics::DiveLayer::from_entries(&tree, layer, ids))
        .collect();
    // Nothing needs the paths any more (nodes stand for them): freed before the versions grow.
    for layer in &mut contents {
        layer.paths = String::new();
        layer.raw_paths = Vec::new();
    }

    let mut opaque_dirs_per_layer = Vec::with_capacity(contents.len());
    let mut stamps = Stamps {
        written: vec![0u32; tree.nodes.len()],
        swept: vec![0u32; tree.nodes.len()],
    };
    let mut layer_secrets = Vec::with_capacity(contents.len());
    for (layer_index, (layer, ids)) in contents.iter_mut().zip(&node_ids).enumerate() {
        let layer_index = layer_index as u32;
        opaque_dirs_per_layer.push(apply_layer(
            &mut tree,
            &mut stamps,
            layer_index,
            std::mem::take(&mut layer.entries),
            ids,
        ));
        layer_secrets.push(std::mem::take(&mut layer.secrets));
    }

    // History: the k-th non-empty entry made the k-th layer; empty ones are kept aside.
    let mut commands = Vec::with_capacity(descriptors.len());
    let mut pending_empty = Vec::new();
    for entry in &config.parsed.history {
        let text = entry.created_by.clone().unwrap_or_default();
        if entry.empty_layer {
            pending_empty.push(text);
        } else {
            commands.push((
                text,
                entry.created.clone(),
                std::mem::take(&mut pending_empty),
            ));
        }
    }
    let trailing_empty = pending_empty;

    let mut layers = Vec::with_capacity(descriptors.len());
    for (index, (desc, layer)) in descriptors.iter().zip(contents).enumerate() {
        let (command, created, empty_before) = commands
            .get(index)
            .cloned()
            .unwrap_or_else(|| ("(missing)".to_string(), None, Vec::new()));
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
            created,
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

    let metrics = metrics::compute(&tree, &layers, &dive_layers);
    let duplicates = super::duplicates::find(&tree);

    Image {
        reference: source.reference().to_string(),
        config_digest: config.digest(),
        os: config.parsed.os.clone(),
        architecture: config.parsed.architecture.clone(),
        config: image_settings(source),
        layers,
        trailing_empty,
        tree,
        metrics,
        duplicates,
        layer_secrets,
    }
}

fn image_settings(source: &dyn ImageSource) -> ImageSettings {
    let parsed = &source.config().parsed;
    let header = ConfigHeader {
        created: parsed.created.as_deref(),
        author: parsed.author.as_deref(),
        architecture: &parsed.architecture,
        os: &parsed.os,
        variant: parsed.variant.as_deref(),
    };
    let run = parsed.config.clone().unwrap_or_default();
    ImageSettings::new(header, &run, source.annotations())
}

/// Builds the node arena; children are sorted once at the end.
///
/// Children are found through a hash of (parent, name) — no per-lookup allocation; a hash
/// collision (names are attacker-controlled) falls back to scanning the parent's children.
/// A name's identity is its raw bytes: node names are UTF-8 (invalid bytes replaced, for
/// display), so the few names that were not keep their bytes aside.
#[derive(Default)]
struct TreeBuilder {
    nodes: Vec<PathNode>,
    index: HashMap<(NodeId, u64), NodeId, SeededMix>,
    raw_names: HashMap<NodeId, Box<[u8]>>,
    /// The directory of the last path inserted (its bytes, no leading `/`) and its node: a tar
    /// lists a directory's entries together, so most paths need only their last name looked up.
    last_dir: Vec<u8>,
    last_dir_id: NodeId,
}

/// Hashes the builder's keys, (parent, xxh3 of a name): the name is hashed already, so a
/// multiply per word mixes it with the parent (SipHash took a tenth of building a million-node
/// tree). The seed is random per process: names come from the image, and without it an
/// attacker could pick names that all land in one bucket.
#[derive(Clone)]
pub(super) struct SeededMix(u64);

impl Default for SeededMix {
    fn default() -> Self {
        use std::hash::BuildHasher;
        SeededMix(std::collections::hash_map::RandomState::new().hash_one(0u64))
    }
}

impl std::hash::BuildHasher for SeededMix {
    type Hasher = MixHasher;
    fn build_hasher(&self) -> MixHasher {
        MixHasher(self.0)
    }
}

pub(super) struct MixHasher(u64);

impl MixHasher {
    fn mix(&mut self, word: u64) {
        let product = u128::from(self.0 ^ word) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl std::hash::Hasher for MixHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl TreeBuilder {
    fn with_capacity(nodes: usize) -> TreeBuilder {
        // With room for the directories the entries imply without listing them and the root:
        // one node past the capacity would double the array.
        let nodes = nodes + nodes / 16 + 1;
        TreeBuilder {
            nodes: Vec::with_capacity(nodes),
            index: HashMap::with_capacity_and_hasher(nodes, SeededMix::default()),
            ..TreeBuilder::default()
        }
    }

    /// The name bytes `id` was created from.
    fn identity(&self, id: NodeId) -> &[u8] {
        match self.raw_names.get(&id) {
            Some(raw) => raw,
            None => self.nodes[id as usize].name.as_bytes(),
        }
    }

    /// The node of `path` (`raw`: its bytes when they are not UTF-8), created with its parents
    /// when new.
    fn insert(&mut self, path: &str, raw: Option<&[u8]>) -> NodeId {
        if self.nodes.is_empty() {
            self.nodes.push(PathNode {
                name: Box::default(),
                parent: None,
                children: Vec::new(),
                versions: Vec::new(),
            });
        }
        let bytes = raw.unwrap_or(path.as_bytes());
        let (dir, leaf) = match bytes.iter().rposition(|b| *b == b'/') {
            Some(slash) => (&bytes[..slash], &bytes[slash + 1..]),
            None => (&bytes[..0], bytes),
        };
        if dir != self.last_dir.as_slice() {
            self.last_dir_id = self.walk(0, dir);
            self.last_dir.clear();
            self.last_dir.extend_from_slice(dir);
        }
        self.walk(self.last_dir_id, leaf)
    }

    /// The node of the `/`-separated `names` below `from`, created when new.
    fn walk(&mut self, from: NodeId, names: &[u8]) -> NodeId {
        let mut current = from;
        for part in names.split(|b| *b == b'/').filter(|p| !p.is_empty()) {
            let key = (current, xxhash_rust::xxh3::xxh3_64(part));
            let found = match self.index.get(&key) {
                Some(id) if self.identity(*id) == part => Some(*id),
                Some(_) => self.nodes[current as usize]
                    .children
                    .iter()
                    .copied()
                    .find(|c| self.identity(*c) == part),
                None => None,
            };
            current = match found {
                Some(id) => id,
                None => {
                    let id = self.nodes.len() as NodeId;
                    let name = String::from_utf8_lossy(part);
                    if let std::borrow::Cow::Owned(_) = name {
                        self.raw_names.insert(id, part.into());
                    }
                    self.nodes.push(PathNode {
                        name: name.into(),
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
            self.insert("", None);
        }
        drop(std::mem::take(&mut self.index));
        self.nodes.shrink_to_fit();
        for i in 0..self.nodes.len() {
            // Taken out while sorted, so the other nodes' names can be read in place.
            let mut children = std::mem::take(&mut self.nodes[i].children);
            let nodes = &self.nodes;
            children.sort_unstable_by(|a, b| nodes[*a as usize].name.cmp(&nodes[*b as usize].name));
            children.shrink_to_fit();
            self.nodes[i].children = children;
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
    // Exact growth: most paths have one or two versions, and a vector's first push would
    // otherwise reserve four (a quarter of a KiB per path).
    versions.reserve_exact(1);
    versions.push(version);
}

/// Per-node stamps for one pass over the layers: `layer + 1` marks "this layer".
struct Stamps {
    /// The layer writes the node itself (a whiteout in the same layer does not remove it).
    written: Vec<u32>,
    /// The node's subtree was already swept by a removal in this layer: repeated whiteouts or
    /// opaque markers of one path (or of a path and its parent) walk it once, not once each.
    swept: Vec<u32>,
}

/// Removes every present descendant of `id` in `layer` (not `id` itself), skipping paths the
/// layer writes itself and subtrees this layer already swept.
fn remove_descendants(tree: &mut PathTree, stamps: &mut Stamps, layer: u32, id: NodeId) {
    let stamp = layer + 1;
    if stamps.swept[id as usize] == stamp {
        return;
    }
    stamps.swept[id as usize] = stamp;
    let mut stack: Vec<NodeId> = tree.nodes[id as usize].children.clone();
    while let Some(node) = stack.pop() {
        if stamps.swept[node as usize] == stamp {
            continue;
        }
        stamps.swept[node as usize] = stamp;
        stack.extend_from_slice(&tree.nodes[node as usize].children);
        if stamps.written[node as usize] != stamp && is_present(tree, node) {
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
    stamps: &mut Stamps,
    layer: u32,
    entries: Entries,
    ids: &[NodeId],
) -> Vec<NodeId> {
    let stamp = layer + 1;
    for (entry, &id) in entries.iter().zip(ids) {
        if matches!(entry.op, Op::Put(_)) {
            stamps.written[id as usize] = stamp;
        }
    }
    let mut opaque = Vec::new();
    for (entry, &id) in entries.iter().zip(ids) {
        match &entry.op {
            Op::Opaque => {
                opaque.push(id);
                remove_descendants(tree, stamps, layer, id);
            }
            Op::Whiteout => {
                if stamps.written[id as usize] != stamp {
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
                remove_descendants(tree, stamps, layer, id);
            }
            Op::Put(new) => {
                // Replacing a directory by a non-directory removes what was under it.
                if layer > 0
                    && !new.kind.is_dir()
                    && tree
                        .state_at(id, layer - 1)
                        .is_some_and(|e| e.kind == EntryKind::Dir)
                {
                    remove_descendants(tree, stamps, layer, id);
                }
            }
        }
    }
    // The entries move into the tree, their chunks freed as they go.
    for (entry, &id) in entries.into_iter().zip(ids) {
        if let Op::Put(new) = entry.op {
            push_version(
                tree,
                id,
                Version {
                    layer,
                    entry: Some(new),
                    explicit_whiteout: false,
                },
            );
        }
    }
    opaque.sort_unstable();
    opaque.dedup();
    opaque
}
