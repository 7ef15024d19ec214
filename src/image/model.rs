//! The analysed image: layers, one union tree of every path any layer touched, and what each
//! layer did to each path.
//!
//! This is the contract between the image core (sources → layers → tree → metrics) and its
//! consumers (CI report, JSON export, TUI). Unlike dive, no merged tree is copied per layer: each
//! path node keeps the short list of layers that changed it, so "the image as of layer i" and
//! "what layer i changed" are both answered by looking at that list.

use serde::Serialize;

/// Index of a node in [`PathTree::nodes`]. The root is node 0.
pub type NodeId = u32;

/// What kind of filesystem object a tar entry describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "target", rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    /// Hard link to another path in the image (target normalised like every path).
    Hardlink(String),
    CharDevice,
    BlockDevice,
    Fifo,
}

impl EntryKind {
    /// The tar typeflag byte, as dive's JSON export reports it.
    pub fn tar_typeflag(&self) -> u8 {
        match self {
            EntryKind::File => b'0',
            EntryKind::Hardlink(_) => b'1',
            EntryKind::Symlink(_) => b'2',
            EntryKind::CharDevice => b'3',
            EntryKind::BlockDevice => b'4',
            EntryKind::Dir => b'5',
            EntryKind::Fifo => b'6',
        }
    }

    pub fn is_dir(&self) -> bool {
        matches!(self, EntryKind::Dir)
    }
}

/// The metadata of one path as one layer stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    /// Bytes of content stored in the layer (tar header size; 0 for dirs, links, devices).
    pub size: u64,
    /// Permission bits plus setuid/setgid/sticky (`0o7777` mask).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// xxh3 of the content for regular files; 0 otherwise.
    pub content_hash: u64,
}

/// What a layer did to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Modified,
    Removed,
    Unchanged,
}

/// One layer's record for a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// Layer index (0 = bottom).
    pub layer: u32,
    /// The state after this layer: `Some` when the layer wrote the path, `None` when it removed
    /// it (a `.wh.` whiteout of it or of an ancestor, or an opaque whiteout of an ancestor).
    pub entry: Option<Entry>,
    /// Whether the removal came from an explicit whiteout entry in this layer's tar (as opposed
    /// to an ancestor being whited out or made opaque). Meaningless when `entry` is `Some`.
    pub explicit_whiteout: bool,
}

/// A node of the union tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathNode {
    /// The file name as stored (may contain control characters: display through
    /// [`crate::image::escape_name`], never raw).
    pub name: Box<str>,
    pub parent: Option<NodeId>,
    /// Sorted by name (byte order).
    pub children: Vec<NodeId>,
    /// Sorted by layer; at most one per layer.
    pub versions: Vec<Version>,
}

/// Every path any layer touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct PathTree {
    pub nodes: Vec<PathNode>,
}

impl PathTree {
    pub fn root(&self) -> NodeId {
        0
    }

    /// Bytes the tree's arrays hold on the heap (capacities, not lengths), for the memory figures
    /// the benchmark prints; allocator overhead is not included.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let link = |kind: &EntryKind| match kind {
            EntryKind::Symlink(t) | EntryKind::Hardlink(t) => t.capacity(),
            _ => 0,
        };
        let per_node: usize = self
            .nodes
            .iter()
            .map(|n| {
                n.name.len()
                    + n.children.capacity() * size_of::<NodeId>()
                    + n.versions.capacity() * size_of::<Version>()
                    + n.versions
                        .iter()
                        .filter_map(|v| v.entry.as_ref())
                        .map(|e| link(&e.kind))
                        .sum::<usize>()
            })
            .sum();
        self.nodes.capacity() * size_of::<PathNode>() + per_node
    }

    pub fn node(&self, id: NodeId) -> &PathNode {
        &self.nodes[id as usize]
    }

    /// The full path, `/`-separated, starting with `/` (the root is `/`).
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(n) = cur {
            let node = self.node(n);
            if node.parent.is_some() {
                parts.push(node.name.as_ref());
            }
            cur = node.parent;
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// The state of a path after layer `layer` has been applied: the entry of the newest version
    /// at or below `layer`, `None` when absent (never written, or removed).
    pub fn state_at(&self, id: NodeId, layer: u32) -> Option<&Entry> {
        let versions = &self.node(id).versions;
        let idx = versions.partition_point(|v| v.layer <= layer);
        if idx == 0 {
            return None;
        }
        versions[idx - 1].entry.as_ref()
    }

    /// The version a given layer recorded for this path, if that layer touched it.
    pub fn version_in(&self, id: NodeId, layer: u32) -> Option<&Version> {
        let versions = &self.node(id).versions;
        versions
            .binary_search_by_key(&layer, |v| v.layer)
            .ok()
            .map(|i| &versions[i])
    }

    /// What layer `layer` did to this path: `None` when it did not touch it.
    ///
    /// Added: absent before, present now. Removed: present before, absent now. Modified: present
    /// before and now with a different type, mode, owner, size or content. Unchanged: written
    /// again identically (or a directory re-stated by the layer).
    pub fn change_in(&self, id: NodeId, layer: u32) -> Option<Change> {
        let v = self.version_in(id, layer)?;
        let before = if layer == 0 {
            None
        } else {
            self.state_at(id, layer - 1)
        };
        Some(match (before, &v.entry) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (None, None) => Change::Removed,
            (Some(a), Some(b)) => {
                if a == b {
                    Change::Unchanged
                } else {
                    Change::Modified
                }
            }
        })
    }

    /// Looks a path up (`/usr/bin/env` or `usr/bin/env`).
    pub fn lookup(&self, path: &str) -> Option<NodeId> {
        let mut cur = self.root();
        for part in path.split('/').filter(|p| !p.is_empty()) {
            let children = &self.node(cur).children;
            let idx = children
                .binary_search_by(|c| self.node(*c).name.as_ref().cmp(part))
                .ok()?;
            cur = children[idx];
        }
        Some(cur)
    }
}

