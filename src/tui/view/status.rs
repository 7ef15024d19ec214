//! The status bar (keys of the focused pane, toggle states, messages) and the filter line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::keys::Action;
use crate::tui::rows::{CompareMode, SizeFilter, SortOrder};
use crate::tui::state::{Pane, State};

fn key(state: &State, action: Action, text: String) -> Vec<Span<'static>> {
    vec![
        Span::styled(
            state.keys.first_label(action),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ),
        Span::raw(format!(" {text} ")),
    ]
}

/// ● shown, ○ hidden: readable without colour.
fn shown(hidden: bool) -> &'static str {
    if hidden { "○" } else { "●" }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let mut spans = Vec::new();
    if state.viewer.is_some() {
        spans.extend(key(state, Action::CloseFilterFiles, "Close".into()));
        spans.extend(key(state, Action::Down, "Scroll".into()));
        spans.extend(key(state, Action::PageDown, "Page".into()));
    } else {
        spans.extend(key(state, Action::Quit, "Quit".into()));
        spans.extend(key(state, Action::ToggleView, "Switch".into()));
        spans.extend(key(state, Action::FilterFiles, "Filter".into()));
        spans.extend(key(state, Action::Help, "Help".into()));
        match state.focus {
            Pane::Layers => {
                let agg = state.compare == CompareMode::Aggregated;
                spans.extend(key(
                    state,
                    Action::CompareAll,
                    format!("{}Aggregated", shown(!agg)),
                ));
                spans.extend(key(
                    state,
                    Action::CompareLayer,
                    format!("{}Layer changes", shown(agg)),
                ));
            }
            Pane::Tree => {
                let h = state.hidden;
                spans.extend(key(state, Action::ToggleCollapseDir, "Fold".into()));
                spans.extend(key(state, Action::OpenFile, "View".into()));
                spans.extend(key(
                    state,
                    Action::ToggleAddedFiles,
                    format!("{}Added", shown(h.added)),
                ));
                spans.extend(key(
                    state,
                    Action::ToggleRemovedFiles,
                    format!("{}Removed", shown(h.removed)),
                ));
                spans.extend(key(
                    state,
                    Action::ToggleModifiedFiles,
                    format!("{}Modified", shown(h.modified)),
                ));
                spans.extend(key(
                    state,
                    Action::ToggleUnmodifiedFiles,
                    format!("{}Unmodified", shown(h.unchanged)),
                ));
                spans.extend(key(state, Action::ToggleFiletreeAttributes, "Attrs".into()));
                let sort = match state.sort {
                    SortOrder::Name => "Sort: name",
                    SortOrder::SizeDesc => "Sort: size",
                };
                spans.extend(key(state, Action::ToggleSortOrder, sort.into()));
            }
            Pane::ImageDetails => spans.extend(key(state, Action::OpenFile, "Jump to path".into())),
            Pane::LayerDetails => {}
        }
    }
    let mut lines = Line::from(spans);
    if let Some(message) = &state.message {
        lines = Line::from(vec![Span::styled(
            format!(" {message} "),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        )]);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn draw_filter(frame: &mut Frame, area: Rect, state: &State) {
    let filter = &state.filter;
    let mut spans = vec![
        Span::styled(
            if SizeFilter::parse(&filter.input).is_some() {
                "Filter (size): "
            } else {
                "Filter (regex, or >10MB / <1KB): "
            },
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(filter.input.clone()),
    ];
    if filter.editing {
        spans.push(Span::styled(
            "█",
            Style::new().add_modifier(Modifier::SLOW_BLINK),
        ));
    }
    if let Some(error) = &filter.error {
        spans.push(Span::styled(
            format!("  ✗ {error}"),
            Style::new().fg(Color::Red),
        ));
    } else if !filter.input.is_empty() {
        spans.push(Span::styled(
            format!("  {} rows", state.flat().rows.len()),
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
