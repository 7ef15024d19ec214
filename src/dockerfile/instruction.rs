//! One logical line → one [`Instruction`]: BuildKit's `splitCommand`, its dispatch table of
//! line parsers (keyword → how the arguments are split), then the checks BuildKit's instruction
//! layer makes (known flags, argument counts).

use super::ast::{Flag, Form, Instruction, KeyValue, Keyword, ParseError, SourceText};
use super::expand::unquote;
use super::source::{Logical, trim_range};
use super::words::{
    JsonArgs, extract_builder_flags, parse_json_array, parse_words, split_first_word,
    split_whitespace_delimited,
};
use std::ops::Range;

/// What a line parser sees: the joined line and the escape character in force.
pub(crate) struct LineCtx<'a> {
    pub logical: &'a Logical,
    pub escape: char,
}

impl LineCtx<'_> {
    fn text(&self) -> &str {
        &self.logical.text
    }
}

/// A line parser fills `args`/`form`/`pairs`… from the argument range (after the flags, trimmed).
/// An `Err` is BuildKit's parse error for the line.
type LineParser =
    fn(&mut Instruction, &LineCtx, Range<usize>, &mut Vec<ParseError>) -> Result<(), String>;

/// BuildKit's dispatch table (parser.go): how each instruction's arguments are read.
const DISPATCH: &[(Keyword, LineParser)] = &[
    (Keyword::Add, parse_maybe_json_to_list),
    (Keyword::Arg, parse_name_or_name_val),
    (Keyword::Cmd, parse_maybe_json),
    (Keyword::Copy, parse_maybe_json_to_list),
    (Keyword::Entrypoint, parse_maybe_json),
    (Keyword::Env, parse_env),
    (Keyword::Expose, parse_strings_whitespace_delimited),
    (Keyword::From, parse_strings_whitespace_delimited),
    (Keyword::Healthcheck, parse_health_config),
    (Keyword::Label, parse_label),
    (Keyword::Maintainer, parse_string),
    (Keyword::Onbuild, parse_sub_command),
    (Keyword::Run, parse_maybe_json),
    (Keyword::Shell, parse_maybe_json),
    (Keyword::Stopsignal, parse_string),
    (Keyword::User, parse_string),
    (Keyword::Volume, parse_maybe_json_to_list),
    (Keyword::Workdir, parse_string),
    (Keyword::Unknown, parse_ignore),
];

fn line_parser(keyword: Keyword) -> LineParser {
    DISPATCH
        .iter()
        .find(|(k, _)| *k == keyword)
        .map(|(_, f)| *f)
        .unwrap_or(parse_ignore)
}

/// Builds the instruction written in `logical.text[range]`. Errors are appended to `errors`;
/// the instruction is returned anyway so the rest of the file can be linted.
pub(crate) fn build_instruction(
    ctx: &LineCtx,
    range: Range<usize>,
    errors: &mut Vec<ParseError>,
) -> Instruction {
    let text = ctx.text();
    let line = trim_range(text, range);
    let (cmd, rest) = split_first_word(text, line.clone());
    let keyword_text = text[cmd.clone()].to_string();
    let keyword = Keyword::parse(&keyword_text).unwrap_or(Keyword::Unknown);
    let rest = rest.unwrap_or(line.end..line.end);
    let (flag_words, args_start) = extract_builder_flags(text, rest.clone());
    let args = trim_range(text, args_start..rest.end);

    let flags = flag_words
        .into_iter()
        .map(|f| {
            let span = ctx.logical.span(f.range.clone());
            let body = f.word.strip_prefix("--").unwrap_or(&f.word);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            let value = value.map(|v| {
                let raw = &text[f.range.clone()];
                let value_start = raw
                    .find('=')
                    .map(|i| f.range.start + i + 1)
                    .unwrap_or(f.range.end);
                ctx.logical.decoded_text(value_start..f.range.end, v)
            });
            Flag { name, value, span }
        })
        .collect();

    let mut instruction = Instruction {
        keyword,
        keyword_text,
        keyword_span: ctx.logical.span(cmd),
        span: ctx.logical.span(line),
        flags,
        form: Form::Shell,
        args: Vec::new(),
        rest: ctx.logical.source_text(args.clone()),
        pairs: Vec::new(),
        heredocs: Vec::new(),
        onbuild: None,
        healthcheck_none: false,
        stage: None,
        inner_comments: Vec::new(),
    };
    match line_parser(keyword)(&mut instruction, ctx, args, errors) {
        Ok(()) => check_instruction(&instruction, errors),
        Err(message) => errors.push(ParseError {
            message,
            span: instruction.span,
        }),
    }
    instruction
}

