//! Waste metrics.
//!
//! **dive-compatible** (`efficiency`, `wasted_bytes`, `user_wasted_percent`, inefficient paths):
//! exactly dive's `filetree.Efficiency` + `image.Analyze`, quirks included, so both tools print
//! the same numbers for the same image:
//! - every layer is seen as its own tree (its tar entries plus implied parent directories);
//!   only that tree's *leaves* count, visited in dive's order (children sorted by name);
//! - a leaf's size is its tar header size (0 for directories, symlinks, hard links);
//! - a `.wh.x` whiteout leaf counts as path `x` with size 0, or, when `x` was a directory in the
//!   stack of the lower layers, the summed sizes of that directory's subtree; when `x` is not in
//!   that stack dive's visitor fails: the path gets an entry with minimum −1 and the rest of
//!   that layer is skipped (dive only logs it);
//! - opaque markers (`.wh..wh..opq`) are ignored, except that they create their directory node;
//! - a path seen in ≥ 2 layers is "inefficient"; wasted bytes = Σ of *all* copies of those;
//! - efficiency = Σ per-path minimum / Σ per-path cumulative size.
//!
//! dive re-stacks every lower layer for every whiteout; here one stacked state is kept up to
//! date layer by layer (sizes summed per subtree incrementally), so the cost is linear.
//!
//! Defined edge cases (dive would print NaN or Inf): efficiency is 1.0 when no leaf has any
//! size (empty image, only directories); `user_wasted_percent` is 0.0 when the layers above
//! the first hold no bytes (a one-layer image, or empty upper layers).
//!
//! **reclaimable** (ours): every regular file's bytes that a later layer hid — by overwriting
//! the path, a `.wh.` whiteout of it or of an ancestor, an opaque whiteout of an ancestor, or a
//! non-directory replacing an ancestor directory — attributed to the layer that stored them and
//! the layer that hid them. That is what squashing the image would save. Bytes still reachable
//! through a hard link stored in the same layer and visible at the end are not counted.
//!
//! **Format metadata** (ours, differs from dive): the table of contents and landmark files that
//! eStargz and zstd:chunked compressors write at the root of every layer
//! ([`FORMAT_METADATA_PATHS`]) are not the user's files: they count in neither waste figure
//! and are listed on their own by [`format_metadata`].

use super::layer::{LayerContents, Op};
use super::model::{EntryKind, InefficientPath, Layer, Metrics, NodeId, PathTree, Reclaimable};

/// eStargz's table of contents and the prefetch landmarks of eStargz / zstd:chunked layers.
pub const FORMAT_METADATA_PATHS: [&str; 3] = [
    "/stargz.index.json",
    "/.prefetch.landmark",
    "/.no.prefetch.landmark",
];

/// A format-metadata file one layer stores.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormatMetadata {
    pub path: String,
    pub layer: u32,
    pub bytes: u64,
}

/// The nodes of [`FORMAT_METADATA_PATHS`] that the image has.
fn format_metadata_nodes(tree: &PathTree) -> Vec<NodeId> {
    FORMAT_METADATA_PATHS
        .iter()
        .filter_map(|path| tree.lookup(path))
        .collect()
}

/// Every format-metadata file stored, by layer.
pub fn format_metadata(tree: &PathTree) -> Vec<FormatMetadata> {
    let mut found = Vec::new();
    for node in format_metadata_nodes(tree) {
        for version in &tree.node(node).versions {
            if let Some(entry) = &version.entry {
                found.push(FormatMetadata {
                    path: tree.path(node),
                    layer: version.layer,
                    bytes: entry.size,
                });
            }
        }
    }
    found.sort_by(|a, b| (a.layer, &a.path).cmp(&(b.layer, &b.path)));
    found
}

/// The one-line summary the reports show (`--ci` text, the TUI's image details):
/// `format metadata: 3 files, 821 bytes (eStargz)`; `None` for an image without any. The
/// format is eStargz where a table of contents is stored, zstd:chunked for landmarks in zstd
/// layers (its table of contents is not a file), eStargz for landmarks in other layers.
pub fn format_metadata_line(image: &super::model::Image) -> Option<String> {
    let found = format_metadata(&image.tree);
    if found.is_empty() {
        return None;
    }
    let bytes: u64 = found.iter().map(|f| f.bytes).sum();
    let mut formats: Vec<&str> = found
        .iter()
        .map(|f| {
            let zstd = image
                .layers
                .get(f.layer as usize)
                .is_some_and(|l| l.compression == "zstd");
            if zstd && f.path != FORMAT_METADATA_PATHS[0] {
                "zstd:chunked"
            } else {
                "eStargz"
            }
        })
        .collect();
    formats.sort_unstable();
    formats.dedup();
    Some(format!(
        "format metadata: {} files, {bytes} bytes ({})",
        found.len(),
        formats.join(", ")
    ))
}

