//! The layer details pane: digest, diff id, sizes, creation time (from the config's history)
//! and full command of the selected layer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{focused, human, pane_block};
use crate::image::escape_name;
use crate::tui::state::{Pane, State};

fn field(name: &'static str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{name:<9}"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = pane_block(
        "Layer Details".to_string(),
        focused(state, Pane::LayerDetails),
    );
    let Some(layer) = state.image.layers.get(state.layer) else {
        frame.render_widget(Paragraph::new("no layers").block(block), area);
        return;
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut fields = vec![
        // The TUI counts layers from 1 (dive does); JSON, `--ci` and `extract --layer` from 0.
        field(
            "Layer:",
            format!(
                "{} of {} (index {} in --json, counted from 0)",
                state.layer + 1,
                state.image.layers.len(),
                layer.index
            ),
        ),
        // Digests come from the image's manifest and config: untrusted text like file names.
        field("Digest:", escape_name(&layer.digest)),
        field("Diff id:", escape_name(&layer.diff_id)),
        field(
            "Size:",
            format!(
                "{} uncompressed, {} stored, {} entries",
                human(layer.size),
                human(layer.compressed_size),
                layer.entry_count
            ),
        ),
        field(
            "Created:",
            layer
                .created
                .as_deref()
                .map_or_else(|| "(not recorded)".to_string(), escape_name),
        ),
    ];
    if let Some(attribution) = state
        .annotations
        .as_ref()
        .and_then(|a| a.attribution.as_ref())
    {
        fields.push(field(
            "Line:",
            match attribution.layers.get(state.layer).cloned().flatten() {
                Some(l) => format!("Dockerfile:{} {}", l.line, escape_name(&l.instruction)),
                None => "no instruction of the Dockerfile made this layer".to_string(),
            },
        ));
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Length(fields.len() as u16), Constraint::Fill(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(fields), top);
    // The full command, wrapped: the one place where a long RUN line can be read whole.
    let command = Line::from(vec![
        Span::styled("Command: ", Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(escape_name(
            &crate::image::secrets::scrub(&layer.command).replace('\n', "↵"),
        )),
    ]);
    frame.render_widget(Paragraph::new(command).wrap(Wrap { trim: false }), bottom);
}
