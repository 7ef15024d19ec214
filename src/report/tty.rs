//! `--format tty` (the default): for each finding `file:line:col`, severity, code and name,
//! message, then the offending lines with the span underlined; a summary line at the end.
//! A finding `--fix` would repair is marked `[*]`, and the summary counts them.
//! Colour only when asked for (the CLI decides: a terminal, no `--no-color`, no `NO_COLOR`).

use std::io::{self, Write};

use crate::dockerfile::ast::Span;
use crate::lint::engine::{Finding, LintedFile};
use crate::lint::rule::Severity;
use crate::lint::secrets::SHOWN_PREFIX_CHARS;

/// At most this many lines of a multi-line span are shown.
const MAX_SNIPPET_LINES: u32 = 4;
/// Longer lines are cut to a window of this many characters around the span.
const MAX_SNIPPET_WIDTH: usize = 160;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        let mut out = String::new();
        self.push(&mut out, code, text);
        out
    }

    /// Appends `text`, in colour `code` when painting.
    fn push(&self, out: &mut String, code: &str, text: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Writing into a String cannot fail.
        let _ = if self.on {
            write!(out, "\x1b[{code}m{text}\x1b[0m")
        } else {
            write!(out, "{text}")
        };
    }
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
        Severity::Style => "1;35",
    }
}

pub fn write(
    files: &[LintedFile],
    options: &super::ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = Paint { on: options.color };
    let mut counts = [0usize; 4];
    let mut files_with_findings = 0;
    // Findings `--fix` would repair, and those only `--unsafe-fixes` would.
    let (mut fixable, mut unsafe_only) = (0usize, 0usize);
    let marked = |f: &Finding| {
        f.fix
            .as_ref()
            .is_some_and(|fix| options.fix_mode.allows(fix))
    };
    for file in files {
        if !file.findings.is_empty() {
            files_with_findings += 1;
        }
        for f in &file.findings {
            counts[f.severity as usize] += 1;
            let marked = marked(f);
            fixable += usize::from(marked);
            unsafe_only += usize::from(f.fix.is_some() && !marked);
        }
    }
    super::write_per_file(
        files,
        out,
        |file| {
            let mut buf = String::new();
            if !file.findings.is_empty() {
                let lines = super::LineIndex::new(&file.source);
                for f in &file.findings {
                    push_finding(&mut buf, &lines, &file.secrets, f, marked(f), &paint);
                }
            }
            Ok(buf.into_bytes())
        },
        |out, part| out.write_all(&part),
    )?;
    let total: usize = counts.iter().sum();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if total == 0 {
        writeln!(
            out,
            "{} in {}",
            paint.wrap("1;32", "No findings"),
            plural(files.len(), "file")
        )
    } else {
        let by_severity: Vec<String> = [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Style,
        ]
        .into_iter()
        .filter(|s| counts[*s as usize] > 0)
        .map(|s| {
            let n = counts[s as usize];
            let word = match s {
                Severity::Error => plural(n, "error"),
                Severity::Warning => plural(n, "warning"),
                Severity::Info => format!("{n} info"),
                Severity::Style => format!("{n} style"),
            };
            paint.wrap(severity_colour(s), &word)
        })
        .collect();
        writeln!(
            out,
            "{} ({}) in {} of {}",
            paint.wrap("1", &plural(total, "finding")),
            by_severity.join(", "),
            plural(files_with_findings, "file"),
            files.len()
        )?;
        write_fixable(fixable, unsafe_only, out)
    }
}

/// `[*] 3 fixable with `imglint --fix` (2 more with `--unsafe-fixes`)`, when there are any.
fn write_fixable(fixable: usize, unsafe_only: usize, out: &mut dyn Write) -> io::Result<()> {
    let more = format!("{unsafe_only} more with `--fix --unsafe-fixes`");
    match (fixable, unsafe_only) {
        (0, 0) => Ok(()),
        (0, _) => writeln!(out, "No fixes available ({more})"),
        (n, 0) => writeln!(out, "[*] {n} fixable with `imglint --fix`"),
        (n, _) => writeln!(out, "[*] {n} fixable with `imglint --fix` ({more})"),
    }
}

