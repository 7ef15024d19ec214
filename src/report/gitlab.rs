//! `--format gitlab`: GitLab Code Quality JSON (a Code Climate subset): `description`,
//! `check_name`, `fingerprint`, `severity`, `location.path`, `location.lines.begin`.
//!
//! Severity mapping (GitLab's scale is info < minor < major < critical < blocker):
//! error → critical, warning → major, info → minor, style → info.

use std::io::{self, Write};

use serde_json::json;

use crate::lint::engine::LintedFile;
use crate::lint::rule::Severity;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    let issues = files.iter().flat_map(|file| {
        let fingerprints = super::fingerprints(file, &super::LineIndex::new(&file.source));
        file.findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fingerprint)| {
                let severity = match f.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "minor",
                    Severity::Style => "info",
                };
                // GitLab wants an MD5-like hex string; the stable line hash plus its occurrence index
                // hashed once more gives a fixed-width unique one.
                let fingerprint = format!(
                    "{:032x}",
                    xxhash_rust::xxh3::xxh3_128(fingerprint.as_bytes())
                );
                json!({
                    "type": "issue",
                    "description": format!("{}: {}", f.code, f.message),
                    "check_name": f.code,
                    "categories": [f.category.as_str()],
                    "fingerprint": fingerprint,
                    "severity": severity,
                    "location": {
                        "path": f.file,
                        "lines": { "begin": f.span.start.line, "end": super::end_line(f) }
                    }
                })
            })
    });
    super::write_json_array(out, issues, 0)?;
    writeln!(out)
}
