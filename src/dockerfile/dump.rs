//! Two views of a parse: a JSON document (`imglint --dump json`) and BuildKit's own parser-test
//! notation (`imglint --dump buildkit`), which must match `testfiles/*/result` byte for byte.

use super::ast::{
    Dockerfile, Flag, Heredoc, ImageRef, Instruction, KeyValue, Keyword, ParseError, SourceText,
    Span, Stage,
};
use super::instruction::healthcheck_type;
use serde_json::{Value, json};

/// The parse as JSON: directives, comments, instructions (keyword, flags, form, args, pairs,
/// heredocs, spans), stages, errors and warnings.
pub fn to_json(df: &Dockerfile) -> Value {
    json!({
        "escape": df.escape.to_string(),
        "line_count": df.line_count,
        "directives": df.directives.iter().map(|d| json!({
            "name": d.name, "value": d.value, "span": span(&d.span),
        })).collect::<Vec<_>>(),
        "comments": df.comments.iter().map(|c| json!({
            "text": c.text, "span": span(&c.span),
        })).collect::<Vec<_>>(),
        "instructions": df.instructions.iter().map(instruction).collect::<Vec<_>>(),
        "global_args": df.global_args,
        "stages": df.stages.iter().map(stage).collect::<Vec<_>>(),
        "errors": df.errors.iter().map(error).collect::<Vec<_>>(),
        "warnings": df.warnings.iter().map(error).collect::<Vec<_>>(),
    })
}

fn span(s: &Span) -> Value {
    json!({
        "start": {"line": s.start.line, "column": s.start.column, "offset": s.start.offset},
        "end": {"line": s.end.line, "column": s.end.column, "offset": s.end.offset},
    })
}

fn text(t: &SourceText) -> Value {
    json!({"value": t.value, "span": span(&t.span)})
}

fn flag(f: &Flag) -> Value {
    json!({"name": f.name, "value": f.value.as_ref().map(text), "span": span(&f.span)})
}

fn pair(p: &KeyValue) -> Value {
    json!({
        "key": text(&p.key), "value": p.value.as_ref().map(text), "equals": p.equals,
        "span": span(&p.span),
    })
}

fn heredoc(h: &Heredoc) -> Value {
    json!({
        "name": h.name, "chomp": h.chomp, "expand": h.expand, "body": text(&h.body),
        "marker_span": span(&h.marker_span), "span": span(&h.span),
    })
}

fn instruction(i: &Instruction) -> Value {
    let mut v = json!({
        "keyword": i.keyword.as_str(),
        "keyword_text": i.keyword_text,
        "keyword_span": span(&i.keyword_span),
        "span": span(&i.span),
        "stage": i.stage,
        "flags": i.flags.iter().map(flag).collect::<Vec<_>>(),
        "form": i.form,
        "args": i.args.iter().map(text).collect::<Vec<_>>(),
        "rest": text(&i.rest),
        "pairs": i.pairs.iter().map(pair).collect::<Vec<_>>(),
        "heredocs": i.heredocs.iter().map(heredoc).collect::<Vec<_>>(),
        "inner_comments": i.inner_comments.iter().map(|c| json!({"text": c.text, "span": span(&c.span)})).collect::<Vec<_>>(),
    });
    if i.keyword == Keyword::Healthcheck {
        v["healthcheck_none"] = json!(i.healthcheck_none);
    }
    if let Some(inner) = &i.onbuild {
        v["onbuild"] = instruction(inner);
    }
    v
}

fn image(r: &ImageRef) -> Value {
    json!({
        "raw": r.raw, "expanded": r.expanded, "unresolved": r.unresolved,
        "registry": r.registry, "repository": r.repository, "tag": r.tag, "digest": r.digest,
    })
}

fn stage(s: &Stage) -> Value {
    json!({
        "index": s.index, "name": s.name, "name_span": s.name_span.as_ref().map(span),
        "image": image(&s.image), "parent_stage": s.parent_stage, "platform": s.platform,
        "from_instruction": s.from_instruction,
        "instructions": [s.instructions.start, s.instructions.end],
    })
}

fn error(e: &ParseError) -> Value {
    json!({"message": e.message, "span": span(&e.span)})
}

/// Which generation of BuildKit's dumper to imitate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// Today's BuildKit: ENV and LABEL pairs end with their separator node, `"="` for `k=v` and
    /// `""` for the legacy `k v` form: `(env "name" "value" "=")`.
    Current,
    /// Before BuildKit kept the separator (moby's parser and BuildKit's early test fixtures):
    /// `(env "name" "value")`.
    BeforeSeparator,
}

/// BuildKit's dumper notation: one `(keyword ["--flags"] "arg" …)` line per instruction.
pub fn to_buildkit(df: &Dockerfile) -> String {
    to_buildkit_notation(df, Notation::Current)
}

/// [`to_buildkit`] in a chosen [`Notation`].
pub fn to_buildkit_notation(df: &Dockerfile, notation: Notation) -> String {
    let mut out = String::new();
    for i in &df.instructions {
        out.push('(');
        out.push_str(&node(i, notation));
        out.push_str(")\n");
    }
    out
}

/// BuildKit's `Node.Dump` for one instruction.
fn node(i: &Instruction, notation: Notation) -> String {
    let mut s = i.keyword_text.to_lowercase();
    if !i.flags.is_empty() {
        let flags: Vec<String> = i.flags.iter().map(|f| go_quote(&flag_word(f))).collect();
        s.push_str(" [");
        s.push_str(&flags.join(" "));
        s.push(']');
    }
    let mut push = |v: &str| {
        s.push(' ');
        s.push_str(&go_quote(v));
    };
    match i.keyword {
        Keyword::Unknown => push(""),
        Keyword::Env | Keyword::Label => {
            for (n, p) in i.pairs.iter().enumerate() {
                for a in i.args.iter().skip(2 * n).take(2) {
                    push(&a.value);
                }
                if notation == Notation::Current {
                    push(if p.equals { "=" } else { "" });
                }
            }
        }
        Keyword::Healthcheck => {
            if let Some(t) = healthcheck_type(i) {
                push(t);
                for a in &i.args {
                    push(&a.value);
                }
            }
        }
        Keyword::Onbuild => {
            if let Some(inner) = &i.onbuild {
                s.push_str(" (");
                s.push_str(&node(inner, notation));
                s.push(')');
            }
        }
        _ => {
            for a in &i.args {
                push(&a.value);
            }
        }
    }
    s.trim().to_string()
}

/// A flag as BuildKit keeps it: `--name` or `--name=value`.
fn flag_word(f: &Flag) -> String {
    match &f.value {
        Some(v) => format!("--{}={}", f.name, v.value),
        None => format!("--{}", f.name),
    }
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if go_is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`, closely enough: graphic characters and the ASCII space, but no other
/// spaces, controls or format characters.
fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xD800..=0xDFFF | 0xE000..=0xF8FF
        | 0xFFFE | 0xFFFF | 0xE0001 | 0xE0020..=0xE007F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\td"), "\"a\\\"b\\\\c\\td\"");
        assert_eq!(go_quote("é ü"), "\"é ü\"");
        assert_eq!(go_quote("\u{a0}\u{1}"), "\"\\u00a0\\x01\"");
    }
}
