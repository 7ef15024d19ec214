//! How long one keypress takes in the TUI (update + full redraw into an off-screen buffer) on a
//! generated image of 100k files over 16 layers. Target: ≤ 16 ms per key (one frame at 60 Hz).
//!
//! Run: `cargo bench --features imgdive --bench tui_keys` (prints median / p95 / max per kind of
//! key, and the memory the image model and the TUI's caches take per tree node).
//! `IMGDIVE_BENCH_FILES=1000000 IMGDIVE_BENCH_LAYERS=2` runs the million-file case;
//! `IMGDIVE_BENCH_IMAGE=SOURCE` times a real image instead.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use imgtools::image::fixtures::synthetic_image;
use imgtools::tui::keys::KeyMap;
use imgtools::tui::state::State;
use imgtools::tui::update::{clamp_scrolls, handle_event};
use imgtools::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const DEFAULT_FILES: usize = 100_000;
const DEFAULT_LAYERS: u32 = 16;

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(text) => text
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text}: not a number")),
        Err(_) => default,
    }
}

/// Resident memory of this process (Linux `/proc/self/statm`), bytes.
fn resident_bytes() -> u64 {
    let text = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = text
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Peak resident memory of this process so far (`VmHWM`), bytes.
fn peak_resident_bytes() -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// CPU time of the whole process, every thread (`/proc/self/stat` utime + stime, in the
/// kernel's 100 Hz ticks): the load reads layers on several threads.
fn process_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = text
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn ev(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

fn plain(c: char) -> Event {
    ev(KeyCode::Char(c), KeyModifiers::NONE)
}

fn rep(events: &[Event], times: usize) -> Vec<Event> {
    (0..times).flat_map(|_| events.iter().cloned()).collect()
}

fn ctrl(c: char) -> Event {
    ev(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Time this thread has spent on a CPU (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, exact to the
/// nanosecond; `/proc/thread-self/schedstat` only moves at scheduler ticks, 4 ms here). On a
/// busy machine wall time includes waiting for a core; CPU time is what a keypress costs.
#[cfg(target_os = "linux")]
fn thread_cpu() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec (64-bit Linux layout) for the whole call.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    (status == 0).then(|| Duration::new(time.tv_sec as u64, time.tv_nsec as u32))
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu() -> Option<Duration> {
    None
}

struct Sample {
    wall: Duration,
    cpu: Option<Duration>,
}

/// One key: its own frame, and when its rows came from the background worker, the frame that
/// showed them and how long after the key that was.
struct KeySamples {
    frames: Vec<Sample>,
    rows_ready: Vec<Duration>,
}

struct Bench {
    state: State,
    terminal: Terminal<TestBackend>,
    rows: Vec<(String, KeySamples)>,
}

impl Bench {
    /// Times `events` one by one (each: update, then a full frame), under `label`. When a key
    /// leaves rows computing in the background, the frame that takes them is timed too (it is a
    /// UI-thread frame like any other), and the delay from the key to it is kept apart.
    fn time(&mut self, label: &str, events: &[Event]) {
        let mut samples = KeySamples {
            frames: Vec::with_capacity(events.len()),
            rows_ready: Vec::new(),
        };
        for event in events {
            let key_start = Instant::now();
            samples
                .frames
                .push(self.frame(|state| handle_event(state, event)));
            if self.state.is_updating() {
                self.state.wait_for_rows();
                samples.frames.push(self.frame(|state| {
                    state.poll_rows();
                    clamp_scrolls(state);
                }));
                samples.rows_ready.push(key_start.elapsed());
            }
        }
        self.rows.push((label.to_string(), samples));
    }

    /// One UI-thread frame: `update`, then a full redraw.
    fn frame(&mut self, update: impl FnOnce(&mut State)) -> Sample {
        let cpu_start = thread_cpu();
        let start = Instant::now();
        update(&mut self.state);
        self.terminal
            .draw(|f| view::draw(f, &self.state))
            .expect("draw");
        let wall = start.elapsed();
        let cpu = thread_cpu().zip(cpu_start).map(|(end, start)| end - start);
        Sample { wall, cpu }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let start = Instant::now();
    let rss_before = resident_bytes();
    // IMGDIVE_BENCH_IMAGE=SOURCE times the same keys on a real image (e.g. the ≥ 1 GB image
    // scripts/bench-imgdive.sh builds) instead of the generated one.
    let image = match std::env::var("IMGDIVE_BENCH_IMAGE") {
        Ok(reference) => {
            use imgtools::image::source::{self, SourceOptions, SourceSpec};
            let spec = SourceSpec::parse(&reference).expect("IMGDIVE_BENCH_IMAGE: bad source");
            let opened = source::open(&spec, &SourceOptions::default()).expect("open image");
            let cpu_start = process_cpu();
            let image =
                imgtools::tui::load_with_progress(opened.as_ref(), &|_| {}).expect("read image");
            println!(
                "read {reference}: {} layers, {} tree nodes in {:.2} s ({:.2} s CPU), peak RSS {:.0} MB ({:.0} bytes per node)",
                image.layers.len(),
                image.tree.nodes.len(),
                start.elapsed().as_secs_f64(),
                (process_cpu() - cpu_start).as_secs_f64(),
                peak_resident_bytes() as f64 / 1e6,
                peak_resident_bytes() as f64 / image.tree.nodes.len().max(1) as f64
            );
            image
        }
        Err(_) => {
            let files = env_number("IMGDIVE_BENCH_FILES", DEFAULT_FILES);
            let layers = env_number("IMGDIVE_BENCH_LAYERS", DEFAULT_LAYERS).max(1);
            let image = synthetic_image(files, layers);
            println!(
                "generated image: {files} files, {} tree nodes, {layers} layers in {:.0} ms",
                image.tree.nodes.len(),
                ms(start.elapsed())
            );
            image
        }
    };
    let layers = image.layers.len() as u32;
    let nodes = image.tree.nodes.len().max(1) as f64;
    let rss_image = resident_bytes();
    println!(
        "memory per tree node: model {:.0} bytes (arrays, exact), {:.0} bytes (RSS delta)",
        image.tree.heap_bytes() as f64 / nodes,
        rss_image.saturating_sub(rss_before) as f64 / nodes
    );
    let start = Instant::now();
    let mut state = State::new(Arc::new(image), KeyMap::default(), None);
    state.width = 200;
    state.height = 60;
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    terminal.draw(|f| view::draw(f, &state)).expect("draw");
    println!(
        "first frame (tree view + flatten + draw): {:.1} ms, {} rows",
        ms(start.elapsed()),
        state.flat().rows.len()
    );
    println!(
        "memory per tree node: TUI caches {:.0} bytes (RSS delta after the first frame)",
        resident_bytes().saturating_sub(rss_image) as f64 / nodes
    );
    // The two cached stages on their own: the visible-node pass and the flattening.
    {
        use imgtools::tui::rows::{
            CompareMode, HiddenKinds, SortOrder, TreeIndex, TreeView, ViewKey,
        };
        let image = state.image.clone();
        let t = Instant::now();
        let index = TreeIndex::new(&image.tree);
        println!("tree index (once per image): {:.1} ms", ms(t.elapsed()));
        let (mut compute, mut flatten) = (Vec::new(), Vec::new());
        for layer in 0..layers {
            let key = ViewKey {
                layer,
                mode: CompareMode::Aggregated,
                filter: None,
                size: None,
                hidden: HiddenKinds::default(),
            };
            let t = Instant::now();
            let view = TreeView::compute_with(&image.tree, &index, key);
            compute.push(t.elapsed());
            let t = Instant::now();
            let flat = view.flatten(&image.tree, &Default::default(), SortOrder::Name);
            flatten.push(t.elapsed());
            std::hint::black_box(flat);
        }
        compute.sort();
        flatten.sort();
        println!(
            "tree view pass: median {:.2} ms; flatten: median {:.2} ms (aggregated, {layers} layers)",
            ms(compute[compute.len() / 2]),
            ms(flatten[flatten.len() / 2])
        );
    }
    let mut bench = Bench {
        state,
        terminal,
        rows: Vec::new(),
    };
    bench.time(
        "layer: down (new tree view)",
        &vec![plain('j'); (layers as usize).saturating_sub(1)],
    );
    bench.time(
        "layer: up (new tree view)",
        &vec![plain('k'); (layers as usize).saturating_sub(1)],
    );
    // The tree keys below run on the fullest view: the whole image at its last layer.
    bench.time("layer: end", &[plain('G')]);
    bench.time(
        "layer / aggregated toggle",
        &rep(&[ctrl('l'), ctrl('a')], 5),
    );
    bench.time("tab into the tree", &[ev(KeyCode::Tab, KeyModifiers::NONE)]);
    bench.time("tree: down", &vec![plain('j'); 300]);
    bench.time(
        "tree: page down",
        &vec![ev(KeyCode::PageDown, KeyModifiers::NONE); 50],
    );
    bench.time("tree: end / home", &rep(&[plain('G'), plain('g')], 5));
    bench.time("tree: collapse / expand dir", &rep(&[plain(' ')], 20));
    bench.time("tree: collapse / expand all", &rep(&[ctrl(' ')], 6));
    bench.time("tree: hide / show unmodified", &rep(&[ctrl('u')], 10));
    bench.time("tree: sort name / size", &rep(&[ctrl('o')], 6));
    let mut typing = vec![plain('/')];
    typing.extend("file0123".chars().map(plain));
    typing.push(ev(KeyCode::Enter, KeyModifiers::NONE));
    bench.time("filter: type a regex (per key)", &typing);
    bench.time("filter: clear", &[ev(KeyCode::Esc, KeyModifiers::NONE)]);
    bench.time(
        "help open / close",
        &rep(&[plain('?'), ev(KeyCode::Esc, KeyModifiers::NONE)], 3),
    );

    println!(
        "\n{:<32} {:>4} {:>9} {:>9} {:>9} {:>9} {:>9} {:>14}",
        "key (update + full redraw)",
        "n",
        "median",
        "p95",
        "max",
        "cpu med",
        "cpu max",
        "rows ready max"
    );
    let mut worst_wall = Duration::ZERO;
    let mut worst_cpu = Duration::ZERO;
    for (
        label,
        KeySamples {
            frames: samples,
            rows_ready,
        },
    ) in bench.rows
    {
        let n = samples.len();
        if n == 0 {
            // A one-layer image has no layer to step to.
            println!("{label:<32} {n:>4}        (no such key on this image)");
            continue;
        }
        let mut wall: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
        let mut cpu: Vec<Duration> = samples.iter().filter_map(|s| s.cpu).collect();
        wall.sort();
        cpu.sort();
        let p95 = wall[((n * 95).div_ceil(100)).saturating_sub(1).min(n - 1)];
        worst_wall = worst_wall.max(wall[n - 1]);
        let (cpu_med, cpu_max) = match cpu.len() {
            0 => (f64::NAN, f64::NAN),
            k => (ms(cpu[k / 2]), ms(cpu[k - 1])),
        };
        worst_cpu = worst_cpu.max(cpu.last().copied().unwrap_or_default());
        let ready = match rows_ready.iter().max() {
            Some(d) => format!("{:>12.1}ms", ms(*d)),
            None => format!("{:>14}", "-"),
        };
        println!(
            "{label:<32} {n:>4} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {ready}",
            ms(wall[n / 2]),
            ms(p95),
            ms(wall[n - 1]),
            cpu_med,
            cpu_max
        );
    }
    let verdict = |d: Duration| {
        if d <= Duration::from_millis(16) {
            "met"
        } else {
            "MISSED"
        }
    };
    println!(
        "\nworst key: {:.2} ms wall ({}), {:.2} ms on-CPU ({}) — budget 16 ms",
        ms(worst_wall),
        verdict(worst_wall),
        ms(worst_cpu),
        verdict(worst_cpu)
    );
}