fn parse_ignore(
    _: &mut Instruction,
    _: &LineCtx,
    _: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    Ok(())
}

/// ONBUILD: the rest of the line is an instruction of its own.
fn parse_sub_command(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    errors: &mut Vec<ParseError>,
) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    instruction.onbuild = Some(Box::new(build_instruction(ctx, args, errors)));
    Ok(())
}

fn words_to_args(ctx: &LineCtx, words: &[Range<usize>]) -> Vec<SourceText> {
    words
        .iter()
        .map(|w| ctx.logical.source_text(w.clone()))
        .collect()
}

/// `text[range]` with quotes and escapes processed (variables kept), spanning the raw text.
fn unquoted(ctx: &LineCtx, range: Range<usize>) -> SourceText {
    let raw = &ctx.text()[range.clone()];
    if !raw.contains(['\'', '"', ctx.escape]) {
        // Nothing to process: the common case, without the lexer's allocations.
        return ctx.logical.source_text(range);
    }
    let value = unquote(raw, ctx.escape);
    ctx.logical.decoded_text(range, value)
}

/// ENV and LABEL: `k=v k2="v 2"` or the legacy `k v w` (value = the rest of the line).
fn parse_name_val(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    name: &str,
) -> Result<(), String> {
    let text = ctx.text();
    let words = parse_words(text, args.clone(), ctx.escape);
    let Some(first) = words.first() else {
        return Ok(());
    };
    if !text[first.clone()].contains('=') {
        let (key, value) = split_first_word(text, args.clone());
        let Some(value) = value else {
            return Err(format!("{name} must have two arguments"));
        };
        instruction.args = words_to_args(ctx, &[key.clone(), value.clone()]);
        instruction.pairs.push(KeyValue {
            key: unquoted(ctx, key.clone()),
            value: Some(unquoted(ctx, value.clone())),
            equals: false,
            span: ctx.logical.span(key.start..value.end),
        });
        return Ok(());
    }
    for word in words {
        let raw = &text[word.clone()];
        let Some(eq) = raw.find('=') else {
            return Err(format!(
                "Syntax error - can't find = in {raw:?}. Must be of the form: name=value"
            ));
        };
        let key = word.start..word.start + eq;
        let value = word.start + eq + 1..word.end;
        instruction.args.push(ctx.logical.source_text(key.clone()));
        instruction
            .args
            .push(ctx.logical.source_text(value.clone()));
        instruction.pairs.push(KeyValue {
            key: unquoted(ctx, key),
            value: Some(unquoted(ctx, value)),
            equals: true,
            span: ctx.logical.span(word),
        });
    }
    Ok(())
}

fn parse_env(
    i: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    parse_name_val(i, ctx, args, "ENV")
}

fn parse_label(
    i: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    parse_name_val(i, ctx, args, "LABEL")
}

/// ARG: `name`, `name=default`, several per line.
fn parse_name_or_name_val(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    let text = ctx.text();
    let words = parse_words(text, args, ctx.escape);
    instruction.args = words_to_args(ctx, &words);
    for word in words {
        let raw = &text[word.clone()];
        let pair = match raw.find('=') {
            Some(eq) => {
                let value = word.start + eq + 1..word.end;
                KeyValue {
                    key: unquoted(ctx, word.start..word.start + eq),
                    value: Some(unquoted(ctx, value)),
                    equals: true,
                    span: ctx.logical.span(word),
                }
            }
            None => KeyValue {
                key: ctx.logical.source_text(word.clone()),
                value: None,
                equals: false,
                span: ctx.logical.span(word),
            },
        };
        instruction.pairs.push(pair);
    }
    Ok(())
}

fn parse_strings_whitespace_delimited(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    let words = split_whitespace_delimited(ctx.text(), args);
    instruction.args = words_to_args(ctx, &words);
    Ok(())
}

