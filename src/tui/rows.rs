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
    /// The image as of the selected layer with that layer's changes marked, the rest unmodified
    /// (dive's "Current Layer Contents"; hiding unmodified leaves the layer's own entries).
    Layer,
    /// The image up to the selected layer, marked against layer 0 (dive's "Aggregated").
    Aggregated,
    /// The image as of the selected layer, marked against the image as of this base layer (dive
    /// #414: the difference between two chosen layers; the base may be above or below).
    Base(u32),
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

/// A size filter (`>10MB`, `<1KB`): only files strictly bigger (or smaller) show, with their
/// parent directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeFilter {
    pub bigger: bool,
    pub bytes: u64,
}

impl SizeFilter {
    /// `>SIZE` or `<SIZE` (SIZE as `--ci` sizes: `10MB`, `10MiB`, bytes); `None` otherwise.
    pub fn parse(text: &str) -> Option<Result<SizeFilter, String>> {
        let (bigger, rest) = match text.trim_start().chars().next()? {
            '>' => (true, &text.trim_start()[1..]),
            '<' => (false, &text.trim_start()[1..]),
            _ => return None,
        };
        Some(match crate::image::ci::parse_bytes(rest) {
            Ok(Some(bytes)) => Ok(SizeFilter { bigger, bytes }),
            Ok(None) => Err("a size such as >10MB or <1KiB".to_string()),
            Err(e) => Err(format!("{e:#}")),
        })
    }

    pub fn accepts(self, size: u64) -> bool {
        if self.bigger {
            size > self.bytes
        } else {
            size < self.bytes
        }
    }
}

/// Everything that decides which nodes are visible, compared to know when to recompute.
#[derive(Debug, Clone)]
pub struct ViewKey {
    pub layer: u32,
    pub mode: CompareMode,
    pub filter: Option<Regex>,
    /// Files outside this size range are not shown (directories follow their files).
    pub size: Option<SizeFilter>,
    pub hidden: HiddenKinds,
}

impl PartialEq for ViewKey {
    fn eq(&self, other: &Self) -> bool {
        self.layer == other.layer
            && self.mode == other.mode
            && self.hidden == other.hidden
            && self.size == other.size
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

/// The entry a row shows: the version stored by `info.from_layer`.
pub fn shown_entry<'a>(tree: &'a PathTree, id: NodeId, info: &NodeInfo) -> Option<&'a Entry> {
    let layer = info.from_layer?;
    tree.version_in(id, layer)?.entry.as_ref()
}

/// The per-image data the tree view pass reads, laid out for it: nodes in preorder, each
/// node's versions summarised in one contiguous array. A pass over 100k nodes then reads memory
/// front to back instead of chasing each node's heap vectors. Built once per image.
pub struct TreeIndex {
    /// Nodes in preorder (children by name), root excluded.
    order: Vec<NodeId>,
    /// Position of each node's parent in `order`; [`TOP`] for children of the root.
    parent_pos: Vec<u32>,
    has_children: Vec<bool>,
    /// `vers[vstart[p]..vstart[p + 1]]` are the versions of `order[p]`.
    vstart: Vec<u32>,
    vers: Vec<Compact>,
}

const TOP: u32 = u32::MAX;

/// How many nodes or rows a cancellable pass handles between two looks at its cancel flag
/// (a few tens of microseconds of work).
const CANCEL_CHECK_EVERY: usize = 4096;

/// One version, reduced to what the pass needs.
#[derive(Debug, Clone, Copy)]
struct Compact {
    layer: u32,
    present: bool,
    /// Present, and identical to the previous version's entry.
    same_as_prev: bool,
    /// Present, and identical to layer 0's entry.
    same_as_base: bool,
    is_dir: bool,
    size: u64,
}

