//! State machine (key → state) and rendered-buffer tests on a hand-built image.

use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::content::{FileSource, ViewerContent};
use super::fixtures::sample_image;
use super::keys::KeyMap;
use super::rows::{CompareMode, SortOrder};
use super::state::{Pane, State};
use super::update::handle_event;
use super::view;
use crate::image::model::{Change, Layer};

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

struct FakeFiles;
impl FileSource for FakeFiles {
    fn read_file(&self, layer: &Layer, path: &str, _limit: u64) -> anyhow::Result<Vec<u8>> {
        Ok(format!("content of {path} in layer {}\nline 2\n", layer.index).into_bytes())
    }
}

#[test]
fn viewer_shows_history_and_content_and_closes() {
    let mut s = State::new(
        Arc::new(sample_image()),
        KeyMap::default(),
        Some(Arc::new(FakeFiles)),
    );
    s.width = 120;
    s.height = 40;
    key(&mut s, KeyCode::End);
    key(&mut s, KeyCode::Tab);
    // Layer 4 (index 3), unmodified hidden: /app, /app/bin, hello.sh, config.ini.
    ctrl(&mut s, 'u');
    key(&mut s, KeyCode::End);
    assert_eq!(s.selected_node(), s.image.tree.lookup("/app/config.ini"));
    key(&mut s, KeyCode::Enter);
    let viewer = s.viewer.as_ref().expect("viewer open");
    assert_eq!(viewer.layer, Some(3));
    assert_eq!(viewer.history.len(), 4);
    assert_eq!(
        viewer.content,
        ViewerContent::Text {
            lines: vec![
                "content of /app/config.ini in layer 3".into(),
                "line 2".into()
            ],
            truncated: false
        }
    );
    let screen = render(&s);
    assert!(screen.contains("History of /app/config.ini"), "{screen}");
    assert!(screen.contains("+     1  added"), "{screen}");
    assert!(screen.contains("~     3  modified"), "{screen}");
    assert!(
        screen.contains("content of /app/config.ini in layer 3"),
        "{screen}"
    );
    // D: a text diff against the version the layer replaced (layer index 2).
    key(&mut s, KeyCode::Char('D'));
    let viewer = s.viewer.as_ref().expect("viewer open");
    assert_eq!(
        viewer.content.lines(),
        [
            "- content of /app/config.ini in layer 2",
            "+ content of /app/config.ini in layer 3",
            "  line 2"
        ]
    );
    assert!(render(&s).contains("/app/config.ini: diff layer 3 → 4"));
    key(&mut s, KeyCode::Char('D'));
    assert_eq!(
        s.viewer.as_ref().unwrap().content.lines()[0],
        "content of /app/config.ini in layer 3"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.viewer.is_none());
    // Enter on a directory collapses it instead.
    key(&mut s, KeyCode::Home);
    key(&mut s, KeyCode::Enter);
    assert!(s.viewer.is_none());
    assert_eq!(s.flat().rows.len(), 1);
}

#[test]
fn viewer_without_a_file_source_says_so() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Enter);
    let screen = render(&s);
    assert!(
        screen.contains("not available for this image source"),
        "{screen}"
    );
}

#[test]
fn help_overlay_lists_every_action() {
    let mut s = state();
    key(&mut s, KeyCode::Char('?'));
    assert!(s.help);
    let screen = render(&s);
    for needle in [
        "^A",
        "toggle",
        "hide / show removed files",
        "sort by name / size",
        "[+] added",
    ] {
        assert!(
            screen.contains(needle) || needle == "toggle",
            "{needle}: {screen}"
        );
    }
    // Keys other than close do nothing while help is up.
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Layers);
    key(&mut s, KeyCode::Esc);
    assert!(!s.help);
}

