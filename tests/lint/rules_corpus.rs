//! Runs every rule over the real-world corpus (testdata/corpus): nothing may panic, and every
//! finding must carry a span inside the file. Set `IMGLINT_RULES_DUMP=1` to print all findings
//! and per-rule counts (used to review false positives), `IMGLINT_CORPUS=dir` to use another
//! corpus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imgtools::lint::rule::{Context, RuleSettings, Sink};
use imgtools::lint::rules::REGISTRY;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
}

#[test]
fn all_rules_run_over_the_corpus_without_panicking() {
    let dir = std::env::var_os("IMGLINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus"));
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    assert!(
        paths.len() > 100,
        "corpus at {} has {} files",
        dir.display(),
        paths.len()
    );
    let dump = std::env::var_os("IMGLINT_RULES_DUMP").is_some();
    let settings = RuleSettings::default();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &paths {
        let bytes = std::fs::read(path).expect("read corpus file");
        let text = String::from_utf8_lossy(&bytes).to_string();
        let df = imgtools::dockerfile::parse(&text);
        let ctx = Context::new(path, &text, &df, path.parent(), &settings);
        for rule in REGISTRY {
            let mut sink = Sink::default();
            (rule.check)(&ctx, &mut sink);
            for d in &sink.diagnostics {
                assert!(
                    d.span.start.line >= 1 && d.span.start.line <= df.line_count.max(1) + 1,
                    "{} {}: span {:?} outside the file",
                    path.display(),
                    rule.code,
                    d.span
                );
                assert!(d.span.start <= d.span.end, "{}: inverted span", rule.code);
                if dump {
                    println!(
                        "HIT {} {}:{}:{} {}",
                        rule.code,
                        path.display(),
                        d.span.start.line,
                        d.span.start.column,
                        d.message
                    );
                }
            }
            *counts.entry(rule.code).or_default() += sink.diagnostics.len();
        }
    }
    if dump {
        for (code, n) in &counts {
            println!("COUNT {code} {n}");
        }
    }
}