impl TreeIndex {
    pub fn new(tree: &PathTree) -> TreeIndex {
        let mut index = TreeIndex {
            order: Vec::with_capacity(tree.nodes.len()),
            parent_pos: Vec::with_capacity(tree.nodes.len()),
            has_children: Vec::with_capacity(tree.nodes.len()),
            vstart: Vec::with_capacity(tree.nodes.len() + 1),
            vers: Vec::new(),
        };
        if tree.nodes.is_empty() {
            index.vstart.push(0);
            return index;
        }
        let mut stack: Vec<(NodeId, u32)> = tree
            .node(tree.root())
            .children
            .iter()
            .rev()
            .map(|c| (*c, TOP))
            .collect();
        while let Some((id, parent)) = stack.pop() {
            let pos = index.order.len() as u32;
            let node = tree.node(id);
            index.order.push(id);
            index.parent_pos.push(parent);
            index.has_children.push(!node.children.is_empty());
            index.vstart.push(index.vers.len() as u32);
            let base = node
                .versions
                .first()
                .filter(|v| v.layer == 0)
                .and_then(|v| v.entry.as_ref());
            let mut prev: Option<&Entry> = None;
            for v in &node.versions {
                let entry = v.entry.as_ref();
                index.vers.push(Compact {
                    layer: v.layer,
                    present: entry.is_some(),
                    same_as_prev: entry.is_some() && prev.is_some() && entry == prev,
                    same_as_base: entry.is_some() && base.is_some() && entry == base,
                    is_dir: entry.is_some_and(|e| e.kind.is_dir()),
                    size: entry.map_or(0, |e| e.size),
                });
                prev = entry;
            }
            stack.extend(node.children.iter().rev().map(|c| (*c, pos)));
        }
        index.vstart.push(index.vers.len() as u32);
        index
    }

