//! The fast path must build exactly brush-parser's tree, or step aside. Compared node for node
//! (locations included) on every shell text of the corpus and on generated scripts, and on
//! the [`Script`](super::Script) the linter derives from them (which also covers the `sh -c`
//! strings and `$( … )` bodies parsed again inside).

use super::extract::Builder;
use super::fast;
use super::span::Mapper;
use crate::dockerfile::ast::{Form, Instruction, Keyword, SourceText};

/// Every shell text the linter parses in the test corpus: RUN bodies (ONBUILD triggers
/// included) and heredoc bodies.
fn corpus_texts() -> Vec<SourceText> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/corpus");
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if !path.to_string_lossy().contains("README") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 400, "the corpus is in testdata/corpus");
    let mut texts = Vec::new();
    for file in files {
        let dockerfile = crate::dockerfile::parse_bytes(&std::fs::read(&file).expect("read"));
        for instruction in &dockerfile.instructions {
            let run = match &instruction.onbuild {
                Some(trigger) => trigger.as_ref(),
                None => instruction,
            };
            collect(run, &mut texts);
        }
    }
    texts
}

fn collect(instruction: &Instruction, texts: &mut Vec<SourceText>) {
    if instruction.keyword != Keyword::Run || instruction.form == Form::Exec {
        return;
    }
    if let Some(text) = crate::lint::rules::facts::command_text(instruction) {
        texts.push(text.into_owned());
    }
    texts.extend(instruction.heredocs.iter().map(|h| h.body.clone()));
}

fn script(text: &SourceText, brush_only: bool) -> super::Script {
    let mut builder = Builder::new(brush_only);
    let parsed = builder.parse_into(
        &text.value,
        &Mapper::Source { text, base: 0 },
        0,
        false,
        false,
    );
    super::Script {
        commands: builder.commands,
        assignments: builder.assignments,
        for_loops: builder.for_loops,
        unchecked_negations: builder.unchecked_negations,
        constructs: builder.constructs,
        parsed,
    }
}

/// Compares the fast path with brush-parser on `text` (the trees, and the scripts the linter
/// derives from them); true when the fast path took it.
fn agrees(text: &SourceText) -> bool {
    let taken =
        fast::check_against_brush(&text.value).unwrap_or_else(|difference| panic!("{difference}"));
    if taken {
        assert_eq!(
            script(text, false),
            script(text, true),
            "on {:?}",
            text.value
        );
    }
    taken
}

#[test]
fn the_fast_path_builds_brush_parsers_tree_on_the_corpus() {
    let texts = corpus_texts();
    let taken = texts.iter().filter(|text| agrees(text)).count();
    eprintln!("fast path: {taken} of {} corpus shell texts", texts.len());
    // The point of the fast path is to be taken: most RUN bodies are in its subset.
    assert!(
        taken * 100 >= texts.len() * 60,
        "fast path took only {taken} of {} corpus texts",
        texts.len()
    );
}

fn source(text: &str) -> SourceText {
    SourceText {
        value: text.to_string(),
        span: Default::default(),
        pieces: Vec::new(),
    }
    .indexed()
}

