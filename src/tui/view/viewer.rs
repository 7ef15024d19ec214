//! The file viewer overlay: the path's history (every layer that touched it) above its content
//! in the selected layer (text, paged; or a hex summary).

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Areas, change_marker, change_style, change_word, human, pane_block, trim_command};
use crate::image::escape_name;
use crate::tui::content::ViewerContent;
use crate::tui::state::State;

pub fn draw(frame: &mut Frame, areas: &Areas, state: &State) {
    let Some(viewer) = &state.viewer else { return };
    let path = escape_name(&viewer.path);
    frame.render_widget(Clear, areas.viewer_history);
    frame.render_widget(Clear, areas.viewer_body);

    let history_block = pane_block(format!("History of {path}"), false);
    let mut lines = vec![Line::styled(
        "   Layer  Change          Size  Command",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for h in &viewer.history {
        let command = state
            .image
            .layers
            .get(h.layer as usize)
            .map(|l| trim_command(&l.command))
            .unwrap_or_default();
        let size = h.size.map(human).unwrap_or_else(|| "-".to_string());
        let current = if Some(h.layer) == viewer.layer {
            "▶"
        } else {
            " "
        };
        lines.push(Line::styled(
            format!(
                "{current}{} {:>5}  {:<9} {:>10}  {command}",
                change_marker(h.change),
                h.layer + 1,
                change_word(h.change),
                size
            ),
            change_style(h.change),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(history_block),
        areas.viewer_history,
    );

    let layer = viewer
        .layer
        .map_or_else(|| "-".to_string(), |l| (l + 1).to_string());
    let body_lines = viewer.content.lines();
    let status = match &viewer.content {
        ViewerContent::Text { truncated, .. } => format!(
            "lines {}-{} of {}{}",
            (viewer.scroll + 1).min(body_lines.len()),
            (viewer.scroll + areas.viewer_body_height).min(body_lines.len()),
            body_lines.len(),
            if *truncated { " (first MB only)" } else { "" }
        ),
        ViewerContent::Binary { size, .. } => format!("binary, {}", human(*size)),
        ViewerContent::Unavailable(_) => "no content".to_string(),
    };
    let what = match &viewer.diff_of {
        Some((_, previous)) => format!("{path}: diff layer {} → {layer}", previous + 1),
        None => format!("{path} in layer {layer}"),
    };
    let block = pane_block(format!("{what} · {status} · Esc closes"), true);
    let paragraph = match &viewer.content {
        ViewerContent::Unavailable(why) => Paragraph::new(Line::styled(
            format!("({why})"),
            Style::new().add_modifier(Modifier::DIM),
        )),
        _ => Paragraph::new(
            body_lines
                .iter()
                .skip(viewer.scroll)
                .take(areas.viewer_body_height)
                .map(|l| Line::raw(l.as_str()))
                .collect::<Vec<_>>(),
        ),
    };
    frame.render_widget(paragraph.block(block), areas.viewer_body);
}
