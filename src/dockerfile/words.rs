//! Word splitting exactly as BuildKit's line parsers do it, returning byte ranges into the
//! logical line so every word keeps its source span.

use std::ops::Range;

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
pub(crate) fn is_token_space(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `reWhitespace.Split(text[range], -1)`, for FROM, EXPOSE and list-form COPY/ADD/VOLUME.
pub(crate) fn split_whitespace_delimited(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    if range.is_empty() {
        return words;
    }
    let mut start = range.start;
    let mut iter = text[range.clone()].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_token_space(c) {
            let word_end = range.start + i;
            let mut next = word_end + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if !is_token_space(d) {
                    break;
                }
                next = range.start + j + d.len_utf8();
                iter.next();
            }
            words.push(start..word_end);
            start = next;
        }
    }
    words.push(start..range.end);
    words
}

/// `reWhitespace.Split(text[range], 2)`: the first word and the rest.
pub(crate) fn split_first_word(
    text: &str,
    range: Range<usize>,
) -> (Range<usize>, Option<Range<usize>>) {
    let s = &text[range.clone()];
    match s.char_indices().find(|&(_, c)| is_token_space(c)) {
        None => (range, None),
        Some((i, _)) => {
            let rest_rel = s[i..]
                .char_indices()
                .find(|&(_, c)| !is_token_space(c))
                .map(|(j, _)| i + j)
                .unwrap_or(s.len());
            (
                range.start..range.start + i,
                Some(range.start + rest_rel..range.end),
            )
        }
    }
}

/// BuildKit's `parseWords`: space-separated words where quotes and escapes are kept verbatim
/// (they are processed later). A lone escape token at the very end is dropped.
pub(crate) fn parse_words(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let s = &text[range.clone()];
    let base = range.start;
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_last = i + c.len_utf8() == s.len();
        match phase {
            Phase::Spaces => {
                if c.is_whitespace() {
                    continue;
                }
                start = i;
                phase = Phase::Word;
            }
            Phase::Word | Phase::Quote(_) => {}
        }
        match phase {
            Phase::Word => {
                if c.is_whitespace() {
                    words.push(base + start..base + i);
                    phase = Phase::Spaces;
                    continue;
                }
                if c == '\'' || c == '"' {
                    phase = Phase::Quote(c);
                } else if c == escape {
                    if at_last {
                        // Go skips an escape at the end of input.
                        if i > start {
                            words.push(base + start..base + i);
                        }
                        return words;
                    }
                    chars.next();
                }
            }
            Phase::Quote(q) => {
                if c == q {
                    phase = Phase::Word;
                } else if c == escape && q != '\'' {
                    if at_last {
                        words.push(base + start..base + i);
                        return words;
                    }
                    chars.next();
                }
            }
            Phase::Spaces => unreachable!("phase set above"),
        }
    }
    if phase != Phase::Spaces {
        words.push(base + start..range.end);
    }
    words
}

/// One `--flag[=value]` word found before the arguments.
#[derive(Debug, Clone)]
pub(crate) struct FlagWord {
    pub range: Range<usize>,
    /// The word with quotes and backslash escapes processed, `--` included.
    pub word: String,
}

