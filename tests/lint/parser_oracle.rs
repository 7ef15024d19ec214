//! Cross-check against the deprecated `dockerfile-parser` crate (a test oracle only): on every
//! corpus file it accepts, both parsers must see the same instructions, with the same keywords,
//! starting at the same byte offsets.

use dockerfile_parser::{Dockerfile as OracleFile, Instruction as O};
use imgtools::dockerfile::parse;
use std::path::Path;

fn oracle_instructions(df: &OracleFile) -> Vec<(String, usize)> {
    df.instructions
        .iter()
        .map(|i| match i {
            O::From(x) => ("from".to_string(), x.span.start),
            O::Arg(x) => ("arg".to_string(), x.span.start),
            O::Label(x) => ("label".to_string(), x.span.start),
            O::Run(x) => ("run".to_string(), x.span.start),
            O::Entrypoint(x) => ("entrypoint".to_string(), x.span.start),
            O::Cmd(x) => ("cmd".to_string(), x.span.start),
            O::Copy(x) => ("copy".to_string(), x.span.start),
            O::Env(x) => ("env".to_string(), x.span.start),
            O::Misc(x) => (x.instruction.content.to_ascii_lowercase(), x.span.start),
        })
        .collect()
}

#[test]
fn agrees_with_dockerfile_parser_where_it_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus");
    let (mut compared, mut rejected) = (0, 0);
    let mut disagreements = Vec::new();
    for dir in std::fs::read_dir(&root).expect("corpus") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("folder") {
            let path = file.expect("entry").path();
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("file")).into_owned();
            let Ok(oracle) = OracleFile::parse(&text) else {
                rejected += 1;
                continue;
            };
            compared += 1;
            let ours: Vec<(String, usize)> = parse(&text)
                .instructions
                .iter()
                .map(|i| {
                    (
                        i.keyword_text.to_ascii_lowercase(),
                        i.keyword_span.start.offset,
                    )
                })
                .collect();
            let theirs = oracle_instructions(&oracle);
            if ours != theirs {
                disagreements.push(format!(
                    "{}:\n ours   {ours:?}\n theirs {theirs:?}",
                    path.display()
                ));
            }
        }
    }
    eprintln!("compared {compared} files, dockerfile-parser rejected {rejected}");
    assert!(
        compared > 350,
        "the oracle should accept most of the corpus"
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
