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
use super::worker::{Job, Rows, RowsRequest};
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

/// How many tree views to keep besides the current one (each is one small record per node), and
/// how many node records all of them together may hold (fewer views on a huge image).
const RECENT_VIEWS: usize = 8;
const RECENT_VIEW_NODES: usize = 4_000_000;

/// Images with more tree nodes than this get their rows from the background worker; smaller
/// ones compute them within the key (a few milliseconds at most).
pub const BACKGROUND_NODES: usize = 200_000;

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
    /// Above this many tree nodes, new rows are computed off the UI thread
    /// ([`BACKGROUND_NODES`]; tests lower it).
    pub background_nodes: usize,
    index: Arc<TreeIndex>,
    view: Arc<TreeView>,
    /// Recently shown tree views (newest last), so going back to a layer or mode is instant.
    recent_views: Vec<Arc<TreeView>>,
    flat: Flat,
    flat_dirty: bool,
    /// The view key of the rows shown or being computed.
    requested: ViewKey,
    /// Rows being computed in the background, and the node to select when they arrive.
    pending: Option<(Job, Option<NodeId>)>,
    /// The node a jump wants selected once the rows are recomputed.
    select_next: Option<NodeId>,
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
        let view = TreeView::compute_with(&image.tree, &index, key.clone());
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
            background_nodes: BACKGROUND_NODES,
            index: Arc::new(index),
            view: Arc::new(view),
            recent_views: Vec::new(),
            flat: Flat::default(),
            flat_dirty: true,
            requested: key,
            pending: None,
            select_next: None,
        };
        state.refresh_rows(false);
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
        self.refresh_rows(false);
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
    /// when that node is still shown (or moves it to the node [`Self::select_after_refresh`]
    /// named). On a big image the rows come from the background worker: until they arrive the
    /// old rows stay on screen and [`Self::is_updating`] is true.
    pub fn refresh(&mut self) {
        let background = self.image.tree.nodes.len() > self.background_nodes;
        self.refresh_rows(background);
    }

    /// [`Self::refresh`], the rows computed here and now (the first frame has nothing older to
    /// show) or on the worker.
    fn refresh_rows(&mut self, background: bool) {
        let key = self.view_key();
        if key == self.requested && !self.flat_dirty {
            return;
        }
        let selected = self
            .select_next
            .take()
            .or_else(|| self.pending.as_ref().and_then(|(_, select)| *select))
            .or_else(|| self.selected_node());
        // A newer request replaces (and so cancels) the one still running.
        self.pending = None;
        self.flat_dirty = false;
        self.requested = key.clone();
        let view = if key == self.view.key {
            Some(self.view.clone())
        } else {
            self.recent_views.iter().find(|v| v.key == key).cloned()
        };
        let request = RowsRequest {
            image: self.image.clone(),
            index: self.index.clone(),
            key,
            view,
            collapsed: self.collapsed.clone(),
            sort: self.sort,
        };
        if background {
            self.pending = Some((Job::spawn(request), selected));
        } else if let Some(rows) = request.run(&|| false) {
            self.install(rows, selected);
        }
    }

    /// Shows rows computed for the latest request; the cursor follows `selected`.
    fn install(&mut self, rows: Rows, selected: Option<NodeId>) {
        if rows.view.key != self.view.key {
            let previous = std::mem::replace(&mut self.view, rows.view);
            self.recent_views.retain(|v| v.key != self.view.key);
            self.recent_views.push(previous);
            let nodes = self.image.tree.nodes.len().max(1);
            let keep = RECENT_VIEWS.min(RECENT_VIEW_NODES / nodes).max(1);
            while self.recent_views.len() > keep {
                self.recent_views.remove(0);
            }
        }
        self.flat = rows.flat;
        self.tree_cursor = selected
            .and_then(|n| self.row_of(n))
            .unwrap_or_else(|| self.tree_cursor.min(self.flat.rows.len().saturating_sub(1)));
    }

    /// Takes the background rows if they are ready; true when the screen must be redrawn.
    pub fn poll_rows(&mut self) -> bool {
        let Some((job, selected)) = &mut self.pending else {
            return false;
        };
        let Some(rows) = job.try_take() else {
            return false;
        };
        let selected = *selected;
        self.pending = None;
        self.install(rows, selected);
        true
    }

    /// Blocks until the background rows are ready (they are taken by the next
    /// [`Self::poll_rows`]).
    pub fn wait_for_rows(&mut self) {
        if let Some((job, _)) = &mut self.pending {
            job.wait();
        }
    }

    /// The rows on screen are older than the options: new ones are being computed.
    pub fn is_updating(&self) -> bool {
        self.pending.is_some()
    }

    /// Selects `node` once the next [`Self::refresh`] has recomputed the rows.
    pub fn select_after_refresh(&mut self, node: NodeId) {
        self.select_next = Some(node);
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
