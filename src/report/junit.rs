//! `--format junit`: JUnit XML, as hadolint writes it, for CI test dashboards: one
//! `<testsuite>` per linted file, one `<testcase id="imglint.rule.CODE">` with a `<failure>` per
//! finding (`type` is the severity, `message` the finding's message, the text names file, line
//! and category). Parse errors count as `errors` of the suite, other findings as `failures`.
//!
//! Unlike hadolint, the output carries no timestamp, so two runs on the same input are
//! byte-identical (reports can be diffed and cached); suites are named after their file.

use std::io::{self, Write};

use super::xml_escape;
use crate::lint::engine::LintedFile;
use crate::lint::rule::Category;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    let tests: usize = files.iter().map(|f| f.findings.len().max(1)).sum();
    let errors: usize = files.iter().map(parse_errors).sum();
    let failures: usize = files.iter().map(|f| f.findings.len()).sum::<usize>() - errors;
    writeln!(
        out,
        r#"<testsuites id="imglint" name="imglint" tests="{tests}" failures="{failures}" errors="{errors}" time="0">"#
    )?;
    for file in files {
        let errors = parse_errors(file);
        let name = xml_escape(&file.file);
        writeln!(
            out,
            r#"  <testsuite id="imglint" name="{name}" tests="{}" failures="{}" errors="{errors}" time="0">"#,
            file.findings.len().max(1),
            file.findings.len() - errors,
        )?;
        if file.findings.is_empty() {
            // A suite with no test case reads as "not run" in some dashboards; a clean file is
            // one passing case.
            writeln!(
                out,
                r#"    <testcase id="imglint.clean" name="{name}" classname="{name}" time="0"/>"#
            )?;
        }
        for f in &file.findings {
            let code = xml_escape(f.code);
            let message = xml_escape(&f.message);
            let severity = f.severity.as_str();
            writeln!(
                out,
                r#"    <testcase id="imglint.rule.{code}" name="{code}:{line}" classname="{name}" time="0">"#,
                line = f.span.start.line
            )?;
            writeln!(
                out,
                r#"      <failure id="{code}" type="{severity}" message="{message}">File: {name}&#10;Line: {}&#10;Category: {}&#10;{severity}: {message}&#10;</failure>"#,
                f.span.start.line,
                f.category.as_str(),
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn parse_errors(file: &LintedFile) -> usize {
    file.findings
        .iter()
        .filter(|f| f.category == Category::Parse)
        .count()
}
