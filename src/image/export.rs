//! `--json FILE`: dive's export schema, key for key (`layer[]`, `image`), plus imgdive's own
//! figures under an `imgdive` key dive does not use.
//!
//! dive's `fileList` is every node of the layer's own tree, children before parents, children
//! sorted by name: the tar entries, the directories they imply (Go's zero `FileInfo`: empty
//! path, all zeros) and whiteout files under their `.wh.` names.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::attribution::{Attribution, DockerfileLocation, UnmatchedEntry};
use super::config::ImageSettings;
use super::duplicates::Duplicate;
use super::model::{Entry, EntryKind, Image, NodeId, Reclaimable};
use super::secrets::{Secret, scrub};
use crate::pretty_json;

#[derive(Serialize)]
pub struct DiveExport<'a> {
    pub layer: Vec<ExportLayer<'a>>,
    pub image: ExportImage,
    /// Not in dive's schema: imgdive's additions.
    pub imgdive: Extras,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportLayer<'a> {
    pub index: u32,
    pub id: String,
    pub digest_id: String,
    pub size_bytes: u64,
    pub command: String,
    pub file_list: FileList<'a>,
}

/// dive's `filetree.FileInfo` as it marshals (borrowing its strings: a million of them are
/// written per export).
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo<'a> {
    pub path: &'a str,
    pub type_flag: u8,
    pub link_name: &'a str,
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
    /// Layer numbers in this export (`index`, `storedIn`, `hiddenBy`, `layer`) count from this
    /// (0); the TUI counts from 1, like dive, and says so in its Layer Details pane.
    pub layer_index_base: u32,
    pub os: String,
    pub architecture: String,
    /// The image's settings and annotations ([`ImageSettings`]).
    pub config: ImageSettings,
    pub user_wasted_percent: f64,
    pub reclaimable_bytes: u64,
    pub reclaimable: Vec<ExportReclaimable>,
    /// Content stored under several paths (not counted in reclaimable bytes).
    pub duplicates: Vec<Duplicate>,
    /// eStargz / zstd:chunked table-of-contents and landmark files, by layer: format metadata,
    /// counted in no waste figure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub format_metadata: Vec<super::metrics::FormatMetadata>,
    pub layers: Vec<ExtraLayer>,
    pub trailing_empty: Vec<String>,
    /// With `--dockerfile`: the file matched and the history entries nothing matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<DockerfileSummary>,
    /// Secrets the image ships (redacted), when it was scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<Secret>>,
}

/// A reclaimable copy, with `--dockerfile` the lines that stored and hid it (`null` when the
/// layer is unmatched; absent without `--dockerfile`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportReclaimable {
    #[serde(flatten)]
    pub copy: Reclaimable,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_line: Option<Option<u32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_line: Option<Option<u32>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerfileSummary {
    pub path: String,
    pub target: Option<String>,
    pub unmatched: Vec<UnmatchedEntry>,
}

/// What imgdive adds to the export beyond the image itself.
#[derive(Debug, Default, Clone, Copy)]
pub struct Annotations<'a> {
    /// `--dockerfile`: the file's path as given, its target and the matched history.
    pub dockerfile: Option<(&'a str, Option<&'a str>, &'a Attribution)>,
    pub secrets: Option<&'a [Secret]>,
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
    /// The `created` time of the history entry that made the layer.
    pub created: Option<String>,
    pub empty_before: Vec<String>,
    /// With `--dockerfile`: the instruction that made the layer (`null` when unmatched).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<Option<DockerfileLocation>>,
}

impl FileInfo<'_> {
    /// A directory only implied by entries below it: Go's zero `FileInfo` (empty path, zeros).
    fn implied() -> FileInfo<'static> {
        FileInfo::default()
    }
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

