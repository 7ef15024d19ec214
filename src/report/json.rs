//! `--format json`: a flat array; exactly the fields `code`, `name`, `category`, `severity`,
//! `message`, `file`, `line`, `column`, `end_line`, `end_column` (1-based; `end_column` is
//! exclusive, the column just after the last character, as in SARIF); a finding whose rule can
//! repair it adds `fix`: `applicability` (`safe` or `unsafe`) and `edits`, each with `line`,
//! `column`, `end_line`, `end_column` (same conventions) and the `replacement` text.

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
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: Vec<super::EditRegion<'a>>,
}

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    super::write_json_array_per_file(out, files, 0, |file, elements| {
        findings_of(file)
            .iter()
            .try_for_each(|finding| elements.push(finding))
    })?;
    writeln!(out)
}

fn findings_of(file: &LintedFile) -> Vec<JsonFinding<'_>> {
    // Built only for files with a fix: most reports never index their lines.
    let lines = file
        .findings
        .iter()
        .any(|f| f.fix.is_some())
        .then(|| super::LineIndex::new(&file.source));
    file.findings
        .iter()
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
            fix: f
                .fix
                .as_ref()
                .zip(lines.as_ref())
                .map(|(fix, lines)| JsonFix {
                    applicability: fix.applicability.as_str(),
                    edits: super::edit_regions(lines, fix),
                }),
        })
        .collect()
}
