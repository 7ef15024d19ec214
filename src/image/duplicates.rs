//! The same content stored under different paths (same xxh3 and size), within one layer or
//! across layers — a vendored library copied twice, a `COPY --from` of what a base already has.
//!
//! Squashing the image would not save these bytes (squashing only drops copies a later layer
//! hides, which reclaimable bytes already count), so they are reported on their own and never
//! added to reclaimable bytes. Copies of one path in several layers are not duplicates here:
//! they are the inefficient paths and reclaimable bytes.

use std::collections::HashMap;

use serde::Serialize;

use super::model::{EntryKind, NodeId, PathTree};

/// One stored copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copy {
    /// Absolute path (raw: escape it for display).
    pub path: String,
    /// The layer that stored it (0-based).
    pub layer: u32,
}

/// Content stored under two or more paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    /// Bytes of one copy.
    pub size: u64,
    /// The xxh3 fingerprint, as hex.
    pub content_hash: String,
    /// Every stored copy, by path then layer.
    pub copies: Vec<Copy>,
    /// `size` × (distinct paths − 1): what keeping one path's content would save.
    pub duplicate_bytes: u64,
}

/// Every content stored under ≥ 2 paths, most duplicate bytes first. Empty files do not count.
pub fn find(tree: &PathTree) -> Vec<Duplicate> {
    let mut by_content: HashMap<(u64, u64), Vec<(NodeId, u32)>> = HashMap::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        for version in &node.versions {
            if let Some(entry) = &version.entry
                && entry.kind == EntryKind::File
                && entry.size > 0
            {
                by_content
                    .entry((entry.content_hash, entry.size))
                    .or_default()
                    .push((id as NodeId, version.layer));
            }
        }
    }
    let mut out: Vec<Duplicate> = by_content
        .into_iter()
        .filter_map(|((hash, size), copies)| {
            let mut paths: Vec<NodeId> = copies.iter().map(|(id, _)| *id).collect();
            paths.sort_unstable();
            paths.dedup();
            if paths.len() < 2 {
                return None;
            }
            let mut copies: Vec<Copy> = copies
                .into_iter()
                .map(|(id, layer)| Copy {
                    path: tree.path(id),
                    layer,
                })
                .collect();
            copies.sort_by(|a, b| a.path.cmp(&b.path).then(a.layer.cmp(&b.layer)));
            Some(Duplicate {
                size,
                content_hash: format!("{hash:016x}"),
                copies,
                duplicate_bytes: size * (paths.len() as u64 - 1),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.duplicate_bytes
            .cmp(&a.duplicate_bytes)
            .then_with(|| a.copies[0].path.cmp(&b.copies[0].path))
    });
    out
}