    /// Which positions' full paths `filter` matches, in one preorder pass that builds each path
    /// in a reused buffer from its parent's prefix (no stored path per node). `None` when
    /// `cancelled` turned true before the end.
    fn filter_matches(
        &self,
        tree: &PathTree,
        filter: &Regex,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Vec<bool>> {
        let mut matches = Vec::with_capacity(self.order.len());
        let mut path = String::new();
        // (position, length of `path` up to and including that node) for the open ancestors.
        let mut open: Vec<(u32, usize)> = Vec::new();
        for (pos, id) in self.order.iter().enumerate() {
            if pos % CANCEL_CHECK_EVERY == 0 && cancelled() {
                return None;
            }
            let parent = self.parent_pos[pos];
            while open.last().is_some_and(|(p, _)| *p != parent) {
                open.pop();
            }
            path.truncate(open.last().map_or(0, |(_, len)| *len));
            path.push('/');
            path.push_str(&tree.node(*id).name);
            matches.push(filter.is_match(&path));
            if self.has_children[pos] {
                open.push((pos as u32, path.len()));
            }
        }
        Some(matches)
    }

    fn versions(&self, pos: usize) -> &[Compact] {
        &self.vers[self.vstart[pos] as usize..self.vstart[pos + 1] as usize]
    }
}

/// The newest present version strictly before index `upto`: its layer, size and kind.
fn last_present(vs: &[Compact], upto: usize) -> Option<&Compact> {
    vs[..upto].iter().rev().find(|v| v.present)
}

/// A node's own state in the view: what changed and the version shown.
fn own_compact(
    vs: &[Compact],
    layer: u32,
    mode: CompareMode,
) -> Option<(Change, Option<&Compact>)> {
    let upto = vs.partition_point(|v| v.layer <= layer);
    if upto == 0 {
        // Nothing yet at this layer; against a later base, what the base has reads as removed.
        if let CompareMode::Base(base) = mode {
            let at_base = vs.partition_point(|v| v.layer <= base);
            return at_base
                .checked_sub(1)
                .map(|i| &vs[i])
                .filter(|v| v.present)
                .map(|v| (Change::Removed, Some(v)));
        }
        return None;
    }
    let newest = &vs[upto - 1];
    match mode {
        CompareMode::Layer => {
            if newest.layer != layer {
                // As in dive: the whole filesystem as of this layer, what the layer did not
                // touch unmodified (`ctrl+u` hides it, leaving only the layer's own entries).
                return newest.present.then_some((Change::Unchanged, Some(newest)));
            }
            if !newest.present {
                return Some((Change::Removed, last_present(vs, upto - 1)));
            }
            let before = upto >= 2 && vs[upto - 2].present;
            let change = if !before {
                Change::Added
            } else if newest.same_as_prev {
                Change::Unchanged
            } else {
                Change::Modified
            };
            Some((change, Some(newest)))
        }
        CompareMode::Base(base) => {
            let at_base = vs.partition_point(|v| v.layer <= base);
            let before = at_base.checked_sub(1).map(|i| &vs[i]).filter(|v| v.present);
            let after = Some(newest).filter(|v| v.present);
            // Unchanged when every version between the two states re-wrote the same entry.
            let (lo, hi) = (at_base.min(upto), at_base.max(upto));
            let same = vs[lo..hi].iter().all(|v| v.same_as_prev);
            match (before, after) {
                (None, None) => None,
                (None, Some(v)) => Some((Change::Added, Some(v))),
                (Some(v), None) => Some((Change::Removed, Some(v))),
                (Some(_), Some(v)) if same => Some((Change::Unchanged, Some(v))),
                (Some(_), Some(v)) => Some((Change::Modified, Some(v))),
            }
        }
        CompareMode::Aggregated => {
            if !newest.present {
                // A whiteout of a path nobody wrote has nothing to show.
                return last_present(vs, upto).map(|v| (Change::Removed, Some(v)));
            }
            let base = vs[0].layer == 0 && vs[0].present;
            let change = if !base {
                Change::Added
            } else if newest.same_as_base {
                // Rewritten identically since layer 0 is still unchanged.
                Change::Unchanged
            } else {
                Change::Modified
            };
            Some((change, Some(newest)))
        }
    }
}

/// Per-position sums flowing from children to parents during the pass.
#[derive(Clone, Copy, Default)]
struct Acc {
    /// Bytes below still present, and bytes below shown as removed.
    size: u64,
    removed_size: u64,
    any_present: bool,
    any_visible: bool,
    child_kind: Option<Change>,
    mixed: bool,
}

impl TreeView {
    /// Convenience for one-off use; the TUI keeps a [`TreeIndex`] and calls [`Self::compute_with`].
    pub fn compute(image: &Image, key: ViewKey) -> TreeView {
        TreeView::compute_with(&image.tree, &TreeIndex::new(&image.tree), key)
    }

    /// One pass over every node, children before parents (preorder walked backwards).
    pub fn compute_with(tree: &PathTree, index: &TreeIndex, key: ViewKey) -> TreeView {
        TreeView::compute_cancellable(tree, index, key, &|| false)
            .expect("a pass nobody cancels finishes")
    }

