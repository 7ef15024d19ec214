//! Parser throughput: every file of testdata/corpus parsed N times (`BENCH_ITERS`, default 50),
//! then two pathological inputs (a 10 MB Dockerfile, a 100k-line heredoc). Prints medians and
//! MB/s. Run: `cargo bench --bench parse_corpus`.

use imgtools::dockerfile::parse_bytes;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("testdata/corpus") {
        let dir = dir.expect("entry").path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).expect("folder") {
                files.push(std::fs::read(f.expect("entry").path()).expect("file"));
            }
        }
    }
    files
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn report(name: &str, bytes: usize, times: Vec<Duration>) {
    let runs = times.len();
    let m = median(times);
    let mb = bytes as f64 / 1e6;
    println!(
        "{name:<28} {mb:>8.2} MB  median {:>10.3} ms  {:>8.1} MB/s  ({runs} runs)",
        m.as_secs_f64() * 1e3,
        mb / m.as_secs_f64()
    );
}

fn time(input: &[Vec<u8>], runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            for file in input {
                black_box(parse_bytes(black_box(file)));
            }
            started.elapsed()
        })
        .collect()
}

fn main() {
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let files = corpus();
    let total: usize = files.iter().map(Vec::len).sum();
    // Warm up caches and the allocator.
    let _ = time(&files, 3);
    report(
        &format!("corpus ({} files)", files.len()),
        total,
        time(&files, iters),
    );

    let mut big = Vec::with_capacity(11 << 20);
    while big.len() < 10 << 20 {
        for f in &files {
            big.extend_from_slice(f);
            big.push(b'\n');
        }
    }
    report(
        "10 MB Dockerfile",
        big.len(),
        time(std::slice::from_ref(&big), 5),
    );

    let mut heredoc = b"FROM alpine\nRUN <<EOF\n".to_vec();
    for i in 0..100_000 {
        heredoc.extend_from_slice(format!("echo line {i} with $VAR and 'quotes'\n").as_bytes());
    }
    heredoc.extend_from_slice(b"EOF\n");
    report(
        "100k-line heredoc",
        heredoc.len(),
        time(std::slice::from_ref(&heredoc), 5),
    );
}
