//! State machine (key → state) and rendered-buffer tests on a hand-built image: the panes
//! here, the overlays, input handling and background rows in the modules below.

use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::image::fixtures::sample_image;
use crate::image::model::{Change, Layer};
use crate::tui::content::{FileSource, ViewerContent};
use crate::tui::keys::KeyMap;
use crate::tui::rows::{CompareMode, SortOrder};
use crate::tui::state::{Pane, State};
use crate::tui::update::handle_event;
use crate::tui::view;

fn state() -> State {
    let mut s = State::new(Arc::new(sample_image()), KeyMap::default(), None);
    s.width = 160;
    s.height = 40;
    s
}

fn key(s: &mut State, code: KeyCode) {
    handle_event(s, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(s: &mut State, c: char) {
    handle_event(
        s,
        &Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row, trailing spaces trimmed.
fn render(s: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
    terminal.draw(|f| view::draw(f, s)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn tree_names(s: &State) -> Vec<String> {
    s.flat()
        .rows
        .iter()
        .map(|r| s.image.tree.path(r.node))
        .collect()
}

fn change_of(s: &State, path: &str) -> Option<Change> {
    let id = s.image.tree.lookup(path)?;
    s.tree_view().get(id).map(|i| i.change)
}

#[test]
fn layer_mode_shows_the_image_with_the_layers_changes_marked() {
    let mut s = state();
    assert_eq!(s.focus, Pane::Layers);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    assert_eq!(s.layer, 2);
    // As in dive: the whole filesystem as of the layer; what it did not touch is unmodified.
    assert_eq!(change_of(&s, "/etc/motd"), Some(Change::Unchanged));
    assert_eq!(change_of(&s, "/app/bin/hello.sh"), Some(Change::Unchanged));
    assert_eq!(change_of(&s, "/app/cache/build.log"), Some(Change::Removed));
    assert_eq!(change_of(&s, "/app/config.ini"), Some(Change::Modified));
    // A directory of mixed changes reads as modified.
    assert_eq!(change_of(&s, "/app"), Some(Change::Modified));
    // A directory whose shown content is all removed counts the removed bytes.
    let cache = s.image.tree.lookup("/app/cache").unwrap();
    assert_eq!(
        s.tree_view().get(cache).map(|i| (i.change, i.size)),
        Some((Change::Removed, 8893))
    );
    let app = s.image.tree.lookup("/app").unwrap();
    assert_eq!(s.tree_view().get(app).map(|i| i.size), Some(56));
    // ctrl+u (dive's hide-unmodified) leaves only what the layer itself changed.
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'u');
    assert_eq!(
        tree_names(&s),
        [
            "/app",
            "/app/cache",
            "/app/cache/build.log",
            "/app/config.ini"
        ]
    );
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Char('k'));
    assert_eq!(s.layer, 1);
    assert_eq!(change_of(&s, "/app/cache/build.log"), Some(Change::Added));
    assert_eq!(change_of(&s, "/usr/local/bin/hello"), Some(Change::Added));
    // A path removed by an earlier layer is not in the filesystem any more.
    key(&mut s, KeyCode::End);
    ctrl(&mut s, 'u');
    assert_eq!(change_of(&s, "/app/cache/build.log"), None);
}

#[test]
fn aggregated_mode_marks_against_the_first_layer() {
    let mut s = state();
    key(&mut s, KeyCode::End);
    assert_eq!(s.layer, 3);
    ctrl(&mut s, 'a');
    assert_eq!(s.compare, CompareMode::Aggregated);
    assert_eq!(change_of(&s, "/etc/motd"), Some(Change::Unchanged));
    assert_eq!(change_of(&s, "/app/config.ini"), Some(Change::Modified));
    assert_eq!(change_of(&s, "/app/cache/build.log"), Some(Change::Removed));
    assert_eq!(change_of(&s, "/usr/local/bin/hello"), Some(Change::Added));
    ctrl(&mut s, 'l');
    assert_eq!(s.compare, CompareMode::Layer);
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'u');
    assert_eq!(
        tree_names(&s),
        ["/app", "/app/bin", "/app/bin/hello.sh", "/app/config.ini"]
    );
}

#[test]
fn tab_switches_pane_and_ctrl_a_means_hide_added_in_the_tree() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Tree);
    ctrl(&mut s, 'a');
    assert!(s.hidden.added);
    assert_eq!(s.compare, CompareMode::Layer);
    ctrl(&mut s, 'u');
    // Layer 1 added the cache dir and the symlink; only the modified config stays.
    assert_eq!(tree_names(&s), ["/app", "/app/config.ini"]);
    ctrl(&mut s, 'a');
    ctrl(&mut s, 'r');
    key(&mut s, KeyCode::Char('M'));
    assert!(s.hidden.unchanged && s.hidden.removed && s.hidden.modified);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Layers);
}

