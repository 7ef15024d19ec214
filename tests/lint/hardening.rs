//! Issue #8 (imglint part): hostile Dockerfiles, file names, build contexts and command lines.
//! Every input is generated here; nothing large is committed. Scaling tests lint and report
//! in-process (4x the input must take less than 8x the time) for every output format.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use imgtools::lint::config::Config;
use imgtools::lint::engine::{Input, Policy, lint_all};
use imgtools::lint::rules::REGISTRY;
use imgtools::report::{self, Format, ReportOptions};

/// Every output format, by its own name (the first of its names in the library's list), so a
/// format added later is covered here without touching this file.
fn every_format() -> Vec<(&'static str, Format)> {
    let mut formats: Vec<(&'static str, Format)> = Vec::new();
    for &(name, format) in report::FORMAT_NAMES {
        if !formats.iter().any(|&(_, seen)| seen == format) {
            formats.push((name, format));
        }
    }
    formats
}

/// A repository (configuration search stops at its `.git`) with an empty home.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    dir
}

fn imglint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imglint"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/config"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn lint(text: &str) -> Vec<imgtools::lint::LintedFile> {
    let policy = Policy::from_config(&Config::default());
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: text.as_bytes().to_vec(),
        build_context: None,
    };
    lint_all(&[(input, &policy)], REGISTRY)
}

fn best_of_three(mut run: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .min()
        .unwrap()
}

fn assert_ratio(what: &str, ta: Duration, tb: Duration) {
    eprintln!("{what}: {ta:?} -> {tb:?}");
    let floor = Duration::from_millis(20);
    assert!(
        tb < ta.max(floor) * 8,
        "{what}: 4x the input took {:.1}x the time ({ta:?} -> {tb:?})",
        tb.as_secs_f64() / ta.max(floor).as_secs_f64()
    );
}

/// 4x the input in less than 8x the time: linting, then the report in every format.
fn assert_scales_linearly(name: &str, make: impl Fn(usize) -> String, small: usize) {
    let (a, b) = (make(small), make(small * 4));
    let lint_a = best_of_three(|| assert!(!lint(&a)[0].findings.is_empty()));
    let lint_b = best_of_three(|| assert!(!lint(&b)[0].findings.is_empty()));
    assert_ratio(&format!("{name}: lint"), lint_a, lint_b);
    let (linted_a, linted_b) = (lint(&a), lint(&b));
    let options = ReportOptions {
        color: true,
        cwd: "/work".into(),
        rules: REGISTRY,
        fix_mode: Default::default(),
    };
    for (_, format) in every_format() {
        let time = |linted: &[imgtools::lint::LintedFile]| {
            best_of_three(|| {
                let mut out = Vec::new();
                report::write(format, linted, &options, &mut out).unwrap();
                assert!(!out.is_empty());
            })
        };
        assert_ratio(
            &format!("{name}: {format:?}"),
            time(&linted_a),
            time(&linted_b),
        );
    }
}

#[test]
fn one_long_run_line_scales_linearly_in_every_format() {
    // Every command on the line is a finding (unpinned, no --no-install-recommends).
    assert_scales_linearly(
        "long line",
        |n| {
            let mut s = String::from("FROM debian:12\nRUN apt-get update");
            for i in 0..n {
                s.push_str(&format!(
                    " && apt-get install -y pkg{i} && echo a b c d e f"
                ));
            }
            s.push('\n');
            s
        },
        300,
    );
}

#[test]
fn many_lines_scale_linearly_in_every_format() {
    assert_scales_linearly(
        "many lines",
        |n| {
            let mut s = String::from("FROM debian:12\n");
            for i in 0..n {
                s.push_str(&format!("RUN cd /x{i} && apt-get install -y p{i}\n"));
            }
            s
        },
        500,
    );
}

