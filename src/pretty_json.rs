//! The one pretty JSON layout both tools write: serde_json's `PrettyFormatter` byte for byte
//! (two-space indent, `": "` after keys, `[]` and `{}` when empty), plus two things its
//! formatter cannot do:
//! - a value may start nested, `depth` levels deep, so a part of a big document (a report
//!   element, an export's file list) is serialized at its place, on any thread, and written as
//!   it is, with no re-indent pass and no whole document in memory;
//! - strings never carry raw what a terminal or a reviewer's eye would act on: serde_json
//!   escapes C0 controls, quotes and backslashes itself, and every other unsafe character
//!   ([`crate::text::is_unsafe_char`]: DEL, C1 controls, bidi and invisible format characters)
//!   is written as `\uXXXX` here. Parsed back, the strings are unchanged.

use std::io::{self, Write};

use crate::text::{has_byte_from_del, is_unsafe_char};

/// A serde_json formatter: see the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct SafePretty {
    depth: usize,
    has_value: bool,
}

impl SafePretty {
    /// A formatter for a value that starts `depth` levels deep in its document.
    pub fn at_depth(depth: usize) -> SafePretty {
        SafePretty {
            depth,
            has_value: false,
        }
    }

    fn newline_and_indent<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        write_newline_and_indent(out, self.depth)
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline_and_indent(out)?;
        }
        out.write_all(bracket)
    }

    fn element<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.newline_and_indent(out)
    }
}

/// A line break and the indentation of `depth` levels, in at most a few writes (serde_json's
/// own formatter writes the indent once per level).
pub fn write_newline_and_indent<W: ?Sized + Write>(out: &mut W, depth: usize) -> io::Result<()> {
    const LINE: &[u8] = b"\n                                                               ";
    let mut left = depth * 2 + 1;
    let mut piece = &LINE[..left.min(LINE.len())];
    loop {
        out.write_all(piece)?;
        left -= piece.len();
        if left == 0 {
            return Ok(());
        }
        piece = &LINE[1..=left.min(LINE.len() - 1)];
    }
}

impl serde_json::ser::Formatter for SafePretty {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_escaping_unsafe(out, fragment)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.element(out, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.element(out, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes JSON text (a string's contents, or whole serialized JSON: these characters occur only
/// inside strings) with every unsafe character that serde_json leaves raw written as `\uXXXX`,
/// which decodes to the same character. Every such character is DEL or above (all in the Basic
/// Multilingual Plane, so four hex digits hold it): ASCII passes 64 bytes at a time, and one
/// `…` in a long text does not turn the rest into a character-by-character walk.
pub fn write_escaping_unsafe<W: ?Sized + Write>(out: &mut W, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    // Most texts (a path, a message: short strings the loop below would walk byte by byte
    // past their last whole block) have nothing to escape at all.
    if !has_byte_from_del(bytes) {
        return out.write_all(bytes);
    }
    let (mut plain_from, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(block) = bytes.get(i..i + 64)
            && !has_byte_from_del(block)
        {
            i += 64;
            continue;
        }
        if bytes[i] < 0x7F {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("a character starts here");
        if is_unsafe_char(c) {
            out.write_all(&bytes[plain_from..i])?;
            write!(out, "\\u{:04x}", c as u32)?;
            plain_from = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.write_all(&bytes[plain_from..])
}

/// `value` pretty-printed as it appears `depth` levels deep in a document.
pub fn to_writer_at<W: Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
    depth: usize,
) -> io::Result<W> {
    let mut serializer = serde_json::Serializer::with_formatter(out, SafePretty::at_depth(depth));
    value.serialize(&mut serializer)?;
    Ok(serializer.into_inner())
}

/// A whole document: `value` at the top level, a final newline, flushed (what `--json` writes).
pub fn write_document<W: Write, T: serde::Serialize + ?Sized>(out: W, value: &T) -> io::Result<()> {
    let mut out = to_writer_at(out, value, 0)?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_match_serde_json_pretty_printing_the_whole_document() {
        let inner = serde_json::json!({"a": [1, {"b": []}, {}], "c": {"d": "e"}, "f": []});
        for depth in [0, 1, 3, 40] {
            let mut document = serde_json::json!(inner);
            for _ in 0..depth {
                document = serde_json::json!([document]);
            }
            let whole = serde_json::to_string_pretty(&document).unwrap();
            let indent = "  ".repeat(depth);
            let part = String::from_utf8(to_writer_at(Vec::new(), &inner, depth).unwrap()).unwrap();
            assert!(
                whole.contains(&format!("\n{indent}{part}")) || depth == 0 && whole == part,
                "depth {depth}"
            );
        }
    }

    #[test]
    fn strings_escape_c1_and_bidi_but_parse_back_unchanged() {
        let value = "a\u{202e}b\u{85}c\u{7f}d\u{1b}é";
        let text = String::from_utf8(to_writer_at(Vec::new(), value, 0).unwrap()).unwrap();
        assert_eq!(text, r#""a\u202eb\u0085c\u007fd\u001bé""#);
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
    }
}
