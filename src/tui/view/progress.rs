//! The progress view shown while the image loads.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph};

use super::pane_block;

/// How far loading got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub reference: String,
    pub done: u64,
    pub total: u64,
    /// What is happening now (`reading layer 3/17 sha256:…`).
    pub message: String,
}

pub fn draw_progress(frame: &mut Frame, progress: &Progress) {
    let area = frame.area();
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(6),
        Constraint::Fill(1),
    ])
    .areas(area);
    let block = pane_block(format!("imgdive · loading {}", progress.reference), true);
    let inner = block.inner(middle);
    frame.render_widget(block, middle);
    let [text, gauge] =
        Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::raw(progress.message.clone())), text);
    let ratio = if progress.total == 0 {
        0.0
    } else {
        (progress.done as f64 / progress.total as f64).clamp(0.0, 1.0)
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(Style::new().fg(Color::Cyan))
            .ratio(ratio)
            .label(format!("{}/{}", progress.done, progress.total)),
        gauge,
    );
}
