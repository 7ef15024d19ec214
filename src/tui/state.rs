//! The one state struct of the TUI: what is focused and selected, the tree options, the overlays,
//! and the cached tree rows derived from them.

use std::collections::HashSet;
use std::sync::Arc;

use regex::Regex;

use super::content::{FileSource, ViewerContent};
use super::keys::KeyMap;
use super::rows::{
    CompareMode, Flat, HiddenKinds, SizeFilter, SortOrder, TreeIndex, TreeView, ViewKey,
};
use crate::image::model::{Change, Image, NodeId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Layers,
    LayerDetails,
    ImageDetails,
    Tree,
}

/// The regex filter over full paths.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// What the user typed.
    pub input: String,
    /// The compiled filter in effect (`None` when empty or while the input does not compile).
    pub regex: Option<Regex>,
    /// `>10MB` / `<1KB`: a size filter instead of a regex.
    pub size: Option<SizeFilter>,
    /// The input line has the keyboard.
    pub editing: bool,
    /// Why the input does not compile.
    pub error: Option<String>,
}

/// One layer that touched the viewed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub layer: u32,
    pub change: Change,
    /// Size stored by that layer (`None` when it removed the path).
    pub size: Option<u64>,
}

/// The file viewer: one path's content in one layer, and its history.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub node: NodeId,
    pub path: String,
    /// The layer whose version is shown.
    pub layer: Option<u32>,
    pub content: ViewerContent,
    pub history: Vec<HistoryEntry>,
    /// First content line shown.
    pub scroll: usize,
    /// While the text diff is shown: the content it replaced, and the layer compared with.
    pub diff_of: Option<(ViewerContent, u32)>,
}

/// How many tree views to keep besides the current one (each is one small record per node).
const RECENT_VIEWS: usize = 8;

/// Everything the view draws, and nothing else.
pub struct State {
    pub image: Arc<Image>,
    /// `--dockerfile` lines and scanned secrets, when imgdive computed them.
    pub annotations: Option<Arc<Annotations>>,
    pub keys: KeyMap,
    pub files: Option<Arc<dyn FileSource>>,
    pub focus: Pane,
    /// The left pane last focused (Tab returns to it from the tree).
    pub left_focus: Pane,
    /// Selected layer index.
    pub layer: usize,
    pub compare: CompareMode,
    pub hidden: HiddenKinds,
    pub sort: SortOrder,
    pub show_attributes: bool,
    /// Long names wrap onto more lines in the tree (dive's toggle-wrap-tree).
    pub wrap_tree: bool,
    /// Share of the width the file tree takes.
    pub tree_width: f64,
    pub collapsed: HashSet<NodeId>,
    pub filter: Filter,
    /// Tree cursor (row index into the flattened rows) and first visible row.
    pub tree_cursor: usize,
    pub tree_scroll: usize,
    /// Selected row of the inefficient-paths table in the image details pane.
    pub inefficient_cursor: usize,
    pub inefficient_scroll: usize,
    pub layers_scroll: usize,
    pub viewer: Option<Viewer>,
    pub help: bool,
    pub help_scroll: usize,
    /// The image config overlay (user, command, environment, labels, annotations).
    pub image_config: bool,
    pub image_config_scroll: usize,
    /// The largest-files overlay.
    pub largest: bool,
    /// A one-line message for the status bar (the last jump, why a file cannot be shown…).
    pub message: Option<String>,
    pub quit: bool,
    /// Terminal size, kept for paging and mouse hit-testing.
    pub width: u16,
    pub height: u16,
    index: TreeIndex,
    view: TreeView,
    /// Recently shown tree views (newest last), so going back to a layer or mode is instant.
    recent_views: Vec<TreeView>,
    flat: Flat,
    flat_dirty: bool,
}

impl State {
    pub fn new(image: Arc<Image>, keys: KeyMap, files: Option<Arc<dyn FileSource>>) -> State {
        let key = ViewKey {
            layer: 0,
            mode: CompareMode::Layer,
            filter: None,
            size: None,
            hidden: HiddenKinds::default(),
        };
        let index = TreeIndex::new(&image.tree);
        let view = TreeView::compute_with(&image.tree, &index, key);
        let mut state = State {
            image,
            annotations: None,
            keys,
            files,
            focus: Pane::Layers,
            left_focus: Pane::Layers,
            layer: 0,
            compare: CompareMode::Layer,
            hidden: HiddenKinds::default(),
            sort: SortOrder::Name,
            show_attributes: true,
            wrap_tree: false,
            tree_width: 0.5,
            collapsed: HashSet::new(),
            filter: Filter::default(),
            tree_cursor: 0,
            tree_scroll: 0,
            inefficient_cursor: 0,
            inefficient_scroll: 0,
            layers_scroll: 0,
            viewer: None,
            help: false,
            help_scroll: 0,
            image_config: false,
            image_config_scroll: 0,
            largest: false,
            message: None,
            quit: false,
            width: 80,
            height: 24,
            index,
            view,
            recent_views: Vec::new(),
            flat: Flat::default(),
            flat_dirty: true,
        };
        state.refresh();
        state
    }

