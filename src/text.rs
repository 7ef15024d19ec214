//! The one definition of the characters neither tool lets reach a terminal, log, editor or JSON
//! reader raw, whichever report or view prints untrusted text (a Dockerfile, a file name in an
//! image, a history command).

/// C0 and C1 controls and DEL; the Unicode line and paragraph separators; the bidi controls and
/// zero-width characters that reorder or hide what a reader sees ("Trojan Source": U+061C,
/// U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, the BOM U+FEFF); and the noncharacters U+FFFE,
/// U+FFFF. A Dockerfile or a file name holding them could forge or hide output.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFFE}'
                | '\u{FFFF}'
        )
}

/// Whether any byte of `bytes` is a `hit`, tested a 64-byte block at a time with no early exit
/// inside a block: that compiles to vector code, where a short-circuiting scan goes byte by
/// byte (reports and exports are mostly ASCII, and these scans sit on their hot paths).
fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(0u8, |seen, &b| seen | u8::from(hit(b))) != 0)
}

/// Whether any byte is DEL (0x7F) or above: every character the JSON writers escape is.
pub fn has_byte_from_del(bytes: &[u8]) -> bool {
    any_byte(bytes, |b| b >= 0x7F)
}

/// Whether `text` is all printable ASCII (nothing to escape in any format).
pub fn is_printable_ascii(text: &str) -> bool {
    !any_byte(text.as_bytes(), |b| !(0x20..0x7F).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_invisible_characters_are_unsafe() {
        for c in [
            '\x1b', '\x7f', '\u{85}', '\u{200B}', '\u{202E}', '\u{2066}', '\u{FEFF}',
        ] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['a', 'é', '✓', ' ', '\u{00A0}'] {
            assert!(!is_unsafe_char(c), "{c:?}");
        }
    }
}