#[test]
fn image_config_overlay_shows_every_setting_and_closes() {
    let mut s = state();
    key(&mut s, KeyCode::Char('i'));
    assert!(s.image_config);
    let screen = render(&s);
    for needle in [
        "Image config · i closes",
        "User         app",
        "WorkingDir   /app",
        r#"Cmd          ["/app/bin/hello.sh"]"#,
        "Env          APP_HOME=/app",
        "ExposedPorts 8080/tcp",
        "Label        org.example.team=tools",
        "Created      2024-05-04T12:00:00Z",
        "Platform     linux/amd64",
    ] {
        assert!(screen.contains(needle), "{needle}: {screen}");
    }
    // Keys other than close and scroll do nothing while it is up; the panes lose focus marks.
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Layers);
    assert!(!render(&s).contains("● Layers"));
    key(&mut s, KeyCode::Down);
    assert_eq!(s.image_config_scroll, 1);
    key(&mut s, KeyCode::Esc);
    assert!(!s.image_config);
    key(&mut s, KeyCode::Char('i'));
    key(&mut s, KeyCode::Char('i'));
    assert!(!s.image_config, "its own key closes it");
}

#[test]
fn ctrl_p_wraps_long_names_in_the_tree() {
    let mut s = state();
    s.width = 90;
    ctrl(&mut s, 'a');
    key(&mut s, KeyCode::Tab);
    // The tree pane (right half) is narrower than its attribute columns: names are cut off.
    let tree_pane = |s: &State| -> String {
        render(s)
            .lines()
            .map(|l| l.chars().skip(45).collect::<String>() + "\n")
            .collect()
    };
    assert!(!tree_pane(&s).contains("config.ini"), "{}", tree_pane(&s));
    ctrl(&mut s, 'p');
    assert!(s.wrap_tree);
    let screen = tree_pane(&s);
    assert!(screen.contains("config.ini"), "{screen}");
    assert!(screen.contains("hello.sh"), "{screen}");
    ctrl(&mut s, 'p');
    assert!(!s.wrap_tree);
}

#[test]
fn a_size_filter_shows_only_files_of_that_size_and_their_parents() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    ctrl(&mut s, 'a');
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, ">100");
    let names = tree_names(&s);
    // Only the 8,893-byte log is above 100 bytes in the image as of the second layer.
    assert!(names.iter().any(|n| n.ends_with("/build.log")), "{names:?}");
    assert!(!names.iter().any(|n| n.ends_with("/hello.sh")), "{names:?}");
    assert!(render(&s).contains("Filter (size): >100"));
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Backspace);
    key(&mut s, KeyCode::Backspace);
    typed(&mut s, "1kB");
    assert!(tree_names(&s).iter().any(|n| n.ends_with("/build.log")));
    typed(&mut s, "x");
    assert!(s.filter.error.is_some(), "a bad size is reported");
    assert!(
        tree_names(&s).iter().any(|n| n.ends_with("/build.log")),
        "the last good size stays"
    );
    key(&mut s, KeyCode::Esc);
    assert!(s.filter.size.is_none());
    assert!(tree_names(&s).iter().any(|n| n.ends_with("/hello.sh")));
}

#[test]
fn largest_files_overlay_lists_the_image_and_the_layer() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char('L'));
    assert!(s.largest);
    let screen = render(&s);
    let share = 8893.0 * 100.0 / s.image.metrics.total_size as f64;
    let row = format!("    8.89 kB {share:>6.2} %  layer 2   /app/cache/build.log");
    assert!(
        screen.contains("Largest in the image as of layer 2"),
        "{screen}"
    );
    assert!(screen.contains("Largest stored by layer 2"), "{screen}");
    assert_eq!(screen.matches(&row).count(), 2, "{row}\n{screen}");
    // Biggest first: the log's row comes before the smaller files' rows.
    let log = screen.find(&row).unwrap();
    let hello = screen.find("/app/bin/hello.sh").expect("hello.sh listed");
    assert!(log < hello, "{screen}");
    key(&mut s, KeyCode::Esc);
    assert!(!s.largest);
}

#[test]
fn a_compare_base_marks_changes_between_two_chosen_layers() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Char('b'));
    assert_eq!(s.compare, CompareMode::Base(1));
    // On the base itself nothing changed.
    assert_eq!(
        change_of(&s, "/app/cache/build.log"),
        Some(Change::Unchanged)
    );
    key(&mut s, KeyCode::End);
    assert!(render(&s).contains("Changes from base layer 2 (layer 4)"));
    assert_eq!(change_of(&s, "/app/cache/build.log"), Some(Change::Removed));
    assert_eq!(change_of(&s, "/app/config.ini"), Some(Change::Modified));
    assert_eq!(change_of(&s, "/etc/motd"), Some(Change::Unchanged));
    assert_eq!(
        change_of(&s, "/usr/local/bin/hello"),
        Some(Change::Unchanged)
    );
    // The base may be the later layer: from layer 4 back to layer 2 the log reappears.
    key(&mut s, KeyCode::Char('b'));
    assert_eq!(s.compare, CompareMode::Base(3));
    key(&mut s, KeyCode::Char('k'));
    key(&mut s, KeyCode::Char('k'));
    assert_eq!(change_of(&s, "/app/cache/build.log"), Some(Change::Added));
    // Back on the base, `b` unmarks it.
    key(&mut s, KeyCode::End);
    key(&mut s, KeyCode::Char('b'));
    assert_eq!(s.compare, CompareMode::Layer);
}