fn file_info<'a>(path: &'a str, entry: &'a Entry) -> FileInfo<'a> {
    let link_name = match &entry.kind {
        EntryKind::Symlink(t) | EntryKind::Hardlink(t) => t,
        _ => "",
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

/// What one layer's tree holds at a node.
#[derive(Debug, Clone, Copy, Default)]
struct Membership {
    /// The node is in the layer tree: its own entry, or a directory implied by one below it.
    in_tree: bool,
    /// The layer stored an explicit whiteout for the node (listed under its `.wh.` name).
    whiteout: bool,
}

/// Per-node data of one layer's list, hashed with the tree builder's multiply mixer: SipHash
/// on the node ids was a fifth of exporting a million-entry layer.
type NodeMap<V> = HashMap<NodeId, V, super::build::SeededMix>;

/// The nodes each layer touched, computed once for all layers (O(versions), not
/// O(layers × nodes)).
pub struct LayerIndex {
    touched: Vec<Vec<NodeId>>,
}

impl LayerIndex {
    pub fn new(image: &Image) -> LayerIndex {
        let mut touched = vec![Vec::new(); image.layers.len()];
        for (id, node) in image.tree.nodes.iter().enumerate() {
            for v in &node.versions {
                if let Some(list) = touched.get_mut(v.layer as usize) {
                    list.push(id as NodeId);
                }
            }
        }
        LayerIndex { touched }
    }
}

/// dive's `fileList` for one layer, serialised as it is generated: nothing per node is kept but
/// the layer tree's membership, and paths are built in one buffer during a depth-first walk.
pub struct FileList<'a> {
    image: &'a Image,
    layer: u32,
    touched: &'a [NodeId],
}

impl<'a> FileList<'a> {
    /// The layer tree: explicit entries, whiteouts, and the directories above them.
    fn membership(&self) -> NodeMap<Membership> {
        let tree = &self.image.tree;
        let mut members: NodeMap<Membership> = NodeMap::default();
        let mut implied_from = Vec::new();
        for &id in self.touched {
            let Some(v) = tree.version_in(id, self.layer) else {
                continue;
            };
            match &v.entry {
                Some(_) => {
                    members.entry(id).or_default().in_tree = true;
                    implied_from.extend(tree.node(id).parent);
                }
                None if v.explicit_whiteout => {
                    members.entry(id).or_default().whiteout = true;
                    implied_from.extend(tree.node(id).parent);
                }
                None => {}
            }
        }
        if let Some(l) = self.image.layers.get(self.layer as usize) {
            implied_from.extend(l.opaque_dirs.iter().copied());
        }
        for start in implied_from {
            let mut cur = Some(start);
            while let Some(n) = cur {
                if n == tree.root() {
                    break;
                }
                let member = members.entry(n).or_default();
                if member.in_tree {
                    break;
                }
                member.in_tree = true;
                cur = tree.node(n).parent;
            }
        }
        members
    }

    /// Each member under its parent (only members: never a scan of every child of a node, which
    /// would make the export O(layers × width) on images with many layers).
    fn by_parent(&self, members: &NodeMap<Membership>) -> NodeMap<Vec<NodeId>> {
        let mut kids: NodeMap<Vec<NodeId>> = NodeMap::default();
        for &id in members.keys() {
            if let Some(parent) = self.image.tree.node(id).parent {
                kids.entry(parent).or_default().push(id);
            }
        }
        kids
    }

    /// The members under `id` in dive's order: by name, a whiteout under its `.wh.` name.
    fn children(
        &self,
        members: &NodeMap<Membership>,
        kids: &NodeMap<Vec<NodeId>>,
        id: NodeId,
    ) -> Vec<(Cow<'a, str>, NodeId, bool)> {
        let image: &'a Image = self.image;
        let tree = &image.tree;
        let mut out = Vec::new();
        for &child in kids.get(&id).map_or(&[][..], Vec::as_slice) {
            let m = members[&child];
            let name = &tree.node(child).name;
            if m.whiteout {
                out.push((Cow::Owned(format!(".wh.{name}")), child, true));
            }
            if m.in_tree {
                out.push((Cow::Borrowed(&name[..]), child, false));
            }
        }
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The item for a node at `path` (for a whiteout, the `.wh.` path).
    fn item<'p>(&'p self, path: &'p str, id: NodeId, whiteout: bool) -> FileInfo<'p> {
        if whiteout {
            return FileInfo {
                path,
                type_flag: b'0',
                ..FileInfo::implied()
            };
        }
        match self
            .image
            .tree
            .version_in(id, self.layer)
            .and_then(|v| v.entry.as_ref())
        {
            Some(entry) => file_info(path, entry),
            None => FileInfo::implied(),
        }
    }
}

impl<'a> Serialize for FileList<'a> {
    /// Children before parents, siblings by name (dive's `VisitDepthChildFirst`), iteratively:
    /// a tree 20,000 directories deep costs O(depth) memory, not O(depth²).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let members = self.membership();
        let kids = self.by_parent(&members);
        let mut seq = serializer.serialize_seq(None)?;
        // Each frame: a directory's ordered members, the next to visit, and the length of the
        // path buffer before the directory's own name was appended.
        struct Frame<'n> {
            children: Vec<(Cow<'n, str>, NodeId, bool)>,
            next: usize,
            node: Option<(NodeId, usize)>,
        }
        let root = self.image.tree.root();
        let mut path = String::new();
        let mut stack = vec![Frame {
            children: self.children(&members, &kids, root),
            next: 0,
            node: None,
        }];
        while let Some(frame) = stack.last_mut() {
            if frame.next < frame.children.len() {
                let (name, id, whiteout) = std::mem::take(&mut frame.children[frame.next]);
                frame.next += 1;
                let before = path.len();
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(&name);
                if whiteout {
                    seq.serialize_element(&self.item(&path, id, true))?;
                    path.truncate(before);
                    continue;
                }
                stack.push(Frame {
                    children: self.children(&members, &kids, id),
                    next: 0,
                    node: Some((id, before)),
                });
                continue;
            }
            let Some(frame) = stack.pop() else { break };
            if let Some((id, before)) = frame.node {
                seq.serialize_element(&self.item(&path, id, false))?;
                path.truncate(before);
            }
        }
        seq.end()
    }
}

/// The whole export, its file lists generated while it is written.
pub fn dive_export<'a>(image: &'a Image, index: &'a LayerIndex) -> DiveExport<'a> {
    dive_export_annotated(image, index, Annotations::default())
}

/// The export with imgdive's annotations (Dockerfile lines, secrets).
pub fn dive_export_annotated<'a>(
    image: &'a Image,
    index: &'a LayerIndex,
    annotations: Annotations<'_>,
) -> DiveExport<'a> {
    let attribution = annotations.dockerfile.map(|(_, _, a)| a);
    let line_of = |layer: u32| attribution.map(|a| a.line_of(layer));
    let layer = image
        .layers
        .iter()
        .map(|l| ExportLayer {
            index: l.index,
            id: l.dive_id.clone(),
            digest_id: l.diff_id.clone(),
            size_bytes: l.size,
            // dive's `layer.ToLayer`: the shell prefix is trimmed. Secrets a builder recorded
            // (build arguments, tokens on the command line) are redacted.
            command: scrub(l.command.strip_prefix("/bin/sh -c ").unwrap_or(&l.command)),
            file_list: FileList {
                image,
                layer: l.index,
                touched: index
                    .touched
                    .get(l.index as usize)
                    .map_or(&[], Vec::as_slice),
            },
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
            layer_index_base: 0,
            os: image.os.clone(),
            architecture: image.architecture.clone(),
            config: image.config.clone(),
            user_wasted_percent: m.user_wasted_percent,
            reclaimable_bytes: m.reclaimable_bytes,
            reclaimable: m
                .reclaimable
                .iter()
                .map(|r| ExportReclaimable {
                    copy: r.clone(),
                    stored_line: line_of(r.stored_in),
                    hidden_line: line_of(r.hidden_by),
                })
                .collect(),
            duplicates: image.duplicates.clone(),
            format_metadata: super::metrics::format_metadata(&image.tree),
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
                    created: l.created.clone(),
                    empty_before: l.empty_before.iter().map(|c| scrub(c)).collect(),
                    dockerfile: attribution
                        .map(|a| a.layers.get(l.index as usize).cloned().flatten()),
                })
                .collect(),
            trailing_empty: image.trailing_empty.iter().map(|c| scrub(c)).collect(),
            dockerfile: annotations
                .dockerfile
                .map(|(path, target, a)| DockerfileSummary {
                    path: path.to_string(),
                    target: target.map(str::to_string),
                    unmatched: a
                        .unmatched
                        .iter()
                        .map(|u| UnmatchedEntry {
                            created_by: scrub(&u.created_by),
                            ..u.clone()
                        })
                        .collect(),
                }),
            secrets: annotations.secrets.map(<[Secret]>::to_vec),
        },
    }
}

/// Writes the export as pretty JSON, streaming, with every string escaped for safe display.
pub fn write_dive_export<W: Write>(image: &Image, writer: W) -> io::Result<()> {
    write_dive_export_annotated(image, Annotations::default(), writer)
}

/// [`write_dive_export`] with imgdive's annotations.
pub fn write_dive_export_annotated<W: Write>(
    image: &Image,
    annotations: Annotations<'_>,
    writer: W,
) -> io::Result<()> {
    let index = LayerIndex::new(image);
    let export = dive_export_annotated(image, &index, annotations);
    // serde_json writes a few bytes at a time; a buffer of a concrete type here keeps each of
    // those writes an inlined copy (the caller's writer is often `&mut dyn Write`, a call each).
    pretty_json::write_document(io::BufWriter::with_capacity(1 << 20, writer), &export)
}
