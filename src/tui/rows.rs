//! The file tree as the tree pane shows it: which nodes are visible for the selected layer and
//! compare mode, with what change, size and entry, flattened into rows.
//!
//! Two caches, recomputed only when their inputs change: [`TreeView`] (one pass over every node:
//! layer, mode, filter, hidden kinds) and [`TreeView::flatten`] (depth-first over visible nodes:
//! collapse set, sort). Cursor moves and redraws touch neither.

use std::collections::HashSet;

use regex::Regex;

use crate::image::model::{Change, Entry, Image, NodeId, PathTree};

/// What the tree shows for the selected layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareMode {
    /// The paths the selected layer changed (dive's "Current Layer Contents").
    Layer,
    /// The image up to the selected layer, marked against layer 0 (dive's "Aggregated").
    Aggregated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Name,
    SizeDesc,
}

/// Change kinds hidden from the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HiddenKinds {
    pub added: bool,
    pub removed: bool,
    pub modified: bool,
    pub unchanged: bool,
}

impl HiddenKinds {
    pub fn hides(&self, change: Change) -> bool {
        match change {
            Change::Added => self.added,
            Change::Removed => self.removed,
            Change::Modified => self.modified,
            Change::Unchanged => self.unchanged,
        }
    }
}

/// Everything that decides which nodes are visible, compared to know when to recompute.
#[derive(Debug, Clone)]
pub struct ViewKey {
    pub layer: u32,
    pub mode: CompareMode,
    pub filter: Option<Regex>,
    pub hidden: HiddenKinds,
}

impl PartialEq for ViewKey {
    fn eq(&self, other: &Self) -> bool {
        self.layer == other.layer
            && self.mode == other.mode
            && self.hidden == other.hidden
            && self.filter.as_ref().map(Regex::as_str) == other.filter.as_ref().map(Regex::as_str)
    }
}

/// One visible node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeInfo {
    pub change: Change,
    /// Files: their size; directories: the sum over their descendants (removed ones only when
    /// the directory itself is removed).
    pub size: u64,
    /// The layer whose version is shown (the entry comes from it).
    pub from_layer: Option<u32>,
}

/// One row of the flattened tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: NodeId,
    pub depth: u16,
}

/// The visible nodes of the tree for one [`ViewKey`].
#[derive(Debug, Clone)]
pub struct TreeView {
    pub key: ViewKey,
    /// Indexed by node id; `None` = not shown.
    pub info: Vec<Option<NodeInfo>>,
}

/// The flattened rows for one (TreeView, collapsed set, sort) and, per node, whether it is the
/// last visible child of its parent (for the `└─` guides).
#[derive(Debug, Clone, Default)]
pub struct Flat {
    pub rows: Vec<Row>,
    pub is_last: Vec<bool>,
}

/// A node's own state in the mode, before filtering: what changed, which layer's version is
/// shown, and that version's entry. Works on the node's version list directly (one binary
/// search) since this runs for every node on every layer or mode change.
fn own_state(
    tree: &PathTree,
    id: NodeId,
    layer: u32,
    mode: CompareMode,
) -> Option<(Change, Option<u32>, Option<&Entry>)> {
    let versions = &tree.node(id).versions;
    // Versions are sorted by layer, at most one per layer.
    let upto = versions.partition_point(|v| v.layer <= layer);
    if upto == 0 {
        return None;
    }
    let newest = &versions[upto - 1];
    let before = |i: usize| (i > 0).then(|| &versions[i - 1]);
    match mode {
        CompareMode::Layer => {
            if newest.layer != layer {
                return None;
            }
            let previous = before(upto - 1).and_then(|v| v.entry.as_ref());
            match (&newest.entry, previous) {
                (Some(now), None) => Some((Change::Added, Some(layer), Some(now))),
                (Some(now), Some(prev)) => {
                    let change = if prev == now {
                        Change::Unchanged
                    } else {
                        Change::Modified
                    };
                    Some((change, Some(layer), Some(now)))
                }
                (None, _) => {
                    let shown = last_present_before(tree, id, layer);
                    let entry = shown
                        .and_then(|l| tree.version_in(id, l))
                        .and_then(|v| v.entry.as_ref());
                    Some((Change::Removed, shown, entry))
                }
            }
        }
        CompareMode::Aggregated => match &newest.entry {
            None => {
                let shown = last_present_before(tree, id, layer + 1)?;
                // (A whiteout of a path nobody wrote has nothing to show: `?` above.)
                let entry = tree.version_in(id, shown).and_then(|v| v.entry.as_ref());
                Some((Change::Removed, Some(shown), entry))
            }
            Some(now) => {
                let base = versions
                    .first()
                    .filter(|v| v.layer == 0)
                    .and_then(|v| v.entry.as_ref());
                let change = match base {
                    None => Change::Added,
                    // Rewritten identically since layer 0 is still unchanged.
                    Some(b) if b == now => Change::Unchanged,
                    Some(_) => Change::Modified,
                };
                Some((change, Some(newest.layer), Some(now)))
            }
        },
    }
}

/// The newest layer below `layer` that stored an entry for the node.
fn last_present_before(tree: &PathTree, id: NodeId, layer: u32) -> Option<u32> {
    tree.node(id)
        .versions
        .iter()
        .rev()
        .filter(|v| v.layer < layer)
        .find(|v| v.entry.is_some())
        .map(|v| v.layer)
}

/// The entry a row shows: the version stored by `info.from_layer`.
pub fn shown_entry<'a>(tree: &'a PathTree, id: NodeId, info: &NodeInfo) -> Option<&'a Entry> {
    let layer = info.from_layer?;
    tree.version_in(id, layer)?.entry.as_ref()
}