#[test]
fn a_long_script_line_in_the_build_context_scales_linearly() {
    // IL3001 parses the entrypoint script: one long line of words.
    let time = |n: usize| {
        let dir = sandbox();
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM alpine:3\nCOPY start.sh /start.sh\nENTRYPOINT [\"/start.sh\"]\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("start.sh"),
            format!("#!/bin/sh\nserver {}\n", "a ".repeat(n)),
        )
        .unwrap();
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let o = imglint(dir.path(), &["-f", "json", "Dockerfile"]);
                assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let (ta, tb) = (time(50_000), time(200_000));
    eprintln!("script: {ta:?} -> {tb:?}");
    assert!(
        tb < ta.max(Duration::from_millis(50)) * 8,
        "{ta:?} -> {tb:?}"
    );
}

#[test]
fn doubling_args_and_deep_nesting_neither_abort_nor_hang() {
    let dir = sandbox();
    let mut doubling = String::from("ARG A0=xxxxxxxxxxxxxxxx\n");
    for n in 1..64 {
        doubling.push_str(&format!("ARG A{n}=${{A{}}}${{A{}}}\n", n - 1, n - 1));
    }
    doubling.push_str("FROM alpine:${A63}\nRUN echo ${A63}\n");
    std::fs::write(dir.path().join("Doubling.Dockerfile"), doubling).unwrap();
    let nested = format!(
        "FROM {}alpine{}\n",
        "${A:-".repeat(20_000),
        "}".repeat(20_000)
    );
    std::fs::write(dir.path().join("Nested.Dockerfile"), nested).unwrap();
    for file in ["Doubling.Dockerfile", "Nested.Dockerfile"] {
        let started = Instant::now();
        let o = imglint(dir.path(), &["-f", "json", file]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{file}: {:?} {}",
            o.status,
            stderr(&o)
        );
        assert!(started.elapsed() < Duration::from_secs(30), "{file}");
        assert!(
            o.stdout.len() < 1 << 20,
            "{file}: report of {} bytes",
            o.stdout.len()
        );
    }
}

#[test]
fn inputs_larger_than_the_cap_are_refused_without_reading_them_whole() {
    let dir = sandbox();
    let o = imglint(dir.path(), &["/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero: larger than"),
        "{}",
        stderr(&o)
    );
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3\nUSER app\n").unwrap();
    let o = imglint(dir.path(), &["--max-file-size", "10", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let o = imglint(dir.path(), &["--max-file-size", "1K", "Dockerfile"]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn output_never_overwrites_an_input() {
    let dir = sandbox();
    let p = dir.path();
    let original = "FROM alpine\nRUN apt-get install x\n";
    std::fs::create_dir(p.join("sub")).unwrap();
    std::fs::write(p.join("Dockerfile"), original).unwrap();
    std::os::unix::fs::symlink("Dockerfile", p.join("link")).unwrap();
    std::fs::hard_link(p.join("Dockerfile"), p.join("hard")).unwrap();
    for args in [
        &["-o", "sub/../Dockerfile", "Dockerfile"][..],
        &["-o", "link", "Dockerfile"],
        &["-o", "hard", "Dockerfile"],
        &["-o", "Dockerfile", "."],
        &["--dump", "json", "Dockerfile", "-o", "Dockerfile"],
        &["--dump", "buildkit", "Dockerfile", "-o", "./link"],
    ] {
        let o = imglint(p, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("would overwrite"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read_to_string(p.join("Dockerfile")).unwrap(),
            original
        );
    }
    let o = imglint(p, &["-f", "json", "-o", "report.json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// No byte an terminal or log would interpret: C0 controls other than LF (and tab), DEL, C1,
/// bidi overrides, U+FFFE/U+FFFF.
fn assert_clean(what: &str, out: &[u8]) {
    let text = std::str::from_utf8(out).unwrap();
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || c == '\u{FFFE}'
            || c == '\u{FFFF}';
        assert!(!bad, "{what}: raw {c:?} in {text:?}");
    }
}

#[test]
fn no_raw_control_characters_in_any_format_and_xml_stays_well_formed() {
    let dir = sandbox();
    let name = "Dockerfile.x\nfake.Dockerfile:1:1: error: forged \u{1b}[2J\u{202e}\u{fffe}";
    std::fs::write(
        dir.path().join(name),
        "FROM alpine:latest\nRUN apt-get install \u{1b}]0;t\u{7}x\u{7f}\u{85}\u{202e}\u{ffff} \u{fffe}\n",
    )
    .unwrap();
    for (format, kind) in every_format() {
        let o = imglint(dir.path(), &["--no-color", "-f", format, name]);
        let failing = if kind.findings_never_fail() { 0 } else { 1 };
        assert_eq!(o.status.code(), Some(failing), "{format}: {}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        // Code Climate separates its issues with NUL, the one control character it writes.
        assert_clean(format, text.replace('\0', "").as_bytes());
        assert!(
            !text.lines().any(|l| l.starts_with("fake.Dockerfile")),
            "{format}: forged line in {text}"
        );
        // JSON documents: one, one per line (codacy) or NUL-separated (codeclimate).
        let documents: Vec<&str> = match format {
            "json" | "sarif" | "gitlab" | "sonarqube" => vec![text.as_str()],
            "codacy" => text.lines().collect(),
            "codeclimate" => text.split('\0').filter(|d| !d.trim().is_empty()).collect(),
            _ => Vec::new(),
        };
        for document in &documents {
            let v: serde_json::Value = serde_json::from_str(document).unwrap();
            // The decoded values keep the file's real name.
            assert!(v.to_string().contains("fake.Dockerfile"), "{format}");
        }
        let xml_root = match format {
            "checkstyle" => Some("</checkstyle>"),
            "junit" => Some("</testsuites>"),
            _ => None,
        };
        if let Some(end) = xml_root {
            assert!(
                text.starts_with("<?xml") && text.trim_end().ends_with(end),
                "{text}"
            );
            assert!(text.contains("&#x202E;"), "{format}: {text}");
        }
    }
}

#[test]
fn il3001_never_follows_a_symlink_out_of_the_build_context() {
    let dir = sandbox();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("token.sh");
    std::fs::write(&secret, "#!/bin/sh\nghp_SECRETTOKEN0123456789 --serve\n").unwrap();
    let ctx = dir.path().join("ctx");
    std::fs::create_dir_all(ctx.join("bin")).unwrap();
    std::os::unix::fs::symlink(&secret, ctx.join("start.sh")).unwrap();
    std::os::unix::fs::symlink(outside.path(), ctx.join("bin/tools")).unwrap();
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM alpine:3\nCOPY start.sh /start.sh\nCOPY bin/ /opt/\nENTRYPOINT [\"/start.sh\"]\nCMD [\"/opt/tools/token.sh\"]\n",
    )
    .unwrap();
    std::fs::write(
        ctx.join("Inner.Dockerfile"),
        "FROM alpine:3\nCOPY bin/ /opt/\nENTRYPOINT [\"/opt/tools/token.sh\"]\n",
    )
    .unwrap();
    for (format, _) in every_format() {
        let o = imglint(dir.path(), &["-f", format, "--select", "IL3001", "ctx"]);
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(!text.contains("SECRETTOKEN"), "{format}: {text}");
        assert_eq!(o.status.code(), Some(0), "{format}: {text}");
    }
    // The same script inside the context is read, and only its command name is quoted.
    std::fs::remove_file(ctx.join("start.sh")).unwrap();
    std::fs::write(ctx.join("start.sh"), "#!/bin/sh\nserver --token=abc123\n").unwrap();
    let o = imglint(
        dir.path(),
        &["-f", "json", "--select", "IL3001", "ctx/Dockerfile"],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("`server`") && !text.contains("abc123"),
        "{text}"
    );
}

#[test]
fn fail_closed_on_unknown_names_and_empty_directories() {
    let dir = sandbox();
    let p = dir.path();
    std::fs::write(p.join("Dockerfile"), "FROM alpine:latest\n").unwrap();
    std::fs::write(p.join(".imglint.yaml"), "select:\n  - DL3O07\n").unwrap();
    let o = imglint(p, &["Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        "imglint: .imglint.yaml:2:5: invalid config: select: unknown rule `DL3O07` (did you mean DL3007?)"
    );
    std::fs::write(p.join(".imglint.yaml"), "override:\n  error: [DL3007]\n").unwrap();
    let o = imglint(p, &["--ignore", "DL3O07", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        "imglint: --ignore: unknown rule `DL3O07` (did you mean DL3007?)"
    );
    std::fs::create_dir(p.join("empty")).unwrap();
    std::fs::write(p.join("empty/README.md"), "no dockerfile here\n").unwrap();
    let o = imglint(p, &["empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("empty: no Dockerfiles found"),
        "{}",
        stderr(&o)
    );
}

/// A literal secret in the Dockerfile is never printed in full, in any output format, even
/// with the rule that reports it disabled (the snippet of another finding shows its line).
#[test]
fn literal_secrets_are_masked_in_every_format() {
    let dir = sandbox();
    let secrets = [
        "hunter2hunter2",
        "ghp_abcdefghijklmnop",
        "s3cretpw",
        "pw1234567",
    ];
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!(
            "FROM alpine:3.19\nENV DB_PASSWORD={}\nARG API_TOKEN=\"{}\"\n\
             RUN echo 'root:{}' | chpasswd && useradd -p {} bob\n",
            secrets[0], secrets[1], secrets[2], secrets[3]
        ),
    )
    .unwrap();
    for (name, _) in imgtools::report::FORMAT_NAMES {
        for ignore in ["DL3000", "IL5001"] {
            let out = imglint(
                dir.path(),
                &["--format", name, "--ignore", ignore, "Dockerfile"],
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(!text.is_empty(), "{name}: no output: {}", stderr(&out));
            for secret in secrets {
                assert!(
                    !text.contains(secret),
                    "{name} (--ignore {ignore}) printed {secret} in full:\n{text}"
                );
            }
        }
    }
    // The tty snippet keeps the first characters, so the user can tell which value it is.
    let out = imglint(dir.path(), &["Dockerfile"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ENV DB_PASSWORD=hu************"), "{text}");
}
