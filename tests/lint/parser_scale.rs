//! No quadratic behaviour: parsing 4× the input must take about 4× the time (we allow 10×; a
//! quadratic parser would take 16×). Inputs: a 10 MB Dockerfile made of real corpus files, a
//! 100k-line heredoc, and a single 2 MB line of non-ASCII words.

use imgtools::dockerfile::parse;
use std::path::Path;
use std::time::{Duration, Instant};

fn time(text: &str) -> Duration {
    let started = Instant::now();
    let df = parse(text);
    let elapsed = started.elapsed();
    assert!(!df.instructions.is_empty());
    elapsed
}

/// The best of five runs of each input, taken in turns, so a burst of load on the machine
/// (CI builds beside the tests) slows both sides rather than one.
fn best_times(a: &str, b: &str) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        best.0 = best.0.min(time(a));
        best.1 = best.1.min(time(b));
    }
    best
}

fn assert_linear(name: &str, make: impl Fn(usize) -> String, small: usize) {
    let a = make(small);
    let b = make(small * 4);
    let (ta, tb) = best_times(&a, &b);
    eprintln!(
        "{name}: {} bytes in {ta:?}, {} bytes in {tb:?}",
        a.len(),
        b.len()
    );
    // Below a few milliseconds timer noise dominates; the ratio only matters above that.
    let floor = Duration::from_millis(5);
    assert!(
        tb <= ta.max(floor) * 10,
        "{name}: 4x the input took {:.1}x the time ({ta:?} -> {tb:?})",
        tb.as_secs_f64() / ta.max(floor).as_secs_f64()
    );
    assert!(
        tb < Duration::from_secs(60),
        "{name}: {tb:?} is far too slow"
    );
}

fn corpus_text() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("corpus") {
        let dir = dir.expect("entry").path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).expect("folder") {
                files.push(f.expect("entry").path());
            }
        }
    }
    files.sort();
    let mut text = String::new();
    for f in files {
        text.push_str(&String::from_utf8_lossy(&std::fs::read(f).expect("file")));
        text.push('\n');
    }
    text
}

fn ten_megabyte_dockerfile_is_linear() {
    let corpus = corpus_text();
    let make = |bytes: usize| {
        let mut text = String::with_capacity(bytes + corpus.len());
        while text.len() < bytes {
            text.push_str(&corpus);
        }
        let cut = text[..bytes].rfind('\n').map_or(bytes, |i| i + 1);
        text.truncate(cut);
        text
    };
    assert_linear("10 MB Dockerfile", make, (10 << 20) / 4);
}

fn hundred_thousand_line_heredoc_is_linear() {
    let make = |lines: usize| {
        let mut text = String::from("FROM alpine\nRUN <<EOF\n");
        for i in 0..lines {
            text.push_str(&format!("echo line {i} \\ with $VAR and 'quotes'\n"));
        }
        text.push_str("EOF\nRUN done\n");
        text
    };
    assert_linear("100k-line heredoc", make, 25_000);
    let df = parse(&make(100_000));
    let body = &df.instructions[1].heredocs[0].body;
    assert_eq!(body.value.lines().count(), 100_000);
    let last = body.value.rfind("echo line 99999").expect("last line");
    assert_eq!(body.pos_at(last).line, 100_002);
}

fn long_non_ascii_line_is_linear() {
    let make = |bytes: usize| {
        let mut text = String::from("FROM a\nLABEL");
        let mut i = 0;
        while text.len() < bytes {
            text.push_str(&format!(" clé{i}=\"vålue {i}\""));
            i += 1;
        }
        text.push('\n');
        text
    };
    assert_linear("2 MB line", make, 512 << 10);
}

fn long_continuation_is_linear() {
    let make = |lines: usize| {
        let mut text = String::from("FROM a\nRUN apk add \\\n");
        for i in 0..lines {
            text.push_str(&format!("    pkg{i} \\\n"));
        }
        text.push_str("    last\n");
        text
    };
    assert_linear("long continuation", make, 25_000);
}

/// One test running the cases one after another: timings taken while other tests run in
/// parallel threads would compare noise.
#[test]
fn parsing_time_grows_linearly() {
    ten_megabyte_dockerfile_is_linear();
    hundred_thousand_line_heredoc_is_linear();
    long_non_ascii_line_is_linear();
    long_continuation_is_linear();
}
