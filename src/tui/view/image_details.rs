//! The image details pane: size, efficiency, waste, reclaimable bytes and the inefficient paths
//! (Enter on one jumps to it in the tree).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{focused, human, pane_block, selected_style};
use crate::image::escape_name;
use crate::tui::state::{Pane, State};

fn field(name: &'static str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(
            format!("{name:<22}"),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(value),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let is_focused = focused(state, Pane::ImageDetails);
    let block = pane_block("Image Details".to_string(), is_focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let image = &state.image;
    let m = &image.metrics;
    let mut lines = vec![
        field("Image:", escape_name(&image.reference)),
        field("Total size:", human(m.total_size)),
        field(
            "Efficiency:",
            format!(
                "{:.2} %   (user wasted {:.2} %)",
                m.efficiency * 100.0,
                m.user_wasted_percent * 100.0
            ),
        ),
        field("Wasted (dive):", human(m.wasted_bytes)),
        field("Reclaimable:", human(m.reclaimable_bytes)),
        field(
            "Duplicate content:",
            format!(
                "{} in {} groups (other paths; not reclaimable)",
                human(image.duplicates.iter().map(|d| d.duplicate_bytes).sum()),
                image.duplicates.len()
            ),
        ),
    ];
    if let Some(line) = crate::image::metrics::format_metadata_line(image) {
        lines.push(Line::raw(line));
    }
    if let Some(annotations) = &state.annotations {
        // Reclaimable bytes by the line that stored them, then the secrets (at most three
        // each: the inefficient paths below keep the rest of the pane).
        for group in annotations.line_waste.iter().take(3) {
            let hidden: Vec<String> = group.hidden_lines.iter().map(u32::to_string).collect();
            let text: String = group.stored.instruction.chars().take(40).collect();
            lines.push(Line::raw(format!(
                "  line {} {}: {}, deleted at line {}",
                group.stored.line,
                escape_name(&text),
                human(group.bytes),
                if hidden.is_empty() {
                    "?".to_string()
                } else {
                    hidden.join(", ")
                }
            )));
        }
        lines.push(field("Secrets:", annotations.secrets.len().to_string()));
        for secret in annotations.secrets.iter().take(3) {
            let place = match (secret.layer, secret.hidden_by) {
                (Some(l), Some(h)) => format!(" (layer {l}, deleted by layer {h})"),
                (Some(l), None) => format!(" (layer {l})"),
                _ => String::new(),
            };
            lines.push(Line::styled(
                format!(
                    "  ⚠ {} {} {}{place}",
                    secret.kind,
                    escape_name(&secret.location),
                    secret.preview
                ),
                Style::new().fg(ratatui::style::Color::Red),
            ));
        }
    }
    lines.push(Line::styled(
        "Count  Total Space  Path",
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let rows = inner.height.saturating_sub(lines.len() as u16) as usize;
    for (i, item) in m
        .inefficient
        .iter()
        .enumerate()
        .skip(state.inefficient_scroll)
        .take(rows)
    {
        let style = if i == state.inefficient_cursor && is_focused {
            selected_style(true)
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{:>5}  {:>11}  {}",
                item.count,
                human(item.bytes),
                escape_name(&item.path)
            ),
            style,
        )));
    }
    if m.inefficient.is_empty() {
        lines.push(Line::styled(
            "  (no inefficient paths)",
            Style::new().add_modifier(Modifier::DIM),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
