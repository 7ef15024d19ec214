//! `--format codacy`: Codacy's tool result format, `{"filename", "patternId", "message",
//! "line"}` per finding. hadolint writes the objects back to back; imglint ends each with a
//! newline (JSON Lines, what Codacy's tool specification asks for), which readers of
//! concatenated JSON accept too.

use std::io::{self, Write};

use serde_json::json;

use crate::lint::engine::LintedFile;

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for f in files.iter().flat_map(|file| &file.findings) {
        let result = json!({
            "filename": f.file,
            "patternId": f.code,
            "message": f.message,
            "line": f.span.start.line,
        });
        serde_json::to_writer(&mut *out, &result)?;
        writeln!(out)?;
    }
    Ok(())
}
