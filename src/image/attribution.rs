//! Which Dockerfile instruction made each history entry of an image (`--dockerfile`).
//!
//! The image's history records every build step as a `created_by` string, written differently
//! by each builder:
//! - BuildKit: `RUN /bin/sh -c apt-get update # buildkit`, `RUN |1 V=2 /bin/sh -c … # buildkit`,
//!   `COPY app /app # buildkit`, `ENV A=b`, `CMD ["x"]`;
//! - the classic builder and buildah: `/bin/sh -c #(nop) COPY file:<hash> in /dst `,
//!   `/bin/sh -c #(nop)  ENV A=b`, `/bin/sh -c apt-get update`, `|1 V=2 /bin/sh -c …`, and for
//!   buildah's exec form the JSON text (`/bin/sh -c ["/bin/busybox", "--install"]`);
//! - kaniko: the instruction as written (`RUN apt-get update`, `COPY app /app`).
//!
//! Each entry is reduced to a keyword and a whitespace-normalised body, then the history is
//! aligned with the instructions of the built stage (its `FROM <stage>` chain first) by a
//! longest-common-subsequence search that keeps both orders and prefers the latest entries, so
//! a base image's own `CMD` is not mistaken for ours. Entries before the first match are the
//! base image's (the root `FROM` line; under `FROM scratch` there is none); any other entry that
//! matches nothing stays unmatched and is reported, never guessed.
//!
//! buildah without `--layers` commits the whole build as one layer and marks every earlier
//! history entry empty: that layer is attributed to the span of the instructions it holds.

use serde::Serialize;

use crate::dockerfile::ast::{Dockerfile, Form, Instruction, Keyword};
use crate::dockerfile::{args_in_scope, expand, stages};

use super::model::Image;

/// Where in the Dockerfile a layer or a history entry came from (1-based lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DockerfileLocation {
    pub line: u32,
    pub end_line: u32,
    /// The instruction as written, whitespace collapsed (heredoc bodies left out).
    pub instruction: String,
}

/// A history entry no instruction of the Dockerfile accounts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmatchedEntry {
    /// Position in the image's history (oldest first, empty entries included).
    pub history: usize,
    /// The layer the entry produced, if it produced one.
    pub layer: Option<u32>,
    pub created_by: String,
}

/// The result of matching an image's history with a Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    /// One per image layer: the instruction that made it, `None` when unmatched.
    pub layers: Vec<Option<DockerfileLocation>>,
    /// One per history entry (layers' `empty_before`, the layer's own entry, then the trailing
    /// empty entries).
    pub history: Vec<Option<DockerfileLocation>>,
    pub unmatched: Vec<UnmatchedEntry>,
}

impl Attribution {
    /// The first line of the instruction that made layer `layer`.
    pub fn line_of(&self, layer: u32) -> Option<u32> {
        self.layers
            .get(layer as usize)
            .and_then(|l| l.as_ref())
            .map(|l| l.line)
    }
}

/// One history entry in image order.
struct HistoryItem<'a> {
    created_by: &'a str,
    /// The layer this entry produced (`None` for empty-layer entries).
    layer: Option<u32>,
}

fn history_of(image: &Image) -> Vec<HistoryItem<'_>> {
    let mut out = Vec::new();
    for layer in &image.layers {
        for empty in &layer.empty_before {
            out.push(HistoryItem {
                created_by: empty,
                layer: None,
            });
        }
        out.push(HistoryItem {
            created_by: &layer.command,
            layer: Some(layer.index),
        });
    }
    for empty in &image.trailing_empty {
        out.push(HistoryItem {
            created_by: empty,
            layer: None,
        });
    }
    out
}

/// A `created_by` reduced to what every builder agrees on.
#[derive(Debug, PartialEq, Eq)]
struct Recorded {
    keyword: Keyword,
    /// Whitespace-normalised text after the keyword (for RUN: after the shell prefix).
    body: String,
    /// COPY/ADD destination as the classic builder records it (`… in /dst`).
    classic_dest: Option<String>,
    /// `|N K=V …` build arguments the builder recorded for a RUN.
    build_args: Vec<(String, String)>,
}

