//! Events (keys, mouse, resize) → state changes. Pure: no terminal, no drawing.

mod mouse;
mod viewer;

use mouse::*;
use viewer::*;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::content::{VIEW_LIMIT, ViewerContent};
use super::keys::{Action, Scope};
use super::rows::{CompareMode, SortOrder};
use super::state::{HistoryEntry, Pane, State, Viewer};
use super::view::{self, LayerRow};
use std::path::Path;

use crate::image::escape_name;
use crate::image::model::EntryKind;

/// Applies one terminal event.
pub fn handle_event(state: &mut State, event: &Event) {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => handle_key(state, key),
        Event::Mouse(mouse) => handle_mouse(state, mouse),
        Event::Resize(w, h) => {
            state.width = *w;
            state.height = *h;
            clamp_scrolls(state);
        }
        _ => {}
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}

pub fn handle_key(state: &mut State, key: &KeyEvent) {
    state.message = None;
    if is_ctrl_c(key) {
        state.quit = true;
        return;
    }
    if state.filter.editing {
        edit_filter(state, key);
        return;
    }
    let actions: Vec<Action> = state.keys.actions(key).to_vec();
    if state.help {
        match actions.first() {
            Some(Action::Up) => state.help_scroll = state.help_scroll.saturating_sub(1),
            Some(Action::Down) => state.help_scroll += 1,
            Some(Action::Quit | Action::Help | Action::CloseFilterFiles | Action::OpenFile) => {
                state.help = false;
            }
            _ if key.code == KeyCode::Esc => state.help = false,
            _ => {}
        }
        return;
    }
    if state.image_config {
        image_config_key(state, &actions, key);
        return;
    }
    if state.largest {
        if matches!(
            actions.first(),
            Some(Action::Quit | Action::LargestFiles | Action::CloseFilterFiles | Action::OpenFile)
        ) || key.code == KeyCode::Esc
        {
            state.largest = false;
        }
        return;
    }
    if state.viewer.is_some() {
        viewer_key(state, &actions, key);
        return;
    }
    let scope = match state.focus {
        Pane::Tree => Scope::Tree,
        Pane::Layers => Scope::Layers,
        _ => Scope::Global,
    };
    if let Some(action) = actions
        .iter()
        .copied()
        .find(|a| a.scope() == Scope::Global || a.scope() == scope)
    {
        apply(state, action);
    }
}

fn edit_filter(state: &mut State, key: &KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            state.filter.editing = false;
            state.set_filter_input(String::new());
        }
        KeyCode::Enter | KeyCode::Tab | KeyCode::Down | KeyCode::Up => {
            state.filter.editing = false;
            if state.filter.regex.is_some() || state.filter.size.is_some() {
                state.focus = Pane::Tree;
            }
        }
        KeyCode::Backspace => {
            let mut input = state.filter.input.clone();
            input.pop();
            state.set_filter_input(input);
            state.tree_scroll = 0;
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            let mut input = state.filter.input.clone();
            input.push(c);
            state.set_filter_input(input);
            state.tree_scroll = 0;
        }
        _ => {}
    }
}

fn image_config_key(state: &mut State, actions: &[Action], key: &KeyEvent) {
    let max = state.image.config.display_lines().len().saturating_sub(1);
    match actions.first() {
        Some(Action::Up) => state.image_config_scroll = state.image_config_scroll.saturating_sub(1),
        Some(Action::Down) => state.image_config_scroll = (state.image_config_scroll + 1).min(max),
        Some(Action::Home) => state.image_config_scroll = 0,
        Some(Action::End) => state.image_config_scroll = max,
        Some(Action::Quit | Action::ImageConfig | Action::CloseFilterFiles | Action::OpenFile) => {
            state.image_config = false
        }
        Some(Action::Help) => state.help = true,
        _ if key.code == KeyCode::Esc => state.image_config = false,
        _ => {}
    }
}

fn viewer_key(state: &mut State, actions: &[Action], key: &KeyEvent) {
    let page = view::areas(state).viewer_body_height.max(1);
    let Some(viewer) = state.viewer.as_mut() else {
        return;
    };
    let max = viewer.content.lines().len().saturating_sub(1);
    match actions.first() {
        Some(Action::Up) => viewer.scroll = viewer.scroll.saturating_sub(1),
        Some(Action::Down) => viewer.scroll = (viewer.scroll + 1).min(max),
        Some(Action::PageUp) => viewer.scroll = viewer.scroll.saturating_sub(page),
        Some(Action::PageDown) => viewer.scroll = (viewer.scroll + page).min(max),
        Some(Action::Home) => viewer.scroll = 0,
        Some(Action::End) => viewer.scroll = max,
        Some(Action::Quit | Action::CloseFilterFiles | Action::OpenFile) => state.viewer = None,
        Some(Action::ViewerDiff) => toggle_viewer_diff(state),
        Some(Action::Help) => state.help = true,
        _ if key.code == KeyCode::Esc => state.viewer = None,
        _ => {}
    }
}

