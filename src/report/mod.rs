//! Reporters: findings → tty, json, sarif, checkstyle, gitlab, github, gnu, and hadolint's
//! codeclimate, junit, sonarqube and codacy. One module each; every reporter reads the same
//! [`LintedFile`]s and writes to any `io::Write`.

pub mod baseline;
pub mod checkstyle;
pub mod codacy;
pub mod codeclimate;
pub mod github;
pub mod gitlab;
pub mod gnu;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod sonarqube;
pub mod tty;

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::lint::engine::{Finding, LintedFile};
use crate::lint::fix::{Fix, FixMode};
use crate::lint::rule::Rule;

pub use crate::output_format::{FORMAT_NAMES, Format};

/// What reporters need besides the findings.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// ANSI colours (tty only).
    pub color: bool,
    /// The working directory, against which SARIF URIs are made relative.
    pub cwd: PathBuf,
    /// Every rule, for SARIF's `rules[]`.
    pub rules: &'static [&'static Rule],
    /// Which fixes count as fixable (`[*]` and the summary's count).
    pub fix_mode: FixMode,
}

/// Writes `files` in `format`. JSON formats go through [`SafeJson`].
pub fn write(
    format: Format,
    files: &[LintedFile],
    options: &ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut safe = SafeJson::new(&mut *out);
    let json_out: &mut dyn Write = &mut safe;
    match format {
        Format::Tty => tty::write(files, options, out),
        Format::Json => json::write(files, json_out),
        Format::Sarif => sarif::write(files, options, json_out),
        Format::Checkstyle => checkstyle::write(files, out),
        Format::Gitlab => gitlab::write(files, json_out),
        Format::Github => github::write(files, out),
        Format::Gnu => gnu::write(files, out),
        Format::Codeclimate => codeclimate::write(files, json_out),
        Format::Junit => junit::write(files, out),
        Format::Sonarqube => sonarqube::write(files, json_out),
        Format::Codacy => codacy::write(files, json_out),
    }
}

/// Where each line of a text starts, computed once per file so a finding's line is a binary
/// search away (splitting the text per finding made reports quadratic in the file size).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Per line, whether it is all ASCII (a column is then a byte count); computed on the first
    /// [`position`](Self::position), so reports without fixes never pay for it.
    ascii: std::sync::OnceLock<Vec<bool>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex {
            text,
            starts,
            ascii: std::sync::OnceLock::new(),
        }
    }

    /// The text of 1-based `line` (without its line ending), or "".
    pub fn line(&self, line: u32) -> &'a str {
        self.line_with_start(line).0
    }

    /// The 1-based line and column (in characters) of byte `offset`; an offset inside a
    /// character or past the end is clamped.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[index];
        let ascii = self.ascii.get_or_init(|| {
            let mut flags = vec![true; self.starts.len()];
            let mut line = 0;
            for b in self.text.bytes() {
                if b == b'\n' {
                    line += 1;
                } else if !b.is_ascii() {
                    flags[line] = false;
                }
            }
            flags
        });
        if ascii[index] {
            // Counting characters of a long line once per edit would make reports quadratic.
            return (index as u32 + 1, (offset - start + 1) as u32);
        }
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        (index as u32 + 1, column as u32)
    }

    /// [`line`](Self::line) and the byte offset where it starts.
    pub fn line_with_start(&self, line: u32) -> (&'a str, usize) {
        let Some(&start) = (line as usize)
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
        else {
            return ("", self.text.len());
        };
        let end = self
            .starts
            .get(line as usize)
            .map_or(self.text.len(), |next| next - 1);
        let text = &self.text[start..end];
        (text.strip_suffix('\r').unwrap_or(text), start)
    }
}

/// One edit of a fix in report coordinates: 1-based lines and columns (end exclusive) and the
/// replacement text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditRegion<'a> {
    /// The other file of the build context the edit is in (absent: the Dockerfile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub replacement: &'a str,
}

