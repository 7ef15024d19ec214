//! The TUI state on the committed demo image (testdata/images/demo.tar, built by
//! scripts/images/build-demo.sh with buildah), read through the real image source.

use std::path::Path;
use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use imgtools::image::model::Change;
use imgtools::image::source::{self, SourceOptions, SourceSpec};
use imgtools::tui::content::{SourceFiles, ViewerContent};
use imgtools::tui::keys::KeyMap;
use imgtools::tui::state::State;
use imgtools::tui::update::handle_event;

pub(crate) fn demo_state() -> State {
    // Relative (cargo runs tests in the package root): the image name is shown on screen, and
    // the frame snapshots must not depend on where the repository is checked out.
    let path = Path::new("testdata/images/demo.tar");
    assert!(path.is_file(), "run from the package root");
    let spec = SourceSpec::parse(&format!("docker-archive:{}", path.display())).unwrap();
    let source: Arc<dyn source::ImageSource> =
        Arc::from(source::open(&spec, &SourceOptions::default()).unwrap());
    let reports = std::sync::Mutex::new(Vec::new());
    let image =
        imgtools::tui::load_with_progress(source.as_ref(), &|p| reports.lock().unwrap().push(p))
            .unwrap();
    let reports = reports.into_inner().unwrap();
    assert!(
        reports.len() >= 2,
        "progress reported while loading: {reports:?}"
    );
    let last = reports.last().unwrap();
    assert_eq!(last.done, last.total);
    let files = Arc::new(SourceFiles::new(source));
    let mut state = State::new(Arc::new(image), KeyMap::default(), Some(files));
    state.width = 160;
    state.height = 40;
    state
}

pub(crate) fn key(s: &mut State, code: KeyCode) {
    handle_event(s, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn change(s: &State, path: &str) -> Option<Change> {
    let id = s.image.tree.lookup(path)?;
    s.tree_view().get(id).map(|i| i.change)
}

fn select(s: &mut State, path: &str) {
    let node = s.image.tree.lookup(path).expect("path in tree");
    s.tree_cursor = s.row_of(node).expect("path shown");
}

#[test]
fn demo_layers_show_a_deletion_an_overwrite_and_a_chmod() {
    let mut s = demo_state();
    assert_eq!(s.image.layers.len(), 5);
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    assert_eq!(change(&s, "/app/cache/build.log"), Some(Change::Added));
    key(&mut s, KeyCode::Down);
    assert_eq!(change(&s, "/app/cache/build.log"), Some(Change::Removed));
    assert_eq!(change(&s, "/app/config.ini"), Some(Change::Modified));
    assert_eq!(change(&s, "/etc/motd"), Some(Change::Modified));
    key(&mut s, KeyCode::Down);
    // The chmod layer: same content, new mode.
    assert_eq!(change(&s, "/app/bin/hello.sh"), Some(Change::Modified));
    // A file the layer did not touch is in the view, unmodified (dive's layer view).
    assert_eq!(change(&s, "/app/bin/blob.bin"), Some(Change::Unchanged));
}

#[test]
fn demo_viewer_reads_text_and_binary_from_the_selected_layer() {
    let mut s = demo_state();
    // Layer 4 (index 3) rewrote the config to debug=false.
    for _ in 0..3 {
        key(&mut s, KeyCode::Down);
    }
    key(&mut s, KeyCode::Tab);
    select(&mut s, "/app/config.ini");
    key(&mut s, KeyCode::Enter);
    let viewer = s.viewer.clone().expect("viewer");
    assert_eq!(
        viewer.content,
        ViewerContent::Text {
            lines: vec!["debug=false".to_string()],
            truncated: false
        }
    );
    let layers: Vec<u32> = viewer.history.iter().map(|h| h.layer).collect();
    assert_eq!(layers, [0, 2, 3, 4]);
    key(&mut s, KeyCode::Esc);
    // The first layer's binary file shows as a hex summary.
    key(&mut s, KeyCode::Tab);
    key(&mut s, KeyCode::Home);
    key(&mut s, KeyCode::Tab);
    select(&mut s, "/app/bin/blob.bin");
    key(&mut s, KeyCode::Enter);
    match &s.viewer.as_ref().unwrap().content {
        ViewerContent::Binary { size, lines } => {
            assert_eq!(*size, 2048);
            assert!(lines[1].starts_with("00000000  7f 45 4c 46"), "{lines:?}");
        }
        other => panic!("expected binary, got {other:?}"),
    }
}
