//! The help overlay: every action with its keys, and the change markers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{change_marker, change_style, change_word, pane_block};
use crate::image::model::Change;
use crate::tui::keys::Action;
use crate::tui::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let [_, middle, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Max(78),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Max(Action::ALL.len() as u16 + 6),
        Constraint::Fill(1),
    ])
    .areas(middle);
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = Action::ALL
        .iter()
        .map(|a| {
            Line::from(vec![
                Span::styled(
                    format!("{:<24}", state.keys.labels(*a)),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(a.description()),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    let mut legend = vec![Span::raw("Markers: ")];
    for change in [
        Change::Added,
        Change::Modified,
        Change::Removed,
        Change::Unchanged,
    ] {
        legend.push(Span::styled(
            format!("[{}] {}  ", change_marker(change), change_word(change)),
            change_style(change),
        ));
    }
    lines.push(Line::from(legend));
    let block = pane_block("Help · keys (Esc or ? closes)".to_string(), true);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((state.help_scroll as u16, 0)),
        popup,
    );
}
