//! The file-level loop of BuildKit's `Parse`: parser directives, comments, line continuations
//! (with comment and empty lines inside them), heredoc bodies, and the dispatch of each logical
//! line to [`build_instruction`].

use super::ast::{
    Comment, Directive, Dockerfile, Form, Heredoc, Instruction, Keyword, ParseError, Piece, Pos,
    SourceText, Span,
};
use super::expand::try_unquote;
use super::instruction::{LineCtx, build_instruction};
use super::source::{Line, Logical, split_lines};
use super::stages::build_stages;
use super::words::shell_words;

/// The directives BuildKit recognises at the top of a file.
const VALID_DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    next_line: usize,
    escape: char,
    directives_done: bool,
    df: Dockerfile,
}

pub(crate) fn parse_text(text: &str) -> Dockerfile {
    let lines = split_lines(text);
    let line_count = lines.len() as u32;
    let mut parser = Parser {
        text,
        lines,
        next_line: 0,
        escape: '\\',
        directives_done: false,
        df: Dockerfile {
            directives: Vec::new(),
            escape: '\\',
            comments: Vec::new(),
            instructions: Vec::new(),
            stages: Vec::new(),
            global_args: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            line_count,
        },
    };
    parser.run();
    let mut df = parser.df;
    if df.instructions.is_empty() {
        let end = Pos {
            line: line_count.max(1),
            column: 1,
            offset: text.len(),
        };
        df.errors.push(ParseError {
            message: "file with no instructions".to_string(),
            span: Span::new(end, end),
        });
    }
    build_stages(&mut df);
    df
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on a left-trimmed line.
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let name_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let (name, after) = rest.split_at(name_len);
    let value = after.trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some((name, value))
}

/// BuildKit's continuation regex `([^E])E[ \t]*$|^E[ \t]*$`: the line without the escape token
/// and whether it continues. An escaped escape token (`\\`) does not continue.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    match trimmed.strip_suffix(escape) {
        Some("") => ("", true),
        Some(before) if !before.ends_with(escape) => (before, true),
        _ => (line, false),
    }
}

fn left_trim(s: &str) -> &str {
    s.trim_start()
}

