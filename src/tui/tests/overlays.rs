//! Overlays and the file viewer: history and content, help, image config, largest files, compare
//! base, extraction, layer details and the status bar.

use super::*;

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