/// Collapses every whitespace run (and line continuations) to one space.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if word == "\\" || word == "`" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Strips `|N K=V …` (the build arguments a RUN saw), returning them.
fn strip_build_args(text: &str) -> (&str, Vec<(String, String)>) {
    let Some(rest) = text.strip_prefix('|') else {
        return (text, Vec::new());
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(count) = rest[..digits].parse::<usize>() else {
        return (text, Vec::new());
    };
    let mut rest = rest[digits..].trim_start();
    let mut args = Vec::new();
    for _ in 0..count {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (pair, tail) = rest.split_at(end);
        if let Some((k, v)) = pair.split_once('=') {
            args.push((k.to_string(), v.to_string()));
        }
        rest = tail.trim_start();
    }
    (rest, args)
}

fn strip_shell(text: &str) -> &str {
    for shell in ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "] {
        if let Some(rest) = text.strip_prefix(shell) {
            return rest;
        }
    }
    text
}

fn parse_created_by(created_by: &str) -> Recorded {
    let mut text = created_by.trim();
    if let Some(rest) = text.strip_suffix("# buildkit") {
        text = rest.trim_end();
    }
    let (text, mut build_args) = strip_build_args(text);
    // Classic builder and buildah: a non-RUN instruction behind `#(nop)`.
    let nop = strip_shell(text)
        .strip_prefix("#(nop)")
        .map(str::trim_start);
    let (keyword, body) = match nop {
        Some(rest) => {
            let (word, body) = rest.split_once(' ').unwrap_or((rest, ""));
            (Keyword::parse(word).unwrap_or(Keyword::Run), body)
        }
        None => {
            let (word, body) = text.split_once(' ').unwrap_or((text, ""));
            match Keyword::parse(word).filter(|_| word.bytes().all(|b| b.is_ascii_uppercase())) {
                // BuildKit and kaniko: the keyword first.
                Some(keyword) => (keyword, body),
                // Classic/buildah RUN: the shell command line itself.
                None => (Keyword::Run, text),
            }
        }
    };
    let mut body = body.trim();
    if keyword == Keyword::Run {
        let (rest, args) = strip_build_args(body);
        if !args.is_empty() {
            build_args = args;
        }
        body = strip_shell(rest);
    }
    let classic_dest = match keyword {
        Keyword::Copy | Keyword::Add if nop.is_some() => {
            body.rsplit_once(" in ").map(|(_, d)| d.trim().to_string())
        }
        _ => None,
    };
    Recorded {
        keyword,
        body: normalize(body),
        classic_dest,
        build_args,
    }
}

/// An instruction of the built stage chain, with the texts a builder may have recorded for it.
struct Step<'d> {
    instruction: &'d Instruction,
    /// Normalised candidate bodies (as written, and with ARGs expanded).
    bodies: Vec<String>,
    /// COPY/ADD destination, as written and expanded.
    dests: Vec<String>,
}

fn trim_dest(dest: &str) -> &str {
    let trimmed = dest.trim_end_matches('/');
    if trimmed.is_empty() { dest } else { trimmed }
}

