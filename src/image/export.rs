//! `--json FILE`: dive's export schema, key for key (`layer[]`, `image`), plus imgdive's own
//! figures under an `imgdive` key dive does not use.
//!
//! dive's `fileList` is every node of the layer's own tree, children before parents, children
//! sorted by name: the tar entries, the directories they imply (Go's zero `FileInfo`: empty
//! path, all zeros) and whiteout files under their `.wh.` names.

use std::cmp::Ordering;

use serde::Serialize;

use super::model::{Entry, EntryKind, Image, NodeId, Reclaimable};

#[derive(Debug, Serialize)]
pub struct DiveExport {
    pub layer: Vec<ExportLayer>,
    pub image: ExportImage,
    /// Not in dive's schema: imgdive's additions.
    pub imgdive: Extras,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportLayer {
    pub index: u32,
    pub id: String,
    pub digest_id: String,
    pub size_bytes: u64,
    pub command: String,
    pub file_list: Vec<FileInfo>,
}

/// dive's `filetree.FileInfo` as it marshals.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub path: String,
    pub type_flag: u8,
    pub link_name: String,
    pub size: u64,
    pub file_mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub is_dir: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportImage {
    pub size_bytes: u64,
    pub inefficient_bytes: u64,
    pub efficiency_score: f64,
    pub file_reference: Vec<FileReference>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReference {
    pub count: u32,
    pub size_bytes: u64,
    pub file: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extras {
    pub reference: String,
    pub config_digest: String,
    pub os: String,
    pub architecture: String,
    pub user_wasted_percent: f64,
    pub reclaimable_bytes: u64,
    pub reclaimable: Vec<Reclaimable>,
    pub layers: Vec<ExtraLayer>,
    pub trailing_empty: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraLayer {
    pub index: u32,
    pub digest: String,
    pub diff_id: String,
    pub media_type: String,
    pub compression: String,
    pub compressed_size: u64,
    pub size_bytes: u64,
    pub entry_count: u64,
    pub empty_before: Vec<String>,
}

/// Go's `os.FileMode` for a tar entry, as `header.FileInfo().Mode()` computes it.
pub fn go_file_mode(entry: &Entry) -> u32 {
    let mut mode = entry.mode & 0o777;
    if entry.mode & 0o4000 != 0 {
        mode |= 1 << 23;
    }
    if entry.mode & 0o2000 != 0 {
        mode |= 1 << 22;
    }
    if entry.mode & 0o1000 != 0 {
        mode |= 1 << 20;
    }
    mode |= match entry.kind {
        EntryKind::Dir => 1 << 31,
        EntryKind::Symlink(_) => 1 << 27,
        EntryKind::CharDevice => (1 << 26) | (1 << 21),
        EntryKind::BlockDevice => 1 << 26,
        EntryKind::Fifo => 1 << 25,
        EntryKind::File | EntryKind::Hardlink(_) => 0,
    };
    mode
}

fn file_info(path: String, entry: &Entry) -> FileInfo {
    let link_name = match &entry.kind {
        EntryKind::Symlink(t) | EntryKind::Hardlink(t) => t.clone(),
        _ => String::new(),
    };
    FileInfo {
        path,
        type_flag: entry.kind.tar_typeflag(),
        link_name,
        size: entry.size,
        file_mode: go_file_mode(entry),
        uid: entry.uid,
        gid: entry.gid,
        is_dir: entry.kind.is_dir(),
    }
}

fn components(image: &Image, id: NodeId) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut cur = Some(id);
    while let Some(n) = cur {
        let node = image.tree.node(n);
        if node.parent.is_some() {
            parts.push(node.name.as_str());
        }
        cur = node.parent;
    }
    parts.reverse();
    parts
}

/// Children before parents, siblings by name (dive's `VisitDepthChildFirst`).
fn child_first(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match x.cmp(y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    b.len().cmp(&a.len())
}

/// dive's `fileList` for one layer.
pub fn layer_file_list(image: &Image, layer: u32) -> Vec<FileInfo> {
    let tree = &image.tree;
    // (dive components, info or None for an implied directory)
    let mut items: Vec<(Vec<String>, Option<FileInfo>)> = Vec::new();
    let mut in_tree = std::collections::HashSet::new();
    for (id, node) in tree.nodes.iter().enumerate() {
        let Some(v) = tree.version_in(id as NodeId, layer) else {
            continue;
        };
        let id = id as NodeId;
        let parts: Vec<String> = components(image, id)
            .into_iter()
            .map(str::to_string)
            .collect();
        match &v.entry {
            Some(entry) => {
                in_tree.insert(id);
                items.push((parts.clone(), Some(file_info(parts.join("/"), entry))));
            }
            None if v.explicit_whiteout => {
                let mut parts = parts;
                if let Some(last) = parts.last_mut() {
                    *last = format!(".wh.{}", node.name);
                }
                let path = parts.join("/");
                items.push((
                    parts,
                    Some(FileInfo {
                        path,
                        type_flag: b'0',
                        link_name: String::new(),
                        size: 0,
                        file_mode: 0,
                        uid: 0,
                        gid: 0,
                        is_dir: false,
                    }),
                ));
                // The whiteout's parents are part of the layer tree.
                if let Some(parent) = node.parent {
                    collect_parents(image, parent, &mut in_tree, &mut items);
                }
            }
            None => {}
        }
    }
    if let Some(l) = image.layers.get(layer as usize) {
        for &dir in &l.opaque_dirs {
            if dir != tree.root() && !in_tree.contains(&dir) {
                collect_parents(image, dir, &mut in_tree, &mut items);
            }
        }
    }
    let explicit: Vec<NodeId> = in_tree.iter().copied().collect();
    for id in explicit {
        if let Some(parent) = tree.node(id).parent {
            collect_parents(image, parent, &mut in_tree, &mut items);
        }
    }
    items.sort_by(|a, b| child_first(&a.0, &b.0));
    items
        .into_iter()
        .map(|(_, info)| {
            info.unwrap_or(FileInfo {
                path: String::new(),
                type_flag: 0,
                link_name: String::new(),
                size: 0,
                file_mode: 0,
                uid: 0,
                gid: 0,
                is_dir: false,
            })
        })
        .collect()
}

/// Adds `id` and its ancestors as implied directories unless already in the layer tree.
fn collect_parents(
    image: &Image,
    id: NodeId,
    in_tree: &mut std::collections::HashSet<NodeId>,
    items: &mut Vec<(Vec<String>, Option<FileInfo>)>,
) {
    let mut cur = Some(id);
    while let Some(n) = cur {
        if n == image.tree.root() || !in_tree.insert(n) {
            break;
        }
        let parts = components(image, n)
            .into_iter()
            .map(str::to_string)
            .collect();
        items.push((parts, None));
        cur = image.tree.node(n).parent;
    }
}

/// The whole export.
pub fn dive_export(image: &Image) -> DiveExport {
    let layer = image
        .layers
        .iter()
        .map(|l| ExportLayer {
            index: l.index,
            id: l.dive_id.clone(),
            digest_id: l.diff_id.clone(),
            size_bytes: l.size,
            // dive's `layer.ToLayer`: the shell prefix is trimmed.
            command: l
                .command
                .strip_prefix("/bin/sh -c ")
                .unwrap_or(&l.command)
                .to_string(),
            file_list: layer_file_list(image, l.index),
        })
        .collect();
    let m = &image.metrics;
    DiveExport {
        layer,
        image: ExportImage {
            size_bytes: m.total_size,
            inefficient_bytes: m.wasted_bytes,
            efficiency_score: m.efficiency,
            file_reference: m
                .inefficient
                .iter()
                .map(|p| FileReference {
                    count: p.count,
                    size_bytes: p.bytes,
                    file: p.path.clone(),
                })
                .collect(),
        },
        imgdive: Extras {
            reference: image.reference.clone(),
            config_digest: image.config_digest.clone(),
            os: image.os.clone(),
            architecture: image.architecture.clone(),
            user_wasted_percent: m.user_wasted_percent,
            reclaimable_bytes: m.reclaimable_bytes,
            reclaimable: m.reclaimable.clone(),
            layers: image
                .layers
                .iter()
                .map(|l| ExtraLayer {
                    index: l.index,
                    digest: l.digest.clone(),
                    diff_id: l.diff_id.clone(),
                    media_type: l.media_type.clone(),
                    compression: l.compression.clone(),
                    compressed_size: l.compressed_size,
                    size_bytes: l.size,
                    entry_count: l.entry_count,
                    empty_before: l.empty_before.clone(),
                })
                .collect(),
            trailing_empty: image.trailing_empty.clone(),
        },
    }
}
