//! Reporters: findings → tty, json, sarif, checkstyle, gitlab, github, gnu, and hadolint's
//! codeclimate, junit, sonarqube and codacy. One module each; every reporter reads the same
//! [`LintedFile`]s and writes to any `io::Write`.

pub mod baseline;
pub mod checkstyle;
pub mod codacy;
pub mod codeclimate;
pub mod github;
pub mod gitlab;
pub mod gnu;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod sonarqube;
pub mod tty;

use std::io::{self, Write};
use std::path::PathBuf;

use crate::lint::engine::{Finding, LintedFile};
use crate::lint::rule::Rule;

/// Output formats, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Sarif,
    Checkstyle,
    /// GitLab Code Quality (hadolint calls it `gitlab_codeclimate`).
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
    Gnu,
    /// Code Climate engine output: one JSON issue per finding, each ended by a NUL byte.
    Codeclimate,
    /// JUnit XML: one test suite per file, one failed test case per finding.
    Junit,
    /// SonarQube generic issue import JSON.
    Sonarqube,
    /// Codacy tool results: one JSON object per finding, one per line.
    Codacy,
}

/// Every name a format answers to, on the command line, in `HADOLINT_FORMAT`/`IMGLINT_FORMAT`
/// and in a config file's `format:` alike (the first name of each format is its own; the others
/// are hadolint's spellings). The one list both the parser and `--help` read.
pub const FORMAT_NAMES: &[(&str, Format)] = &[
    ("tty", Format::Tty),
    ("json", Format::Json),
    ("sarif", Format::Sarif),
    ("checkstyle", Format::Checkstyle),
    ("gitlab", Format::Gitlab),
    ("gitlab_codeclimate", Format::Gitlab),
    ("github", Format::Github),
    ("github-actions", Format::Github),
    ("gnu", Format::Gnu),
    ("codeclimate", Format::Codeclimate),
    ("junit", Format::Junit),
    ("sonarqube", Format::Sonarqube),
    ("codacy", Format::Codacy),
];

impl Format {
    /// Looks a format up by any of its names (case-insensitive).
    pub fn parse(name: &str) -> Option<Format> {
        FORMAT_NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, f)| *f)
    }

    /// Whether findings leave the exit code at 0: Code Climate engines and Codacy tools exit 0
    /// whenever they ran (findings are their output), and hadolint does so for both.
    pub fn findings_never_fail(self) -> bool {
        matches!(self, Format::Codeclimate | Format::Codacy)
    }

    /// [`Format::parse`] with a message listing the names, for clap and config files.
    pub fn from_name(name: &str) -> Result<Format, String> {
        Format::parse(name).ok_or_else(|| {
            let names: Vec<&str> = FORMAT_NAMES.iter().map(|(n, _)| *n).collect();
            format!(
                "unknown format `{name}` (expected one of {})",
                names.join(", ")
            )
        })
    }
}

/// What reporters need besides the findings.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// ANSI colours (tty only).
    pub color: bool,
    /// The working directory, against which SARIF URIs are made relative.
    pub cwd: PathBuf,
    /// Every rule, for SARIF's `rules[]`.
    pub rules: &'static [&'static Rule],
}

/// Writes `files` in `format`.
pub fn write(
    format: Format,
    files: &[LintedFile],
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Tty => tty::write(files, options, out),
        Format::Json => json::write(files, out),
        Format::Sarif => sarif::write(files, options, out),
        Format::Checkstyle => checkstyle::write(files, out),
        Format::Gitlab => gitlab::write(files, out),
        Format::Github => github::write(files, out),
        Format::Gnu => gnu::write(files, out),
        Format::Codeclimate => codeclimate::write(files, out),
        Format::Junit => junit::write(files, out),
        Format::Sonarqube => sonarqube::write(files, out),
        Format::Codacy => codacy::write(files, out),
    }
}

/// The text of 1-based `line` of `source` (without its line ending), or "".
pub fn line_text(source: &str, line: u32) -> &str {
    source
        .split('\n')
        .nth(line.saturating_sub(1) as usize)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or("")
}

/// The last line a finding touches: spans are end-exclusive, so a span ending at column 1 of
/// the next line ends on the line before.
pub fn end_line(finding: &Finding) -> u32 {
    let span = finding.span;
    if span.end.line > span.start.line && span.end.column <= 1 {
        span.end.line - 1
    } else {
        span.end.line.max(span.start.line)
    }
}

/// Fingerprints that survive edits elsewhere in the file: a hash of the rule, the file and the
/// finding's line with whitespace removed, plus `:n` for the n-th identical one. Returned in the
/// order of `file.findings`.
pub fn fingerprints(file: &LintedFile) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    file.findings
        .iter()
        .map(|f| {
            let line: String = line_text(&file.source, f.span.start.line)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let key = format!("{}\0{}\0{}", f.code, file.file, line);
            let hash = xxhash_rust::xxh3::xxh3_64(key.as_bytes());
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

/// Escapes text for XML attributes and content.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