/// Appends one finding with its snippet to `buf` (a file's part of the report, written at once:
/// the output is a `dyn Write` chain, and a write per piece was most of a tty report's cost).
fn push_finding(
    buf: &mut String,
    lines: &super::LineIndex,
    secrets: &[Span],
    f: &Finding,
    fixable: bool,
    paint: &Paint,
) {
    paint.push(
        buf,
        "1",
        format_args!(
            "{}:{}:{}",
            super::escape_text(&f.file, &[]),
            f.span.start.line,
            f.span.start.column
        ),
    );
    buf.push_str(": ");
    paint.push(buf, severity_colour(f.severity), f.severity.as_str());
    buf.push(' ');
    if fixable {
        paint.push(buf, "1", format_args!("{} [*] {}:", f.code, f.name));
    } else {
        paint.push(buf, "1", format_args!("{} {}:", f.code, f.name));
    }
    buf.push(' ');
    buf.push_str(&super::escape_text(&f.message, &[]));
    buf.push('\n');
    let first = f.span.start.line;
    let last = super::end_line(f).min(first + MAX_SNIPPET_LINES - 1);
    let width = last.to_string().len();
    let gutter = |buf: &mut String, n: &dyn std::fmt::Display| {
        paint.push(buf, "34", format_args!("{n:>width$} |"));
    };
    for line in first..=last {
        let (text, from, to, cut_before, cut_after) = snippet_line(lines, secrets, line, f);
        let from = from.min(text.len());
        let to = to.clamp(from + 1, text.len().max(from + 1));
        // Very long lines are shown as a window around the span's start.
        let window_start = from.saturating_sub(MAX_SNIPPET_WIDTH / 3);
        let window_end = text.len().min(window_start + MAX_SNIPPET_WIDTH);
        let mut pad = from - window_start;
        gutter(buf, &line);
        buf.push(' ');
        if window_start > 0 || cut_before {
            buf.push('…');
            pad += 1;
        }
        buf.extend(&text[window_start..window_end]);
        if window_end < text.len() || cut_after {
            buf.push('…');
        }
        buf.push('\n');
        let marks = (to.min(window_end.max(from + 1)) - from).max(1);
        gutter(buf, &"");
        buf.push(' ');
        buf.extend(std::iter::repeat_n(' ', pad));
        paint.push(buf, severity_colour(f.severity), "^".repeat(marks).as_str());
        buf.push('\n');
    }
    if super::end_line(f) > last {
        gutter(buf, &"");
        buf.push_str(" …\n");
    }
    buf.push('\n');
}

/// Lines longer than this many bytes are cut around the span before being shown, so a finding
/// on a megabyte-long line costs the window, not the line.
const LONG_LINE_BYTES: usize = 16 * MAX_SNIPPET_WIDTH;