impl Parser<'_> {
    fn line_span(&self, line: &Line, from: usize, to: usize) -> Span {
        Span::new(line.pos(self.text, from), line.pos(self.text, to))
    }

    fn comment(&self, line: &Line) -> Comment {
        let content = line.content(self.text);
        let hash = line.start + (content.len() - left_trim(content).len());
        let end = line.start + content.trim_end().len();
        Comment {
            text: self.text[hash + 1..end.max(hash + 1)].to_string(),
            span: self.line_span(line, hash, end.max(hash + 1)),
        }
    }

    fn run(&mut self) {
        // One buffer for every logical line: parsing is allocation-bound.
        let mut logical = Logical::default();
        while self.next_line < self.lines.len() {
            let line = self.lines[self.next_line];
            self.next_line += 1;
            let content = line.content(self.text);
            let trimmed = left_trim(content);
            if !self.directives_done && self.directive(&line, trimmed) {
                continue;
            }
            if trimmed.starts_with('#') {
                let comment = self.comment(&line);
                self.df.comments.push(comment);
                continue;
            }
            let (first, mut continues) = trim_continuation(trimmed, self.escape);
            if !continues && first.is_empty() {
                continue;
            }
            let lead = content.len() - trimmed.len();
            logical.clear();
            logical.push(first, line.pos(self.text, line.start + lead));
            let mut inner_comments = Vec::new();
            let mut empty_line: Option<Span> = None;
            let mut last_line = line;
            while continues && self.next_line < self.lines.len() {
                let next = self.lines[self.next_line];
                self.next_line += 1;
                let content = next.content(self.text);
                let trimmed = left_trim(content);
                if trimmed.starts_with('#') {
                    inner_comments.push(self.comment(&next));
                    continue;
                }
                if trimmed.is_empty() {
                    empty_line.get_or_insert(self.line_span(&next, next.start, next.content_end));
                    continue;
                }
                let (fragment, more) = trim_continuation(content, self.escape);
                logical.push(fragment, next.pos(self.text, next.start));
                continues = more;
                last_line = next;
            }
            let _ = last_line;
            if logical.text.trim().is_empty() {
                continue;
            }
            let ctx = LineCtx {
                logical: &logical,
                escape: self.escape,
            };
            let mut instruction =
                build_instruction(&ctx, 0..logical.text.len(), &mut self.df.errors);
            instruction.inner_comments = inner_comments;
            if let Some(span) = empty_line {
                self.df.warnings.push(ParseError {
                    message: format!(
                        "empty continuation line in `{}` (BuildKit: empty continuation lines will become errors in a future release)",
                        logical.text.trim()
                    ),
                    span,
                });
            }
            if can_contain_heredoc(&instruction) {
                self.read_heredocs(&logical, &mut instruction);
            }
            self.df.instructions.push(instruction);
        }
    }

    /// Handles a possible parser directive; `true` when the line was one.
    fn directive(&mut self, line: &Line, trimmed: &str) -> bool {
        let Some((name, value)) = match_directive(trimmed) else {
            self.directives_done = true;
            return false;
        };
        let name = name.to_ascii_lowercase();
        if !VALID_DIRECTIVES.contains(&name.as_str()) {
            self.directives_done = true;
            return false;
        }
        let content = line.content(self.text);
        let start = line.start + (content.len() - trimmed.len());
        let span = self.line_span(line, start, line.start + content.trim_end().len());
        if self.df.directives.iter().any(|d| d.name == name) {
            self.df.errors.push(ParseError {
                message: format!("only one {name} parser directive can be used"),
                span,
            });
        } else if name == "escape" {
            match value {
                "\\" | "`" => {
                    self.escape = value.chars().next().unwrap_or('\\');
                    self.df.escape = self.escape;
                }
                _ => self.df.errors.push(ParseError {
                    message: format!("invalid escape token '{value}' does not match ` or \\"),
                    span,
                }),
            }
        }
        self.df.directives.push(Directive {
            name,
            value: value.to_string(),
            span,
        });
        true
    }

    /// Reads the bodies of the heredocs the instruction line opens, in order.
    fn read_heredocs(&mut self, logical: &Logical, instruction: &mut Instruction) {
        for (marker, mut heredoc) in heredocs_in_line(logical, &mut self.df.errors) {
            let body_start_line = self.next_line;
            let mut terminated = false;
            let mut value = String::new();
            let mut pieces = Vec::new();
            let mut body_end: Option<Pos> = None;
            while self.next_line < self.lines.len() {
                let line = self.lines[self.next_line];
                self.next_line += 1;
                let content = line.content(self.text);
                let candidate = if heredoc.chomp {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if candidate == heredoc.name {
                    terminated = true;
                    heredoc.span.end = line.pos(self.text, line.content_end);
                    break;
                }
                let raw = line.raw(self.text);
                let kept = if heredoc.chomp {
                    raw.trim_start_matches('\t')
                } else {
                    raw
                };
                let kept_start = line.start + (raw.len() - kept.len());
                // One piece per line: positions inside a long body are found by binary search.
                pieces.push(Piece {
                    value_offset: value.len(),
                    pos: line.pos(self.text, kept_start),
                });
                value.push_str(kept);
                body_end = Some(self.pos_after(&line));
            }
            let body_start = match self.lines.get(body_start_line) {
                Some(l) => l.pos(self.text, l.start),
                None => instruction.span.end,
            };
            let start = pieces.first().map(|p| p.pos).unwrap_or(body_start);
            if pieces.len() <= 1 {
                pieces.clear();
            }
            heredoc.body = SourceText {
                value,
                span: Span::new(start, body_end.unwrap_or(start)),
                pieces,
            }
            .indexed();
            heredoc.span.start = body_start;
            heredoc.marker_span = marker;
            if !terminated {
                let end = body_end.unwrap_or(body_start);
                heredoc.span.end = end;
                self.df.errors.push(ParseError {
                    message: format!("unterminated heredoc {}", heredoc.name),
                    span: Span::new(instruction.span.start, end),
                });
            }
            instruction.span.end = instruction.span.end.max(heredoc.span.end);
            instruction.heredocs.push(heredoc);
        }
    }

    /// The position just after a line's terminator (the start of the next line).
    fn pos_after(&self, line: &Line) -> Pos {
        if line.end > line.content_end && self.text.as_bytes()[line.end - 1] == b'\n' {
            Pos {
                line: line.number + 1,
                column: 1,
                offset: line.end,
            }
        } else {
            line.pos(self.text, line.end)
        }
    }
}

