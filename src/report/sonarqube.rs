//! `--format sonarqube`: SonarQube's generic issue import format, as hadolint writes it:
//! `{"issues": [{engineId, ruleId, severity, type, primaryLocation: {message, filePath,
//! textRange: {startLine, endLine, startColumn, endColumn}}}]}`.
//!
//! Severity: error → CRITICAL, warning → MAJOR, info → MINOR, style → INFO; errors are of type
//! BUG, the rest CODE_SMELL (hadolint's mapping). Unlike hadolint, which always reports columns
//! 0–1 of the first line, the text range is the finding's real span (SonarQube columns are
//! 0-based).

use std::io::{self, Write};

use serde_json::json;

use crate::lint::engine::LintedFile;
use crate::lint::rule::Severity;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<serde_json::Value> = files
        .iter()
        .flat_map(|file| &file.findings)
        .map(|f| {
            let (severity, kind) = match f.severity {
                Severity::Error => ("CRITICAL", "BUG"),
                Severity::Warning => ("MAJOR", "CODE_SMELL"),
                Severity::Info => ("MINOR", "CODE_SMELL"),
                Severity::Style => ("INFO", "CODE_SMELL"),
            };
            let end_line = super::end_line(f);
            // A span that ends on a later line than it reports (end-exclusive at column 1)
            // ends at that reported line's start; SonarQube rejects empty ranges, so keep the
            // range at least one column wide on one line.
            let start_column = f.span.start.column.saturating_sub(1);
            let end_column = if end_line == f.span.end.line {
                f.span.end.column.saturating_sub(1)
            } else {
                0
            };
            let end_column = if end_line == f.span.start.line {
                end_column.max(start_column + 1)
            } else {
                end_column
            };
            json!({
                "engineId": "imglint",
                "ruleId": f.code,
                "severity": severity,
                "type": kind,
                "primaryLocation": {
                    "message": f.message,
                    "filePath": f.file,
                    "textRange": {
                        "startLine": f.span.start.line,
                        "endLine": end_line,
                        "startColumn": start_column,
                        "endColumn": end_column,
                    }
                }
            })
        })
        .collect();
    serde_json::to_writer(&mut *out, &json!({ "issues": issues }))?;
    writeln!(out)
}
