//! Physical lines and logical (continuation-joined) lines, with the bookkeeping that maps every
//! byte of a joined line back to its line and column in the file.

use super::ast::{Piece, Pos, SourceText, Span};
use std::ops::Range;

/// One physical line of the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    /// 1-based line number.
    pub number: u32,
    /// Byte offset of the line's first byte.
    pub start: usize,
    /// End of the content: trailing `\r` and `\n` excluded (BuildKit's trimNewline).
    pub content_end: usize,
    /// End including the line terminator.
    pub end: usize,
}

impl Line {
    pub fn content<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.content_end]
    }

    /// The raw line including its terminator (what BuildKit appends to heredoc bodies).
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Position of byte `offset` (absolute) on this line.
    pub fn pos(&self, text: &str, offset: usize) -> Pos {
        let prefix = &text[self.start..offset];
        Pos {
            line: self.number,
            column: 1 + count_columns(prefix),
            offset,
        }
    }
}

/// Columns are counted in Unicode scalar values; ASCII is the fast path.
pub(crate) fn count_columns(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.chars().count() as u32
    }
}

/// Splits text into lines on `\n` (as Go's bufio scanner with BuildKit's scanLines does). A final
/// line without terminator counts; an empty text has no lines.
pub(crate) fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    let mut number = 1;
    while start < bytes.len() {
        let end = match memchr_newline(&bytes[start..]) {
            Some(i) => start + i + 1,
            None => bytes.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        lines.push(Line {
            number,
            start,
            content_end,
            end,
        });
        number += 1;
        start = end;
    }
    lines
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// One run of a logical line that is contiguous in the file.
#[derive(Debug, Clone, Copy)]
struct Segment {
    value_offset: usize,
    pos: Pos,
    /// For non-ASCII runs, where this segment's column checkpoints start in
    /// [`Logical::checkpoints`]; `None` for ASCII (column = byte offset).
    checkpoints: Option<usize>,
}

/// Non-ASCII runs keep the character count at every `CHECKPOINT` bytes, so finding a column is
/// a bounded scan even on a megabyte-long line.
const CHECKPOINT: usize = 64;

/// Characters in a byte slice that may start or end inside a character: count the bytes that
/// are not UTF-8 continuation bytes.
fn char_starts(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

/// A logical line: physical line fragments joined after removing continuation characters.
#[derive(Debug, Clone, Default)]
pub(crate) struct Logical {
    pub text: String,
    segments: Vec<Segment>,
    checkpoints: Vec<u32>,
}

impl Logical {
    /// Empties the line, keeping its buffers for the next one.
    pub fn clear(&mut self) {
        self.text.clear();
        self.segments.clear();
        self.checkpoints.clear();
    }

    pub fn push(&mut self, fragment: &str, pos: Pos) {
        if fragment.is_empty() {
            return;
        }
        let checkpoints = (!fragment.is_ascii()).then(|| {
            let first = self.checkpoints.len();
            let mut columns = 0;
            for chunk in fragment.as_bytes().chunks(CHECKPOINT) {
                self.checkpoints.push(columns);
                columns += char_starts(chunk);
            }
            // The total, so an offset at the very end has a checkpoint too.
            self.checkpoints.push(columns);
            first
        });
        self.segments.push(Segment {
            value_offset: self.text.len(),
            pos,
            checkpoints,
        });
        self.text.push_str(fragment);
    }

    fn segment_index(&self, offset: usize, end_biased: bool) -> Option<usize> {
        if self.segments.is_empty() {
            return None;
        }
        let i = match self
            .segments
            .binary_search_by(|s| s.value_offset.cmp(&offset))
        {
            Ok(i) if end_biased && i > 0 => i - 1,
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        Some(i)
    }

    fn pos_in(&self, i: usize, offset: usize) -> Pos {
        let seg = self.segments[i];
        let delta = offset - seg.value_offset;
        let column = match seg.checkpoints {
            None => delta as u32,
            Some(first) => {
                let k = delta / CHECKPOINT;
                let from = seg.value_offset + k * CHECKPOINT;
                self.checkpoints[first + k] + char_starts(&self.text.as_bytes()[from..offset])
            }
        };
        Pos {
            line: seg.pos.line,
            column: seg.pos.column + column,
            offset: seg.pos.offset + delta,
        }
    }

    /// Position of the character starting at `offset`.
    pub fn pos_at(&self, offset: usize) -> Pos {
        match self.segment_index(offset, false) {
            Some(i) => self.pos_in(i, offset),
            None => Pos::default(),
        }
    }

    /// Position just after the character ending at `offset`.
    pub fn end_pos_at(&self, offset: usize) -> Pos {
        match self.segment_index(offset, true) {
            Some(i) => self.pos_in(i, offset),
            None => Pos::default(),
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        if range.is_empty() {
            let p = self.pos_at(range.start);
            return Span::new(p, p);
        }
        Span::new(self.pos_at(range.start), self.end_pos_at(range.end))
    }

    /// `text[range]` as a [`SourceText`] that maps back to the file.
    pub fn source_text(&self, range: Range<usize>) -> SourceText {
        let span = self.span(range.clone());
        let mut pieces = Vec::new();
        if let (Some(first), Some(last)) = (
            self.segment_index(range.start, false),
            self.segment_index(range.end, true),
        ) && last > first
        {
            pieces.push(Piece {
                value_offset: 0,
                pos: span.start,
            });
            for seg in &self.segments[first + 1..=last] {
                pieces.push(Piece {
                    value_offset: seg.value_offset - range.start,
                    pos: seg.pos,
                });
            }
        }
        SourceText {
            value: self.text[range].to_string(),
            span,
            pieces,
        }
        .indexed()
    }

    /// A text whose value differs from the source (quotes removed, JSON decoded): positions
    /// inside it are approximate, its span is exact.
    pub fn decoded_text(&self, range: Range<usize>, value: String) -> SourceText {
        if value == self.text[range.clone()] {
            return self.source_text(range);
        }
        SourceText {
            value,
            span: self.span(range),
            pieces: Vec::new(),
        }
        .indexed()
    }
}

/// Trims like Go's strings.TrimSpace, returning the trimmed sub-range.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    if start > end {
        start..start
    } else {
        start..end
    }
}