#[test]
fn the_fast_path_agrees_or_steps_aside_on_tricky_texts() {
    let taken = [
        "",
        "  ",
        "a",
        "a && b || c; d | e",
        "A=1 B=\"x y\" cmd --flag=1 C=2 'q' \"w\"x",
        "a >/dev/null 2>&1 && b 2>/dev/null >>f <g 3<&0",
        "a &>/x; b &>>y; c >&2",
        "a2>f",
        "a 12>f",
        "echo ${x} \"$x\" $x ${y:-z} \"${a%%.*}\"",
        "echo $(a b) \"$(c \")\")\" $((1+2)) $(( (1+2) ))",
        "a\\ b c\\\"d e\\;",
        "a #c",
        "a#b c",
        "a\nb",
        "a &&\n b",
        "a\n\nb; c\n",
        "a; b;",
        "a && ! b",
        "! a",
        "x=1",
        "a=b=c",
        "a+=1 b",
        "1a=2 b",
        "A= b",
        "a }",
        "a ]]",
        "a {b,c}",
        "a | \n b",
        "a; # comment\nb",
        "echo $(a\tb) \"$( \t\ta |\t\tb\t)\" $((1 +\t2)) $(a $(b\tc)\td)",
        "{ a; b; }",
        "( a ) > f",
        "(a; b) | c",
        "if a; then b; elif c; then d; else e; fi",
        "if a\nthen b\nfi > f",
        "x; if a; then b; fi; y",
        "for x in p q; do a; done",
        "for x; do a; done",
        "for x in; do a; done",
        "for x in a\ndo b\ndone",
        "while a; do b; done",
        "until a; do b; done",
        "case x in p|q) a;; r) b;; *) ;; esac",
        "case \"$x\" in\n (p) a ;;\n q) b;;\nesac",
        "a && { b; } || (c)",
        "{ a; } > f 2>&1",
        "{ echo a; echo b; } | tee f",
        "if [ -f x ]; then\n  for y in 1 2; do\n    echo $y # c\n  done\nfi",
    ];
    for text in taken {
        assert!(agrees(&source(text)), "fast path should take {text:?}");
    }
    let declined = [
        "a;;b",
        ";a",
        "a &",
        "a |& b",
        "time a",
        "[[ a ]]",
        "a=(1 2)",
        "a b=(1)",
        "a[1]=2",
        "echo `a`",
        "echo $'x y'",
        "cat <<EOF\nx\nEOF",
        "a <<< x",
        "diff <(a) <(b)",
        ">f a",
        "a \\\n b",
        "echo $(case x in a) b;; esac)",
        "echo é",
        "a && ",
        "echo \"unclosed",
        "case x in p) a; esac",
        "case x in esac",
        "case x in p) a;& q) b;; esac",
        "((1+2))",
        "{ a }",
        "{ a; } b",
        "if a; then fi",
        "for 1 in a; do b; done",
        // Found by the shell_fast_path fuzz target: brush-parser drops the blank after `>`.
        "curl \"https://e.com/${VAGR> T_VERSION}/x\" -o /tmp/x",
        "echo ${a:-b c} ${x|y}",
        // Also found by the fuzz target: brush-parser reads `$[` as unclosed arithmetic.
        "ls /tp/py-9]*$[, ''THO",
        "echo $[1+2]",
        // Found by the fuzz target: a bare `while` moved the scanner past the end of the text.
        "while",
        "until",
        "while;",
        "a; while",
        // Found by the fuzz target: brush-parser reads `( (` as an arithmetic command.
        "\0-&& ( (pt0/-))",
        "( (cd a && make) )",
        // Found by the fuzz target: an extended glob is one word to brush-parser, so the tab
        // after it is written as a space.
        "$(!()\t)",
        "echo $(ls @(a|b)\t-l)",
        // Found by the fuzz target: `$[` inside a substitution, unclosed to brush-parser;
        // and the same inside a parameter expansion.
        "$($[)",
        "echo ${a:-$[}",
    ];
    for text in declined {
        assert!(!agrees(&source(text)), "fast path should decline {text:?}");
    }
}

/// Random scripts built from the fragments the fast path handles and the ones it must
/// decline, mixed: whatever it takes must equal brush-parser's tree.
#[test]
fn the_fast_path_agrees_on_generated_scripts() {
    const FRAGMENTS: &[&str] = &[
        "a",
        "b=1",
        "c+=2",
        "\"q w\"",
        "'s t'",
        "$v",
        "${v:-x}",
        "$(x y)",
        "$((1+2))",
        "\\;",
        "--flag=v",
        "2>&1",
        ">/dev/null",
        ">>f",
        "<g",
        "&>h",
        " ",
        " ",
        " ",
        "&&",
        "||",
        "|",
        ";",
        "\n",
        "!",
        "#c",
        "{",
        "}",
        "(",
        ")",
        "&",
        "`x`",
        "<<E",
        "$'x'",
        "=",
        "[",
        "]]",
        "9>",
        "x=",
        "time",
        "if",
        "\\",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut taken = 0;
    for _ in 0..20_000 {
        let count = 1 + next() as usize % 12;
        let text: String = (0..count)
            .map(|_| FRAGMENTS[next() as usize % FRAGMENTS.len()])
            .collect();
        if agrees(&source(&text)) {
            taken += 1;
        }
    }
    assert!(
        taken > 1_000,
        "fast path took only {taken} generated scripts"
    );
}