fn step<'d>(df: &'d Dockerfile, index: usize) -> Step<'d> {
    let instruction = &df.instructions[index];
    let args = args_in_scope(df, index);
    let lookup = |name: &str| {
        args.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    let expanded = |word: &str| {
        expand(word, df.escape, &lookup)
            .ok()
            .map(|e| e.value)
            .unwrap_or_else(|| word.to_string())
    };
    let mut bodies = vec![normalize(&instruction.rest.value)];
    if instruction.form == Form::Exec {
        let words: Vec<&str> = instruction.args.iter().map(|a| a.value.as_str()).collect();
        bodies.push(normalize(&words.join(" ")));
    } else if instruction.keyword != Keyword::Run {
        let words: Vec<String> = instruction
            .args
            .iter()
            .map(|a| expanded(&a.value))
            .collect();
        bodies.push(normalize(&words.join(" ")));
        let flags: Vec<String> = instruction
            .flags
            .iter()
            .map(|f| match &f.value {
                Some(v) => format!("--{}={}", f.name, v.value),
                None => format!("--{}", f.name),
            })
            .collect();
        if !flags.is_empty() {
            bodies.push(normalize(&format!(
                "{} {}",
                flags.join(" "),
                words.join(" ")
            )));
        }
    }
    let dests = match instruction.keyword {
        Keyword::Copy | Keyword::Add => instruction
            .args
            .last()
            .map(|a| {
                vec![
                    trim_dest(&a.value).to_string(),
                    trim_dest(&expanded(&a.value)).to_string(),
                ]
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Step {
        instruction,
        bodies,
        dests,
    }
}

/// How well a history entry matches a step: 0 = not at all.
fn score(recorded: &Recorded, step: &Step) -> u32 {
    if recorded.keyword != step.instruction.keyword {
        return 0;
    }
    if step.bodies.contains(&recorded.body) {
        return 3;
    }
    match recorded.keyword {
        Keyword::Run => {
            // Build arguments the builder recorded, substituted, or a heredoc or extra text
            // around the command: the written command must still be all there (an edited
            // command is not matched).
            let with_args = substitute(&step.bodies[0], &recorded.build_args);
            let written = &step.bodies[0];
            if with_args == recorded.body
                || (written.len() >= 8 && recorded.body.contains(written.as_str()))
            {
                2
            } else {
                0
            }
        }
        Keyword::Copy | Keyword::Add => {
            let dest = recorded
                .classic_dest
                .clone()
                .or_else(|| recorded.body.rsplit(' ').next().map(str::to_string))
                .unwrap_or_default();
            if step.dests.iter().any(|d| d == trim_dest(&dest)) {
                2
            } else {
                1
            }
        }
        _ => 1,
    }
}

fn substitute(text: &str, args: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in args {
        out = out
            .replace(&format!("${{{k}}}"), v)
            .replace(&format!("${k}"), v);
    }
    out
}

/// The location of an instruction: its lines and its text.
pub fn locate(instruction: &Instruction) -> DockerfileLocation {
    let mut text = instruction.keyword_text.to_ascii_uppercase();
    for flag in &instruction.flags {
        text.push_str(" --");
        text.push_str(&flag.name);
        if let Some(v) = &flag.value {
            text.push('=');
            text.push_str(&v.value);
        }
    }
    let rest = normalize(&instruction.rest.value);
    if !rest.is_empty() {
        text.push(' ');
        text.push_str(&rest);
    }
    DockerfileLocation {
        line: instruction.span.start.line,
        end_line: instruction.span.end.line.max(instruction.span.start.line),
        instruction: text,
    }
}

/// Why a Dockerfile cannot be matched at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributionError {
    NoStage,
    UnknownTarget(String),
    /// History entries × instructions above [`MAX_ALIGNMENT_CELLS`].
    TooLarge {
        history: usize,
        instructions: usize,
    },
}

/// The alignment keeps one score per (history entry, instruction) pair: beyond this many pairs
/// (64 MB of scores; real images have a few hundred entries) the match is refused, not slow.
pub const MAX_ALIGNMENT_CELLS: usize = 16 << 20;

impl std::fmt::Display for AttributionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttributionError::NoStage => write!(f, "the Dockerfile has no FROM instruction"),
            AttributionError::UnknownTarget(t) => {
                write!(f, "--target {t:?}: no such stage in the Dockerfile")
            }
            AttributionError::TooLarge {
                history,
                instructions,
            } => write!(
                f,
                "{history} history entries × {instructions} instructions are too many to match"
            ),
        }
    }
}

impl std::error::Error for AttributionError {}

