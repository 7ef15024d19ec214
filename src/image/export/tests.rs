use super::*;

#[test]
fn json_strings_escape_c1_and_bidi_but_parse_back_unchanged() {
    let value = "a\u{202e}b\u{85}c\u{7f}d\u{1b}é";
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    value.serialize(&mut ser).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, r#""a\u202eb\u0085c\u007fd\u001bé""#);
    assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
}