/// One line of the snippet as characters (tabs as spaces, unsafe characters replaced so they
/// never reach the terminal, literal secrets masked after their first characters), the span's
/// start and end columns in it (0-based), and whether text was cut before or after it.
fn snippet_line(
    lines: &super::LineIndex,
    secrets: &[Span],
    line: u32,
    f: &Finding,
) -> (Vec<char>, usize, usize, bool, bool) {
    let (full, line_start) = lines.line_with_start(line);
    // `text` starts at byte `offset` of the source; one output character per input character,
    // so columns stay aligned with the carets.
    let shown = |text: &str, offset: usize| -> Vec<char> {
        let mut secret_chars_seen = 0;
        text.char_indices()
            .map(|(i, c)| {
                let at = offset + i;
                let in_secret = secrets
                    .iter()
                    .any(|s| s.start.offset <= at && at < s.end.offset);
                if in_secret && !c.is_whitespace() {
                    secret_chars_seen += 1;
                    if secret_chars_seen > SHOWN_PREFIX_CHARS {
                        return '*';
                    }
                } else {
                    secret_chars_seen = 0;
                }
                match c {
                    '\t' => ' ',
                    c if super::is_unsafe_char(c) => '\u{FFFD}',
                    c => c,
                }
            })
            .collect()
    };
    let first = line == f.span.start.line;
    let last = line == f.span.end.line;
    if full.len() <= LONG_LINE_BYTES {
        let text = shown(full, line_start);
        let from = if first {
            f.span.start.column as usize - 1
        } else {
            text.iter().take_while(|c| **c == ' ').count()
        };
        let to = if last {
            (f.span.end.column as usize).saturating_sub(1)
        } else {
            text.len()
        };
        return (text, from, to, false, false);
    }
    // A long line: cut by byte offsets around the span (columns would need a scan of the line).
    let boundary = |mut i: usize| {
        i = i.min(full.len());
        while !full.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let anchor = if first {
        boundary(f.span.start.offset.saturating_sub(line_start))
    } else {
        0
    };
    let cut_start = boundary(anchor.saturating_sub(4 * MAX_SNIPPET_WIDTH));
    let cut_end = boundary(anchor + 8 * MAX_SNIPPET_WIDTH);
    let text = shown(&full[cut_start..cut_end], line_start + cut_start);
    let from = if first {
        full[cut_start..anchor].chars().count()
    } else {
        text.iter().take_while(|c| **c == ' ').count()
    };
    let to = if last {
        let end = boundary(f.span.end.offset.saturating_sub(line_start)).clamp(anchor, cut_end);
        from + full[anchor..end].chars().count()
    } else {
        text.len()
    };
    (text, from, to, cut_start > 0, cut_end < full.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::ast::{Pos, Span};
    use crate::lint::engine::Finding;
    use crate::lint::rule::Category;

    fn pos(line: u32, column: u32) -> Pos {
        Pos {
            line,
            column,
            offset: 0,
        }
    }

    fn render(span: Span, color: bool) -> String {
        let source = "FROM a\nRUN one \\\n\ttwo \\\n    three\nUSER 1\n".to_string();
        let file = LintedFile {
            file: "Dockerfile".into(),
            source,
            secrets: Vec::new(),
            findings: vec![Finding {
                code: "XX0001",
                name: "x-rule",
                category: Category::Style,
                severity: Severity::Warning,
                message: "msg".into(),
                file: "Dockerfile".into(),
                span,
                fix: None,
            }],
            failure_threshold: Some(Severity::Info),
        };
        let options = super::super::ReportOptions {
            color,
            cwd: "/".into(),
            rules: &[],
            fix_mode: Default::default(),
        };
        let mut out = Vec::new();
        write(&[file], &options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn multi_line_spans_are_underlined_line_by_line() {
        let text = render(Span::new(pos(2, 5), pos(4, 10)), false);
        assert_eq!(
            text,
            "Dockerfile:2:5: warning XX0001 x-rule: msg\n\
             2 | RUN one \\\n  |     ^^^^^\n\
             3 |  two \\\n  |  ^^^^^\n\
             4 |     three\n  |     ^^^^^\n\n\
             1 finding (1 warning) in 1 file of 1\n"
        );
    }

    #[test]
    fn long_lines_are_windowed_and_control_characters_replaced() {
        let source = format!("RUN {}\x1b[2J{}\n", "a".repeat(300), "b".repeat(300));
        let file = LintedFile {
            file: "D".into(),
            source,
            secrets: Vec::new(),
            findings: vec![Finding {
                code: "XX0001",
                name: "x",
                category: Category::Style,
                severity: Severity::Warning,
                message: "m\x1b]0;title\x07".into(),
                file: "D".into(),
                span: Span::new(pos(1, 305), pos(1, 306)),
                fix: None,
            }],
            failure_threshold: None,
        };
        let options = super::super::ReportOptions {
            color: false,
            cwd: "/".into(),
            rules: &[],
            fix_mode: Default::default(),
        };
        let mut out = Vec::new();
        write(&[file], &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].chars().count() < 200, "{}", lines[1]);
        assert!(lines[1].starts_with("1 | …") && lines[1].ends_with('…'));
        // The caret sits under the replaced escape character.
        let caret = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(caret), Some('\u{FFFD}'));
    }

    #[test]
    fn colour_only_when_asked() {
        let span = Span::new(pos(1, 6), pos(1, 7));
        assert!(!render(span, false).contains('\x1b'));
        let coloured = render(span, true);
        assert!(
            coloured.contains("\x1b[1;33mwarning\x1b[0m"),
            "{coloured:?}"
        );
        assert!(coloured.contains("\x1b[1;33m^\x1b[0m"), "{coloured:?}");
    }
}
