//! imgdive at scale without timing anything: the analysis allocates in proportion to the entries
//! (a quadratic step fails the ratio, however fast the machine), and trees far deeper than any
//! call stack are read and reported without recursion.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use imgtools::image::source::{SourceOptions, SourceSpec, open};
use imgtools::image::{AnalyzeOptions, analyze};

use super::hostile::write_oci_layout;

/// Counts the allocations of the threads that opted in (the analysis and its rayon pool), so
/// tests running in parallel on other threads do not disturb the count.
struct CountingAllocator;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn count(size: usize) {
    // `try_with`: thread-local storage may already be gone while a thread exits.
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        ALLOCATED_BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting allocates nothing.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` came from `System` with `layout`; same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// One layer of `files` regular files, 100 per directory, directories explicit.
fn wide_layer(files: usize) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut append = |path: String, kind: tar::EntryType, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        header.set_mode(if kind == tar::EntryType::Directory {
            0o755
        } else {
            0o644
        });
        builder.append_data(&mut header, path, data).unwrap();
    };
    append("srv/".into(), tar::EntryType::Directory, b"");
    for i in 0..files {
        if i % 100 == 0 {
            append(format!("srv/d{}/", i / 100), tar::EntryType::Directory, b"");
        }
        let content = i.to_string();
        append(
            format!("srv/d{}/file{i}.txt", i / 100),
            tar::EntryType::Regular,
            content.as_bytes(),
        );
    }
    builder.into_inner().unwrap()
}

/// (allocations, bytes allocated) while analysing an OCI layout with one layer of `files`.
fn analysis_allocations(files: usize) -> (u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let reference = write_oci_layout(dir.path(), &[wide_layer(files)]);
    let spec = SourceSpec::parse(&reference).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .start_handler(|_| COUNTED.with(|c| c.set(true)))
        .build()
        .unwrap();
    let before = (
        ALLOCATIONS.load(Ordering::Relaxed),
        ALLOCATED_BYTES.load(Ordering::Relaxed),
    );
    COUNTED.with(|c| c.set(true));
    let image = pool.install(|| {
        let source = open(&spec, &SourceOptions::default()).unwrap();
        analyze(source.as_ref(), &AnalyzeOptions::default()).unwrap()
    });
    COUNTED.with(|c| c.set(false));
    assert!(image.tree.nodes.len() > files, "every file is in the tree");
    drop(pool);
    (
        ALLOCATIONS.load(Ordering::Relaxed) - before.0,
        ALLOCATED_BYTES.load(Ordering::Relaxed) - before.1,
    )
}

#[test]
fn analysis_allocations_grow_linearly_with_the_entries() {
    // Only this test counts, so the two measurements do not overlap.
    let (small_count, small_bytes) = analysis_allocations(10_000);
    let (large_count, large_bytes) = analysis_allocations(100_000);
    let count_ratio = large_count as f64 / small_count as f64;
    let bytes_ratio = large_bytes as f64 / small_bytes as f64;
    // 10× the entries: linear work gives about 10× (a little more for growing vectors); one
    // step that is quadratic in the entries gives 100×.
    assert!(
        count_ratio < 15.0,
        "10× the entries made {count_ratio:.1}× the allocations ({small_count} → {large_count})"
    );
    assert!(
        bytes_ratio < 15.0,
        "10× the entries allocated {bytes_ratio:.1}× the bytes ({small_bytes} → {large_bytes})"
    );
}

/// 20,000 explicit directories side by side, and one directory 20,000 levels deep (its
/// parents implied by a single long-named entry).
fn deep_and_wide_layer() -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut append = |path: &str| {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Directory);
        header.set_size(0);
        header.set_mode(0o755);
        builder.append_data(&mut header, path, &[][..]).unwrap();
    };
    append("wide/");
    for i in 0..20_000 {
        append(&format!("wide/d{i}/"));
    }
    append(&"n/".repeat(20_000));
    builder.into_inner().unwrap()
}

#[test]
fn ci_and_json_read_20000_directories_and_a_tree_20000_deep() {
    let dir = tempfile::tempdir().unwrap();
    let reference = write_oci_layout(&dir.path().join("image"), &[deep_and_wide_layer()]);
    let json = dir.path().join("out.json");
    for args in [
        vec!["--ci", reference.as_str()],
        vec!["--json", json.to_str().unwrap(), reference.as_str()],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_imgdive"))
            .args(&args)
            .env_remove("CI")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(report.is_object(), "the JSON export is written");

    let spec = SourceSpec::parse(&reference).unwrap();
    let source = open(&spec, &SourceOptions::default()).unwrap();
    let image = analyze(source.as_ref(), &AnalyzeOptions::default()).unwrap();
    let deepest = format!("/{}", vec!["n"; 20_000].join("/"));
    assert!(
        image.tree.lookup(&deepest).is_some(),
        "the deepest directory"
    );
    assert!(image.tree.lookup("/wide/d19999").is_some());
    // root, wide, its 20,000 children, and the 20,000 levels of n.
    assert_eq!(image.tree.nodes.len(), 1 + 1 + 20_000 + 20_000);
}

/// A layer whose entries have these raw names (GNU headers, names under 100 bytes).
fn raw_named_layer(names: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for name in names {
        let mut header = tar::Header::new_gnu();
        header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(name.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(name);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[test]
fn names_differing_only_in_invalid_utf8_bytes_stay_two_paths() {
    let dir = tempfile::tempdir().unwrap();
    let lower = raw_named_layer(&[b"etc/conf\xff", b"etc/conf\xfe", b"etc/conf\xef\xbf\xbd"]);
    // The upper layer removes only the \xfe one.
    let upper = raw_named_layer(&[b"etc/.wh.conf\xfe"]);
    let reference = write_oci_layout(dir.path(), &[lower, upper]);
    let spec = SourceSpec::parse(&reference).unwrap();
    let source = open(&spec, &SourceOptions::default()).unwrap();
    let image = analyze(source.as_ref(), &AnalyzeOptions::default()).unwrap();
    let tree = &image.tree;
    let etc = tree.lookup("/etc").unwrap();
    let children = &tree.node(etc).children;
    // Three files: two invalid names shown alike (U+FFFD) and one really named with U+FFFD.
    assert_eq!(children.len(), 3, "{children:?}");
    let sizes: Vec<u64> = children
        .iter()
        .map(|c| tree.state_at(*c, 0).unwrap().size)
        .collect();
    assert!(
        children
            .iter()
            .all(|c| &*tree.node(*c).name == "conf\u{fffd}")
    );
    // Each kept its own content (the raw name, 9, 9 and 11 bytes).
    let mut sorted = sizes.clone();
    sorted.sort();
    assert_eq!(sorted, [9, 9, 11]);
    // The whiteout removed exactly one of them.
    let removed = children
        .iter()
        .filter(|c| tree.state_at(**c, 1).is_none())
        .count();
    assert_eq!(removed, 1);
}