/// One filesystem layer of the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    pub index: u32,
    /// Digest of the blob as stored (compressed), `sha256:…`.
    pub digest: String,
    /// Digest of the uncompressed tar (the config's `rootfs.diff_ids` entry).
    pub diff_id: String,
    /// Media type as the manifest named it.
    pub media_type: String,
    pub compressed_size: u64,
    /// Σ tar header sizes of the layer's entries (dive's `sizeBytes`).
    pub size: u64,
    /// The history entry that produced this layer (`created_by`).
    pub command: String,
    /// That history entry's `created` time (RFC 3339, as the config states it).
    pub created: Option<String>,
    /// History entries with `empty_layer: true` that came right before this layer (ENV, CMD…),
    /// oldest first.
    pub empty_before: Vec<String>,
    /// Number of tar entries (whiteouts included).
    pub entry_count: u64,
    /// dive's layer id: the tar directory name for classic archives, else the digest hex.
    pub dive_id: String,
    /// Directories this layer made opaque (`.wh..wh..opq`), in node order. Kept so the dive
    /// export can list the directory nodes those markers create in dive's per-layer tree.
    pub opaque_dirs: Vec<NodeId>,
    /// How the blob was compressed: `gzip`, `zstd` or `none`.
    pub compression: String,
}

/// Bytes stored in a lower layer and hidden by a higher one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reclaimable {
    pub path: String,
    pub bytes: u64,
    /// The layer that stored the bytes.
    pub stored_in: u32,
    /// The layer that overwrote or removed them.
    pub hidden_by: u32,
}

/// One row of dive's "inefficient files" table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InefficientPath {
    pub path: String,
    /// How many layers touched it.
    pub count: u32,
    /// Cumulative bytes over all those layers (dive's `sizeBytes`).
    pub bytes: u64,
}

/// Efficiency and waste figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Σ layer sizes.
    pub total_size: u64,
    /// dive's `efficiencyScore`, 0..=1, never NaN.
    pub efficiency: f64,
    /// dive's `inefficientBytes` / wastedBytes.
    pub wasted_bytes: u64,
    /// dive's `userWastedPercent` (a ratio 0..=1 despite the name), never NaN.
    pub user_wasted_percent: f64,
    /// dive's inefficient paths, largest first.
    pub inefficient: Vec<InefficientPath>,
    /// Bytes stored but not visible in the final filesystem.
    pub reclaimable_bytes: u64,
    /// Each hidden byte, attributed, largest first.
    pub reclaimable: Vec<Reclaimable>,
}

/// An image, read and analysed.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// What the user asked for (`docker-archive:…`, `alpine:3.20`…).
    pub reference: String,
    /// `sha256:…` of the config blob (the image id).
    pub config_digest: String,
    pub os: String,
    pub architecture: String,
    /// User, command, environment, labels, creation time… and the annotations.
    pub config: super::config::ImageSettings,
    pub layers: Vec<Layer>,
    /// Empty-layer history entries after the last layer (CMD, ENTRYPOINT…).
    pub trailing_empty: Vec<String>,
    pub tree: PathTree,
    pub metrics: Metrics,
    /// Content stored under several paths ([`super::duplicates`]), most bytes first.
    pub duplicates: Vec<super::duplicates::Duplicate>,
    /// Per layer, the secrets its files hold, found while it was read
    /// ([`super::secrets::scan`] adds the config's and which later layer hides each).
    #[serde(skip)]
    pub layer_secrets: Vec<Vec<super::secrets::LayerFinding>>,
}
