//! Behaviour of the Dockerfile front-end, case by case: heredocs, directives, continuations,
//! exact spans, BOM/CRLF, flags, forms, stages and ARG scope, and error recovery.

use imgtools::dockerfile::ast::{Form, Keyword, Pos};
use imgtools::dockerfile::dump::to_buildkit;
use imgtools::dockerfile::{args_in_scope, parse, parse_bytes};

fn pos(line: u32, column: u32) -> (u32, u32) {
    (line, column)
}

fn lc(p: Pos) -> (u32, u32) {
    (p.line, p.column)
}

// ---------------------------------------------------------------- heredocs

/// BuildKit's TestParseExtractsHeredoc, case by case (our bodies are stored with `<<-` tabs
/// already stripped).
#[test]
fn heredocs_like_buildkit() {
    let text = "\nFROM alpine:3.6\n\nENV NAME=me\n\nRUN ls\n\nUSER <<INVALID\nINVALID\n\nRUN <<EMPTY\nEMPTY\n\nRUN 3<<EMPTY2\nEMPTY2\n\nRUN \"<<NOHEREDOC\"\n\nRUN <<INDENT\n\tfoo\n\tbar\nINDENT\n\nRUN <<-UNINDENT\n\tbaz\n\tquux\nUNINDENT\n\nRUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n\nRUN <<-EXPAND\n\texpand $NAME\nEXPAND\n\nRUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n\nRUN <<COPY\necho hello world\necho foo bar\nCOPY\n\nRUN <<COMMENT\n# internal comment\necho hello world\necho foo bar # trailing comment\nCOMMENT\n\nRUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n\nCOPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n\nCOPY <<EOF /quotes\n\"foo\"\n'bar'\nEOF\n\nCOPY <<X <<Y /dest\nY\nX\nX\nY\n\nRUN <<COMPLEX python3\nprint('hello world')\nCOMPLEX\n\nCOPY <<file.txt /dest\nhello world\nfile.txt\n\nRUN <<eo'f'\necho foo\neof\n\nRUN <<eo\\'f\necho foo\neo'f\n\nRUN <<'e'o\\'f\necho foo\neo'f\n\nRUN <<'one two'\necho bar\none two\n\nRUN <<$EOF\n$EOF\n\nRUN <<  EOF\nEOF\n\nRUN <<  EOF  > foo\nEOF\n\t";
    let df = parse(text);
    type Doc = (&'static str, &'static str, bool, bool);
    let expected: Vec<Vec<Doc>> = vec![
        vec![],
        vec![],
        vec![],
        vec![],
        vec![("EMPTY", "", true, false)],
        vec![("EMPTY2", "", true, false)],
        vec![],
        vec![("INDENT", "\tfoo\n\tbar\n", true, false)],
        vec![("UNINDENT", "baz\nquux\n", true, true)],
        vec![("UNINDENT2", "baz\nquux\n", true, true)],
        vec![("EXPAND", "expand $NAME\n", true, true)],
        vec![("NOEXPAND", "don't expand $NAME\n", false, true)],
        vec![("COPY", "echo hello world\necho foo bar\n", true, false)],
        vec![(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
            true,
            false,
        )],
        vec![("MOUNT", "echo hello\n", true, false)],
        vec![
            ("FILE1", "content 1\n", true, false),
            ("FILE2", "content 2\n", true, false),
        ],
        vec![("EOF", "\"foo\"\n'bar'\n", true, false)],
        vec![("X", "Y\n", true, false), ("Y", "X\n", true, false)],
        vec![("COMPLEX", "print('hello world')\n", true, false)],
        vec![("file.txt", "hello world\n", true, false)],
        vec![("eof", "echo foo\n", false, false)],
        vec![("eo'f", "echo foo\n", true, false)],
        vec![("eo'f", "echo foo\n", false, false)],
        vec![("one two", "echo bar\n", false, false)],
        vec![("$EOF", "", true, false)],
        vec![("EOF", "", true, false)],
        vec![("EOF", "", true, false)],
    ];
    assert_eq!(df.instructions.len(), expected.len() + 1);
    for (i, want) in expected.iter().enumerate() {
        let got: Vec<Doc> = df.instructions[i + 1]
            .heredocs
            .iter()
            .map(|h| {
                let name: &'static str = Box::leak(h.name.clone().into_boxed_str());
                let body: &'static str = Box::leak(h.body.value.clone().into_boxed_str());
                (name, body, h.expand, h.chomp)
            })
            .collect();
        assert_eq!(
            &got,
            want,
            "instruction {} ({})",
            i + 1,
            df.instructions[i + 1].rest.value
        );
    }
    // USER <<INVALID opens no heredoc, so `INVALID` is an (unknown) instruction of its own.
    assert_eq!(df.instructions[4].keyword, Keyword::Unknown);
    assert!(
        df.errors
            .iter()
            .any(|e| e.message == "unknown instruction: INVALID")
    );
}