/// MAINTAINER, STOPSIGNAL, USER, WORKDIR: the whole rest is one argument.
fn parse_string(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    if !args.is_empty() {
        instruction.args = vec![ctx.logical.source_text(args)];
    }
    Ok(())
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Sets exec form when `args` is a JSON array of strings; `Ok(false)` when it is not JSON.
fn try_json(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
) -> Result<bool, String> {
    match parse_json_array(ctx.text(), args) {
        JsonArgs::NotJson => Ok(false),
        JsonArgs::NotStrings => Err(NOT_STRING_ARRAY.to_string()),
        JsonArgs::Strings(items) => {
            instruction.form = Form::Exec;
            instruction.args = items
                .into_iter()
                .map(|(range, value)| ctx.logical.decoded_text(range, value))
                .collect();
            Ok(true)
        }
    }
}

/// RUN, CMD, ENTRYPOINT, SHELL: a JSON array, or the whole text as one shell command.
fn parse_maybe_json(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    _: &mut Vec<ParseError>,
) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    if !try_json(instruction, ctx, args.clone())? {
        instruction.args = vec![ctx.logical.source_text(args)];
    }
    Ok(())
}

/// ADD, COPY, VOLUME: a JSON array, or whitespace-separated words.
fn parse_maybe_json_to_list(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    errors: &mut Vec<ParseError>,
) -> Result<(), String> {
    if try_json(instruction, ctx, args.clone())? {
        return Ok(());
    }
    parse_strings_whitespace_delimited(instruction, ctx, args, errors)
}

/// HEALTHCHECK: a type word (`CMD`, `NONE`) then a maybe-JSON command.
fn parse_health_config(
    instruction: &mut Instruction,
    ctx: &LineCtx,
    args: Range<usize>,
    errors: &mut Vec<ParseError>,
) -> Result<(), String> {
    let text = ctx.text();
    let bytes = text.as_bytes();
    let mut sep = args.start;
    while sep < args.end && !(bytes[sep] as char).is_ascii_whitespace() {
        sep += 1;
    }
    let mut next = sep;
    while next < args.end && (bytes[next] as char).is_ascii_whitespace() {
        next += 1;
    }
    if sep == args.start {
        return Ok(());
    }
    instruction.healthcheck_none = text[args.start..sep].eq_ignore_ascii_case("none");
    parse_maybe_json(instruction, ctx, next..args.end, errors)
}

/// The type word of a HEALTHCHECK (`CMD`, `NONE`) as written.
pub(crate) fn healthcheck_type(instruction: &Instruction) -> Option<&str> {
    instruction
        .rest
        .value
        .split(|c: char| c.is_ascii_whitespace())
        .next()
        .filter(|s| !s.is_empty())
}

/// How a flag takes its value, as BuildKit's BFlags declare them.
#[derive(Clone, Copy, PartialEq)]
enum FlagKind {
    Bool,
    String,
    /// A string that may be given several times (`--mount`, `--exclude`).
    Strings,
}

use FlagKind::{Bool, String as Str, Strings};

/// The flags each instruction accepts (BuildKit's instructions/parse.go).
const FLAG_SPECS: &[(Keyword, &[(&str, FlagKind)])] = &[
    (
        Keyword::Add,
        &[
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Str),
            ("exclude", Strings),
            ("unpack", Bool),
            ("parents", Bool),
        ],
    ),
    (
        Keyword::Copy,
        &[
            ("from", Str),
            ("chown", Str),
            ("chmod", Str),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Strings),
        ],
    ),
    (Keyword::From, &[("platform", Str)]),
    (
        Keyword::Run,
        &[
            ("mount", Strings),
            ("network", Str),
            ("security", Str),
            ("device", Strings),
        ],
    ),
    (
        Keyword::Healthcheck,
        &[
            ("interval", Str),
            ("timeout", Str),
            ("start-period", Str),
            ("start-interval", Str),
            ("retries", Str),
        ],
    ),
];

/// The flags `keyword` accepts, with their kinds; empty for instructions without flags.
fn flag_specs(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    FLAG_SPECS
        .iter()
        .find(|(k, _)| *k == keyword)
        .map(|(_, specs)| *specs)
        .unwrap_or(&[])
}

