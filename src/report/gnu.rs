//! `--format gnu`: the GNU error-message format editors understand,
//! `file:line:col: severity: message [code]`.

use std::io::{self, Write};

use crate::lint::engine::LintedFile;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for f in files.iter().flat_map(|file| &file.findings) {
        writeln!(
            out,
            "{}:{}:{}: {}: {} [{}]",
            f.file,
            f.span.start.line,
            f.span.start.column,
            f.severity.as_str(),
            f.message.replace('\n', " "),
            f.code
        )?;
    }
    Ok(())
}
