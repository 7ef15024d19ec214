//! `imglint --image SOURCE Dockerfile`: the linter's layer-bloat and cache-order findings
//! checked against the image built from that Dockerfile. Each such finding gains the bytes the
//! image measures for it ("measured: 13.29 MB stored by line 11 and deleted at line 18"), or says
//! the image contradicts it; and every instruction whose layer stores more than a threshold of
//! bytes that later instructions hide becomes a finding of its own, at that instruction.

use crate::lint::engine::{Finding, LintedFile};
use crate::lint::rule::Category;

use super::attribution::{Attribution, reclaimable_by_line};
use super::ci::human;
use super::findings::reclaimable_finding;
use super::model::Image;

/// Where package managers leave lists and caches (what DL3009-style findings are about).
const CACHE_DIRS: [&str; 6] = [
    "/var/lib/apt/lists",
    "/var/cache/apt",
    "/var/cache/apk",
    "/var/cache/yum",
    "/var/cache/dnf",
    "/root/.cache",
];

/// The layer whose instruction spans `line`.
fn layer_at(attribution: &Attribution, line: u32) -> Option<u32> {
    attribution
        .layers
        .iter()
        .enumerate()
        .find(|(_, l)| {
            l.as_ref()
                .is_some_and(|l| l.line <= line && line <= l.end_line && l.line > 0)
        })
        .map(|(i, _)| i as u32)
        // A base layer (the FROM line) is not what a RUN-level finding is about.
        .filter(|&i| {
            attribution.layers[i as usize]
                .as_ref()
                .is_some_and(|l| !l.instruction.starts_with("FROM "))
        })
}

fn under(path: &str, target: &str) -> bool {
    let target = target.trim_end_matches('*').trim_end_matches('/');
    !target.is_empty()
        && (path == target
            || path
                .strip_prefix(target)
                .is_some_and(|rest| rest.starts_with('/')))
}

/// Bytes of regular files `layer` stored under `dirs` that are still visible at the end.
fn cache_bytes_in_layer(image: &Image, layer: u32, dirs: &[&str]) -> u64 {
    let last = image.layers.len().saturating_sub(1) as u32;
    let mut total = 0;
    for dir in dirs {
        let Some(start) = image.tree.lookup(dir) else {
            continue;
        };
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            let node = image.tree.node(id);
            stack.extend(node.children.iter().copied());
            if let Some(version) = image.tree.version_in(id, layer)
                && let Some(entry) = &version.entry
                && !entry.kind.is_dir()
                && image.tree.state_at(id, last) == Some(entry)
            {
                total += entry.size;
            }
        }
    }
    total
}

/// `line 11` or `lines 11, 25`.
fn lines(list: &[u32]) -> String {
    let joined = list
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() == 1 {
        format!("line {joined}")
    } else {
        format!("lines {joined}")
    }
}

/// What the image measures for one finding, as a sentence to append to its message.
fn measure(image: &Image, attribution: &Attribution, source: &str, finding: &Finding) -> String {
    let line = finding.span.start.line;
    let Some(layer) = layer_at(attribution, line) else {
        return "not in the image: no layer was built from this line".to_string();
    };
    let target = source
        .get(finding.span.start.offset..finding.span.end.offset)
        .unwrap_or_default()
        .trim()
        .trim_matches(['"', '\'']);
    // Hidden here: bytes earlier layers stored that this instruction deleted or overwrote
    // (the finding names the path when it is about a deletion).
    let hidden_here: Vec<_> = image
        .metrics
        .reclaimable
        .iter()
        .filter(|r| r.hidden_by == layer)
        .filter(|r| !target.starts_with('/') || under(&r.path, target))
        .collect();
    if !hidden_here.is_empty() {
        let bytes: u64 = hidden_here.iter().map(|r| r.bytes).sum();
        let mut stored: Vec<u32> = hidden_here
            .iter()
            .filter_map(|r| attribution.line_of(r.stored_in))
            .collect();
        stored.sort_unstable();
        stored.dedup();
        return format!(
            "measured: {} stored by {} and deleted at line {line}, still in the image",
            human(bytes),
            lines(&stored)
        );
    }
    if finding.code == "DL3009" || finding.category == Category::CacheOrder {
        let bytes = cache_bytes_in_layer(image, layer, &CACHE_DIRS);
        return if bytes > 0 {
            format!(
                "measured: {} of package lists and caches left in this layer",
                human(bytes)
            )
        } else {
            "contradicted by the image: this layer holds no package lists or caches".to_string()
        };
    }
    let stored_here: Vec<_> = image
        .metrics
        .reclaimable
        .iter()
        .filter(|r| r.stored_in == layer)
        .collect();
    if stored_here.is_empty() {
        return "contradicted by the image: this layer stores nothing a later one hides, and hides nothing".to_string();
    }
    let bytes: u64 = stored_here.iter().map(|r| r.bytes).sum();
    let mut hidden: Vec<u32> = stored_here
        .iter()
        .filter_map(|r| attribution.line_of(r.hidden_by))
        .collect();
    hidden.sort_unstable();
    hidden.dedup();
    format!(
        "measured: {} stored by this line and deleted at {}",
        human(bytes),
        lines(&hidden)
    )
}

/// Adds the image's measurements to `file`'s layer-bloat and cache-order findings, and a
/// finding for every instruction that stores more than `threshold` hidden bytes.
pub fn prove(image: &Image, attribution: &Attribution, file: &mut LintedFile, threshold: u64) {
    for finding in &mut file.findings {
        if matches!(
            finding.category,
            Category::LayerBloat | Category::CacheOrder
        ) {
            let sentence = measure(image, attribution, &file.source, finding);
            finding.message = format!("{} [{sentence}]", finding.message);
        }
    }
    for group in reclaimable_by_line(image, attribution) {
        if group.bytes > threshold && !group.stored.instruction.starts_with("FROM ") {
            file.findings
                .push(reclaimable_finding(&group, &file.file, &file.source));
        }
    }
    file.findings
        .sort_by_key(|f| (f.span.start.line, f.span.start.column, f.code));
}