/// The names of the flags an instruction accepts (for rules and completion).
pub fn known_flags(keyword: Keyword) -> Vec<&'static str> {
    flag_specs(keyword).iter().map(|(n, _)| *n).collect()
}

fn check_flags(instruction: &Instruction, errors: &mut Vec<ParseError>) {
    let specs = flag_specs(instruction.keyword);
    for (i, flag) in instruction.flags.iter().enumerate() {
        let mut error = |message: String| {
            errors.push(ParseError {
                message,
                span: flag.span,
            })
        };
        let Some((_, kind)) = specs.iter().find(|(n, _)| *n == flag.name) else {
            error(format!("unknown flag: {}", flag.name));
            continue;
        };
        match (kind, &flag.value) {
            (Bool, Some(v))
                if !matches!(v.value.to_ascii_lowercase().as_str(), "true" | "false" | "") =>
            {
                error(format!(
                    "expecting boolean value for flag {}, not: {}",
                    flag.name, v.value
                ));
            }
            (Str | Strings, None) => error(format!("missing a value on flag: {}", flag.name)),
            _ => {}
        }
        if *kind != Strings && instruction.flags[..i].iter().any(|f| f.name == flag.name) {
            error(format!("duplicate flag specified: {}", flag.name));
        }
    }
}

/// The argument checks BuildKit's instruction layer makes after parsing.
fn check_instruction(instruction: &Instruction, errors: &mut Vec<ParseError>) {
    if instruction.keyword != Keyword::Unknown {
        check_flags(instruction, errors);
    }
    let name = instruction.keyword_text.to_ascii_uppercase();
    let args = instruction.args.len();
    let message = match instruction.keyword {
        Keyword::Unknown => Some(format!("unknown instruction: {}", instruction.keyword_text)),
        Keyword::From
            if args != 1
                && !(args == 3 && instruction.args[1].value.eq_ignore_ascii_case("as")) =>
        {
            Some("FROM requires either one or three arguments".to_string())
        }
        Keyword::Copy | Keyword::Add if args == 0 => {
            Some(format!("{name} requires at least two arguments"))
        }
        Keyword::Copy | Keyword::Add if args == 1 => Some(format!(
            "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
        )),
        Keyword::Env
        | Keyword::Label
        | Keyword::Arg
        | Keyword::Expose
        | Keyword::Volume
        | Keyword::Onbuild
            if args == 0 && instruction.pairs.is_empty() && instruction.onbuild.is_none() =>
        {
            Some(format!("{name} requires at least one argument"))
        }
        Keyword::Volume if instruction.args.iter().any(|a| a.value.trim().is_empty()) => {
            Some("VOLUME specified can not be an empty string".to_string())
        }
        Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Maintainer
            if args == 0 =>
        {
            Some(format!("{name} requires exactly one argument"))
        }
        Keyword::Shell if instruction.form != Form::Exec => {
            Some("SHELL requires the arguments to be in JSON notation".to_string())
        }
        Keyword::Shell if args == 0 => Some("SHELL requires at least one argument".to_string()),
        Keyword::Onbuild => match instruction.onbuild.as_deref().map(|i| i.keyword) {
            Some(Keyword::Onbuild) => {
                Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string())
            }
            Some(k @ (Keyword::From | Keyword::Maintainer)) => Some(format!(
                "{} isn't allowed as an ONBUILD trigger",
                k.as_str().to_ascii_uppercase()
            )),
            _ => None,
        },
        Keyword::Healthcheck => match healthcheck_type(instruction) {
            None => Some("HEALTHCHECK requires an argument".to_string()),
            Some(t) if t.eq_ignore_ascii_case("none") => {
                (args > 0).then(|| "HEALTHCHECK NONE takes no arguments".to_string())
            }
            Some(t) if t.eq_ignore_ascii_case("cmd") => {
                (args == 0).then(|| "Missing command after HEALTHCHECK CMD".to_string())
            }
            Some(t) => Some(format!("Unknown type {t:?} in HEALTHCHECK (try CMD)")),
        },
        _ => None,
    };
    if let Some(message) = message {
        let span = match instruction.keyword {
            Keyword::Unknown => instruction.keyword_span,
            _ => instruction.span,
        };
        errors.push(ParseError { message, span });
    }
}