#[test]
fn json_form_has_no_heredocs() {
    let df = parse("FROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t");
    for i in 1..=3 {
        assert!(df.instructions[i].heredocs.is_empty());
        assert_eq!(df.instructions[i].form, Form::Exec);
    }
}

#[test]
fn heredoc_spans_and_trailing_shell() {
    let text =
        "FROM a\nRUN <<EOF cat > /x && \\\n  echo done\nline one\n  line two\nEOF\nRUN next\n";
    let df = parse(text);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    assert_eq!(run.args[0].value, "<<EOF cat > /x &&   echo done");
    let h = &run.heredocs[0];
    assert_eq!(h.body.value, "line one\n  line two\n");
    assert_eq!(lc(h.marker_span.start), pos(2, 5));
    assert_eq!(lc(h.marker_span.end), pos(2, 10));
    assert_eq!(lc(h.body.span.start), pos(4, 1));
    assert_eq!(lc(h.body.span.end), pos(6, 1));
    assert_eq!(lc(h.span.end), pos(6, 4));
    assert_eq!(lc(run.span.end), pos(6, 4));
    // A position inside the body maps back to the file.
    let at = h.body.value.find("two").unwrap();
    assert_eq!(lc(h.body.pos_at(at)), pos(5, 8));
    assert_eq!(df.instructions[2].args[0].value, "next");
}

#[test]
fn chomped_heredoc_body_maps_columns_after_the_tabs() {
    let df = parse("FROM a\nRUN <<-EOF\n\t\techo hi\n\tEOF\n");
    let h = &df.instructions[1].heredocs[0];
    assert_eq!(h.body.value, "echo hi\n");
    assert_eq!(lc(h.body.pos_at(5)), pos(3, 8));
}

#[test]
fn unterminated_heredoc_is_an_error() {
    let df = parse("FROM a\nRUN <<EOF\necho never ends\n");
    assert_eq!(df.errors.len(), 1, "{:?}", df.errors);
    assert!(df.errors[0].message.contains("unterminated heredoc"));
    assert_eq!(
        df.instructions[1].heredocs[0].body.value,
        "echo never ends\n"
    );
}

#[test]
fn onbuild_heredoc() {
    let df = parse("FROM a\nONBUILD RUN <<EOF\necho x\nEOF\nRUN y\n");
    assert_eq!(df.instructions[1].heredocs.len(), 1);
    assert_eq!(df.instructions.len(), 3);
}

// ---------------------------------------------------------------- directives & continuations

#[test]
fn escape_directive_backtick() {
    let df = parse(
        "# escape=`\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go\nRUN dir c:\\\n",
    );
    assert_eq!(df.escape, '`');
    assert_eq!(df.directives[0].name, "escape");
    assert_eq!(
        to_buildkit(&df),
        "(from \"image\")\n(label \"maintainer\" \"foo@bar.com\" \"\")\n(env \"GOPATH\" \"\\\\go\" \"\")\n(run \"dir c:\\\\\")\n"
    );
}

#[test]
fn directives_only_at_the_top() {
    let df = parse("# Comment here.\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go");
    assert_eq!(df.escape, '\\');
    assert!(df.directives.is_empty());
    assert_eq!(df.comments.len(), 2);
    assert_eq!(
        to_buildkit(&df),
        "(from \"image\")\n(env \"GOPATH\" \"\\\\go\" \"\")\n"
    );

    let df =
        parse("# syntax=docker/dockerfile:1\n# check=skip=all\n#escape=\\\n\n# escape=`\nFROM a\n");
    let names: Vec<&str> = df.directives.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["syntax", "check", "escape"]);
    assert_eq!(df.directive("check").unwrap().value, "skip=all");
    assert_eq!(
        df.comments.len(),
        1,
        "the escape after the blank line is a comment"
    );

    let df = parse("# syntax=a\n# syntax=b\nFROM a\n");
    assert_eq!(
        df.errors[0].message,
        "only one syntax parser directive can be used"
    );
    let df = parse("# escape=x\nFROM a\n");
    assert!(df.errors[0].message.contains("invalid escape token"));
}

