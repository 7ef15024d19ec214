//! The real `imgdive` binary in a real terminal: tmux runs it on the committed demo image
//! (testdata/images/demo.tar, built with buildah by scripts/images/build-demo.sh), the test
//! sends keys and reads the screen with `capture-pane`, as a person would.
//!
//! Needs `tmux` (in .ci/run's apt list); fails, naming it, when it is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// A private tmux server (its own socket) running one command; killed on drop.
pub(crate) struct Tmux {
    socket: String,
    _config: tempfile::TempDir,
}

impl Tmux {
    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is required for the TUI end-to-end tests (apt install tmux)")
    }

    /// Starts `imgdive ARGS` in a 160×45 terminal, then prints the exit code and the terminal
    /// mode (`stty -a`) so the test can check the terminal was restored.
    pub(crate) fn start(args: &str, config: Option<&str>) -> Tmux {
        Tmux::start_program(env!("CARGO_BIN_EXE_imgdive"), args, config)
    }

    fn start_program(program: &str, args: &str, config: Option<&str>) -> Tmux {
        Tmux::start_in(program, args, config, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// Like [`Tmux::start_program`], in the working directory `cwd`.
    fn start_in(program: &str, args: &str, config: Option<&str>, cwd: &Path) -> Tmux {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "tmux is required for the TUI end-to-end tests (apt install tmux)"
        );
        let config_dir = tempfile::tempdir().unwrap();
        if let Some(text) = config {
            std::fs::create_dir_all(config_dir.path().join("imgdive")).unwrap();
            std::fs::write(config_dir.path().join("imgdive/config.yaml"), text).unwrap();
        }
        let socket = format!(
            "imgdive-e2e-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let tmux = Tmux {
            socket,
            _config: config_dir,
        };
        let bin = program;
        let script = format!(
            "cd {root}; XDG_CONFIG_HOME={cfg} HOME={cfg} {bin} {args}; rc=$?; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; echo EXIT=$rc; sleep 600",
            root = cwd.display(),
            cfg = tmux._config.path().display(),
        );
        let out = tmux.tmux(&[
            "new-session",
            "-d",
            "-x",
            "160",
            "-y",
            "45",
            "sh",
            "-c",
            &script,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    pub(crate) fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        for key in keys {
            let out = self.tmux(&["send-keys", key]);
            assert!(out.status.success());
            // One key at a time, so each is its own event (as typed).
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-l", text]);
        assert!(out.status.success());
    }

    /// Waits until the screen satisfies `pred` and has settled (the same on two captures in a
    /// row: a capture can land while a frame is half written); fails with the last screen
    /// after 15 s.
    fn wait(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous = String::new();
        loop {
            let screen = self.screen();
            if pred(&screen) && screen == previous {
                return screen;
            }
            previous = screen.clone();
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn wait_for(&self, needle: &str) -> String {
        self.wait(needle, |s| s.contains(needle))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The lines of the tree pane (right half of the screen).
fn tree_pane(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.chars().skip(80).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_restored(screen: &str) {
    assert!(
        !screen.contains("Layers ("),
        "alternate screen left behind:\n{screen}"
    );
    assert!(
        screen.contains("icanon echo") && !screen.contains("-icanon") && !screen.contains("-echo"),
        "terminal left in raw mode:\n{screen}"
    );
}

#[test]
fn demo_image_walkthrough() {
    let t = Tmux::start("testdata/images/demo.tar", None);
    let screen = t.wait_for("Layers (1/5)");
    assert!(
        screen.contains("Current Layer Contents (layer 1)"),
        "{screen}"
    );
    assert!(screen.contains("README.md"), "{screen}");
    assert!(
        screen.contains("ENV APP_HOME=/app"),
        "empty layers listed:\n{screen}"
    );
    assert!(
        screen.contains("/app/cache/build.log"),
        "inefficient paths listed:\n{screen}"
    );

    // Move to layer 4: it removed the log and rewrote the config and motd.
    t.keys(&["Down", "j", "Down"]);
    let screen = t.wait_for("Layers (4/5)");
    let tree = tree_pane(&screen);
    assert!(
        tree.contains("- -rw-r--r--         0:0    8.89 kB  │   │   └── build.log"),
        "{tree}"
    );
    assert!(
        tree.contains("~ -rw-rw-rw-         0:0       12 B  │   └── config.ini"),
        "{tree}"
    );
    // dive's layer view: the whole image as of the layer, untouched files unmodified; ctrl+u
    // in the tree hides them, leaving the layer's own changes.
    assert!(tree.contains("README.md"), "{tree}");
    t.keys(&["Tab", "C-u"]);
    let screen = t.wait("unmodified hidden", |s| !tree_pane(s).contains("README.md"));
    assert!(tree_pane(&screen).contains("config.ini"), "{screen}");
    t.keys(&["C-u", "Tab"]);
    t.wait("unmodified shown", |s| tree_pane(s).contains("README.md"));

    // Aggregated view: the whole image up to layer 4.
    t.keys(&["C-a"]);
    let screen = t.wait_for("Aggregated Layer Contents (layer 4)");
    assert!(tree_pane(&screen).contains("README.md"), "{screen}");

    // Into the tree; collapse and expand the first directory.
    t.keys(&["Tab", "Space"]);
    let screen = t.wait_for("app ⊕");
    assert!(!tree_pane(&screen).contains("blob.bin"), "{screen}");
    t.keys(&["Space"]);
    let screen = t.wait("app expanded", |s| {
        !s.contains("app ⊕") && s.contains("blob.bin")
    });
    assert!(screen.contains("Sort: name"), "{screen}");

    // Filter by regex: parents of matches stay.
    t.keys(&["/"]);
    t.text("config\\.ini$");
    let screen = t.wait_for("Filter (regex, or >10MB / <1KB): config\\.ini$");
    let tree = tree_pane(&screen);
    assert!(
        tree.contains("├── app") || tree.contains("└── app"),
        "{tree}"
    );
    assert!(
        tree.contains("config.ini") && !tree.contains("motd"),
        "{tree}"
    );

    // Open the viewer on the config: content from layer 4 and the path's history.
    t.keys(&["Enter", "End", "Enter"]);
    let screen = t.wait_for("History of /app/config.ini");
    assert!(screen.contains("debug=false"), "{screen}");
    assert!(screen.contains("+     1  added"), "{screen}");
    assert!(screen.contains("▶~     4  modified"), "{screen}");
    t.keys(&["Escape"]);
    t.wait("viewer closed", |s| !s.contains("History of"));

    // Clear the filter, open help, close it.
    t.keys(&["Escape"]);
    t.wait("filter cleared", |s| {
        !s.contains("Filter (") && s.contains("motd")
    });
    t.keys(&["?"]);
    let screen = t.wait_for("Help · keys");
    assert!(screen.contains("hide / show removed files"), "{screen}");
    t.keys(&["Escape"]);
    t.wait("help closed", |s| !s.contains("Help · keys"));

    t.keys(&["q"]);
    let screen = t.wait_for("EXIT=0");
    assert_restored(&screen);
}

#[test]
fn keys_come_from_the_config_file() {
    let t = Tmux::start(
        "testdata/images/demo.tar",
        Some(
            "keybinding:\n  quit: x\n  down: n\nlayer:\n  show-aggregated-changes: true\n\
             filetree:\n  show-attributes: false\n",
        ),
    );
    let screen = t.wait_for("Layers (1/5)");
    // dive's view settings apply too: aggregated view, no attribute columns.
    assert!(
        screen.contains("Aggregated Layer Contents (layer 1)"),
        "{screen}"
    );
    assert!(!screen.contains("Permission"), "{screen}");
    t.keys(&["n", "n"]);
    t.wait_for("Layers (3/5)");
    // `q` is no longer bound; `x` quits.
    t.keys(&["q"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(t.screen().contains("Layers (3/5)"));
    t.keys(&["x"]);
    assert_restored(&t.wait_for("EXIT=0"));
}

#[test]
fn image_config_overlay_and_layer_dates() {
    let t = Tmux::start("testdata/images/demo.tar", None);
    let screen = t.wait_for("Layers (1/5)");
    // The demo image's history dates (scripts/images/build-demo.sh fixes them at the epoch).
    assert!(
        screen.contains("Created: 1970-01-01T00:00:00Z"),
        "layer date:\n{screen}"
    );
    assert!(
        screen.contains("(index 0 in --json, counted from 0)"),
        "{screen}"
    );
    t.keys(&["i"]);
    let screen = t.wait_for("Image config");
    for needle in [
        r#"Cmd          ["/app/bin/hello.sh"]"#,
        "Env          APP_HOME=/app",
        "Label        org.opencontainers.image.title=imgdive demo",
        "Platform     linux/",
    ] {
        assert!(screen.contains(needle), "{needle}:\n{screen}");
    }
    t.keys(&["Escape"]);
    t.wait("overlay closed", |s| !s.contains("Image config"));
    t.keys(&["q"]);
    assert_restored(&t.wait_for("EXIT=0"));
}

#[test]
fn ctrl_e_extracts_the_selection_into_the_working_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/images/demo.tar");
    let t = Tmux::start_in(
        env!("CARGO_BIN_EXE_imgdive"),
        &demo.display().to_string(),
        None,
        cwd.path(),
    );
    t.wait_for("Layers (1/5)");
    // Layer 3 (of 5, as the TUI counts) writes /app/cache/build.log, which layer 4 deletes; the
    // aggregated view at layer 3 has /app on its first row.
    t.keys(&["Down", "Down", "C-a", "Tab", "g"]);
    t.wait_for("Aggregated Layer Contents (layer 3)");
    t.keys(&["C-e"]);
    let screen = t.wait_for("extracted /app (layer 3)");
    assert!(
        screen.contains(&format!("to {}/app", cwd.path().display())),
        "{screen}"
    );
    let log = std::fs::read_to_string(cwd.path().join("app/cache/build.log")).unwrap();
    assert_eq!(log.lines().count(), 2000);
    // Again: nothing is replaced, and the status line says why.
    t.keys(&["C-e"]);
    t.wait_for("cannot extract /app");
    assert!(std::fs::read_dir(cwd.path()).unwrap().count() == 1);
    // At layer 4 the log is removed (`-`): ctrl+e brings it back as layer 3 stored it.
    t.keys(&["Tab", "Down", "C-l", "Tab", "/"]);
    t.text("build\\.log$");
    t.keys(&["Enter", "End"]);
    t.wait_for("Current Layer Contents (layer 4)");
    std::fs::remove_dir_all(cwd.path().join("app")).unwrap();
    t.keys(&["C-e"]);
    t.wait_for("extracted /app/cache/build.log (layer 3)");
    let log = std::fs::read_to_string(cwd.path().join("build.log")).unwrap();
    assert_eq!(log.lines().count(), 2000);
    t.keys(&["q"]);
    assert_restored(&t.wait_for("EXIT=0"));
}

#[test]
fn compare_base_and_largest_files() {
    let t = Tmux::start("testdata/images/demo.tar", None);
    t.wait_for("Layers (1/5)");
    // Base = layer 2 (the /home/demo COPY); layer 4 is then compared with it: the log written
    // and deleted in between is in neither, the cache directory is new, the config rewritten.
    t.keys(&["Down", "b", "Down", "Down"]);
    let screen = t.wait_for("Changes from base layer 2 (layer 4)");
    let tree = tree_pane(&screen);
    assert!(!tree.contains("build.log"), "{tree}");
    assert!(
        tree.contains("+ drwxr-xr-x         0:0        0 B  │   ├── cache"),
        "{tree}"
    );
    assert!(
        tree.contains("~ -rw-rw-rw-         0:0       12 B  │   └── config.ini"),
        "{tree}"
    );
    assert!(
        tree.contains("  -rw-r--r--   1000:1000       23 B  │       └── notes.txt"),
        "{tree}"
    );
    t.keys(&["Up", "Up", "b"]);
    t.wait_for("Current Layer Contents (layer 2)");
    // The largest files of the image as of layer 4.
    t.keys(&["Down", "Down", "L"]);
    let screen = t.wait_for("Largest in the image as of layer 4");
    assert!(screen.contains("/app/bin/blob.bin"), "{screen}");
    t.keys(&["Escape", "q"]);
    assert_restored(&t.wait_for("EXIT=0"));
}

#[test]
fn the_viewer_diffs_a_file_against_the_version_before() {
    let t = Tmux::start("testdata/images/demo.tar", None);
    t.wait_for("Layers (1/5)");
    // Layer 4 rewrote /app/config.ini from debug=true (layer 3) to debug=false.
    t.keys(&["Down", "Down", "Down", "/"]);
    t.text("config\\.ini$");
    t.keys(&["Enter", "End", "Enter"]);
    t.wait_for("History of /app/config.ini");
    t.keys(&["D"]);
    let screen = t.wait_for("/app/config.ini: diff layer 3 → 4");
    assert!(screen.contains("- debug=true"), "{screen}");
    assert!(screen.contains("+ debug=false"), "{screen}");
    t.keys(&["D"]);
    t.wait_for("/app/config.ini in layer 4");
    t.keys(&["Escape", "q"]);
    assert_restored(&t.wait_for("EXIT=0"));
}

#[test]
fn a_corrupt_layer_restores_the_terminal_and_names_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/images/demo.tar");
    let mut bytes = std::fs::read(&demo).unwrap();
    // Find the biggest layer blob inside the archive and flip bytes in its middle: the archive
    // opens, the TUI starts loading, and the layer's digest check fails.
    let mut archive = tar::Archive::new(std::fs::File::open(&demo).unwrap());
    let (offset, size, name) = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().unwrap().to_string_lossy().ends_with(".tar"))
        .map(|e| {
            (
                e.raw_file_position(),
                e.size(),
                e.path().unwrap().to_string_lossy().into_owned(),
            )
        })
        .max_by_key(|(_, size, _)| *size)
        .unwrap();
    let middle = (offset + size / 2) as usize;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    let broken = dir.path().join("broken.tar");
    std::fs::write(&broken, &bytes).unwrap();
    let t = Tmux::start(&broken.display().to_string(), None);
    let screen = t.wait_for("EXIT=2");
    assert_restored(&screen);
    let digest = name.trim_end_matches(".tar");
    assert!(
        screen.contains(&digest[..12]) || screen.contains("layer "),
        "{screen}"
    );
}

#[test]
fn a_bad_config_file_is_reported_before_the_terminal_is_touched() {
    let t = Tmux::start("testdata/images/demo.tar", Some("keybinding:\n  jump: x\n"));
    let screen = t.wait_for("EXIT=2");
    assert!(screen.contains("unknown keybinding `jump`"), "{screen}");
    assert_restored(&screen);
}

#[test]
fn without_a_terminal_it_says_to_use_ci_or_json() {
    let out = Command::new(env!("CARGO_BIN_EXE_imgdive"))
        .arg("testdata/images/demo.tar")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CONFIG_HOME", env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "imgdive: error: the interactive view needs a terminal on stdout (use --ci or --json FILE)"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing written to a non-terminal stdout"
    );
}

/// Not run on its own: [`a_panic_inside_the_tui_restores_the_terminal`] runs it inside tmux (by
/// its full name in the folded test binary, `e2e::panicking_inside_the_tui`).
#[test]
#[ignore = "run inside tmux by a_panic_inside_the_tui_restores_the_terminal"]
#[should_panic(expected = "deliberate panic inside the TUI")]
fn panicking_inside_the_tui() {
    let _: anyhow::Result<()> = imgtools::tui::app::with_terminal(|terminal| {
        terminal.draw(|f| {
            f.render_widget(ratatui::widgets::Paragraph::new("ABOUT-TO-PANIC"), f.area())
        })?;
        std::thread::sleep(Duration::from_millis(500));
        panic!("deliberate panic inside the TUI");
    });
}

#[test]
fn a_panic_inside_the_tui_restores_the_terminal() {
    let exe = std::env::current_exe().unwrap();
    let t = Tmux::start_program(
        &exe.display().to_string(),
        "--exact e2e::panicking_inside_the_tui --ignored --nocapture --test-threads=1",
        None,
    );
    t.wait_for("ABOUT-TO-PANIC");
    let screen = t.wait_for("EXIT=");
    assert!(
        screen.contains("deliberate panic inside the TUI"),
        "panic message shown:\n{screen}"
    );
    assert!(screen.contains("test result: ok. 1 passed"), "{screen}");
    assert_restored(&screen);
}

#[test]
fn mouse_clicks_select_and_the_wheel_scrolls() {
    let t = Tmux::start("testdata/images/demo.tar", None);
    t.wait_for("Layers (1/5)");
    // SGR mouse reports, as a terminal sends them (1-based column;row).
    // Wheel down over the layers pane selects the next layer.
    t.text("\x1b[<65;10;5M");
    t.wait_for("Layers (2/5)");
    t.text("\x1b[<64;10;5M");
    t.wait_for("Layers (1/5)");
    // Click the 4th tree row (screen row 6: border, header, then rows): /app/bin/hello.sh.
    t.text("\x1b[<0;100;6M\x1b[<0;100;6m");
    t.wait_for("Space Fold");
    t.keys(&["Enter"]);
    let screen = t.wait_for("History of /app/bin/hello.sh");
    assert!(screen.contains("hello from the imgdive demo"), "{screen}");
    t.keys(&["Escape", "q"]);
    assert_restored(&t.wait_for("EXIT=0"));
}