#[test]
fn extract_without_a_source_says_so_on_the_status_line() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'e');
    let message = s.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("cannot extract /app") && message.contains("no image source"),
        "{message}"
    );
}

#[test]
fn layer_details_show_the_history_date_and_both_counts() {
    let mut s = state();
    key(&mut s, KeyCode::Down);
    let screen = render(&s);
    assert!(screen.contains("Created: 2024-05-02T12:00:00Z"), "{screen}");
    assert!(
        screen.contains("Layer:   2 of 4 (index 1 in --json, counted from 0)"),
        "{screen}"
    );
}

#[test]
fn status_bar_shows_the_focused_pane_keys_and_toggle_states() {
    let mut s = state();
    let screen = render(&s);
    let status = screen.lines().last().unwrap().to_string();
    assert!(
        status.contains("q Quit") && status.contains("^A ○Aggregated"),
        "{status}"
    );
    key(&mut s, KeyCode::Tab);
    ctrl(&mut s, 'r');
    let status = render(&s).lines().last().unwrap().to_string();
    assert!(
        status.contains("^R ○Removed") && status.contains("^A ●Added"),
        "{status}"
    );
}

#[test]
fn quit_keys() {
    let mut s = state();
    key(&mut s, KeyCode::Char('q'));
    assert!(s.quit);
    let mut s = state();
    key(&mut s, KeyCode::Char('/'));
    ctrl(&mut s, 'c');
    assert!(s.quit, "ctrl+c quits even while typing a filter");
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut s = state();
    let areas = view::areas(&s);
    // Third tree row (below border and header).
    let click = |col, row| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    handle_event(&mut s, &click(areas.tree.x + 5, areas.tree.y + 4));
    assert_eq!(s.focus, Pane::Tree);
    assert_eq!(s.tree_cursor, 2);
    // The layers pane: rows are layer 0, ENV (empty), layer 1…
    handle_event(&mut s, &click(areas.layers.x + 3, areas.layers.y + 4));
    assert_eq!(s.focus, Pane::Layers);
    assert_eq!(s.layer, 1);
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: areas.layers.x + 3,
        row: areas.layers.y + 3,
        modifiers: KeyModifiers::NONE,
    });
    handle_event(&mut s, &wheel);
    assert_eq!(s.layer, 2);
}

#[test]
fn resize_keeps_the_cursor_visible() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::End);
    handle_event(&mut s, &Event::Resize(60, 8));
    let areas = view::areas(&s);
    assert!(
        s.tree_cursor >= s.tree_scroll
            && s.tree_cursor < s.tree_scroll + areas.tree_body_height.max(1)
    );
    // Drawing into a tiny terminal must not panic.
    render(&s);
    s.width = 10;
    s.height = 3;
    render(&s);
}

#[test]
fn paging_moves_by_a_screen() {
    let image = super::fixtures::synthetic_image(2_000, 3);
    let mut s = State::new(Arc::new(image), KeyMap::default(), None);
    s.width = 200;
    s.height = 30;
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::PageDown);
    let page = view::areas(&s).tree_body_height;
    assert_eq!(s.tree_cursor, page);
    key(&mut s, KeyCode::End);
    assert_eq!(s.tree_cursor, s.flat().rows.len() - 1);
    let screen = render(&s);
    assert!(screen.contains("file001999.dat"), "{screen}");
    key(&mut s, KeyCode::PageUp);
    assert_eq!(s.tree_cursor, s.flat().rows.len() - 1 - page);
}

