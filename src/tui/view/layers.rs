//! The layers pane: compare marker, size and command of each layer, with the empty-layer
//! history entries (ENV, CMD…) dimmed between them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{focused, human, pane_block, selected_style};
use crate::image::escape_name;
use crate::image::model::Image;
use crate::tui::rows::CompareMode;
use crate::tui::state::{Pane, State};

/// A row of the layers pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerRow {
    /// An empty-layer history entry: its command.
    Empty(String),
    Layer(usize),
}

pub fn layer_rows(image: &Image) -> Vec<LayerRow> {
    let mut rows = Vec::new();
    for (i, layer) in image.layers.iter().enumerate() {
        rows.extend(layer.empty_before.iter().cloned().map(LayerRow::Empty));
        rows.push(LayerRow::Layer(i));
    }
    rows.extend(image.trailing_empty.iter().cloned().map(LayerRow::Empty));
    rows
}

/// A history command as one readable line: the `/bin/sh -c` wrapper and `#(nop)` dropped,
/// heredoc newlines shown as `↵`, control characters escaped.
pub fn trim_command(command: &str) -> String {
    // Secrets a builder recorded (tokens on a command line) are never shown in full.
    let scrubbed = crate::image::secrets::scrub(command);
    let mut text = scrubbed.trim();
    // `|2 ARG=a ARG=b /bin/sh -c …`: build args BuildKit prefixes to RUN.
    if text.starts_with('|')
        && let Some(pos) = text.find("/bin/sh -c ")
    {
        text = &text[pos..];
    }
    // BuildKit writes `RUN /bin/sh -c …`; the classic builder `/bin/sh -c …`.
    let run = text.starts_with("RUN /bin/sh -c ");
    if run {
        text = &text[4..];
    }
    for prefix in ["/bin/sh -c ", "#(nop) "] {
        text = text.strip_prefix(prefix).unwrap_or(text).trim_start();
    }
    // `RUN --mount=… --network=… cmd` (buildah keeps the flags in the history): the flags are
    // build plumbing, the command is what the reader wants.
    while text.starts_with("--") {
        match text.find(' ') {
            Some(end) => text = text[end..].trim_start(),
            None => break,
        }
    }
    let text = if run {
        format!("RUN {text}")
    } else {
        text.to_string()
    };
    let mut text = text.as_str();
    text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    let one_line = text.replace("\r\n", "\n").replace('\n', "↵");
    escape_name(&one_line)
}

fn marker(state: &State, index: usize) -> &'static str {
    let selected = state.layer;
    let (base, compared) = match state.compare {
        CompareMode::Layer => (index < selected, index == selected),
        CompareMode::Aggregated => (
            index == 0 && selected > 0,
            index <= selected && (index > 0 || selected == 0),
        ),
        CompareMode::Base(base) => (
            index == base as usize && index != selected,
            index == selected,
        ),
    };
    if compared {
        "■"
    } else if base {
        "□"
    } else {
        " "
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let is_focused = focused(state, Pane::Layers);
    let title = format!("Layers ({}/{})", state.layer + 1, state.image.layers.len());
    let block = pane_block(title, is_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::styled(
        "Cmp     Size  Command",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let visible = inner.height.saturating_sub(1) as usize;
    for row in layer_rows(&state.image)
        .iter()
        .skip(state.layers_scroll)
        .take(visible)
    {
        match row {
            LayerRow::Empty(command) => lines.push(Line::styled(
                format!("    {:>9}  {}", "·", trim_command(command)),
                Style::new().add_modifier(Modifier::DIM),
            )),
            LayerRow::Layer(i) => {
                let layer = &state.image.layers[*i];
                let text = format!(
                    " {}  {:>9}  {}",
                    marker(state, *i),
                    human(layer.size),
                    trim_command(&layer.command)
                );
                let style = if *i == state.layer {
                    selected_style(is_focused)
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(text, style)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