/// The edits of `fix` in report coordinates (`lines` indexes the Dockerfile; an edit of
/// another file carries its own position).
pub fn edit_regions<'a>(lines: &LineIndex, fix: &'a Fix) -> Vec<EditRegion<'a>> {
    fix.edits
        .iter()
        .map(|edit| {
            let ((line, column), (end_line, end_column)) = match &edit.file {
                Some(file) => (
                    (file.span.start.line, file.span.start.column),
                    (file.span.end.line, file.span.end.column),
                ),
                None => (
                    lines.position(edit.range.start),
                    lines.position(edit.range.end),
                ),
            };
            EditRegion {
                path: edit.file.as_ref().map(|f| f.display.as_str()),
                line,
                column,
                end_line,
                end_column,
                replacement: &edit.replacement,
            }
        })
        .collect()
}

/// Writes a JSON array one element at a time, so a report never exists twice in memory (as
/// values and as text). Elements are pretty-printed and indented by `indent` spaces.
pub fn write_json_array<T: serde::Serialize>(
    out: &mut dyn Write,
    items: impl IntoIterator<Item = T>,
    indent: usize,
) -> io::Result<()> {
    let mut array = JsonArray::open(out)?;
    // Each element is serialized into one buffer, already at its depth, and written at once:
    // the writer below is a `dyn Write` chain (escaping, buffering), and both a write per token
    // and re-indenting each element afterwards cost a tenth of a whole JSON run.
    let mut chunk = Vec::new();
    for item in items {
        chunk.clear();
        push_json_element(&mut chunk, &item, indent)?;
        array.write_elements(out, &chunk)?;
    }
    array.close(out, indent)
}

/// [`write_json_array`] over every file's elements, each file's part serialized on the thread
/// pool (the report is otherwise a serial tail after a parallel lint).
pub fn write_json_array_per_file(
    out: &mut dyn Write,
    files: &[LintedFile],
    indent: usize,
    elements_of: impl Fn(&LintedFile, &mut JsonElements) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let mut array = JsonArray::open(out)?;
    write_per_file(
        files,
        out,
        |file| {
            let mut elements = JsonElements {
                buf: Vec::new(),
                indent,
            };
            elements_of(file, &mut elements)?;
            Ok(elements.buf)
        },
        |out, part| array.write_elements(out, &part),
    )?;
    array.close(out, indent)
}

/// One file's elements of an array written by [`write_json_array_per_file`].
pub struct JsonElements {
    buf: Vec<u8>,
    indent: usize,
}

impl JsonElements {
    pub fn push<T: serde::Serialize>(&mut self, item: &T) -> io::Result<()> {
        push_json_element(&mut self.buf, item, self.indent)
    }
}