#[test]
fn continuations_with_comments_and_empty_lines() {
    // BuildKit's TestParseWarnsOnEmptyContinutationLine.
    let text = "\nFROM alpine:3.6\n\nRUN valid \\\n    continuation\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n    thing\n\nRUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n    # this is an indented comment\n    comment\n\t";
    let df = parse(text);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.warnings.len(), 2);
    assert!(
        df.warnings[0]
            .message
            .contains("RUN something     following     more")
    );
    assert!(df.warnings[1].message.contains("RUN another     thing"));
    assert_eq!(lc(df.warnings[0].span.start), pos(8, 1));
    let args: Vec<&str> = df
        .instructions
        .iter()
        .map(|i| i.args[0].value.as_str())
        .collect();
    assert_eq!(
        args,
        [
            "alpine:3.6",
            "valid     continuation",
            "something     following     more",
            "another     thing",
            "non-indented    after-comment",
            "indented     comment"
        ]
    );
    assert_eq!(
        df.instructions[4].inner_comments[0].text,
        " this is a comment"
    );
    assert_eq!(
        lc(df.instructions[5].inner_comments[0].span.start),
        pos(22, 5)
    );
}

#[test]
fn escaped_escape_does_not_continue() {
    let df = parse("FROM a\nRUN echo \\\\\nRUN next\n");
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[1].args[0].value, "echo \\\\");
}

#[test]
fn testfile_line_numbers_like_buildkit() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/corpus/moby_buildkit/frontend_dockerfile_parser_testfile-line_Dockerfile"
    ))
    .unwrap();
    let df = parse(&text);
    let lines: Vec<(u32, u32)> = df
        .instructions
        .iter()
        .map(|i| (i.span.start.line, i.span.end.line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
}

// ---------------------------------------------------------------- spans

#[test]
fn exact_spans_for_keyword_flags_and_args() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n  copy --from=build --chmod=755 \\\n     /src/app   /usr/bin/app\n";
    let df = parse(text);
    let from = &df.instructions[0];
    assert_eq!(lc(from.keyword_span.start), pos(1, 1));
    assert_eq!(lc(from.keyword_span.end), pos(1, 5));
    assert_eq!(from.flags[0].name, "platform");
    assert_eq!(lc(from.flags[0].span.start), pos(1, 6));
    assert_eq!(lc(from.flags[0].span.end), pos(1, 31));
    let value = from.flags[0].value.as_ref().unwrap();
    assert_eq!(value.value, "$BUILDPLATFORM");
    assert_eq!(lc(value.span.start), pos(1, 17));
    assert_eq!(lc(from.args[0].span.start), pos(1, 32));
    assert_eq!(lc(from.args[2].span.start), pos(1, 47));
    assert_eq!(lc(from.args[2].span.end), pos(1, 52));

    let copy = &df.instructions[1];
    assert_eq!(copy.keyword_text, "copy");
    assert_eq!(lc(copy.span.start), pos(2, 3));
    assert_eq!(lc(copy.span.end), pos(3, 29));
    assert_eq!(lc(copy.flags[1].span.start), pos(2, 21));
    assert_eq!(lc(copy.args[0].span.start), pos(3, 6));
    assert_eq!(lc(copy.args[0].span.end), pos(3, 14));
    assert_eq!(lc(copy.args[1].span.start), pos(3, 17));
    assert_eq!(
        copy.args[1].span.start.offset,
        text.find("/usr/bin/app").unwrap()
    );
    // `rest` spans the continuation; offsets inside it map to the right line.
    let rest = &copy.rest;
    assert_eq!(rest.value, "/src/app   /usr/bin/app");
    assert_eq!(lc(rest.pos_at(0)), pos(3, 6));
}

