//! The syntax tree of a Dockerfile, with exact source spans.
//!
//! Positions are 1-based lines and 1-based columns counted in Unicode scalar values (what an
//! editor shows), plus the byte offset into the original text. A [`Span`]'s `end` is exclusive:
//! it is the position just after the last character, as SARIF's `endColumn` expects.
//!
//! This module is the contract between the parser (which builds it) and every consumer (rules,
//! dumps, reports). Consumers never look at raw text again except through these spans.

use serde::Serialize;

/// A position in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset into the original text (after a UTF-8 BOM, if any, is skipped: offset 0 is the
    /// first byte after the BOM).
    pub offset: usize,
}

/// A range of source; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub fn new(start: Pos, end: Pos) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One contiguous run of source characters inside a [`SourceText`]: the bytes of `value` from
/// `value_offset` up to the next piece's `value_offset` come from the file starting at `pos`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub value_offset: usize,
    pub pos: Pos,
}

/// Text taken from the file, possibly joined across line continuations, that remembers where
/// every byte came from so a finding inside it (a shell word in a RUN, say) maps back to an exact
/// line and column.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SourceText {
    /// The logical value: continuations removed (and, for JSON strings, escapes decoded).
    pub value: String,
    /// Where the text starts and ends in the file.
    pub span: Span,
    /// Sorted by `value_offset`; the first piece has `value_offset == 0`. Empty means the value
    /// is one contiguous run starting at `span.start` (or is synthetic, e.g. decoded JSON).
    #[serde(skip)]
    pub pieces: Vec<Piece>,
}

/// Pieces are at most this many bytes apart after [`SourceText::indexed`], so mapping an offset
/// scans a bounded stretch even on a megabyte-long RUN line.
const INDEX_STRIDE: usize = 128;

impl SourceText {
    /// The file position of byte `offset` of `value` (clamped to the value's end).
    ///
    /// Columns inside a piece are advanced by characters of `value`; for decoded JSON strings the
    /// result is approximate but stays within the string's span. Costs a binary search plus a
    /// scan from the nearest piece (bounded once the text is [`indexed`](Self::indexed)).
    pub fn pos_at(&self, offset: usize) -> Pos {
        let offset = offset.min(self.value.len());
        let (base_value_offset, base) = match self
            .pieces
            .binary_search_by(|p| p.value_offset.cmp(&offset))
        {
            Ok(i) => (self.pieces[i].value_offset, self.pieces[i].pos),
            Err(0) => (0, self.span.start),
            Err(i) => (self.pieces[i - 1].value_offset, self.pieces[i - 1].pos),
        };
        let slice = self.value.get(base_value_offset..offset).unwrap_or("");
        let pos = advance(base, slice);
        if offset == self.value.len()
            && offset > 0
            && pos.line == self.span.end.line
            && pos.column == self.span.end.column
        {
            // The end of the value is exactly the span's end (its offset too, when decoded).
            return self.span.end;
        }
        if pos > self.span.end && self.span.end != Pos::default() {
            self.span.end
        } else {
            pos
        }
    }

    /// The file span of `value[range]`.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.pos_at(range.start), self.pos_at(range.end))
    }

    /// The same text with a piece at least every [`INDEX_STRIDE`] bytes, each holding the
    /// position [`pos_at`](Self::pos_at) would compute there, so later lookups cost
    /// O(log n + stride) instead of a rescan from the piece start (quadratic on long lines).
    pub fn indexed(mut self) -> SourceText {
        if self.value.len() <= INDEX_STRIDE {
            return self;
        }
        let original = std::mem::take(&mut self.pieces);
        let runs: Vec<Piece> = if original.is_empty() {
            vec![Piece {
                value_offset: 0,
                pos: self.span.start,
            }]
        } else {
            original
        };
        let mut pieces = Vec::with_capacity(runs.len() + self.value.len() / INDEX_STRIDE + 1);
        for (k, run) in runs.iter().enumerate() {
            let end = runs.get(k + 1).map_or(self.value.len(), |n| n.value_offset);
            pieces.push(*run);
            let mut pos = run.pos;
            let mut last = run.value_offset;
            let Some(text) = self.value.get(run.value_offset..end) else {
                continue;
            };
            if text.is_ascii() && !text.contains('\n') {
                // One line of ASCII (nearly every run): positions are plain arithmetic, no
                // per-character walk needed.
                for at in (run.value_offset + INDEX_STRIDE..end).step_by(INDEX_STRIDE) {
                    let delta = at - run.value_offset;
                    pieces.push(Piece {
                        value_offset: at,
                        pos: Pos {
                            line: run.pos.line,
                            column: run.pos.column + delta as u32,
                            offset: run.pos.offset + delta,
                        },
                    });
                }
                continue;
            }
            for (i, ch) in text.char_indices() {
                let at = run.value_offset + i;
                if at - last >= INDEX_STRIDE {
                    pieces.push(Piece {
                        value_offset: at,
                        pos,
                    });
                    last = at;
                }
                pos = step(pos, ch);
            }
        }
        self.pieces = pieces;
        self
    }
}