    /// [`Self::compute_with`] that gives up (`None`) soon after `cancelled` turns true, for the
    /// background worker.
    pub fn compute_cancellable(
        tree: &PathTree,
        index: &TreeIndex,
        key: ViewKey,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<TreeView> {
        let matches = match &key.filter {
            Some(re) => Some(index.filter_matches(tree, re, cancelled)?),
            None => None,
        };
        let mut info = vec![None; tree.nodes.len()];
        let n = index.order.len();
        let mut acc = vec![Acc::default(); n];
        for pos in (0..n).rev() {
            if pos % CANCEL_CHECK_EVERY == 0 && cancelled() {
                return None;
            }
            let vs = index.versions(pos);
            let own = own_compact(vs, key.layer, key.mode);
            let a = acc[pos];
            let shown = own.and_then(|(_, v)| v);
            let is_dir_like = index.has_children[pos] || shown.is_some_and(|v| v.is_dir);
            let mut size = if is_dir_like {
                a.size
            } else {
                shown.map_or(0, |v| v.size)
            };
            let present = own.is_some() || a.any_present;
            let change = match own {
                Some((c @ (Change::Added | Change::Removed), _)) => Some(c),
                _ if is_dir_like && a.any_visible => Some(if a.mixed {
                    Change::Modified
                } else {
                    a.child_kind.unwrap_or(Change::Unchanged)
                }),
                Some((c, _)) => Some(c),
                None if a.any_present => Some(Change::Unchanged),
                None => None,
            };
            // A directory counts removed bytes below it only when it reads as removed itself.
            if is_dir_like && change == Some(Change::Removed) {
                size += a.removed_size;
            }
            let self_visible = match own {
                Some((c, _)) => {
                    !key.hidden.hides(c)
                        && matches.as_ref().is_none_or(|m| m[pos])
                        && key.size.is_none_or(|f| !is_dir_like && f.accepts(size))
                }
                None => false,
            };
            let visible = a.any_visible || self_visible;
            if visible {
                let from_layer = match own {
                    Some((_, v)) => v.map(|v| v.layer),
                    // A parent directory the layer did not itself write: its current state.
                    None => {
                        let upto = vs.partition_point(|v| v.layer <= key.layer);
                        last_present(vs, upto).map(|v| v.layer)
                    }
                };
                info[index.order[pos] as usize] = Some(NodeInfo {
                    change: change.unwrap_or(Change::Unchanged),
                    size,
                    from_layer,
                });
            }
            let parent = index.parent_pos[pos];
            if parent != TOP {
                let p = &mut acc[parent as usize];
                if present {
                    if change == Some(Change::Removed) {
                        p.removed_size += size;
                    } else {
                        p.size += size;
                    }
                }
                p.any_present |= present;
                if visible {
                    p.any_visible = true;
                    if let Some(k) = change {
                        match p.child_kind {
                            None => p.child_kind = Some(k),
                            Some(prev) if prev != k => p.mixed = true,
                            _ => {}
                        }
                    }
                }
            }
        }
        Some(TreeView { key, info })
    }

    pub fn get(&self, id: NodeId) -> Option<&NodeInfo> {
        self.info.get(id as usize).and_then(Option::as_ref)
    }

    /// Rows in display order, skipping the children of collapsed directories.
    pub fn flatten(&self, tree: &PathTree, collapsed: &HashSet<NodeId>, sort: SortOrder) -> Flat {
        self.flatten_cancellable(tree, collapsed, sort, &|| false)
            .expect("a flattening nobody cancels finishes")
    }

    /// [`Self::flatten`] that gives up (`None`) soon after `cancelled` turns true.
    pub fn flatten_cancellable(
        &self,
        tree: &PathTree,
        collapsed: &HashSet<NodeId>,
        sort: SortOrder,
        cancelled: &dyn Fn() -> bool,
    ) -> Option<Flat> {
        let mut flat = Flat {
            rows: Vec::new(),
            is_last: vec![false; tree.nodes.len()],
        };
        if tree.nodes.is_empty() {
            return Some(flat);
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
                // Children come in name order and the sort is stable, so equal sizes stay
                // sorted by name without comparing names.
                kids.sort_by_cached_key(|c| std::cmp::Reverse(self.get(*c).map_or(0, |i| i.size)));
            }
            if let Some(last) = kids.last() {
                is_last[*last as usize] = true;
            }
            stack.extend(kids.iter().rev().map(|c| (*c, depth)));
        };
        push_children(tree.root(), 0, &mut stack, &mut kids, &mut flat.is_last);
        while let Some((id, depth)) = stack.pop() {
            if flat.rows.len().is_multiple_of(CANCEL_CHECK_EVERY) && cancelled() {
                return None;
            }
            flat.rows.push(Row { node: id, depth });
            if !collapsed.contains(&id) {
                push_children(id, depth + 1, &mut stack, &mut kids, &mut flat.is_last);
            }
        }
        Some(flat)
    }
}