#[test]
fn space_collapses_and_right_expands() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.selected_node(), s.image.tree.lookup("/app"));
    let before = s.flat().rows.len();
    key(&mut s, KeyCode::Char(' '));
    assert_eq!(s.flat().rows.len(), before - 3);
    assert!(render(&s).contains("app ⊕"));
    key(&mut s, KeyCode::Right);
    assert_eq!(s.flat().rows.len(), before);
    key(&mut s, KeyCode::Right);
    assert_eq!(s.selected_node(), s.image.tree.lookup("/app/bin"));
    key(&mut s, KeyCode::Left);
    assert_eq!(s.selected_node(), s.image.tree.lookup("/app"));
    ctrl(&mut s, ' ');
    assert_eq!(tree_names(&s), ["/app", "/etc"]);
    ctrl(&mut s, ' ');
    assert_eq!(s.flat().rows.len(), before);
}

#[test]
fn filter_keeps_parents_of_matches_and_reports_bad_regex() {
    let mut s = state();
    key(&mut s, KeyCode::Char('/'));
    assert!(s.filter.editing);
    typed(&mut s, "hello\\.sh$");
    assert_eq!(tree_names(&s), ["/app", "/app/bin", "/app/bin/hello.sh"]);
    let screen = render(&s);
    assert!(
        screen.contains("Filter (regex, or >10MB / <1KB): hello\\.sh$"),
        "{screen}"
    );
    key(&mut s, KeyCode::Char('('));
    assert!(s.filter.error.is_some());
    // The last good filter stays in effect while the input is broken.
    assert_eq!(tree_names(&s).len(), 3);
    assert!(render(&s).contains("✗"));
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Enter);
    assert!(!s.filter.editing);
    assert_eq!(s.focus, Pane::Tree);
    key(&mut s, KeyCode::Esc);
    assert!(s.filter.input.is_empty());
    assert!(tree_names(&s).len() > 3);
}

#[test]
fn sort_by_size_puts_big_entries_first() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'o');
    assert_eq!(s.sort, SortOrder::SizeDesc);
    let names = tree_names(&s);
    let etc = names.iter().position(|n| n == "/etc").unwrap();
    let app = names.iter().position(|n| n == "/app").unwrap();
    assert!(app < etc, "{names:?}");
    let motd = names.iter().position(|n| n == "/etc/motd").unwrap();
    let evil = names
        .iter()
        .position(|n| n.starts_with("/etc/\x1b"))
        .unwrap();
    assert!(motd < evil, "{names:?}");
    // Each row shows its share of the image: /app holds 65 of the image's bytes.
    let share = 65.0 * 100.0 / s.image.metrics.total_size as f64;
    let screen = render(&s);
    assert!(screen.contains("Size  Share  Filetree"), "{screen}");
    assert!(
        screen.contains(&format!("65 B {share:>5.1}%  ├── app")),
        "{screen}"
    );
}

#[test]
fn tree_pane_renders_attributes_markers_links_and_escaped_names() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    let screen = render(&s);
    assert!(
        screen.contains("Current Layer Contents (layer 2)"),
        "{screen}"
    );
    assert!(
        screen.contains("Permission     UID:GID       Size  Filetree"),
        "{screen}"
    );
    assert!(
        screen.contains("+ -rw-r--r--         0:0     8.89 kB  │   │   └── build.log")
            || screen.contains("+ -rw-r--r--         0:0    8.89 kB"),
        "{screen}"
    );
    assert!(screen.contains("hello → /app/bin/hello.sh"), "{screen}");
    assert!(screen.contains("~ -rw-rw-rw-         0:0"), "{screen}");
    key(&mut s, KeyCode::Up);
    let screen = render(&s);
    assert!(screen.contains("\\x1b[31mevil"), "{screen}");
    assert!(!screen.contains('\x1b'));
    ctrl(&mut s, 'b');
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'b');
    assert!(!s.show_attributes);
    assert!(!render(&s).contains("Permission"));
}

