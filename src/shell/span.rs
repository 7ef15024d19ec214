//! Mapping positions in parsed shell text back to Dockerfile [`Span`]s.

use std::ops::Range;

use crate::dockerfile::ast::{SourceText, Span};

/// Turns byte ranges of the text being parsed into file spans.
pub(super) enum Mapper<'t> {
    /// The text is `text.value[base..]`.
    Source { text: &'t SourceText, base: usize },
    /// The text was decoded from a quoted word in a way that breaks offsets: every word maps
    /// to the whole quoted word.
    Fixed(Span),
}

impl Mapper<'_> {
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        match self {
            Mapper::Source { text, base } => text.span_of(base + range.start..base + range.end),
            Mapper::Fixed(span) => *span,
        }
    }
}

/// Maps the parser's character indices to byte offsets.
pub(super) struct CharOffsets {
    /// Empty when the text is ASCII (indices are byte offsets).
    bytes: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    pub(super) fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    pub(super) fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }
}
