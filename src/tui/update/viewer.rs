//! The file viewer (open, diff against the previous version) and extracting the selection.

use super::*;

/// Opens the viewer on the selected tree row: its content as shown in the selected layer and
/// the list of layers that touched it.
/// Shows, or stops showing, the viewed text as a diff against the previous layer that stored
/// the path (the version the shown layer replaced).
pub(super) fn toggle_viewer_diff(state: &mut State) {
    let Some(viewer) = state.viewer.as_mut() else {
        return;
    };
    if let Some((content, _)) = viewer.diff_of.take() {
        viewer.content = content;
        viewer.scroll = 0;
        return;
    }
    let Some(layer) = viewer.layer else { return };
    let ViewerContent::Text { lines: new, .. } = &viewer.content else {
        state.message = Some("only text files can be compared".to_string());
        return;
    };
    let Some(previous) = viewer
        .history
        .iter()
        .rev()
        .find(|h| h.layer < layer && h.size.is_some())
        .map(|h| h.layer)
    else {
        state.message = Some("no earlier version of this file to compare with".to_string());
        return;
    };
    let Some(files) = &state.files else { return };
    let old = match files.read_file(
        &state.image.layers[previous as usize],
        &viewer.path,
        VIEW_LIMIT,
    ) {
        Ok(bytes) => match ViewerContent::from_bytes(&bytes, bytes.len() as u64) {
            ViewerContent::Text { lines, .. } => lines,
            _ => {
                state.message = Some(format!("layer {} stored it as binary", previous + 1));
                return;
            }
        },
        Err(err) => {
            state.message = Some(escape_name(&format!(
                "cannot read layer {}: {err:#}",
                previous + 1
            )));
            return;
        }
    };
    let Some(diff) = crate::tui::content::text_diff(&old, new) else {
        state.message = Some("too many lines to compare".to_string());
        return;
    };
    let shown = ViewerContent::Text {
        lines: diff,
        truncated: false,
    };
    viewer.diff_of = Some((std::mem::replace(&mut viewer.content, shown), previous));
    viewer.scroll = 0;
}

/// dive's extract-file: the selected path, as the image is at the selected layer, written into
/// the working directory under its own name; the status line says where (or why not).
pub(super) fn extract_selected(state: &mut State) {
    let Some(node) = state.selected_node() else {
        return;
    };
    let tree = &state.image.tree;
    let path = tree.path(node);
    let shown = escape_name(&path);
    // A path this layer removed (shown with `-`) comes out as the layer that last stored it.
    let layer = if tree.state_at(node, state.layer as u32).is_some() {
        state.layer as u32
    } else {
        state
            .tree_view()
            .get(node)
            .and_then(|i| i.from_layer)
            .unwrap_or(state.layer as u32)
    };
    let result = match &state.files {
        Some(files) => files.extract(&state.image, &path, layer, Path::new(".")),
        None => Err(anyhow::anyhow!("no image source to extract from")),
    };
    state.message = Some(match result {
        Ok(w) => {
            let name = escape_name(&state.image.tree.node(node).name);
            let cwd = std::env::current_dir()
                .map(|d| escape_name(&d.display().to_string()))
                .unwrap_or_else(|_| ".".to_string());
            format!(
                "extracted {shown} (layer {}) to {cwd}/{name}: {} files, {} dirs, {} links{}",
                layer + 1,
                w.files,
                w.dirs,
                w.links,
                if w.skipped.is_empty() {
                    String::new()
                } else {
                    format!(", {} skipped", w.skipped.len())
                }
            )
        }
        Err(e) => format!("cannot extract {shown}: {}", escape_name(&format!("{e:#}"))),
    });
}

pub(super) fn open_viewer(state: &mut State) {
    let Some(node) = state.selected_node() else {
        return;
    };
    let tree = &state.image.tree;
    let path = tree.path(node);
    let info = state.tree_view().get(node).copied();
    let shown_layer = info.and_then(|i| i.from_layer);
    let history: Vec<HistoryEntry> = tree
        .node(node)
        .versions
        .iter()
        .filter_map(|v| {
            Some(HistoryEntry {
                layer: v.layer,
                change: tree.change_in(node, v.layer)?,
                size: v.entry.as_ref().map(|e| e.size),
            })
        })
        .collect();
    let removed = info.is_some_and(|i| i.change == crate::image::model::Change::Removed);
    let entry = shown_layer
        .and_then(|l| tree.version_in(node, l))
        .and_then(|v| v.entry.clone());
    let content = match (&entry, shown_layer) {
        (Some(e), Some(layer)) if e.kind == EntryKind::File => match &state.files {
            Some(files) => {
                let layer_meta = &state.image.layers[layer as usize];
                match files.read_file(layer_meta, &path, VIEW_LIMIT) {
                    Ok(bytes) => {
                        let mut content = ViewerContent::from_bytes(&bytes, e.size);
                        if removed && let ViewerContent::Text { lines, .. } = &mut content {
                            lines.insert(
                                0,
                                format!(
                                    "(removed in layer {}; content as stored in layer {})",
                                    state.layer + 1,
                                    layer + 1
                                ),
                            );
                        }
                        content
                    }
                    Err(err) => ViewerContent::Unavailable(format!("cannot read: {err:#}")),
                }
            }
            None => ViewerContent::Unavailable(
                "file contents are not available for this image source".to_string(),
            ),
        },
        (Some(e), _) => ViewerContent::Unavailable(match &e.kind {
            EntryKind::Symlink(t) => format!("symbolic link to {}", crate::image::escape_name(t)),
            EntryKind::Hardlink(t) => format!("hard link to {}", crate::image::escape_name(t)),
            EntryKind::Dir => "directory".to_string(),
            EntryKind::CharDevice => "character device".to_string(),
            EntryKind::BlockDevice => "block device".to_string(),
            EntryKind::Fifo => "named pipe".to_string(),
            EntryKind::File => "regular file".to_string(),
        }),
        (None, _) => ViewerContent::Unavailable("not present in this layer".to_string()),
    };
    state.viewer = Some(Viewer {
        node,
        path,
        layer: shown_layer,
        content,
        history,
        diff_of: None,
        scroll: 0,
    });
}