fn makes_content(keyword: Keyword) -> bool {
    matches!(keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
}

/// Matches the image's history with the instructions of `target` (default: the last stage).
pub fn attribute(
    image: &Image,
    df: &Dockerfile,
    target: Option<&str>,
) -> Result<Attribution, AttributionError> {
    let stage = match target {
        Some(t) => df
            .stage_by_ref(t)
            .ok_or_else(|| AttributionError::UnknownTarget(t.to_string()))?,
        None => df.final_stage().ok_or(AttributionError::NoStage)?,
    };
    let mut chain = stages::stage_chain(df, stage.index);
    chain.reverse();
    let root = &df.stages[chain[0]];
    let steps: Vec<Step> = chain
        .iter()
        .flat_map(|&s| {
            let st = &df.stages[s];
            (st.instructions.start..st.instructions.end).filter(move |&i| i != st.from_instruction)
        })
        .map(|i| step(df, i))
        .collect();
    let history = history_of(image);
    let recorded: Vec<Recorded> = history
        .iter()
        .map(|h| parse_created_by(h.created_by))
        .collect();
    if (recorded.len() + 1).saturating_mul(steps.len() + 1) > MAX_ALIGNMENT_CELLS {
        return Err(AttributionError::TooLarge {
            history: recorded.len(),
            instructions: steps.len(),
        });
    }
    let matched = align(&recorded, &steps);

    let mut out = Attribution {
        layers: vec![None; image.layers.len()],
        history: vec![None; history.len()],
        unmatched: Vec::new(),
    };
    let first_match = matched.iter().position(Option::is_some);
    let base = (!root.image.is_scratch()).then(|| locate(&df.instructions[root.from_instruction]));
    for (i, item) in history.iter().enumerate() {
        let location = match matched[i] {
            Some(s) => Some(locate(steps[s].instruction)),
            None if first_match.is_none_or(|f| i < f) => base.clone(),
            None => None,
        };
        if location.is_none() {
            out.unmatched.push(UnmatchedEntry {
                history: i,
                layer: item.layer,
                created_by: item.created_by.to_string(),
            });
        }
        out.history[i] = location;
    }
    // Each layer: its own entry, or — when the entries since the previous layer hold content
    // instructions marked empty (a squashed build) — the span of those instructions.
    let mut group_start = 0;
    for (i, item) in history.iter().enumerate() {
        let Some(layer) = item.layer else { continue };
        let content: Vec<usize> = (group_start..=i)
            .filter_map(|h| matched[h])
            .filter(|&s| makes_content(steps[s].instruction.keyword))
            .collect();
        let own_is_content =
            matched[i].is_some_and(|s| makes_content(steps[s].instruction.keyword));
        out.layers[layer as usize] = if content.len() > 1 || (content.len() == 1 && !own_is_content)
        {
            let first = locate(steps[content[0]].instruction);
            let last = locate(steps[*content.last().unwrap_or(&content[0])].instruction);
            let last_line = matched[i]
                .map(|s| locate(steps[s].instruction).end_line)
                .unwrap_or(last.end_line)
                .max(last.end_line);
            Some(DockerfileLocation {
                line: first.line,
                end_line: last_line,
                instruction: format!(
                    "{} instructions committed as one layer: {}",
                    content.len(),
                    content
                        .iter()
                        .map(|&s| locate(steps[s].instruction).instruction)
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ),
            })
        } else {
            out.history[i].clone()
        };
        group_start = i + 1;
    }
    Ok(out)
}

/// The alignment: for each history entry, the step it matches. Maximises the summed score; on
/// ties the latest history entries are matched.
fn align(recorded: &[Recorded], steps: &[Step]) -> Vec<Option<usize>> {
    let (n, m) = (recorded.len(), steps.len());
    let width = m + 1;
    let mut best = vec![0u32; (n + 1) * width];
    for i in 1..=n {
        for j in 1..=m {
            let s = score(&recorded[i - 1], &steps[j - 1]);
            let diagonal = if s > 0 {
                best[(i - 1) * width + j - 1] + s
            } else {
                0
            };
            best[i * width + j] = diagonal
                .max(best[(i - 1) * width + j])
                .max(best[i * width + j - 1]);
        }
    }
    let mut matched = vec![None; n];
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let s = score(&recorded[i - 1], &steps[j - 1]);
        let here = best[i * width + j];
        if s > 0 && here == best[(i - 1) * width + j - 1] + s {
            matched[i - 1] = Some(j - 1);
            i -= 1;
            j -= 1;
        } else if here == best[(i - 1) * width + j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    matched
}

/// Reclaimable bytes grouped by the instruction that stored them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineWaste {
    pub stored: DockerfileLocation,
    /// The lines of the instructions that hid those bytes, ascending.
    pub hidden_lines: Vec<u32>,
    pub bytes: u64,
    pub files: usize,
}

/// [`Metrics::reclaimable`](super::model::Metrics) grouped by stored line, largest first;
/// copies stored by unmatched layers are left out (they have no line).
pub fn reclaimable_by_line(image: &Image, attribution: &Attribution) -> Vec<LineWaste> {
    let mut groups: Vec<LineWaste> = Vec::new();
    for copy in &image.metrics.reclaimable {
        let Some(Some(stored)) = attribution.layers.get(copy.stored_in as usize) else {
            continue;
        };
        let hidden = attribution.line_of(copy.hidden_by);
        let group = match groups.iter_mut().find(|g| g.stored.line == stored.line) {
            Some(g) => g,
            None => {
                groups.push(LineWaste {
                    stored: stored.clone(),
                    hidden_lines: Vec::new(),
                    bytes: 0,
                    files: 0,
                });
                groups.last_mut().expect("just pushed")
            }
        };
        group.bytes += copy.bytes;
        group.files += 1;
        if let Some(line) = hidden
            && !group.hidden_lines.contains(&line)
        {
            group.hidden_lines.push(line);
            group.hidden_lines.sort_unstable();
        }
    }
    groups.sort_by(|a, b| {
        b.bytes
            .cmp(&a.bytes)
            .then(a.stored.line.cmp(&b.stored.line))
    });
    groups
}

#[cfg(test)]
mod tests;
