//! eStargz format metadata (table of contents, landmarks) shown as one line of the image
//! details pane, rendered with ratatui's `TestBackend`.

use std::sync::Arc;

use imgtools::image::fixtures::{TreeBuilder, file, sample_image};
use imgtools::tui::keys::KeyMap;
use imgtools::tui::state::State;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(image: imgtools::image::model::Image) -> String {
    let mut state = State::new(Arc::new(image), KeyMap::default(), None);
    state.width = 160;
    state.height = 40;
    let mut terminal = Terminal::new(TestBackend::new(160, 40)).expect("test terminal");
    terminal
        .draw(|f| imgtools::tui::view::draw(f, &state))
        .expect("draw");
    format!("{}", terminal.backend())
}

#[test]
fn image_details_show_the_estargz_metadata_in_one_line() {
    let mut image = sample_image();
    assert!(!screen(image.clone()).contains("format metadata"));
    let mut tree = TreeBuilder::new();
    tree.record(0, "/stargz.index.json", Some(file(400, 0o644, 1)));
    tree.record(0, "/.prefetch.landmark", Some(file(1, 0o644, 2)));
    tree.record(1, "/stargz.index.json", Some(file(420, 0o644, 3)));
    tree.record(1, "/app", None);
    image.tree = tree.finish();
    let shown = screen(image);
    assert!(
        shown.contains("format metadata: 3 files, 821 bytes (eStargz)"),
        "{shown}"
    );
}
