//! The largest-files overlay: the biggest files of the image as of the selected layer, and the
//! biggest the layer itself stored, each with its share of the image's size.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{human, pane_block};
use crate::image::escape_name;
use crate::image::largest::{SizedFile, largest};
use crate::tui::keys::Action;
use crate::tui::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let popup = super::popup(frame, area, Constraint::Percentage(90));
    // Half the rows for each list.
    let per_list = (popup.height.saturating_sub(6) / 2).max(1) as usize;
    let layer = state.layer as u32;
    let total = state.image.metrics.total_size.max(1);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = Vec::new();
    let list = |lines: &mut Vec<Line>, title: String, files: Vec<SizedFile>| {
        lines.push(Line::styled(title, bold));
        if files.is_empty() {
            lines.push(Line::raw("  (no files)"));
        }
        for f in files {
            lines.push(Line::raw(format!(
                "{:>11} {:>6.2} %  layer {:<3} {}",
                human(f.size),
                f.size as f64 * 100.0 / total as f64,
                f.layer + 1,
                escape_name(&state.image.tree.path(f.node))
            )));
        }
    };
    list(
        &mut lines,
        format!(
            "Largest in the image as of layer {} (size, share of the image, layer that stored it)",
            layer + 1
        ),
        largest(&state.image, layer, false, per_list),
    );
    lines.push(Line::raw(""));
    list(
        &mut lines,
        format!("Largest stored by layer {}", layer + 1),
        largest(&state.image, layer, true, per_list),
    );
    let title = format!(
        "Largest files · {} closes",
        state.keys.first_label(Action::LargestFiles)
    );
    frame.render_widget(Paragraph::new(lines).block(pane_block(title, true)), popup);
}
