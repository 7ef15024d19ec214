//! Comparing two images: which paths of the final filesystem were added, removed or modified
//! from A to B, with their sizes, biggest first, and how much the image grew.
//!
//! "Modified" means the type, permission bits, owner, size, link target or content (xxh3) differ
//! — the compared state has no times, so a rewrite that only changes the mtime is never a
//! change. Layers both images share (same diff_id) are read once ([`analyze_pair`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::build::{AnalyzeOptions, build_image};
use super::layer::{LayerContents, ReadLimits, read_layer};
use super::model::{Entry, Image, NodeId, PathTree};
use super::source::ImageSource;

/// What happened to a path between A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PathChange {
    Added,
    Removed,
    Modified,
}

/// One changed path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Changed {
    /// Absolute (`/usr/bin/x`), raw (escape it for display).
    pub path: String,
    pub change: PathChange,
    /// Its size in A (`None` when A does not have it).
    pub a_size: Option<u64>,
    pub b_size: Option<u64>,
}

impl Changed {
    /// B's size minus A's.
    pub fn size_delta(&self) -> i64 {
        self.b_size.unwrap_or(0) as i64 - self.a_size.unwrap_or(0) as i64
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub added: u64,
    pub removed: u64,
    pub modified: u64,
    /// B's size minus A's (Σ layer sizes, dive's `sizeBytes`).
    pub size_delta: i64,
}

/// The comparison of two analysed images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageDiff {
    /// Biggest first (the larger of the two sizes), then by path.
    pub changes: Vec<Changed>,
    pub summary: Summary,
}

/// Every path present in the final filesystem, with its state.
fn final_state(tree: &PathTree, top: Option<u32>) -> HashMap<String, &Entry> {
    let mut out = HashMap::new();
    let Some(top) = top else { return out };
    let mut stack: Vec<(NodeId, String)> = vec![(tree.root(), String::new())];
    while let Some((id, path)) = stack.pop() {
        for &child in &tree.node(id).children {
            let child_path = format!("{path}/{}", tree.node(child).name);
            if let Some(entry) = tree.state_at(child, top) {
                out.insert(child_path.clone(), entry);
            }
            stack.push((child, child_path));
        }
    }
    out
}

fn top_layer(image: &Image) -> Option<u32> {
    (image.layers.len() as u32).checked_sub(1)
}

/// Compares the final filesystems of `a` and `b`.
pub fn diff(a: &Image, b: &Image) -> ImageDiff {
    let in_a = final_state(&a.tree, top_layer(a));
    let in_b = final_state(&b.tree, top_layer(b));
    let mut changes = Vec::new();
    for (path, before) in &in_a {
        match in_b.get(path) {
            None => changes.push(Changed {
                path: path.clone(),
                change: PathChange::Removed,
                a_size: Some(before.size),
                b_size: None,
            }),
            Some(after) if after != before => changes.push(Changed {
                path: path.clone(),
                change: PathChange::Modified,
                a_size: Some(before.size),
                b_size: Some(after.size),
            }),
            Some(_) => {}
        }
    }
    for (path, after) in &in_b {
        if !in_a.contains_key(path) {
            changes.push(Changed {
                path: path.clone(),
                change: PathChange::Added,
                a_size: None,
                b_size: Some(after.size),
            });
        }
    }
    changes.sort_by(|x, y| {
        let size = |c: &Changed| c.a_size.unwrap_or(0).max(c.b_size.unwrap_or(0));
        size(y).cmp(&size(x)).then_with(|| x.path.cmp(&y.path))
    });
    let count = |kind| changes.iter().filter(|c| c.change == kind).count() as u64;
    let summary = Summary {
        added: count(PathChange::Added),
        removed: count(PathChange::Removed),
        modified: count(PathChange::Modified),
        size_delta: b.metrics.total_size as i64 - a.metrics.total_size as i64,
    };
    ImageDiff { changes, summary }
}

/// Reads and analyses two images, reading each layer whose diff_id both images list only once
/// (all layers of both in parallel, within one decompression budget). Returns the number of
/// layers read once for both.
pub fn analyze_pair(
    a: &dyn ImageSource,
    b: &dyn ImageSource,
    options: &AnalyzeOptions,
) -> Result<(Image, Image, usize)> {
    let limits = ReadLimits::new(options.max_decompressed_bytes);
    // One read per distinct diff_id (an empty diff_id is never shared).
    let mut jobs: Vec<(&dyn ImageSource, usize)> = Vec::new();
    let mut by_diff_id: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut a_jobs, mut b_jobs) = (Vec::new(), Vec::new());
    plan_into(a, &mut a_jobs, &mut jobs, &mut by_diff_id);
    plan_into(b, &mut b_jobs, &mut jobs, &mut by_diff_id);
    let shared = a.layers().len() + b.layers().len() - jobs.len();
    let read_bytes = AtomicU64::new(0);
    let on_bytes = |n: u64| {
        read_bytes.fetch_add(n, Ordering::Relaxed);
    };
    let mut contents: Vec<Option<LayerContents>> = jobs
        .par_iter()
        .map(|(source, index)| read_layer(*source, *index, &limits, &on_bytes).map(Some))
        .collect::<Result<_>>()?;
    // A layer both images share is copied for the first and moved into the second.
    let mut uses = vec![0usize; contents.len()];
    for &job in a_jobs.iter().chain(&b_jobs) {
        uses[job] += 1;
    }
    let mut pick = |which: &[usize]| -> Vec<LayerContents> {
        which
            .iter()
            .map(|&job| {
                uses[job] -= 1;
                if uses[job] == 0 {
                    contents[job].take()
                } else {
                    contents[job].clone()
                }
                .expect("each layer is taken on its last use only")
            })
            .collect()
    };
    let image_a = build_image(a, pick(&a_jobs));
    let image_b = build_image(b, pick(&b_jobs));
    Ok((image_a, image_b, shared))
}

/// Adds to `jobs` each layer of `source` whose diff_id is not planned yet, and records in
/// `which` the job that gives each of its layers.
fn plan_into<'s>(
    source: &'s dyn ImageSource,
    which: &mut Vec<usize>,
    jobs: &mut Vec<(&'s dyn ImageSource, usize)>,
    by_diff_id: &mut BTreeMap<&'s str, usize>,
) {
    for (index, desc) in source.layers().iter().enumerate() {
        let known = if desc.diff_id.is_empty() {
            None
        } else {
            by_diff_id.get(desc.diff_id.as_str()).copied()
        };
        let job = known.unwrap_or_else(|| {
            jobs.push((source, index));
            if !desc.diff_id.is_empty() {
                by_diff_id.insert(&desc.diff_id, jobs.len() - 1);
            }
            jobs.len() - 1
        });
        which.push(job);
    }
}