/// RUN, COPY and ADD in shell form (also as ONBUILD triggers) can open heredocs.
fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match (&instruction.keyword, &instruction.onbuild) {
        (Keyword::Onbuild, Some(inner)) => inner.as_ref(),
        _ => instruction,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && target.form != Form::Exec
}

/// The heredoc markers on a line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`), BuildKit's `reHeredoc`
/// `^(\d*)<<(-?)([^<]*)$` applied to each shell word.
fn heredocs_in_line(logical: &Logical, errors: &mut Vec<ParseError>) -> Vec<(Span, Heredoc)> {
    let text = &logical.text;
    let mut found = Vec::new();
    if !text.contains("<<") {
        return found;
    }
    let words = shell_words(text, 0..text.len());
    let mut index = 0;
    while index < words.len() {
        let mut marker = words[index].clone();
        index += 1;
        let raw = &text[marker.clone()];
        let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(after) = raw[digits..].strip_prefix("<<") else {
            continue;
        };
        // `<< EOF` and `<<- EOF`: BuildKit joins the operator with the next word.
        let rest_range = if (after.is_empty() || after == "-") && index < words.len() {
            let next = words[index].clone();
            index += 1;
            marker.end = next.end;
            next
        } else {
            marker.start + digits + 2 + usize::from(after.starts_with('-'))..marker.end
        };
        let chomp = after.starts_with('-');
        let rest = &text[rest_range];
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let name = match try_unquote(rest, '\\') {
            Ok(name) => name,
            Err(message) => {
                errors.push(ParseError {
                    message: format!("heredoc delimiter {rest}: {message}"),
                    span: logical.span(marker),
                });
                continue;
            }
        };
        let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
        let expand = quotes(&name) == quotes(rest);
        let marker = logical.span(marker);
        found.push((
            marker,
            Heredoc {
                name,
                chomp,
                expand,
                body: SourceText::default(),
                span: marker,
                marker_span: marker,
            },
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_regex() {
        assert_eq!(
            match_directive("# syntax=docker/dockerfile:1"),
            Some(("syntax", "docker/dockerfile:1"))
        );
        assert_eq!(match_directive("#escape = `  "), Some(("escape", "`")));
        assert_eq!(match_directive("# hadolint ignore=DL3000"), None);
        assert_eq!(match_directive("# key="), None);
        assert_eq!(match_directive("#1a=b"), None);
    }

    #[test]
    fn continuation() {
        assert_eq!(trim_continuation("RUN a \\", '\\'), ("RUN a ", true));
        assert_eq!(trim_continuation("RUN a \\  \t", '\\'), ("RUN a ", true));
        assert_eq!(trim_continuation("\\", '\\'), ("", true));
        assert_eq!(trim_continuation("RUN a \\\\", '\\'), ("RUN a \\\\", false));
        assert_eq!(trim_continuation("RUN a `", '`'), ("RUN a ", true));
        assert_eq!(trim_continuation("RUN a \\", '`'), ("RUN a \\", false));
    }
}