/// `pos` moved over `text`.
fn advance(pos: Pos, text: &str) -> Pos {
    if !text.contains('\n') && text.is_ascii() {
        return Pos {
            line: pos.line,
            column: pos.column + text.len() as u32,
            offset: pos.offset + text.len(),
        };
    }
    text.chars().fold(pos, step)
}

fn step(mut pos: Pos, ch: char) -> Pos {
    if ch == '\n' {
        pos.line += 1;
        pos.column = 1;
    } else {
        pos.column += 1;
    }
    pos.offset += ch.len_utf8();
    pos
}

/// A parser directive (`# syntax=…`, `# escape=…`, `# check=…`) from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// A comment line, kept so pragmas (`# hadolint ignore=…`) can be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, with the single leading space (if any) kept.
    pub text: String,
    pub span: Span,
}

/// The instruction keyword, case-folded. `Unknown` keeps instructions BuildKit would reject so
/// the rest of the file can still be linted (the parser also records an error for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    /// Case-insensitive lookup; `None` for anything BuildKit does not know.
    pub fn parse(word: &str) -> Option<Keyword> {
        use Keyword::*;
        // Compared without allocating a lower-cased copy: this runs once per instruction.
        const TABLE: [Keyword; 18] = [
            Add,
            Arg,
            Cmd,
            Copy,
            Entrypoint,
            Env,
            Expose,
            From,
            Healthcheck,
            Label,
            Maintainer,
            Onbuild,
            Run,
            Shell,
            Stopsignal,
            User,
            Volume,
            Workdir,
        ];
        TABLE
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
    }

    /// Lower-case name as BuildKit's dumper prints it.
    pub fn as_str(self) -> &'static str {
        use Keyword::*;
        match self {
            Add => "add",
            Arg => "arg",
            Cmd => "cmd",
            Copy => "copy",
            Entrypoint => "entrypoint",
            Env => "env",
            Expose => "expose",
            From => "from",
            Healthcheck => "healthcheck",
            Label => "label",
            Maintainer => "maintainer",
            Onbuild => "onbuild",
            Run => "run",
            Shell => "shell",
            Stopsignal => "stopsignal",
            User => "user",
            Volume => "volume",
            Workdir => "workdir",
            Unknown => "unknown",
        }
    }
}

/// A `--name[=value]` flag before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Without the leading `--`.
    pub name: String,
    /// `None` for a bare `--link`; `Some("")` for `--link=`.
    pub value: Option<SourceText>,
    /// The whole flag, `--` included.
    pub span: Span,
}

/// JSON (exec) form or shell form, exactly as BuildKit decides: an argument list that parses as
/// a JSON array of strings is exec form; anything else (including invalid JSON) is shell form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Exec,
    Shell,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter word, quotes removed (`EOF`).
    pub name: String,
    /// `<<-EOF`: leading tabs are stripped from body lines and the terminator.
    pub chomp: bool,
    /// False when the delimiter was quoted (`<<'EOF'`, `<<"EOF"`): no variable expansion.
    pub expand: bool,
    /// The body, up to and including the final newline before the terminator line (tabs already
    /// stripped when `chomp`).
    pub body: SourceText,
    /// From the `<<` marker's line start of the body through the end of the terminator line.
    pub span: Span,
    /// The `<<EOF` marker in the instruction line.
    pub marker_span: Span,
}

