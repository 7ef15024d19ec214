//! The terminal side: raw mode and the alternate screen in, and always back out (on quit, on
//! error, on panic); the event loop that feeds [`update`](super::update) and redraws.

use std::io::{IsTerminal, Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Once};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::config::{self, Preferences};
use super::content::{FileSource, SourceFiles};
use super::keys::KeyMap;
use super::state::{Annotations, State};
use super::update::{clamp_scrolls, handle_event};
use super::view::{self, Progress};
use crate::image::build::{AnalyzeOptions, ReadProgress, analyze_with_progress};
use crate::image::model::Image;
use crate::image::source::ImageSource;

/// What the caller can set besides the image.
#[derive(Default, Clone)]
pub struct Options {
    /// `None`: defaults plus the user's config file ([`config::load`]).
    pub keys: Option<KeyMap>,
    /// `None`: from the config file, like the keys.
    pub preferences: Option<Preferences>,
    /// Where the file viewer reads contents from; `None` disables the content part.
    pub files: Option<Arc<dyn FileSource>>,
    /// Limits for reading the image ([`run_source`]).
    pub analyze: AnalyzeOptions,
    /// Start with the tree sorted by size (`--sort size`), whatever the config file says.
    pub sort_by_size: bool,
    /// Runs after the image is read, on the loading thread: `--dockerfile` lines and secrets.
    pub annotate: Option<Annotate>,
}

/// Computes the [`Annotations`] of an image read from a source.
pub type Annotate = Arc<dyn Fn(&dyn ImageSource, &Image) -> Result<Annotations> + Send + Sync>;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is currently switched to the TUI's modes.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back: mouse off, main screen, cooked mode, cursor shown. Only acts once per
/// entry: leaving the alternate screen twice would move the cursor back to where the TUI started
/// and let later output (a panic message) overwrite earlier lines.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, so an early `?` return leaves no raw-mode terminal behind.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Chains a panic hook that restores the terminal before the panic message is printed.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

fn enter_terminal() -> Result<(TerminalGuard, Term)> {
    if !stdout().is_terminal() {
        bail!("the interactive view needs a terminal on stdout (use --ci or --json FILE)");
    }
    install_panic_hook();
    enable_raw_mode().context("cannot switch the terminal to raw mode")?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)
        .context("cannot enter the alternate screen")?;
    let terminal =
        Terminal::new(CrosstermBackend::new(stdout())).context("cannot open the terminal")?;
    Ok((guard, terminal))
}

/// Runs `f` with the terminal in raw mode on the alternate screen, and always restores it: on
/// return, on error, and (through the panic hook) on panic.
pub fn with_terminal<R>(f: impl FnOnce(&mut Term) -> Result<R>) -> Result<R> {
    let (_guard, mut terminal) = enter_terminal()?;
    f(&mut terminal)
}

