//! `--format json`: a flat array; exactly the fields `code`, `name`, `category`, `severity`,
//! `message`, `file`, `line`, `column`, `end_line`, `end_column` (1-based; `end_column` is
//! exclusive, the column just after the last character, as in SARIF).

use std::io::{self, Write};

use serde::Serialize;

use crate::lint::engine::LintedFile;

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    let findings = files
        .iter()
        .flat_map(|file| &file.findings)
        .map(|f| JsonFinding {
            code: f.code,
            name: f.name,
            category: f.category.as_str(),
            severity: f.severity.as_str(),
            message: &f.message,
            file: &f.file,
            line: f.span.start.line,
            column: f.span.start.column,
            end_line: f.span.end.line,
            end_column: f.span.end.column,
        });
    super::write_json_array(out, findings, 0)?;
    writeln!(out)
}
