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
        CompareMode::Layer => "Current Layer Contents".to_string(),
        CompareMode::Aggregated => "Aggregated Layer Contents".to_string(),
        CompareMode::Base(base) => format!("Changes from base layer {}", base + 1),
    };
    let sort = match state.sort {
        SortOrder::Name => "",
        SortOrder::SizeDesc => " · by size",
    };
    let rows = &state.flat().rows;
    // Rows still being computed in the background: the old ones stay, dimmed and marked.
    let updating = if state.is_updating() {
        " · updating…"
    } else {
        ""
    };
    let title = format!(
        "{mode} (layer {}){sort} · {} rows{updating}",
        state.layer + 1,
        rows.len()
    );
    let block = pane_block(title, is_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let share = if state.sort == SortOrder::SizeDesc {
        "  Share"
    } else {
        ""
    };
    let header = if state.show_attributes {
        format!("  Permission     UID:GID       Size{share}  Filetree")
    } else {
        format!("       Size{share}  Filetree")
    };
    let mut lines = vec![Line::styled(
        header,
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let height = inner.height.saturating_sub(1) as usize;
    let tree = &state.image.tree;
    let view = state.tree_view();
    let width = inner.width as usize;
    // One row's lines: one, or with wrapping on (dive's toggle-wrap-tree), as many as its name
    // needs, continuation lines indented to the name column.
    let row_lines = |index: usize, row: &crate::tui::rows::Row| -> Vec<Line<'static>> {
        let Some(info) = view.get(row.node) else {
            return Vec::new();
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
        // Sorted by size, each row also shows its share of the image's size.
        let size = match state.sort {
            SortOrder::SizeDesc => format!(
                "{:>10} {:>5.1}%",
                human(info.size),
                info.size as f64 * 100.0 / state.image.metrics.total_size.max(1) as f64
            ),
            SortOrder::Name => format!("{:>10}", human(info.size)),
        };
        let attrs = if state.show_attributes {
            let owner = entry.map_or_else(|| "-".to_string(), |e| format!("{}:{}", e.uid, e.gid));
            format!(
                "{marker} {} {owner:>11} {size}  ",
                mode_string(entry, is_dir)
            )
        } else {
            format!("{marker} {size}  ")
        };
        let guide = guides(state, row.node, row.depth);
        let mut style = change_style(info.change);
        if state.is_updating() {
            style = style.add_modifier(Modifier::DIM);
        }
        if index == state.tree_cursor {
            style = style.patch(selected_style(is_focused));
        }
        let name_style = if is_dir {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        };
        let mut indent = attrs.chars().count() + guide.chars().count();
        let pieces = if state.wrap_tree {
            let first = width.saturating_sub(indent);
            // A pane too narrow for a name column: continuation lines use the whole width.
            if first < 8 {
                indent = 0;
            }
            wrap_chars(&name, first, width.saturating_sub(indent))
        } else {
            vec![name]
        };
        let mut out = Vec::with_capacity(pieces.len());
        for (i, piece) in pieces.into_iter().enumerate() {
            if i == 0 {
                out.push(Line::from(vec![
                    Span::styled(attrs.clone(), style),
                    Span::styled(guide.clone(), style),
                    Span::styled(piece, name_style),
                ]));
            } else {
                out.push(Line::from(vec![
                    Span::raw(" ".repeat(indent)),
                    Span::styled(piece, name_style),
                ]));
            }
        }
        out
    };
    // With wrapping, rows take several lines: start late enough that the cursor row shows.
    let mut first = state.tree_scroll;
    if state.wrap_tree && state.tree_cursor >= first {
        let mut used = 0;
        let mut start = state.tree_cursor + 1;
        while start > first {
            let need = rows
                .get(start - 1)
                .map_or(1, |r| row_lines(start - 1, r).len().max(1));
            if used + need > height {
                break;
            }
            used += need;
            start -= 1;
        }
        first = start.max(first).min(state.tree_cursor);
    }
    for (index, row) in rows.iter().enumerate().skip(first) {
        let more = row_lines(index, row);
        if lines.len() - 1 + more.len() > height {
            break;
        }
        lines.extend(more);
    }
    if rows.is_empty() {
        let why = if state.filter.regex.is_some() || state.filter.size.is_some() {
            "  (no path matches the filter)"
        } else {
            "  (nothing to show: this layer changed no files, or all kinds are hidden)"
        };
        lines.push(Line::styled(why, Style::new().add_modifier(Modifier::DIM)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Splits `text` into a first piece of at most `first` characters (possibly empty) and then
/// pieces of at most `rest`.
fn wrap_chars(text: &str, first: usize, rest: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let head = first.min(chars.len());
    let mut pieces = vec![chars[..head].iter().collect::<String>()];
    pieces.extend(
        chars[head..]
            .chunks(rest.max(1))
            .map(|c| c.iter().collect()),
    );
    pieces
}