/// Keys and preferences: the caller's, else the config file's (read before the terminal is
/// touched, so a broken config is a plain one-line error).
fn settings(options: &Options) -> Result<(KeyMap, Preferences)> {
    let (file_keys, file_prefs) = if options.keys.is_some() && options.preferences.is_some() {
        (KeyMap::default(), Preferences::default())
    } else {
        config::load().map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let mut prefs = options.preferences.clone().unwrap_or(file_prefs);
    prefs.sort_by_size |= options.sort_by_size;
    Ok((options.keys.clone().unwrap_or(file_keys), prefs))
}

/// Opens the interactive view on an analysed image; returns when the user quits.
pub fn run(image: Image, options: Options) -> Result<()> {
    let (keys, prefs) = settings(&options)?;
    with_terminal(|terminal| {
        event_loop(terminal, Arc::new(image), keys, prefs, options.files, None)
    })
}

/// Reads and analyses `source` behind a progress view, then opens the interactive view with the
/// file viewer reading contents back from the same source.
pub fn run_source(source: Arc<dyn ImageSource>, mut options: Options) -> Result<()> {
    if options.files.is_none() {
        options.files = Some(Arc::new(SourceFiles::new(source.clone())));
    }
    let reference = source.reference().to_string();
    let analyze = options.analyze.clone();
    let annotate = options.annotate.take();
    let annotated = Arc::new(std::sync::OnceLock::new());
    let slot = annotated.clone();
    run_loading_annotated(
        &reference,
        move |report| {
            let image = load_with_options(source.as_ref(), &analyze, report)?;
            if let Some(annotate) = annotate {
                let _ = slot.set(Arc::new(annotate(source.as_ref(), &image)?));
            }
            Ok(image)
        },
        options,
        annotated,
    )
}

/// [`load_with_options`] with the default limits.
pub fn load_with_progress(
    source: &dyn ImageSource,
    report: &(dyn Fn(Progress) + Sync),
) -> Result<Image> {
    load_with_options(source, &AnalyzeOptions::default(), report)
}

/// The image core's analysis pipeline, its progress shown in the loading view.
pub fn load_with_options(
    source: &dyn ImageSource,
    options: &AnalyzeOptions,
    report: &(dyn Fn(Progress) + Sync),
) -> Result<Image> {
    let reference = source.reference().to_string();
    let on_progress = |p: &ReadProgress| {
        let done = p.bytes_read.min(p.bytes_total);
        let message = if p.building {
            "building the file tree and metrics…".to_string()
        } else {
            format!(
                "reading {} layers ({} done): {} of {}",
                p.layer_count,
                p.layers_done,
                super::view::human_size(done),
                super::view::human_size(p.bytes_total)
            )
        };
        report(Progress {
            reference: reference.clone(),
            done,
            total: p.bytes_total,
            message,
        })
    };
    analyze_with_progress(source, options, &on_progress)
}

/// Shows a progress view while `load` runs on another thread, then the interactive view.
/// `load` gets a callback to report progress; its error is returned after the terminal is
/// restored.
pub fn run_loading<F>(reference: &str, load: F, options: Options) -> Result<()>
where
    F: FnOnce(&(dyn Fn(Progress) + Sync)) -> Result<Image> + Send + 'static,
{
    run_loading_annotated(reference, load, options, Arc::default())
}

/// [`run_loading`], with the annotations `load` leaves in `annotated` shown in the view.
fn run_loading_annotated<F>(
    reference: &str,
    load: F,
    options: Options,
    annotated: Arc<std::sync::OnceLock<Arc<Annotations>>>,
) -> Result<()>
where
    F: FnOnce(&(dyn Fn(Progress) + Sync)) -> Result<Image> + Send + 'static,
{
    let (keys, prefs) = settings(&options)?;
    let (guard, mut terminal) = enter_terminal()?;
    let (tx, rx) = mpsc::channel::<Progress>();
    let progress_tx = std::sync::Mutex::new(tx);
    let handle = std::thread::spawn(move || {
        let report = move |p: Progress| {
            if let Ok(tx) = progress_tx.lock() {
                let _ = tx.send(p);
            }
        };
        load(&report)
    });
    let mut current = Progress {
        reference: reference.to_string(),
        message: "opening the image…".to_string(),
        ..Progress::default()
    };
    while !handle.is_finished() {
        while let Ok(mut p) = rx.try_recv() {
            if p.reference.is_empty() {
                p.reference = reference.to_string();
            }
            current = p;
        }
        terminal.draw(|f| view::draw_progress(f, &current))?;
        if event::poll(Duration::from_millis(50))? {
            let ev = event::read()?;
            if let event::Event::Key(k) = ev
                && (k.code == event::KeyCode::Char('c')
                    && k.modifiers.contains(event::KeyModifiers::CONTROL)
                    || k.code == event::KeyCode::Char('q'))
            {
                // Loading keeps running in its thread; the process exits right after.
                drop(guard);
                return Ok(());
            }
        }
    }
    let image = match handle.join() {
        Ok(result) => result,
        Err(_) => bail!("loading the image panicked"),
    };
    let image = match image {
        Ok(image) => image,
        Err(e) => {
            drop(guard);
            return Err(e);
        }
    };
    let annotations = annotated.get().cloned();
    let result = event_loop(
        &mut terminal,
        Arc::new(image),
        keys,
        prefs,
        options.files,
        annotations,
    );
    drop(guard);
    result
}

/// How often the event loop looks for background rows while it waits for keys.
const ROWS_POLL: Duration = Duration::from_millis(8);

fn event_loop(
    terminal: &mut Term,
    image: Arc<Image>,
    keys: KeyMap,
    prefs: Preferences,
    files: Option<Arc<dyn FileSource>>,
    annotations: Option<Arc<Annotations>>,
) -> Result<()> {
    let mut state = State::new(image, keys, files).with_preferences(&prefs);
    state.annotations = annotations;
    let size = terminal.size()?;
    state.width = size.width;
    state.height = size.height;
    clamp_scrolls(&mut state);
    loop {
        terminal.draw(|f| view::draw(f, &state))?;
        // Wait for the next event (while rows are computed in the background, also for them),
        // then take whatever else is already queued so a burst of keys (or wheel ticks) costs
        // one redraw.
        loop {
            if state.poll_rows() {
                clamp_scrolls(&mut state);
                break;
            }
            if !state.is_updating() || event::poll(ROWS_POLL)? {
                handle_event(&mut state, &event::read()?);
                break;
            }
        }
        while !state.quit && event::poll(Duration::ZERO)? {
            handle_event(&mut state, &event::read()?);
        }
        if state.quit {
            return Ok(());
        }
    }
}