    /// Applies the config file's view preferences (dive's `filetree`, `layer`, `diff` keys).
    pub fn with_preferences(mut self, prefs: &super::config::Preferences) -> State {
        self.show_attributes = prefs.show_attributes;
        self.tree_width = prefs.tree_width;
        self.hidden = prefs.hidden;
        if prefs.sort_by_size {
            self.sort = SortOrder::SizeDesc;
        }
        if prefs.aggregated {
            self.compare = CompareMode::Aggregated;
        }
        if prefs.collapse_dirs {
            let dirs = self.image.tree.nodes.iter().enumerate();
            let dirs: Vec<NodeId> = dirs
                .filter(|(i, n)| *i != 0 && !n.children.is_empty())
                .map(|(i, _)| i as NodeId)
                .collect();
            self.collapsed.extend(dirs);
        }
        self.flat_dirty = true;
        self.refresh();
        self
    }

    fn view_key(&self) -> ViewKey {
        ViewKey {
            layer: self.layer as u32,
            mode: self.compare,
            filter: self.filter.regex.clone(),
            size: self.filter.size,
            hidden: self.hidden,
        }
    }

    /// Recomputes the cached tree when its inputs changed; keeps the cursor on the same node
    /// when that node is still shown.
    pub fn refresh(&mut self) {
        let selected = self.selected_node();
        let key = self.view_key();
        if key != self.view.key {
            let next = match self.recent_views.iter().position(|v| v.key == key) {
                Some(i) => self.recent_views.remove(i),
                None => TreeView::compute_with(&self.image.tree, &self.index, key),
            };
            let previous = std::mem::replace(&mut self.view, next);
            self.recent_views.push(previous);
            if self.recent_views.len() > RECENT_VIEWS {
                self.recent_views.remove(0);
            }
            self.flat_dirty = true;
        }
        if self.flat_dirty {
            self.flat = self
                .view
                .flatten(&self.image.tree, &self.collapsed, self.sort);
            self.flat_dirty = false;
            self.tree_cursor = selected
                .and_then(|n| self.row_of(n))
                .unwrap_or_else(|| self.tree_cursor.min(self.flat.rows.len().saturating_sub(1)));
        }
    }

    /// Marks the flattened rows stale (collapse set or sort changed).
    pub fn invalidate_rows(&mut self) {
        self.flat_dirty = true;
    }

    pub fn tree_view(&self) -> &TreeView {
        &self.view
    }

    pub fn flat(&self) -> &Flat {
        &self.flat
    }

    pub fn row_of(&self, node: NodeId) -> Option<usize> {
        self.flat.rows.iter().position(|r| r.node == node)
    }

    pub fn selected_node(&self) -> Option<NodeId> {
        self.flat.rows.get(self.tree_cursor).map(|r| r.node)
    }

    pub fn layer_count(&self) -> usize {
        self.image.layers.len()
    }

    pub fn is_dir(&self, node: NodeId) -> bool {
        !self.image.tree.node(node).children.is_empty()
            || self.view.get(node).is_some_and(|info| {
                super::rows::shown_entry(&self.image.tree, node, info)
                    .is_some_and(|e| e.kind.is_dir())
            })
    }

    pub fn set_filter_input(&mut self, input: String) {
        self.filter.input = input;
        if let Some(size) = SizeFilter::parse(&self.filter.input) {
            self.filter.regex = None;
            match size {
                Ok(size) => {
                    self.filter.size = Some(size);
                    self.filter.error = None;
                }
                // Keep the last good size while the user is still typing.
                Err(e) => self.filter.error = Some(e),
            }
        } else if self.filter.input.is_empty() {
            self.filter.regex = None;
            self.filter.size = None;
            self.filter.error = None;
        } else {
            self.filter.size = None;
            match Regex::new(&self.filter.input) {
                Ok(re) => {
                    self.filter.regex = Some(re);
                    self.filter.error = None;
                }
                Err(e) => {
                    // Keep the last good filter while the user is still typing.
                    self.filter.error = Some(
                        e.to_string()
                            .lines()
                            .last()
                            .unwrap_or("invalid regex")
                            .trim()
                            .to_string(),
                    );
                }
            }
        }
        self.refresh();
    }
}

/// What imgdive adds to the view beyond the image: the Dockerfile line of each layer, the
/// reclaimable bytes by line, and the secrets the image ships.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    pub attribution: Option<crate::image::attribution::Attribution>,
    pub line_waste: Vec<crate::image::attribution::LineWaste>,
    pub secrets: Vec<crate::image::secrets::Secret>,
    /// Secret files by (node, layer that stored them), for the tree's marker.
    pub secret_nodes: HashSet<(NodeId, u32)>,
}

impl Annotations {
    pub fn new(
        image: &Image,
        attribution: Option<crate::image::attribution::Attribution>,
        secrets: Vec<crate::image::secrets::Secret>,
    ) -> Annotations {
        let line_waste = attribution
            .as_ref()
            .map(|a| crate::image::attribution::reclaimable_by_line(image, a))
            .unwrap_or_default();
        let secret_nodes = secrets
            .iter()
            .filter_map(|s| Some((image.tree.lookup(&s.location)?, s.layer?)))
            .collect();
        Annotations {
            attribution,
            line_waste,
            secrets,
            secret_nodes,
        }
    }

    /// Whether the file at `node` as stored by `layer` or any lower layer holds a secret.
    pub fn is_secret(&self, node: NodeId, layer: usize) -> bool {
        self.secret_nodes
            .iter()
            .any(|&(n, l)| n == node && l as usize <= layer)
    }
}
