//! Drawing: a pure function from [`State`] to a frame, one module per pane. The layout is a
//! function of the state too, so the mouse handler can hit-test the same rectangles.

mod help;
mod image_config;
mod image_details;
mod largest;
mod layer_details;
mod layers;
mod progress;
mod status;
mod tree;
mod viewer;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders};

pub use layers::{LayerRow, layer_rows, trim_command};
pub use progress::{Progress, draw_progress};

use super::state::{Pane, State};
use crate::image::model::Change;

/// Where each pane goes for the state's terminal size.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub layers: Rect,
    pub layer_details: Rect,
    pub image_details: Rect,
    pub tree: Rect,
    pub filter: Option<Rect>,
    pub status: Rect,
    /// Rows of the tree pane below its border and header.
    pub tree_body_height: usize,
    /// Offset of the first inefficient-path row inside the image details pane, and row count.
    pub image_table_offset: u16,
    pub image_table_height: usize,
    /// The viewer overlay: history on top, content below.
    pub viewer_history: Rect,
    pub viewer_body: Rect,
    pub viewer_body_height: usize,
}

/// Lines of the image details pane above its table (border + summary + table header).
const IMAGE_SUMMARY_LINES: u16 = 8;

pub fn areas(state: &State) -> Areas {
    let full = Rect::new(0, 0, state.width, state.height);
    let show_filter = state.filter.editing || !state.filter.input.is_empty();
    let [body, filter, status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(u16::from(show_filter)),
        Constraint::Length(1),
    ])
    .areas(full);
    let [left, right] = Layout::horizontal([
        Constraint::Fill((((1.0 - state.tree_width) * 1000.0) as u16).max(1)),
        Constraint::Fill(((state.tree_width * 1000.0) as u16).max(1)),
    ])
    .areas(body);
    let layer_lines = layer_rows(&state.image).len() as u16 + 3;
    let layers_height = layer_lines.clamp(4, (left.height * 2 / 5).max(4));
    let [layers, layer_details, image_details] = Layout::vertical([
        Constraint::Length(layers_height),
        Constraint::Length(10),
        Constraint::Min(IMAGE_SUMMARY_LINES + 2),
    ])
    .areas(left);
    let history_lines = state
        .viewer
        .as_ref()
        .map_or(0, |v| v.history.len() as u16 + 3)
        .min(body.height / 3);
    let [viewer_history, viewer_body] =
        Layout::vertical([Constraint::Length(history_lines), Constraint::Min(3)]).areas(body);
    Areas {
        layers,
        layer_details,
        image_details,
        tree: right,
        filter: show_filter.then_some(filter),
        status,
        tree_body_height: right.height.saturating_sub(3) as usize,
        image_table_offset: IMAGE_SUMMARY_LINES,
        image_table_height: image_details.height.saturating_sub(IMAGE_SUMMARY_LINES + 1) as usize,
        viewer_history,
        viewer_body,
        viewer_body_height: viewer_body.height.saturating_sub(2) as usize,
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &State) {
    let areas = areas(state);
    layers::draw(frame, areas.layers, state);
    layer_details::draw(frame, areas.layer_details, state);
    image_details::draw(frame, areas.image_details, state);
    tree::draw(frame, areas.tree, state);
    if let Some(filter) = areas.filter {
        status::draw_filter(frame, filter, state);
    }
    status::draw(frame, areas.status, state);
    if state.viewer.is_some() {
        viewer::draw(frame, &areas, state);
    }
    if state.image_config {
        image_config::draw(frame, frame.area(), state);
    }
    if state.largest {
        largest::draw(frame, frame.area(), state);
    }
    if state.help {
        help::draw(frame, frame.area(), state);
    }
}

/// A pane's frame: bold title, highlighted border when focused.
pub(crate) fn pane_block(title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    let title = if focused {
        format!("● {title}")
    } else {
        title
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(style)
        .title(title)
        .title_style(style)
}

pub(crate) fn focused(state: &State, pane: Pane) -> bool {
    state.focus == pane
        && state.viewer.is_none()
        && !state.help
        && !state.image_config
        && !state.largest
}

/// The colour of a change; every coloured row also carries [`change_marker`].
pub(crate) fn change_style(change: Change) -> Style {
    match change {
        Change::Added => Style::new().fg(Color::Green),
        Change::Removed => Style::new().fg(Color::Red),
        Change::Modified => Style::new().fg(Color::Yellow),
        Change::Unchanged => Style::new(),
    }
}

/// A marker that reads without colour.
pub(crate) fn change_marker(change: Change) -> char {
    match change {
        Change::Added => '+',
        Change::Removed => '-',
        Change::Modified => '~',
        Change::Unchanged => ' ',
    }
}

pub(crate) fn change_word(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Modified => "modified",
        Change::Unchanged => "unchanged",
    }
}

pub(crate) fn human(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL)
}

/// Sizes as every pane prints them (decimal units, like dive).
/// An overlay's area: 90 % of the width, centred, `height` tall, centred; cleared so the panes
/// beneath do not show through.
fn popup(frame: &mut Frame, area: Rect, height: Constraint) -> Rect {
    let [_, middle, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Percentage(90),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] =
        Layout::vertical([Constraint::Fill(1), height, Constraint::Fill(1)]).areas(middle);
    frame.render_widget(ratatui::widgets::Clear, popup);
    popup
}

pub fn human_size(bytes: u64) -> String {
    human(bytes)
}

pub(crate) fn selected_style(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new().add_modifier(Modifier::UNDERLINED)
    }
}