/// A `key=value` (or legacy `key value`) pair of ENV or LABEL, or one ARG declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: SourceText,
    /// Unquoted value as BuildKit stores it (quotes and escapes processed, variables NOT
    /// expanded). `None` for an ARG without a default.
    pub value: Option<SourceText>,
    /// `true` for the `k=v` form, `false` for legacy `ENV k v` / an ARG without `=`.
    pub equals: bool,
    pub span: Span,
}

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written (`run`, `Run`…), and for `Unknown` the unknown word.
    pub keyword_text: String,
    pub keyword_span: Span,
    /// The whole instruction: keyword through the last argument, continuations and heredoc
    /// bodies included.
    pub span: Span,
    pub flags: Vec<Flag>,
    pub form: Form,
    /// Arguments after the flags.
    /// - exec form: one element per JSON string;
    /// - shell form of RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD's command, SHELL-less strings:
    ///   one element holding the whole command text;
    /// - everything else: whitespace-separated words as BuildKit splits them (quotes kept as
    ///   BuildKit keeps them, e.g. COPY/ADD paths, EXPOSE ports, USER, WORKDIR, FROM).
    pub args: Vec<SourceText>,
    /// Everything after the flags as one text (continuations joined, heredoc bodies excluded).
    pub rest: SourceText,
    /// ENV and LABEL pairs; ARG declarations (one per name).
    pub pairs: Vec<KeyValue>,
    pub heredocs: Vec<Heredoc>,
    /// ONBUILD's nested instruction.
    pub onbuild: Option<Box<Instruction>>,
    /// HEALTHCHECK: `NONE` (true) vs `CMD …` (false; the command is in `args`/`form`).
    pub healthcheck_none: bool,
    /// Index of the stage this instruction belongs to; `None` before the first FROM.
    pub stage: Option<usize>,
    /// Comment lines that appeared inside this instruction's continuation lines.
    pub inner_comments: Vec<Comment>,
}

impl Instruction {
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Value of the flag `name`, `""` for a bare flag.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name)
            .map(|f| f.value.as_ref().map(|v| v.value.as_str()).unwrap_or(""))
    }

    pub fn is_exec_form(&self) -> bool {
        self.form == Form::Exec
    }
}

/// An image reference split as the distribution spec does: `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImageRef {
    /// As written in the FROM line.
    pub raw: String,
    /// After ARG expansion (equal to `raw` when there was nothing to expand).
    pub expanded: String,
    /// Some variable could not be resolved (no default, no build-arg): rules must not guess.
    pub unresolved: bool,
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn is_scratch(&self) -> bool {
        self.expanded.eq_ignore_ascii_case("scratch")
    }
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit compares them.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    pub image: ImageRef,
    /// When the FROM names an earlier stage (`FROM builder`), its index.
    pub parent_stage: Option<usize>,
    pub platform: Option<String>,
    /// Index of the FROM in [`Dockerfile::instructions`].
    pub from_instruction: usize,
    /// Instruction indices of this stage (the FROM included).
    pub instructions: std::ops::Range<usize>,
}

/// A parse error: a finding of category `parse`. Parsing continues after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

/// A whole parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` or `` ` ``).
    pub escape: char,
    /// Every comment line outside instructions (directives excluded), in file order.
    pub comments: Vec<Comment>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// Instruction indices of ARGs before the first FROM.
    pub global_args: Vec<usize>,
    pub errors: Vec<ParseError>,
    /// Non-fatal oddities BuildKit warns about (empty continuation lines…).
    pub warnings: Vec<ParseError>,
    /// Number of lines in the file.
    pub line_count: u32,
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The last stage, which is what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.instructions.clone()]
    }

    /// Finds a stage by name (case-insensitive) or by numeric index as `COPY --from=0` allows.
    pub fn stage_by_ref(&self, reference: &str) -> Option<&Stage> {
        let lower = reference.to_ascii_lowercase();
        self.stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .or_else(|| {
                reference
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.stages.get(i))
            })
    }
}