/// One leaf of dive's per-layer tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiveLeaf {
    /// The path dive reports (a whiteout's target).
    pub node: NodeId,
    pub whiteout: bool,
    pub size: u64,
}

/// What dive's per-layer tree holds, reduced to what the metrics need.
#[derive(Debug, Clone, Default)]
pub struct DiveLayer {
    /// Leaves in dive's visiting order.
    pub leaves: Vec<DiveLeaf>,
    /// Whiteout targets (removed from the stack when this layer is stacked).
    pub removes: Vec<NodeId>,
    /// Every other node of the layer tree with the size and dir flag dive stores for it
    /// (implied directories: 0 and `false`, like Go's zero `FileInfo`).
    pub adds: Vec<(NodeId, u64, bool)>,
}

/// dive's order of tar paths: byte order with `/` below every other byte (dive compares the
/// paths with their components joined by NUL), so a directory comes right before its
/// descendants. A NUL in a name ranks like `/`, as it does for dive.
fn dive_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    // Equal bytes rank alike: the common prefix is skipped a word at a time (a million-entry
    // layer sorts with some twenty million comparisons).
    let common = a.len().min(b.len());
    let mut start = 0;
    while start + 8 <= common && a[start..start + 8] == b[start..start + 8] {
        start += 8;
    }
    for (x, y) in a[start..].iter().zip(&b[start..]) {
        let (x, y) = (separator_rank(*x), separator_rank(*y));
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

fn separator_rank(byte: u8) -> u8 {
    if byte == b'/' { 0 } else { byte }
}

/// One entry's sort key: 32 bytes, a million of them at once on big layers.
#[derive(Clone)]
struct Keyed<'a> {
    key: &'a str,
    node: NodeId,
    /// The entry's index in the layer (its position in the tar): ties between equal keys go by
    /// it, and a write's size is read from the entry through it.
    seq: u32,
    kind: KeyKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Put,
    Whiteout,
    /// The directory node an opaque marker creates.
    Implied,
}

impl DiveLayer {
    /// Rebuilds dive's view of one layer from its tar entries (`ids[i]` = node of `entries[i]`).
    pub fn from_entries(tree: &PathTree, contents: &LayerContents, ids: &[NodeId]) -> DiveLayer {
        // Sort keys: the tar paths, compared by `dive_order` (a directory right before its
        // descendants). Borrowed: a million entries need no million key copies; only a
        // whiteout's key (`dir/.wh.name`) is made, in a first pass, so it can be borrowed too.
        let whiteout_keys: Vec<String> = contents
            .entries
            .iter()
            .filter(|entry| matches!(entry.op, Op::Whiteout))
            .map(|entry| {
                let path = contents.path(entry);
                match path.rsplit_once('/') {
                    Some((parent, name)) => format!("{parent}/.wh.{name}"),
                    None => format!(".wh.{path}"),
                }
            })
            .collect();
        let mut whiteout_keys = whiteout_keys.iter();
        let mut keyed: Vec<Keyed> = Vec::with_capacity(contents.entries.len());
        for (seq, (entry, &node)) in contents.entries.iter().zip(ids).enumerate() {
            let path = contents.path(entry);
            let (key, kind) = match &entry.op {
                Op::Put(_) => (path, KeyKind::Put),
                Op::Whiteout => match whiteout_keys.next() {
                    Some(key) => (key.as_str(), KeyKind::Whiteout),
                    None => continue, // made above for every whiteout
                },
                Op::Opaque => {
                    if path.is_empty() {
                        continue; // the root: dive never visits it
                    }
                    (path, KeyKind::Implied)
                }
            };
            keyed.push(Keyed {
                key,
                node,
                seq: seq as u32,
                kind,
            });
        }
        // Tar order among equal keys (by `seq`: an unstable sort needs no scratch copy of a
        // million keys); the last write of a path wins, and an explicit entry beats the node an
        // opaque marker implies. Deduplicated in place.
        keyed.sort_unstable_by(|a, b| {
            dive_order(a.key.as_bytes(), b.key.as_bytes()).then(a.seq.cmp(&b.seq))
        });
        let mut kept = 0;
        for i in 0..keyed.len() {
            if kept > 0
                && dive_order(keyed[kept - 1].key.as_bytes(), keyed[i].key.as_bytes()).is_eq()
            {
                let last = &keyed[kept - 1];
                if !(keyed[i].kind == KeyKind::Implied && last.kind != KeyKind::Implied) {
                    keyed.swap(kept - 1, i);
                }
            } else {
                keyed.swap(kept, i);
                kept += 1;
            }
        }
        keyed.truncate(kept);
        let unique = keyed;
        let mut layer = DiveLayer::default();
        for (i, k) in unique.iter().enumerate() {
            let is_leaf = unique.get(i + 1).is_none_or(|next| {
                !(next.key.len() > k.key.len()
                    && separator_rank(next.key.as_bytes()[k.key.len()]) == 0
                    && dive_order(&next.key.as_bytes()[..k.key.len()], k.key.as_bytes()).is_eq())
            });
            match k.kind {
                KeyKind::Put => {
                    let (size, is_dir) = match contents.entries.get(k.seq as usize).map(|e| &e.op) {
                        Some(Op::Put(e)) => (e.size, e.kind.is_dir()),
                        _ => (0, false), // a write's seq is its own entry
                    };
                    if is_leaf {
                        layer.leaves.push(DiveLeaf {
                            node: k.node,
                            whiteout: false,
                            size,
                        });
                    }
                    layer.adds.push((k.node, size, is_dir));
                }
                KeyKind::Implied => {
                    if is_leaf {
                        layer.leaves.push(DiveLeaf {
                            node: k.node,
                            whiteout: false,
                            size: 0,
                        });
                    }
                    layer.adds.push((k.node, 0, false));
                }
                KeyKind::Whiteout => {
                    layer.leaves.push(DiveLeaf {
                        node: k.node,
                        whiteout: true,
                        size: 0,
                    });
                    layer.removes.push(k.node);
                }
            }
        }
        // Directories implied by deeper entries but absent from the tar.
        // One flag per tree node (a hash set of a million ids cost more than the walk).
        let mut explicit = vec![false; tree.nodes.len()];
        for k in unique.iter().filter(|k| k.kind != KeyKind::Whiteout) {
            explicit[k.node as usize] = true;
        }
        let mut implied = Vec::new();
        for k in &unique {
            let mut parent = tree.node(k.node).parent;
            while let Some(p) = parent {
                if p == tree.root() || std::mem::replace(&mut explicit[p as usize], true) {
                    break;
                }
                implied.push((p, 0, false));
                parent = tree.node(p).parent;
            }
        }
        layer.adds.extend(implied);
        layer
    }
}