/// BuildKit's `extractBuilderFlags`: leading `--words` (quotes and backslashes processed, the
/// escape directive does not apply here); `--` alone ends the flags. Returns the flags and the
/// offset where the arguments start.
pub(crate) fn extract_builder_flags(text: &str, range: Range<usize>) -> (Vec<FlagWord>, usize) {
    let bytes = text.as_bytes();
    let mut flags = Vec::new();
    let mut pos = range.start;
    let end = range.end;
    loop {
        while pos < end && (bytes[pos] as char).is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= end {
            return (flags, end);
        }
        if !(bytes[pos] == b'-' && pos + 1 < end && bytes[pos + 1] == b'-') {
            return (flags, pos);
        }
        let start = pos;
        let mut word: Vec<u8> = Vec::new();
        let mut quote: Option<u8> = None;
        while pos < end {
            let b = bytes[pos];
            match quote {
                None => {
                    if (b as char).is_ascii_whitespace() {
                        break;
                    }
                    if b == b'\'' || b == b'"' {
                        quote = Some(b);
                        pos += 1;
                        continue;
                    }
                    if b == b'\\' {
                        if pos + 1 == end {
                            pos += 1;
                            continue;
                        }
                        pos += 1;
                    }
                    word.push(bytes[pos]);
                    pos += 1;
                }
                Some(q) => {
                    if b == q {
                        quote = None;
                        pos += 1;
                        continue;
                    }
                    if b == b'\\' {
                        if pos + 1 == end {
                            quote = None;
                            pos += 1;
                            continue;
                        }
                        pos += 1;
                    }
                    word.push(bytes[pos]);
                    pos += 1;
                }
            }
        }
        let word = String::from_utf8_lossy(&word).into_owned();
        if word == "--" {
            return (flags, pos);
        }
        flags.push(FlagWord {
            range: start..pos,
            word,
        });
    }
}

/// A JSON array of strings: each element's decoded value and the range of its literal
/// (between the quotes).
pub(crate) enum JsonArgs {
    NotJson,
    NotStrings,
    Strings(Vec<(Range<usize>, String)>),
}

/// BuildKit's `parseJSON`: the text (leading space trimmed) must start with `[` and be valid
/// JSON; an array containing a non-string is an error, anything else falls back to shell form.
pub(crate) fn parse_json_array(text: &str, range: Range<usize>) -> JsonArgs {
    let s = &text[range.clone()];
    let trimmed = s.trim_start();
    if !trimmed.starts_with('[') {
        return JsonArgs::NotJson;
    }
    let values: Vec<serde_json::Value> = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(_) => return JsonArgs::NotJson,
    };
    let mut strings = Vec::with_capacity(values.len());
    for v in values {
        match v {
            serde_json::Value::String(s) => strings.push(s),
            _ => return JsonArgs::NotStrings,
        }
    }
    // Valid JSON: find each string literal's range.
    let base = range.start + (s.len() - trimmed.len());
    let bytes = trimmed.as_bytes();
    let mut out = Vec::with_capacity(strings.len());
    let mut pos = 1;
    for value in strings {
        while pos < bytes.len() && bytes[pos] != b'"' {
            pos += 1;
        }
        let start = pos + 1;
        pos = start;
        while pos < bytes.len() && bytes[pos] != b'"' {
            if bytes[pos] == b'\\' {
                pos += 1;
            }
            pos += 1;
        }
        let end = pos.min(bytes.len());
        out.push((base + start..base + end, value));
        pos = end + 1;
    }
    JsonArgs::Strings(out)
}

/// Shell words of a line the way BuildKit's heredoc detection sees them (raw quotes, raw
/// escapes, variables left alone): whitespace splits words except inside quotes and `${…}`.
pub(crate) fn shell_words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut pos = range.start;
    let end = range.end;
    while pos < end {
        while pos < end && matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c') {
            pos += 1;
        }
        if pos >= end {
            break;
        }
        let start = pos;
        while pos < end {
            match bytes[pos] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' => break,
                b'\\' => pos = (pos + 2).min(end),
                q @ (b'\'' | b'"') => {
                    pos += 1;
                    while pos < end && bytes[pos] != q {
                        if q == b'"' && bytes[pos] == b'\\' {
                            pos += 1;
                        }
                        pos += 1;
                    }
                    pos = (pos + 1).min(end);
                }
                b'$' if pos + 1 < end && bytes[pos + 1] == b'{' => {
                    let mut depth = 0;
                    while pos < end {
                        match bytes[pos] {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    pos += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        pos += 1;
                    }
                }
                _ => pos += 1,
            }
        }
        words.push(start..pos.min(end));
    }
    words
}