#[test]
fn layers_pane_trims_commands_and_dims_empty_layers() {
    let s = state();
    let screen = render(&s);
    assert!(screen.contains("Cmp     Size  Command"), "{screen}");
    assert!(
        screen.contains(" ■      101 B  COPY dir:abc in /"),
        "{screen}"
    );
    assert!(
        screen.contains("            ·  ENV APP_HOME=/app"),
        "{screen}"
    );
    assert!(
        screen.contains("  RUN cat <<EOF > /app/config.ini↵debug=false↵EOF\n")
            || screen.contains("  RUN cat <<EOF > /app/config.ini↵debug=false↵EOF "),
        "{screen}"
    );
    assert!(
        screen.contains("            ·  CMD [\"/app/bin/hello.sh\"]"),
        "{screen}"
    );
    assert_eq!(view::trim_command("|1 V=2 /bin/sh -c make"), "make");
    assert_eq!(
        view::trim_command("/bin/sh -c --mount=type=bind,from=t,target=/b [\"/b\", \"ls\"]"),
        "[\"/b\", \"ls\"]"
    );
}

#[test]
fn compare_marker_follows_mode() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    let screen = render(&s);
    assert!(screen.contains(" □      101 B  COPY"), "{screen}");
    assert!(screen.contains(" □    8.90 kB  mkdir"), "{screen}");
    assert!(screen.contains(" ■       12 B  RUN cat"), "{screen}");
    assert!(screen.contains("         56 B  chmod"), "{screen}");
    ctrl(&mut s, 'a');
    let screen = render(&s);
    assert!(screen.contains(" □      101 B  COPY"), "{screen}");
    assert!(screen.contains(" ■    8.90 kB  mkdir"), "{screen}");
    assert!(screen.contains(" ■       12 B  RUN cat"), "{screen}");
    assert!(screen.contains("         56 B  chmod"), "{screen}");
}

#[test]
fn details_panes_show_layer_and_image_figures() {
    let s = state();
    let screen = render(&s);
    assert!(
        screen.contains(&format!("Digest:  sha256:{:064x}", 0xabc0)[..60]),
        "{screen}"
    );
    // The figures come from the image's own analysis, not from numbers typed in here.
    let m = &s.image.metrics;
    let total = format!("Total size:           {}", view::human(m.total_size));
    assert!(screen.contains(&total), "{total}\n{screen}");
    let efficiency = format!("Efficiency:           {:.2} %", m.efficiency * 100.0);
    assert!(screen.contains(&efficiency), "{efficiency}\n{screen}");
    let reclaimable = format!("Reclaimable:          {}", view::human(m.reclaimable_bytes));
    assert!(screen.contains(&reclaimable), "{reclaimable}\n{screen}");
    let worst = m
        .inefficient
        .first()
        .expect("the sample image wastes space");
    let row = format!(
        "{:>5}  {:>11}  {}",
        worst.count,
        view::human(worst.bytes),
        worst.path
    );
    assert!(screen.contains(&row), "{row}\n{screen}");
}

#[test]
fn sizes_are_formatted_in_decimal_units_like_dive() {
    assert_eq!(view::human(0), "0 B");
    assert_eq!(view::human(8_893), "8.89 kB");
    assert_eq!(view::human(9_070), "9.07 kB");
    assert_eq!(view::human(1_160_000_000), "1.16 GB");
}

#[test]
fn selecting_an_inefficient_path_jumps_to_it_in_the_tree() {
    let mut s = state();
    key(&mut s, KeyCode::Left);
    assert_eq!(s.focus, Pane::ImageDetails);
    key(&mut s, KeyCode::Down);
    assert_eq!(s.inefficient_cursor, 1);
    key(&mut s, KeyCode::Up);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.focus, Pane::Tree);
    assert_eq!(s.layer, 2);
    assert_eq!(
        s.selected_node(),
        s.image.tree.lookup("/app/cache/build.log")
    );
    assert!(render(&s).contains("last touched by layer 3"));
}

mod input;
mod overlays;
mod worker;