#[test]
fn shell_form_positions_across_continuations() {
    let text = "RUN apt-get update && \\\n    apt-get install -y curl\n";
    let df = parse(text);
    let cmd = &df.instructions[0].args[0];
    assert_eq!(cmd.value, "apt-get update &&     apt-get install -y curl");
    let at = cmd.value.find("install").unwrap();
    let p = cmd.pos_at(at);
    assert_eq!(lc(p), pos(2, 13));
    assert_eq!(&text[p.offset..p.offset + 7], "install");
    let span = cmd.span_of(at..at + 7);
    assert_eq!(lc(span.end), pos(2, 20));
}

#[test]
fn unicode_columns_count_characters() {
    let df = parse("FROM a\nLABEL déjà=vu ünï=\"ç\"\n");
    let label = &df.instructions[1];
    assert_eq!(lc(label.pairs[1].key.span.start), pos(2, 15));
    assert_eq!(label.pairs[1].value.as_ref().unwrap().value, "ç");
}

#[test]
fn exec_form_args_have_spans() {
    let df = parse("CMD [\"a\", \"b c\"]\n");
    let cmd = &df.instructions[0];
    assert_eq!(cmd.form, Form::Exec);
    assert_eq!(lc(cmd.args[1].span.start), pos(1, 12));
    assert_eq!(lc(cmd.args[1].span.end), pos(1, 15));
}

// ---------------------------------------------------------------- BOM, CRLF, tabs, case

#[test]
fn bom_crlf_tabs_and_mixed_case() {
    let bytes = b"\xEF\xBB\xBFfRoM\talpine\r\nRun echo a \\\r\n\tb\r\n";
    let df = parse_bytes(bytes);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions[0].keyword, Keyword::From);
    assert_eq!(df.instructions[0].args[0].value, "alpine");
    assert_eq!(df.instructions[0].keyword_span.start.offset, 0);
    assert_eq!(df.instructions[1].keyword, Keyword::Run);
    assert_eq!(df.instructions[1].args[0].value, "echo a \tb");
    assert_eq!(lc(df.instructions[1].span.end), pos(3, 3));
    assert_eq!(
        to_buildkit(&df),
        "(from \"alpine\")\n(run \"echo a \\tb\")\n"
    );
}

