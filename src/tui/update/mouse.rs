//! Mouse events: clicks select a row of the pane under them, the wheel scrolls it.

use super::*;

pub(super) fn handle_mouse(state: &mut State, mouse: &MouseEvent) {
    if state.help || state.image_config || state.largest || state.filter.editing {
        return;
    }
    let pos = Position::new(mouse.column, mouse.row);
    if let Some(viewer) = state.viewer.as_mut() {
        let max = viewer.content.lines().len().saturating_sub(1);
        match mouse.kind {
            MouseEventKind::ScrollDown => viewer.scroll = (viewer.scroll + 3).min(max),
            MouseEventKind::ScrollUp => viewer.scroll = viewer.scroll.saturating_sub(3),
            _ => {}
        }
        return;
    }
    let areas = view::areas(state);
    let pane = [
        (areas.layers, Pane::Layers),
        (areas.layer_details, Pane::LayerDetails),
        (areas.image_details, Pane::ImageDetails),
        (areas.tree, Pane::Tree),
    ]
    .into_iter()
    .find(|(r, _)| r.contains(pos))
    .map(|(_, p)| p);
    let Some(pane) = pane else {
        return;
    };
    match mouse.kind {
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let delta = if mouse.kind == MouseEventKind::ScrollDown {
                1
            } else {
                -1
            };
            let focus = state.focus;
            state.focus = pane;
            move_cursor(state, if pane == Pane::Tree { delta * 3 } else { delta });
            state.focus = focus;
        }
        MouseEventKind::Down(MouseButton::Left) => {
            state.focus = pane;
            if pane != Pane::Tree {
                state.left_focus = pane;
            }
            click(state, pane, areas_row(&areas, pane, pos));
        }
        _ => {}
    }
    clamp_scrolls(state);
}

/// Which content row (0-based, before scrolling) a click hit, if any.
pub(super) fn areas_row(areas: &view::Areas, pane: Pane, pos: Position) -> Option<usize> {
    let (rect, header): (Rect, u16) = match pane {
        Pane::Layers => (areas.layers, 2),
        Pane::Tree => (areas.tree, 2),
        Pane::ImageDetails => (areas.image_details, areas.image_table_offset),
        Pane::LayerDetails => return None,
    };
    let top = rect.y + header;
    (pos.y >= top && pos.y < rect.bottom().saturating_sub(1)).then(|| (pos.y - top) as usize)
}

pub(super) fn click(state: &mut State, pane: Pane, row: Option<usize>) {
    let Some(row) = row else {
        return;
    };
    match pane {
        Pane::Layers => {
            let rows = view::layer_rows(&state.image);
            if let Some(LayerRow::Layer(i)) = rows.get(state.layers_scroll + row) {
                state.layer = *i;
                state.refresh();
            }
        }
        Pane::Tree => {
            let index = state.tree_scroll + row;
            if index < state.flat().rows.len() {
                if index == state.tree_cursor {
                    // A second click on a directory opens or closes it.
                    apply(state, Action::ToggleCollapseDir);
                } else {
                    state.tree_cursor = index;
                }
            }
        }
        Pane::ImageDetails => {
            let index = state.inefficient_scroll + row;
            if index < state.image.metrics.inefficient.len() {
                state.inefficient_cursor = index;
            }
        }
        Pane::LayerDetails => {}
    }
}