struct Pass<'a> {
    tree: &'a PathTree,
    key: &'a ViewKey,
    info: Vec<Option<NodeInfo>>,
    path: String,
}

/// Result of visiting a subtree: whether anything in it exists in the mode, and its size.
struct Sub {
    present: bool,
    /// Whether this node is removed (its size then counts removed bytes).
    removed: bool,
    size: u64,
    visible: bool,
    change: Option<Change>,
}

impl Pass<'_> {
    fn visit(&mut self, id: NodeId) -> Sub {
        let tree = self.tree;
        let node = tree.node(id);
        let own = if id == tree.root() {
            None
        } else {
            own_state(tree, id, self.key.layer, self.key.mode)
        };
        // Full paths are only needed to match the filter; building them costs a string append
        // per node, so skip it when there is no filter.
        let filtering = self.key.filter.is_some();
        let path_len = self.path.len();
        if filtering && id != tree.root() {
            self.path.push('/');
            self.path.push_str(&node.name);
        }
        // Bytes below that are still there, and bytes below that this view shows as removed:
        // a directory's size counts the latter only when the directory itself reads as removed.
        let mut size = 0u64;
        let mut removed_size = 0u64;
        let mut any_present = false;
        let mut any_visible = false;
        let mut child_kind: Option<Change> = None;
        let mut mixed = false;
        for &child in &node.children {
            let sub = self.visit(child);
            any_present |= sub.present;
            if sub.present {
                if sub.removed {
                    removed_size += sub.size;
                } else {
                    size += sub.size;
                }
            }
            if sub.visible {
                any_visible = true;
                if let Some(k) = sub.change {
                    match child_kind {
                        None => child_kind = Some(k),
                        Some(prev) if prev != k => mixed = true,
                        _ => {}
                    }
                }
            }
        }
        let own_entry = own.and_then(|(_, _, e)| e);
        let is_dir_like = !node.children.is_empty() || own_entry.is_some_and(|e| e.kind.is_dir());
        let own_size = own_entry.map_or(0, |e| e.size);
        if !is_dir_like {
            size = own_size;
        }
        let present = own.is_some() || any_present;
        let change = match own {
            Some((c @ (Change::Added | Change::Removed), _, _)) => Some(c),
            _ if is_dir_like && any_visible => Some(if mixed {
                Change::Modified
            } else {
                child_kind.unwrap_or(Change::Unchanged)
            }),
            Some((c, _, _)) => Some(c),
            None if any_present => Some(Change::Unchanged),
            None => None,
        };
        if is_dir_like && change == Some(Change::Removed) {
            size += removed_size;
        }
        let self_visible = match own {
            Some((c, _, _)) => {
                !self.key.hidden.hides(c)
                    && self
                        .key
                        .filter
                        .as_ref()
                        .is_none_or(|re| re.is_match(&self.path))
            }
            None => false,
        };
        let visible = id != tree.root() && (any_visible || self_visible);
        if visible {
            self.info[id as usize] = Some(NodeInfo {
                change: change.unwrap_or(Change::Unchanged),
                size,
                from_layer: own.and_then(|(_, l, _)| l).or_else(|| {
                    // A parent directory the layer did not itself write: show its current state.
                    last_present_before(tree, id, self.key.layer + 1)
                }),
            });
        }
        self.path.truncate(path_len);
        Sub {
            present,
            removed: change == Some(Change::Removed),
            size,
            visible,
            change,
        }
    }
}

impl TreeView {
    pub fn compute(image: &Image, key: ViewKey) -> TreeView {
        let tree = &image.tree;
        let mut pass = Pass {
            tree,
            key: &key,
            info: vec![None; tree.nodes.len()],
            path: String::new(),
        };
        if !tree.nodes.is_empty() {
            pass.visit(tree.root());
        }
        let info = pass.info;
        TreeView { key, info }
    }

    pub fn get(&self, id: NodeId) -> Option<&NodeInfo> {
        self.info.get(id as usize).and_then(Option::as_ref)
    }

    /// Rows in display order, skipping the children of collapsed directories.
    pub fn flatten(&self, tree: &PathTree, collapsed: &HashSet<NodeId>, sort: SortOrder) -> Flat {
        let mut flat = Flat {
            rows: Vec::new(),
            is_last: vec![false; tree.nodes.len()],
        };
        if tree.nodes.is_empty() {
            return flat;
        }
        // Explicit stack: (node, depth); children pushed in reverse display order.
        let mut stack: Vec<(NodeId, u16)> = Vec::new();
        let mut kids: Vec<NodeId> = Vec::new();
        let push_children = |id: NodeId,
                             depth: u16,
                             stack: &mut Vec<(NodeId, u16)>,
                             kids: &mut Vec<NodeId>,
                             is_last: &mut Vec<bool>| {
            kids.clear();
            kids.extend(
                tree.node(id)
                    .children
                    .iter()
                    .copied()
                    .filter(|c| self.get(*c).is_some()),
            );
            if sort == SortOrder::SizeDesc {
                kids.sort_by(|a, b| {
                    let sa = self.get(*a).map_or(0, |i| i.size);
                    let sb = self.get(*b).map_or(0, |i| i.size);
                    sb.cmp(&sa)
                        .then_with(|| tree.node(*a).name.cmp(&tree.node(*b).name))
                });
            }
            if let Some(last) = kids.last() {
                is_last[*last as usize] = true;
            }
            stack.extend(kids.iter().rev().map(|c| (*c, depth)));
        };
        push_children(tree.root(), 0, &mut stack, &mut kids, &mut flat.is_last);
        while let Some((id, depth)) = stack.pop() {
            flat.rows.push(Row { node: id, depth });
            if !collapsed.contains(&id) {
                push_children(id, depth + 1, &mut stack, &mut kids, &mut flat.is_last);
            }
        }
        flat
    }
}
