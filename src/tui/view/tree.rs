//! The file tree pane: marker, type and permissions, uid:gid, size, tree guides, name (and link
//! target). Only the rows on screen are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{change_marker, change_style, focused, human, pane_block, selected_style};
use crate::image::escape_name;
use crate::image::model::{Entry, EntryKind, NodeId};
use crate::tui::rows::{CompareMode, SortOrder, shown_entry};
use crate::tui::state::{Pane, State};

/// `drwxr-xr-x`, with setuid/setgid/sticky as s/S, t/T.
pub fn mode_string(entry: Option<&Entry>, is_dir: bool) -> String {
    let Some(entry) = entry else {
        return if is_dir {
            "d---------".into()
        } else {
            "----------".into()
        };
    };
    let kind = match entry.kind {
        EntryKind::Dir => 'd',
        EntryKind::File => '-',
        EntryKind::Symlink(_) => 'l',
        EntryKind::Hardlink(_) => 'h',
        EntryKind::CharDevice => 'c',
        EntryKind::BlockDevice => 'b',
        EntryKind::Fifo => 'p',
    };
    let m = entry.mode;
    let mut out = String::with_capacity(10);
    out.push(kind);
    for (shift, special, lower, upper) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let bits = (m >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        let exec = bits & 1 != 0;
        out.push(match (m & special != 0, exec) {
            (true, true) => lower,
            (true, false) => upper,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    out
}

/// The `│  ├─ └─` guides in front of a node: one column per ancestor below the root.
fn guides(state: &State, node: NodeId, depth: u16) -> String {
    let tree = &state.image.tree;
    let is_last = &state.flat().is_last;
    let mut parts = Vec::with_capacity(depth as usize + 1);
    parts.push(if is_last[node as usize] {
        "└── "
    } else {
        "├── "
    });
    let mut cur = tree.node(node).parent;
    for _ in 0..depth {
        let Some(p) = cur else { break };
        parts.push(if is_last[p as usize] {
            "    "
        } else {
            "│   "
        });
        cur = tree.node(p).parent;
    }
    parts.reverse();
    parts.concat()
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let is_focused = focused(state, Pane::Tree);
    let mode = match state.compare {
        CompareMode::Layer => "Current Layer Contents",
        CompareMode::Aggregated => "Aggregated Layer Contents",
    };
    let sort = match state.sort {
        SortOrder::Name => "",
        SortOrder::SizeDesc => " · by size",
    };
    let rows = &state.flat().rows;
    let title = format!(
        "{mode} (layer {}){sort} · {} rows",
        state.layer + 1,
        rows.len()
    );
    let block = pane_block(title, is_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let header = if state.show_attributes {
        "  Permission     UID:GID       Size  Filetree"
    } else {
        "       Size  Filetree"
    };
    let mut lines = vec![Line::styled(
        header,
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let height = inner.height.saturating_sub(1) as usize;
    let tree = &state.image.tree;
    let view = state.tree_view();
    for (index, row) in rows.iter().enumerate().skip(state.tree_scroll).take(height) {
        let Some(info) = view.get(row.node) else {
            continue;
        };
        let entry = shown_entry(tree, row.node, info);
        let node = tree.node(row.node);
        let is_dir = state.is_dir(row.node);
        let mut name = escape_name(&node.name);
        if let Some(e) = entry {
            match &e.kind {
                EntryKind::Symlink(t) | EntryKind::Hardlink(t) => {
                    name.push_str(" → ");
                    name.push_str(&escape_name(t));
                }
                _ => {}
            }
        }
        if is_dir && state.collapsed.contains(&row.node) {
            name.push_str(" ⊕");
        }
        let secret = state
            .annotations
            .as_ref()
            .is_some_and(|a| a.is_secret(row.node, state.layer));
        if secret {
            name.push_str(" ⚠ secret");
        }
        let marker = change_marker(info.change);
        let attrs = if state.show_attributes {
            let owner = entry.map_or_else(|| "-".to_string(), |e| format!("{}:{}", e.uid, e.gid));
            format!(
                "{marker} {} {owner:>11} {:>10}  ",
                mode_string(entry, is_dir),
                human(info.size)
            )
        } else {
            format!("{marker} {:>10}  ", human(info.size))
        };
        let guide = guides(state, row.node, row.depth);
        let mut style = change_style(info.change);
        if index == state.tree_cursor {
            style = style.patch(selected_style(is_focused));
        }
        lines.push(Line::from(vec![
            Span::styled(attrs, style),
            Span::styled(guide, style),
            Span::styled(
                name,
                if is_dir {
                    style.add_modifier(Modifier::BOLD)
                } else {
                    style
                },
            ),
        ]));
    }
    if rows.is_empty() {
        let why = if state.filter.regex.is_some() {
            "  (no path matches the filter)"
        } else {
            "  (nothing to show: this layer changed no files, or all kinds are hidden)"
        };
        lines.push(Line::styled(why, Style::new().add_modifier(Modifier::DIM)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