/// Performs one action in the focused pane.
pub fn apply(state: &mut State, action: Action) {
    match action {
        Action::Quit => state.quit = true,
        Action::Help => {
            state.help = true;
            state.help_scroll = 0;
        }
        Action::ImageConfig => {
            state.image_config = true;
            state.image_config_scroll = 0;
        }
        Action::LargestFiles => state.largest = true,
        Action::ToggleView => {
            if state.focus == Pane::Tree {
                state.focus = state.left_focus;
            } else {
                state.left_focus = state.focus;
                state.focus = Pane::Tree;
            }
        }
        Action::FilterFiles => state.filter.editing = true,
        Action::CloseFilterFiles => {
            if !state.filter.input.is_empty() {
                state.set_filter_input(String::new());
            }
        }
        Action::Up => move_cursor(state, -1),
        Action::Down => move_cursor(state, 1),
        Action::PageUp => {
            let page = page_size(state);
            move_cursor(state, -(page as isize));
        }
        Action::PageDown => {
            let page = page_size(state);
            move_cursor(state, page as isize);
        }
        Action::Home => move_cursor(state, isize::MIN / 2),
        Action::End => move_cursor(state, isize::MAX / 2),
        Action::Left => match state.focus {
            Pane::Tree => tree_left(state),
            Pane::Layers => state.focus = Pane::ImageDetails,
            Pane::LayerDetails => state.focus = Pane::Layers,
            Pane::ImageDetails => state.focus = Pane::LayerDetails,
        },
        Action::Right => match state.focus {
            Pane::Tree => tree_right(state),
            Pane::Layers => state.focus = Pane::LayerDetails,
            Pane::LayerDetails => state.focus = Pane::ImageDetails,
            Pane::ImageDetails => state.focus = Pane::Layers,
        },
        Action::CompareAll => set_compare(state, CompareMode::Aggregated),
        Action::CompareLayer => set_compare(state, CompareMode::Layer),
        Action::CompareBase => {
            let here = CompareMode::Base(state.layer as u32);
            let mode = if state.compare == here {
                CompareMode::Layer
            } else {
                here
            };
            set_compare(state, mode);
        }
        Action::ToggleCollapseDir => {
            if let Some(node) = state.selected_node().filter(|n| state.is_dir(*n)) {
                if !state.collapsed.remove(&node) {
                    state.collapsed.insert(node);
                }
                state.invalidate_rows();
                state.refresh();
            }
        }
        Action::ToggleCollapseAllDir => {
            if state.collapsed.is_empty() {
                let dirs: Vec<_> = state
                    .flat()
                    .rows
                    .iter()
                    .map(|r| r.node)
                    .filter(|n| !state.image.tree.node(*n).children.is_empty())
                    .collect();
                state.collapsed.extend(dirs);
            } else {
                state.collapsed.clear();
            }
            state.invalidate_rows();
            state.refresh();
        }
        Action::ToggleAddedFiles => toggle_hidden(state, |h| &mut h.added),
        Action::ToggleRemovedFiles => toggle_hidden(state, |h| &mut h.removed),
        Action::ToggleModifiedFiles => toggle_hidden(state, |h| &mut h.modified),
        Action::ToggleUnmodifiedFiles => toggle_hidden(state, |h| &mut h.unchanged),
        Action::ToggleFiletreeAttributes => state.show_attributes = !state.show_attributes,
        Action::ToggleSortOrder => {
            state.sort = match state.sort {
                SortOrder::Name => SortOrder::SizeDesc,
                SortOrder::SizeDesc => SortOrder::Name,
            };
            state.invalidate_rows();
            state.refresh();
        }
        Action::ExtractFile => extract_selected(state),
        Action::ViewerDiff => {
            if state.focus == Pane::Tree {
                open_viewer(state);
                toggle_viewer_diff(state);
            }
        }
        Action::ToggleWrapTree => state.wrap_tree = !state.wrap_tree,
        Action::OpenFile => match state.focus {
            Pane::Tree => {
                if let Some(node) = state.selected_node() {
                    if state.is_dir(node) {
                        apply(state, Action::ToggleCollapseDir);
                    } else {
                        open_viewer(state);
                    }
                }
            }
            Pane::ImageDetails => jump_to_inefficient(state),
            Pane::Layers | Pane::LayerDetails => state.focus = Pane::Tree,
        },
    }
    clamp_scrolls(state);
}

