//! The image config overlay: what the container runs with (user, working directory, entrypoint,
//! command, environment, ports, volumes, labels, stop signal, healthcheck), when the image was
//! created and by whom, its platform and its annotations. dive has no such view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::pane_block;
use crate::image::escape_name;
use crate::tui::keys::Action;
use crate::tui::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let settings = state.image.config.display_lines();
    let popup = super::popup(frame, area, Constraint::Max(settings.len() as u16 + 2));
    // Every value comes from the image: escaped like file names.
    let lines: Vec<Line> = settings
        .into_iter()
        .map(|(name, value)| {
            Line::from(vec![
                Span::styled(
                    format!("{name:<13}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(escape_name(&value)),
            ])
        })
        .collect();
    let title = format!(
        "Image config · {} closes",
        state.keys.first_label(Action::ImageConfig)
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(pane_block(title, true))
            .wrap(Wrap { trim: false })
            .scroll((state.image_config_scroll as u16, 0)),
        popup,
    );
}
