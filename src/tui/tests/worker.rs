//! Tree rows computed off the UI thread on big images: the same rows as within the key, and a
//! newer key replacing rows still computing.

use super::*;

/// Sends `keys` to both states, letting the background one take its rows after each key, and
/// checks both show the same rows with the cursor on the same node.
fn same_rows_after(sync: &mut State, background: &mut State, keys: &[Event]) {
    for event in keys {
        handle_event(sync, event);
        handle_event(background, event);
        background.wait_for_rows();
        background.poll_rows();
        crate::tui::update::clamp_scrolls(background);
        assert!(!background.is_updating());
        assert_eq!(tree_names(sync), tree_names(background), "after {event:?}");
        assert_eq!(sync.selected_node(), background.selected_node());
    }
}

#[test]
fn background_rows_match_the_rows_computed_within_the_key() {
    let image = Arc::new(crate::image::fixtures::synthetic_image(3_000, 4));
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
    let image = Arc::new(crate::image::fixtures::synthetic_image(3_000, 4));
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