fn set_compare(state: &mut State, mode: CompareMode) {
    state.compare = mode;
    state.refresh();
}

fn toggle_hidden(state: &mut State, field: impl Fn(&mut super::rows::HiddenKinds) -> &mut bool) {
    let flag = field(&mut state.hidden);
    *flag = !*flag;
    state.refresh();
}

fn page_size(state: &State) -> usize {
    let areas = view::areas(state);
    let rows = match state.focus {
        Pane::Tree => areas.tree_body_height,
        Pane::Layers => areas.layers.height.saturating_sub(2) as usize,
        _ => areas.image_table_height,
    };
    rows.max(1)
}

fn step(current: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (current as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}

fn move_cursor(state: &mut State, delta: isize) {
    match state.focus {
        Pane::Layers | Pane::LayerDetails => {
            let next = step(state.layer, delta, state.layer_count());
            if next != state.layer {
                state.layer = next;
                state.refresh();
            }
        }
        Pane::ImageDetails => {
            state.inefficient_cursor = step(
                state.inefficient_cursor,
                delta,
                state.image.metrics.inefficient.len(),
            );
        }
        Pane::Tree => {
            state.tree_cursor = step(state.tree_cursor, delta, state.flat().rows.len());
        }
    }
}

fn tree_left(state: &mut State) {
    let Some(node) = state.selected_node() else {
        return;
    };
    if let Some(parent) = state.image.tree.node(node).parent
        && let Some(row) = state.row_of(parent)
    {
        state.tree_cursor = row;
    }
}

fn tree_right(state: &mut State) {
    let Some(node) = state.selected_node() else {
        return;
    };
    if !state.is_dir(node) {
        return;
    }
    if state.collapsed.remove(&node) {
        state.invalidate_rows();
        state.refresh();
    } else if state
        .flat()
        .rows
        .get(state.tree_cursor + 1)
        .is_some_and(|r| state.image.tree.node(r.node).parent == Some(node))
    {
        state.tree_cursor += 1;
    }
}

/// Selects the inefficient path under the cursor in the tree: the last layer that touched it,
/// that layer's changes, nothing hidden or filtered, its parents expanded.
pub fn jump_to_inefficient(state: &mut State) {
    let Some(item) = state
        .image
        .metrics
        .inefficient
        .get(state.inefficient_cursor)
        .cloned()
    else {
        return;
    };
    let Some(node) = state.image.tree.lookup(&item.path) else {
        state.message = Some(format!(
            "{} is not in the tree",
            crate::image::escape_name(&item.path)
        ));
        return;
    };
    let Some(last) = state.image.tree.node(node).versions.last().map(|v| v.layer) else {
        return;
    };
    state.layer = last as usize;
    state.compare = CompareMode::Layer;
    state.hidden = Default::default();
    state.filter = Default::default();
    let mut parent = state.image.tree.node(node).parent;
    while let Some(p) = parent {
        state.collapsed.remove(&p);
        parent = state.image.tree.node(p).parent;
    }
    state.select_after_refresh(node);
    state.invalidate_rows();
    state.refresh();
    state.focus = Pane::Tree;
    state.message = Some(format!(
        "{} — last touched by layer {}",
        crate::image::escape_name(&item.path),
        last + 1
    ));
    clamp_scrolls(state);
}

fn keep_visible(cursor: usize, scroll: &mut usize, height: usize) {
    if height == 0 {
        return;
    }
    if cursor < *scroll {
        *scroll = cursor;
    } else if cursor >= *scroll + height {
        *scroll = cursor + 1 - height;
    }
}

/// Keeps every cursor on screen after a move or a resize.
pub fn clamp_scrolls(state: &mut State) {
    let areas = view::areas(state);
    let rows = state.flat().rows.len();
    if state.tree_scroll + areas.tree_body_height > rows {
        state.tree_scroll = rows.saturating_sub(areas.tree_body_height);
    }
    let cursor = state.tree_cursor;
    keep_visible(cursor, &mut state.tree_scroll, areas.tree_body_height);
    let layer_rows = view::layer_rows(&state.image);
    if let Some(pos) = layer_rows
        .iter()
        .position(|r| matches!(r, LayerRow::Layer(i) if *i == state.layer))
    {
        keep_visible(
            pos,
            &mut state.layers_scroll,
            areas.layers.height.saturating_sub(3) as usize,
        );
    }
    let cursor = state.inefficient_cursor;
    keep_visible(
        cursor,
        &mut state.inefficient_scroll,
        areas.image_table_height,
    );
}