/// Renders each file's part of a report on the thread pool and hands the parts to `write` in
/// input order. Files go in windows, so a run over many files never holds the whole report.
pub fn write_per_file(
    files: &[LintedFile],
    out: &mut dyn Write,
    render: impl Fn(&LintedFile) -> io::Result<Vec<u8>> + Sync,
    mut write: impl FnMut(&mut dyn Write, Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    use rayon::prelude::*;
    const WINDOW: usize = 64;
    if let [file] = files {
        // One file (the pre-commit case): rayon's pool would cost more than it saves.
        return write(out, render(file)?);
    }
    for window in files.chunks(WINDOW) {
        let parts: Vec<io::Result<Vec<u8>>> = window.par_iter().map(&render).collect();
        for part in parts {
            write(out, part?)?;
        }
    }
    Ok(())
}

/// Appends one array element: `,`, a new line, `indent + 2` spaces, the pretty-printed value.
fn push_json_element<T: serde::Serialize>(
    buf: &mut Vec<u8>,
    item: &T,
    indent: usize,
) -> io::Result<()> {
    buf.extend_from_slice(b",\n");
    buf.resize(buf.len() + indent + 2, b' ');
    crate::pretty_json::to_writer_at(buf, item, indent / 2 + 1)?;
    Ok(())
}

/// The brackets of a JSON array whose elements arrive as runs from [`push_json_element`]; the
/// comma in front of the first element is dropped.
struct JsonArray {
    any: bool,
}

impl JsonArray {
    fn open(out: &mut dyn Write) -> io::Result<JsonArray> {
        out.write_all(b"[")?;
        Ok(JsonArray { any: false })
    }

    fn write_elements(&mut self, out: &mut dyn Write, elements: &[u8]) -> io::Result<()> {
        if elements.is_empty() {
            return Ok(());
        }
        let skip = usize::from(!self.any);
        self.any = true;
        out.write_all(&elements[skip..])
    }

    fn close(self, out: &mut dyn Write, indent: usize) -> io::Result<()> {
        if self.any {
            write!(out, "\n{}", " ".repeat(indent))?;
        }
        out.write_all(b"]")
    }
}

/// The last line a finding touches: spans are end-exclusive, so a span ending at column 1 of
/// the next line ends on the line before.
pub fn end_line(finding: &Finding) -> u32 {
    let span = finding.span;
    if span.end.line > span.start.line && span.end.column <= 1 {
        span.end.line - 1
    } else {
        span.end.line.max(span.start.line)
    }
}

/// Fingerprints that survive edits elsewhere in the file: a hash of the rule, the file and the
/// finding's line with whitespace removed, plus `:n` for the n-th identical one. Returned in the
/// order of `file.findings`.
pub fn fingerprints(file: &LintedFile, lines: &LineIndex) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    // Many findings on one long line hash it once per rule, not once per finding.
    let mut line_hashes: std::collections::HashMap<(&str, u32), u64> =
        std::collections::HashMap::new();
    file.findings
        .iter()
        .map(|f| {
            let hash = *line_hashes
                .entry((f.code, f.span.start.line))
                .or_insert_with(|| {
                    let line: String = lines
                        .line(f.span.start.line)
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    let key = format!("{}\0{}\0{}", f.code, file.file, line);
                    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
                });
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

pub use crate::text::is_unsafe_char;
use crate::text::{has_byte_from_del, is_printable_ascii};

/// Text for line-oriented formats (tty, gnu, github): every unsafe character becomes a visible
/// escape (`\x1b`, `\u{202e}`), except those in `keep` (the format escapes them its own way).
pub fn escape_text<'t>(text: &'t str, keep: &[char]) -> Cow<'t, str> {
    if is_printable_ascii(text) {
        return Cow::Borrowed(text);
    }
    if !text
        .chars()
        .any(|c| is_unsafe_char(c) && !keep.contains(&c))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe_char(c) || keep.contains(&c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Escapes text for XML attributes and content. Characters XML 1.0 cannot carry at all (C0
/// controls other than tab/LF/CR, U+FFFE, U+FFFF) become U+FFFD; other unsafe characters are
/// written as character references, so the document stays well-formed and nothing raw leaks.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c if is_unsafe_char(c) => out.push_str(&format!("&#x{:X};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Wraps a JSON writer so string values never carry DEL, C1 controls, line separators or bidi
/// controls raw: serde_json escapes only C0, so these are rewritten as `\uXXXX` (they can only
/// occur inside JSON strings, where the escape decodes to the same character).
pub struct SafeJson<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> SafeJson<W> {
    pub fn new(inner: W) -> SafeJson<W> {
        SafeJson {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for SafeJson<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Every character rewritten here is at or above DEL, so ASCII below it (nearly all of a
        // report) passes straight through, without validation or a per-character scan.
        if self.pending.is_empty() && !has_byte_from_del(buf) {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            // An incomplete character at the end waits for the next write.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "report is not UTF-8",
                ));
            }
        };
        let text = std::str::from_utf8(&self.pending[..valid]).expect("validated above");
        crate::pretty_json::write_escaping_unsafe(&mut self.inner, text)?;
        self.pending.drain(..valid);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