#[test]
fn crlf_heredoc_terminator() {
    let df = parse("FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nRUN b\r\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.instructions[1].heredocs[0].body.value, "echo hi\r\n");
    assert_eq!(df.instructions.len(), 3);
}

// ---------------------------------------------------------------- flags, forms, pairs

#[test]
fn flags_and_double_dash() {
    let df = parse(
        "FROM a\nRUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=x --network=none pip install\nCOPY --link --chown=1:1 -- --weird /dst\nADD --checksum=sha256:abc --keep-git-dir=true https://x/y.git /src\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    let mounts: Vec<&str> = run
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .map(|f| f.value.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(
        mounts,
        ["type=cache,target=/root/.cache", "type=secret,id=x"]
    );
    assert_eq!(run.flag_value("network"), Some("none"));
    assert_eq!(run.args[0].value, "pip install");
    let copy = &df.instructions[2];
    assert_eq!(copy.flag("link").unwrap().value, None);
    assert_eq!(copy.flag_value("link"), Some(""));
    let args: Vec<&str> = copy.args.iter().map(|a| a.value.as_str()).collect();
    assert_eq!(args, ["--weird", "/dst"]);
    assert_eq!(
        to_buildkit(&df).lines().nth(2),
        Some("(copy [\"--link\" \"--chown=1:1\"] \"--weird\" \"/dst\")")
    );
}

#[test]
fn quoted_flag_values_are_unquoted() {
    let df = parse("FROM a\nCOPY --chown=\"app user\":'grp' a b\n");
    let f = df.instructions[1].flag("chown").unwrap();
    assert_eq!(f.value.as_ref().unwrap().value, "app user:grp");
}

#[test]
fn env_label_arg_pairs() {
    let df = parse(
        "FROM a\nENV A=1 B=\"two words\" C=three\\ words\nENV LEGACY value with spaces\nLABEL \"com.example.x\"=\"y\" z=\nARG ONE TWO=2 THREE=\"3 3\"\n",
    );
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let env = &df.instructions[1];
    let kv: Vec<(&str, &str, bool)> = env
        .pairs
        .iter()
        .map(|p| {
            (
                p.key.value.as_str(),
                p.value.as_ref().unwrap().value.as_str(),
                p.equals,
            )
        })
        .collect();
    assert_eq!(
        kv,
        [
            ("A", "1", true),
            ("B", "two words", true),
            ("C", "three words", true)
        ]
    );
    let legacy = &df.instructions[2].pairs[0];
    assert_eq!(
        (
            legacy.key.value.as_str(),
            legacy.value.as_ref().unwrap().value.as_str(),
            legacy.equals
        ),
        ("LEGACY", "value with spaces", false)
    );
    let label = &df.instructions[3];
    assert_eq!(label.pairs[0].key.value, "com.example.x");
    assert_eq!(label.pairs[1].value.as_ref().unwrap().value, "");
    let arg = &df.instructions[4];
    let names: Vec<&str> = arg.pairs.iter().map(|p| p.key.value.as_str()).collect();
    assert_eq!(names, ["ONE", "TWO", "THREE"]);
    assert_eq!(arg.pairs[0].value, None);
    assert_eq!(arg.pairs[2].value.as_ref().unwrap().value, "3 3");
}

#[test]
fn onbuild_and_healthcheck() {
    let df = parse(
        "FROM a\nonbuild run --mount=type=cache,target=/x make\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://x/\"]\nONBUILD ONBUILD RUN x\n",
    );
    let onbuild = df.instructions[1].onbuild.as_deref().unwrap();
    assert_eq!(onbuild.keyword, Keyword::Run);
    assert_eq!(onbuild.flag_value("mount"), Some("type=cache,target=/x"));
    assert_eq!(onbuild.args[0].value, "make");
    assert!(df.instructions[2].healthcheck_none);
    let hc = &df.instructions[3];
    assert_eq!(hc.form, Form::Exec);
    assert_eq!(hc.args.len(), 3);
    assert_eq!(df.errors.len(), 1);
    assert!(df.errors[0].message.contains("ONBUILD ONBUILD"));
    assert_eq!(
        to_buildkit(&df).lines().nth(1),
        Some("(onbuild (run [\"--mount=type=cache,target=/x\"] \"make\"))")
    );
}

#[test]
fn json_or_shell_form_like_buildkit() {
    let df = parse(
        "CMD [\"a\", \"b\"]\nCMD ['a']\nCMD [\"a\"] trailing\nENTRYPOINT  [ \"x\" ]  \nSHELL [\"/bin/sh\", \"-c\"]\n",
    );
    let forms: Vec<Form> = df.instructions.iter().map(|i| i.form).collect();
    assert_eq!(
        forms,
        [Form::Exec, Form::Shell, Form::Shell, Form::Exec, Form::Exec]
    );
    assert_eq!(df.instructions[1].args[0].value, "['a']");
}

// ---------------------------------------------------------------- stages & expansion

#[test]
fn stages_platform_names_and_global_args() {
    let text = "ARG BASE=alpine\nARG TAG\nARG REG=ghcr.io/me\nFROM --platform=$BUILDPLATFORM ${BASE}:3.19 AS Build\nARG TAG\nRUN make\nFROM build AS test\nFROM ${REG}/app:${TAG:-latest}\nFROM scratch\nFROM img:$TAG\nFROM $TARGETARCH/x\n";
    let df = parse(text);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.global_args, [0, 1, 2]);
    assert_eq!(df.stages.len(), 6);
    let s0 = &df.stages[0];
    assert_eq!(s0.name.as_deref(), Some("build"));
    assert_eq!(s0.platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(s0.image.raw, "${BASE}:3.19");
    assert_eq!(s0.image.expanded, "alpine:3.19");
    assert_eq!(
        (s0.image.repository.as_str(), s0.image.tag.as_deref()),
        ("alpine", Some("3.19"))
    );
    assert!(!s0.image.unresolved);
    assert_eq!(s0.instructions, 3..6);
    assert_eq!(df.stages[1].parent_stage, Some(0));
    let s2 = &df.stages[2];
    assert_eq!(s2.image.expanded, "ghcr.io/me/app:latest");
    assert_eq!(s2.image.registry.as_deref(), Some("ghcr.io"));
    assert_eq!(s2.image.repository, "me/app");
    assert!(df.stages[3].image.is_scratch());
    assert!(df.stages[4].image.unresolved, "TAG has no default");
    assert!(
        df.stages[5].image.unresolved,
        "TARGETARCH depends on the build"
    );
    assert_eq!(df.instructions[5].stage, Some(0));
    assert_eq!(df.instructions[0].stage, None);
    // ARG scope: the stage re-declares TAG without a value; BASE is not visible in the stage.
    let scope = args_in_scope(&df, 5);
    assert_eq!(scope, [("TAG".to_string(), None)]);
}

#[test]
fn invalid_stage_name_is_an_error() {
    let df = parse("FROM a AS 1st\n");
    assert!(
        df.errors[0]
            .message
            .contains("invalid name for build stage")
    );
}

// ---------------------------------------------------------------- error recovery

#[test]
fn errors_are_recorded_and_parsing_continues() {
    let text = "FROM alpine\nFOO bar\nRUN --bogus=1 echo\nCMD [\"a\", 1]\nCOPY onlyone\nENV\nEXPOSE 80\nWORKDIR\nFROM a b\nUSER app\n";
    let df = parse(text);
    let messages: Vec<(&str, u32)> = df
        .errors
        .iter()
        .map(|e| (e.message.as_str(), e.span.start.line))
        .collect();
    assert_eq!(
        messages,
        [
            ("unknown instruction: FOO", 2),
            ("unknown flag: bogus", 3),
            (
                "when using JSON array syntax, arrays must be comprised of strings only",
                4
            ),
            (
                "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
                5
            ),
            ("ENV requires at least one argument", 6),
            ("WORKDIR requires exactly one argument", 8),
            ("FROM requires either one or three arguments", 9),
        ]
    );
    // Every line still became an instruction, the last ones included.
    assert_eq!(df.instructions.len(), 10);
    assert_eq!(
        df.instructions[9].args[0].value,
        "user app".split(' ').nth(1).unwrap()
    );
    assert_eq!(df.instructions[6].args[0].value, "80");
}

#[test]
fn missing_values_and_bad_bools() {
    let df = parse(
        "FROM a\nCOPY --from a b\nCOPY --link=maybe a b\nFROM --platform=x --platform=y b\nENV novalue\n",
    );
    let messages: Vec<&str> = df.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "missing a value on flag: from",
            "expecting boolean value for flag link, not: maybe",
            "duplicate flag specified: platform",
            "ENV must have two arguments",
        ]
    );
}

#[test]
fn invalid_utf8_is_decoded_with_an_error_naming_the_line() {
    let df = parse_bytes(b"FROM a\nRUN echo \xff\xfe\nRUN ok\n");
    assert_eq!(df.errors.len(), 1);
    assert_eq!(
        df.errors[0].message,
        "invalid UTF-8 on line 2: decoded with replacement characters"
    );
    assert_eq!(lc(df.errors[0].span.start), pos(2, 10));
    assert_eq!(df.instructions.len(), 3);
    assert!(df.instructions[1].args[0].value.contains('\u{fffd}'));
}

#[test]
fn empty_and_comment_only_files() {
    for text in ["", "\n\n", "# just a comment\n"] {
        let df = parse(text);
        assert!(df.instructions.is_empty());
        assert_eq!(df.errors[0].message, "file with no instructions");
    }
}

#[test]
fn columns_on_long_non_ascii_lines() {
    // 256-byte checkpoints: positions right at and around chunk boundaries.
    let word = "é".repeat(128); // 256 bytes, 128 columns
    let text = format!("LABEL a={word} b={word}x\n");
    let df = parse(&text);
    let pairs = &df.instructions[0].pairs;
    assert_eq!(lc(pairs[0].value.as_ref().unwrap().span.start), pos(1, 9));
    assert_eq!(
        lc(pairs[0].value.as_ref().unwrap().span.end),
        pos(1, 9 + 128)
    );
    assert_eq!(lc(pairs[1].key.span.start), pos(1, 9 + 128 + 1));
    assert_eq!(
        lc(df.instructions[0].span.end),
        pos(1, 9 + 128 + 3 + 128 + 1)
    );
}

#[test]
fn unterminated_quote_in_heredoc_delimiter_is_an_error() {
    let df = parse("FROM a\nRUN <<'EOF\necho\n");
    assert!(
        df.errors
            .iter()
            .any(|e| e.message.contains("heredoc delimiter")),
        "{:?}",
        df.errors
    );
    assert!(df.instructions[1].heredocs.is_empty());
}
