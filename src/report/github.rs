//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations:
//! `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`.

use std::io::{self, Write};

use crate::lint::engine::LintedFile;
use crate::lint::rule::Severity;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for f in files.iter().flat_map(|file| &file.findings) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Style => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&f.file),
            f.span.start.line,
            f.span.start.column,
            super::end_line(f),
            f.span.end.column,
            escape_property(f.code),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}

/// The message part: `%`, CR and LF are escaped (actions/toolkit `escapeData`); other control
/// and bidi characters become visible escapes so a Dockerfile cannot drive the runner's log.
pub fn escape_data(text: &str) -> String {
    super::escape_text(text, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: additionally `:` and `,` (actions/toolkit `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