#[test]
fn progress_view_shows_what_is_loading() {
    let mut terminal = Terminal::new(TestBackend::new(100, 20)).unwrap();
    let progress = view::Progress {
        reference: "docker-archive:big.tar".to_string(),
        done: 30,
        total: 120,
        message: "reading 17 layers (3 done): 30 B of 120 B".to_string(),
    };
    terminal
        .draw(|f| view::draw_progress(f, &progress))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text: String = (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(text.contains("loading docker-archive:big.tar"), "{text}");
    assert!(text.contains("reading 17 layers (3 done)"), "{text}");
    assert!(text.contains("30/120"), "{text}");
}

#[test]
fn text_from_the_image_never_reaches_the_terminal_raw() {
    let mut image = sample_image();
    image.layers[0].command = "/bin/sh -c echo \x1b]0;pwned\x07 \x1b[2J".to_string();
    image.layers[0].digest = "sha256:\x1b[31mred".to_string();
    image.reference = "evil\x1b[H".to_string();
    image.metrics.inefficient[0].path = "/tmp/\x1b[5mblink".to_string();
    let mut s = State::new(Arc::new(image), KeyMap::default(), None);
    s.width = 160;
    s.height = 40;
    let screen = render(&s);
    assert!(
        !screen.contains('\x1b') && !screen.contains('\x07'),
        "{screen:?}"
    );
    assert!(
        screen.contains("echo \\x1b]0;pwned\\x07 \\x1b[2J"),
        "{screen}"
    );
    assert!(screen.contains("sha256:\\x1b[31mred"), "{screen}");
    assert!(screen.contains("/tmp/\\x1b[5mblink"), "{screen}");
}

/// Sends `keys` to both states, letting the background one take its rows after each key, and
/// checks both show the same rows with the cursor on the same node.
fn same_rows_after(sync: &mut State, background: &mut State, keys: &[Event]) {
    for event in keys {
        handle_event(sync, event);
        handle_event(background, event);
        background.wait_for_rows();
        background.poll_rows();
        super::update::clamp_scrolls(background);
        assert!(!background.is_updating());
        assert_eq!(tree_names(sync), tree_names(background), "after {event:?}");
        assert_eq!(sync.selected_node(), background.selected_node());
    }
}

#[test]
fn background_rows_match_the_rows_computed_within_the_key() {
    let image = Arc::new(super::fixtures::synthetic_image(3_000, 4));
    let new_state = |background_nodes: usize| {
        let mut s = State::new(image.clone(), KeyMap::default(), None);
        s.width = 160;
        s.height = 40;
        s.background_nodes = background_nodes;
        s
    };
    let mut sync = new_state(usize::MAX);
    let mut background = new_state(0);
    let plain = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let ctrl = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    let code = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let mut keys = vec![plain('j'), plain('j'), ctrl('a'), code(KeyCode::Tab)];
    keys.extend([
        plain('j'),
        plain('j'),
        plain(' '),
        ctrl('o'),
        ctrl('u'),
        ctrl('u'),
    ]);
    keys.push(plain('/'));
    keys.extend("file00[12]".chars().map(plain));
    keys.extend([code(KeyCode::Enter), plain('j'), code(KeyCode::Esc)]);
    same_rows_after(&mut sync, &mut background, &keys);
}

#[test]
fn a_newer_key_replaces_the_rows_still_computing_and_the_screen_says_so() {
    let image = Arc::new(super::fixtures::synthetic_image(3_000, 4));
    let mut s = State::new(image, KeyMap::default(), None);
    s.width = 160;
    s.height = 40;
    s.background_nodes = 0;
    let before = tree_names(&s);
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "file0001");
    // Nothing taken yet: the old rows stay, marked, and the typed text shows at once.
    assert!(s.is_updating());
    assert_eq!(tree_names(&s), before);
    let screen = render(&s);
    assert!(screen.contains("updating…"), "{screen}");
    assert!(screen.contains("file0001"), "{screen}");
    s.wait_for_rows();
    assert!(s.poll_rows());
    assert!(!s.is_updating());
    // Only the last request's rows arrive: files 100..=199 and their parents.
    let names = tree_names(&s);
    assert!(
        names.iter().any(|n| n.ends_with("file000100.dat")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.ends_with("file000200.dat")),
        "{names:?}"
    );
    assert!(!render(&s).contains("updating…"));
}
