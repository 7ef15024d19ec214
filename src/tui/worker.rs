//! The tree rows computed off the UI thread: on a big image the pass over every node (a regex
//! over a million paths, a new layer) and the flattening (a sort, a collapse) take longer than a
//! frame. The UI asks for rows, keeps drawing the rows it has (marked stale), and takes the new
//! ones when they are ready; a newer request cancels the one still running, so a burst of
//! keystrokes costs one pass, not one per key.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};

use super::rows::{Flat, SortOrder, TreeIndex, TreeView, ViewKey};
use crate::image::model::{Image, NodeId};

/// Everything one set of rows depends on.
pub struct RowsRequest {
    pub image: Arc<Image>,
    pub index: Arc<TreeIndex>,
    pub key: ViewKey,
    /// The tree view for `key` when one is already at hand (only the flattening is left).
    pub view: Option<Arc<TreeView>>,
    pub collapsed: HashSet<NodeId>,
    pub sort: SortOrder,
}

/// The rows for one request.
pub struct Rows {
    pub view: Arc<TreeView>,
    pub flat: Flat,
}

impl RowsRequest {
    /// Computes the rows; `None` when `cancelled` turned true first.
    pub fn run(self, cancelled: &dyn Fn() -> bool) -> Option<Rows> {
        let tree = &self.image.tree;
        let view = match self.view {
            Some(view) => view,
            None => Arc::new(TreeView::compute_cancellable(
                tree,
                &self.index,
                self.key,
                cancelled,
            )?),
        };
        let flat = view.flatten_cancellable(tree, &self.collapsed, self.sort, cancelled)?;
        Some(Rows { view, flat })
    }
}

/// A request running on its own thread.
pub struct Job {
    cancel: Arc<AtomicBool>,
    result: Receiver<Rows>,
    ready: Option<Rows>,
}

impl Job {
    pub fn spawn(request: RowsRequest) -> Job {
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, result) = mpsc::sync_channel(1);
        let flag = cancel.clone();
        std::thread::spawn(move || {
            if let Some(rows) = request.run(&|| flag.load(Ordering::Relaxed)) {
                // The receiver is gone when the job was dropped meanwhile: nothing to do.
                let _ = send.send(rows);
            }
        });
        Job {
            cancel,
            result,
            ready: None,
        }
    }

    /// The rows if they are ready, without waiting.
    pub fn try_take(&mut self) -> Option<Rows> {
        if let Some(rows) = self.ready.take() {
            return Some(rows);
        }
        // Empty: not yet; disconnected: the thread gave up (only when cancelled).
        self.result.try_recv().ok()
    }

    /// Blocks until the rows are ready (benchmarks and tests); they stay for [`Self::try_take`].
    pub fn wait(&mut self) {
        if self.ready.is_none()
            && let Ok(rows) = self.result.recv()
        {
            self.ready = Some(rows);
        }
    }
}

impl Drop for Job {
    /// A job nobody waits for any more stops at its next look at the flag.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
