//! `--format checkstyle`: Checkstyle XML (Jenkins, reviewdog, many CI dashboards).

use std::io::{self, Write};

use super::xml_escape;
use crate::lint::engine::LintedFile;
use crate::lint::rule::Severity;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for file in files {
        writeln!(out, r#"  <file name="{}">"#, xml_escape(&file.file))?;
        for f in &file.findings {
            // Checkstyle knows error, warning and info; style findings are info.
            let severity = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{severity}" message="{}" source="imglint.{}"/>"#,
                f.span.start.line,
                f.span.start.column,
                xml_escape(&f.message),
                xml_escape(f.code)
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
