//! `--format gnu`: the GNU error-message format editors understand,
//! `file:line:col: severity: message [code]`.

use std::io::{self, Write};

use super::escape_text;
use crate::lint::engine::LintedFile;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for f in files.iter().flat_map(|file| &file.findings) {
        writeln!(
            out,
            "{}:{}:{}: {}: {} [{}]",
            escape_text(&f.file, &[]),
            f.span.start.line,
            f.span.start.column,
            f.severity.as_str(),
            escape_text(&f.message.replace('\n', " "), &[]),
            f.code
        )?;
    }
    Ok(())
}