/// dive's lower-layer stack, kept incrementally: presence, stored size, dir flag and the sum of
/// sizes over each present subtree.
struct Stack {
    present: Vec<bool>,
    size: Vec<u64>,
    is_dir: Vec<bool>,
    subtree: Vec<u64>,
}

impl Stack {
    fn new(nodes: usize) -> Stack {
        let mut stack = Stack {
            present: vec![false; nodes],
            size: vec![0; nodes],
            is_dir: vec![false; nodes],
            subtree: vec![0; nodes],
        };
        if nodes > 0 {
            stack.present[0] = true;
            stack.is_dir[0] = true;
        }
        stack
    }

    fn add(&mut self, tree: &PathTree, node: NodeId, size: u64, is_dir: bool) {
        // Make sure every ancestor exists (as dive's AddPath creates them).
        let mut chain = Vec::new();
        let mut cur = tree.node(node).parent;
        while let Some(p) = cur {
            if self.present[p as usize] {
                break;
            }
            chain.push(p);
            cur = tree.node(p).parent;
        }
        for p in chain {
            self.present[p as usize] = true;
            self.size[p as usize] = 0;
            self.is_dir[p as usize] = false;
            self.subtree[p as usize] = 0;
        }
        let i = node as usize;
        let old = if self.present[i] { self.size[i] } else { 0 };
        if !self.present[i] {
            self.subtree[i] = 0;
        }
        self.present[i] = true;
        self.size[i] = size;
        self.is_dir[i] = is_dir;
        let mut cur = Some(node);
        while let Some(n) = cur {
            let s = &mut self.subtree[n as usize];
            *s = s.wrapping_add(size).wrapping_sub(old);
            cur = tree.node(n).parent;
        }
    }

    fn remove(&mut self, tree: &PathTree, node: NodeId) {
        if node == tree.root() || !self.present[node as usize] {
            return;
        }
        let gone = self.subtree[node as usize];
        let mut cur = tree.node(node).parent;
        while let Some(n) = cur {
            let s = &mut self.subtree[n as usize];
            *s = s.wrapping_sub(gone);
            cur = tree.node(n).parent;
        }
        let mut todo = vec![node];
        while let Some(n) = todo.pop() {
            let i = n as usize;
            self.present[i] = false;
            self.size[i] = 0;
            self.subtree[i] = 0;
            todo.extend(
                tree.node(n)
                    .children
                    .iter()
                    .copied()
                    .filter(|c| self.present[*c as usize]),
            );
        }
    }
}

