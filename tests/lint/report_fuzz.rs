//! The `report_formats` and `arg_expansion` fuzz targets as bounded proptests, so CI runs them
//! on every change (the long run is `cargo +nightly fuzz run …`, see README's Development).

use imgtools::dockerfile::expand::{MAX_EXPANDED_BYTES, expand};
use proptest::prelude::*;

#[path = "../../fuzz/common/report_check.rs"]
mod report_check;

/// Dockerfile-like text with the characters that break reports: controls, bidi overrides,
/// XML-forbidden noncharacters, quotes, markup and line breaks.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("FROM alpine:latest\n".to_string()),
        Just("RUN apt-get install curl && cd /x\n".to_string()),
        Just("USER root\n".to_string()),
        Just("ADD http://x/y.tar.gz /\n".to_string()),
        Just("MAINTAINER me\n".to_string()),
        Just(" \\\n".to_string()),
        prop::sample::select(vec![
            "\x1b[2J", "\x07", "\x7f", "\u{85}", "\u{9b}", "\u{202e}", "\u{2066}", "\u{fffe}",
            "\u{ffff}", "\r", "\n", "\t", "\0", "<", "&", "\"", "'", "%", ":", ",", "é",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9 =$\\{\\}:-]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_format_is_valid_and_free_of_raw_controls(
        name in hostile_text().prop_map(|n| n.replace('\n', "\\n")),
        body in hostile_text(),
    ) {
        let mut data = name.into_bytes();
        data.push(b'\n');
        data.extend_from_slice(body.as_bytes());
        report_check::lint_and_check_every_format(&data);
    }

    #[test]
    fn expansion_stays_bounded(
        word in "[${}:+?#%/a-cA-C\\-]{0,64}",
        value in "[a-c$]{0,8}",
        repeat in 0usize..12,
    ) {
        // Values that double under each other, looked up by nested words.
        let big = value.repeat(1 << repeat);
        let lookup = |name: &str| match name {
            "A" => Some(big.clone()),
            "B" => Some(format!("{big}{big}{big}{big}")),
            _ => None,
        };
        if let Ok(e) = expand(&word, '\\', &lookup) {
            prop_assert!(e.value.len() <= MAX_EXPANDED_BYTES + word.len());
        }
    }
}

#[test]
fn the_xml_check_rejects_what_it_should() {
    assert!(
        report_check::check_xml(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b x=\"&amp;\"/></a>\n"
        )
        .is_ok()
    );
    for bad in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b x=\"&bad;\"/></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b x=\"\u{fffe}\"/></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b x=\"<\"/></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a><b></a>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a x=\"&#1;\"></a>",
    ] {
        assert!(report_check::check_xml(bad).is_err(), "{bad}");
    }
}
