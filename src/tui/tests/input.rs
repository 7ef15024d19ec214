//! Input and terminal handling: quitting, the mouse, resizing, paging, the progress view, and
//! text from the image never reaching the terminal raw.

use super::*;

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
    let image = crate::image::fixtures::synthetic_image(2_000, 3);
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