#[derive(Clone, Copy)]
struct PathEfficiency {
    seen: bool,
    count: u32,
    cumulative: i64,
    min: i64,
}

/// Computes every metric.
pub fn compute(tree: &PathTree, layers: &[Layer], dive_layers: &[DiveLayer]) -> Metrics {
    let total_size: u64 = layers.iter().map(|l| l.size).sum();
    let user_size: u64 = layers.iter().skip(1).map(|l| l.size).sum();

    // dive's Efficiency().
    let mut stack = Stack::new(tree.nodes.len());
    let mut paths = vec![
        PathEfficiency {
            seen: false,
            count: 0,
            cumulative: 0,
            min: -1,
        };
        tree.nodes.len()
    ];
    let mut inefficient: Vec<NodeId> = Vec::new();
    let format_metadata = format_metadata_nodes(tree);
    for layer in dive_layers {
        for leaf in &layer.leaves {
            if format_metadata.contains(&leaf.node) {
                continue;
            }
            let data = &mut paths[leaf.node as usize];
            data.seen = true;
            let size = if leaf.whiteout {
                if !stack.present[leaf.node as usize] {
                    // dive: "path does not exist" → the rest of this layer is not visited.
                    break;
                }
                if stack.is_dir[leaf.node as usize] {
                    stack.subtree[leaf.node as usize]
                } else {
                    0
                }
            } else {
                leaf.size
            } as i64;
            data.cumulative += size;
            if data.min < 0 || size < data.min {
                data.min = size;
            }
            data.count += 1;
            if data.count == 2 {
                inefficient.push(leaf.node);
            }
        }
        for &node in &layer.removes {
            stack.remove(tree, node);
        }
        for &(node, size, is_dir) in &layer.adds {
            stack.add(tree, node, size, is_dir);
        }
    }
    let (mut minimum, mut discovered) = (0i64, 0i64);
    for p in paths.iter().filter(|p| p.seen) {
        minimum += p.min;
        discovered += p.cumulative;
    }
    let efficiency = if discovered == 0 {
        1.0
    } else {
        minimum as f64 / discovered as f64
    };
    // Largest first (dive sorts ascending and prints in reverse).
    inefficient.sort_by_key(|n| paths[*n as usize].cumulative);
    inefficient.reverse();
    let wasted_bytes: u64 = inefficient
        .iter()
        .map(|n| paths[*n as usize].cumulative.max(0) as u64)
        .sum();
    let user_wasted_percent = if user_size == 0 {
        0.0
    } else {
        wasted_bytes as f64 / user_size as f64
    };
    let inefficient = inefficient
        .into_iter()
        .map(|n| InefficientPath {
            path: tree.path(n),
            count: paths[n as usize].count,
            bytes: paths[n as usize].cumulative.max(0) as u64,
        })
        .collect();

    let mut reclaimable = reclaimable(tree);
    reclaimable.retain(|r| !FORMAT_METADATA_PATHS.contains(&r.path.as_str()));
    Metrics {
        total_size,
        efficiency,
        wasted_bytes,
        user_wasted_percent,
        inefficient,
        reclaimable_bytes: reclaimable.iter().map(|r| r.bytes).sum(),
        reclaimable,
    }
}

/// Every stored file version that a later version of the same path hides — unless a hard link
/// stored in the same layer still shows those bytes in the final filesystem.
fn reclaimable(tree: &PathTree) -> Vec<Reclaimable> {
    // (layer, target path without the leading `/`) of hard links visible at the end.
    let mut kept_alive: std::collections::HashSet<(u32, &str)> = std::collections::HashSet::new();
    for node in &tree.nodes {
        if let Some(last) = node.versions.last()
            && let Some(entry) = &last.entry
            && let EntryKind::Hardlink(target) = &entry.kind
        {
            kept_alive.insert((last.layer, target.as_str()));
        }
    }
    let mut out = Vec::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        for pair in node.versions.windows(2) {
            if let Some(entry) = &pair[0].entry
                && entry.kind == EntryKind::File
                && entry.size > 0
                && (kept_alive.is_empty() || {
                    let path = tree.path(id as NodeId);
                    !kept_alive.contains(&(pair[0].layer, path.trim_start_matches('/')))
                })
            {
                out.push(Reclaimable {
                    path: tree.path(id as NodeId),
                    bytes: entry.size,
                    stored_in: pair[0].layer,
                    hidden_by: pair[1].layer,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.stored_in.cmp(&b.stored_in))
    });
    out
}
