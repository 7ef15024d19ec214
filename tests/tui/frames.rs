//! Snapshot tests of the TUI's frames on the committed demo image, rendered with ratatui's
//! `TestBackend` after fixed keypresses: what a user sees, cell by cell. Review changes with
//! `cargo insta review`.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::demo::{demo_state, key};

fn frame(state: &imgtools::tui::State) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(state.width, state.height)).expect("test terminal");
    terminal
        .draw(|f| imgtools::tui::view::draw(f, state))
        .expect("draw");
    format!("{}", terminal.backend())
}

#[test]
fn demo_frames_at_fixed_keypresses() {
    let mut state = demo_state();
    insta::assert_snapshot!("demo_01_start", frame(&state));
    // Third layer: the one that deletes, overwrites and adds files.
    key(&mut state, KeyCode::Down);
    key(&mut state, KeyCode::Down);
    insta::assert_snapshot!("demo_02_layer_3", frame(&state));
    // Into the file tree, three rows down.
    key(&mut state, KeyCode::Tab);
    for _ in 0..3 {
        key(&mut state, KeyCode::Down);
    }
    insta::assert_snapshot!("demo_03_tree", frame(&state));
}
