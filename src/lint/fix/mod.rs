//! Fixes, the way ruff makes them: a rule attaches a [`Fix`] (byte-range edits on the parser's
//! spans, plus how safe it is) to a finding; [`fix_file`] applies the fixes of one file in
//! passes until nothing changes, and keeps a fix only when the result still parses as well as
//! before and every instruction the fix did not target is unchanged byte for byte.
//!
//! Data flows one way: the engine lints → this module selects and applies edits → the caller
//! (the command line) decides what to print or write, with [`write`] for the file itself and
//! [`diff`] for the preview.

pub mod diff;
mod other_files;
pub mod write;

use other_files::fix_other_files;
pub use other_files::{FixedOther, MAX_OTHER_FILE_BYTES};

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use super::engine::{Finding, Input, LintedFile, Policy, lint};
use super::rule::Rule;
use crate::dockerfile::ast::{Dockerfile, Span};

/// Whether a fix keeps the build's behaviour (safe, applied by `--fix`) or may change it
/// (unsafe, applied only with `--unsafe-fixes`). Ordered: `Safe < Unsafe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes `range` of the decoded source with `replacement` (an empty range inserts).
/// The source is the Dockerfile's, or with `file` another file of the build context.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
    pub file: Option<FileTarget>,
}

/// Another file of the build context that an edit changes (IL3001's wrapper script).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileTarget {
    /// Relative to the build context; the fixer refuses a path that leaves it.
    pub path: PathBuf,
    /// The file as reports name it: the build context as given, joined with `path`.
    pub display: String,
    /// Where the edit is in that file (reports index only the Dockerfile's text).
    pub span: Span,
}

impl Edit {
    /// Replaces what `span` covers.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            range: span.start.offset..span.end.offset,
            replacement: replacement.into(),
            file: None,
        }
    }

    /// Inserts `text` at byte `offset`.
    pub fn insert(offset: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: offset..offset,
            replacement: text.into(),
            file: None,
        }
    }

    /// Replaces what `span` covers in another file of the build context.
    pub fn in_file(
        path: PathBuf,
        display: String,
        span: Span,
        replacement: impl Into<String>,
    ) -> Edit {
        Edit {
            range: span.start.offset..span.end.offset,
            replacement: replacement.into(),
            file: Some(FileTarget {
                path,
                display,
                span,
            }),
        }
    }

    /// Whether two edits of one file touch or overlap: such edits go to different passes,
    /// since the order in which they would apply is not defined.
    fn collides(&self, other: &Edit) -> bool {
        self.file.as_ref().map(|f| &f.path) == other.file.as_ref().map(|f| &f.path)
            && self.range.start <= other.range.end
            && other.range.start <= self.range.end
    }
}

/// The edits that repair one finding, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    pub applicability: Applicability,
    /// Sorted by start, not overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, edits)
    }

    pub fn unsafe_edits(edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Unsafe, edits)
    }

    pub fn new(applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            applicability,
            edits,
        }
    }

    fn collides(&self, other: &Fix) -> bool {
        self.edits
            .iter()
            .any(|a| other.edits.iter().any(|b| a.collides(b)))
    }

    /// Whether every edit is in the Dockerfile (the fix passes handle only those; fixes of
    /// other files are applied once, by [`fix_other_files`]).
    fn in_dockerfile(&self) -> bool {
        self.edits.iter().all(|e| e.file.is_none())
    }
}

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FixMode {
    /// Also apply unsafe fixes.
    pub unsafe_fixes: bool,
}

impl FixMode {
    pub fn allows(self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// Passes are repeated until nothing changes, at most this many times (a fix may make another
/// finding appear that has its own fix: ruff's loop, with its bound).
pub const MAX_PASSES: usize = 10;

/// One applied or dropped fix, for `--show-fixes` and the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixRecord {
    pub code: &'static str,
    pub name: &'static str,
    /// The finding's line in the text of the pass that handled it.
    pub line: u32,
    pub applicability: Applicability,
    /// Why it was dropped (empty for an applied fix).
    pub reason: String,
    /// The other file of the build context the fix edits, as reports name it.
    pub file: Option<String>,
}

/// The outcome of fixing one file.
#[derive(Debug, Clone)]
pub struct FixedFile {
    /// The original decoded text.
    pub original: String,
    /// The fixed text (equal to `original` when nothing applied).
    pub fixed: String,
    pub applied: Vec<FixRecord>,
    /// Fixes that would have broken the file, or that could not be applied: never written.
    pub dropped: Vec<FixRecord>,
    /// The findings of the fixed text.
    pub linted: LintedFile,
    /// Why the file was not touched at all (invalid UTF-8…), if so.
    pub skipped: Option<String>,
    /// Other files of the build context the applied fixes change.
    pub others: Vec<FixedOther>,
}

impl FixedFile {
    /// Whether the Dockerfile itself changes (other files: [`FixedFile::others`]).
    pub fn changed(&self) -> bool {
        self.fixed != self.original
    }

    /// The bytes to write: the fixed text, with the original's UTF-8 BOM kept.
    pub fn fixed_bytes(&self, original_bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.fixed.len() + 3);
        if original_bytes.starts_with(b"\xEF\xBB\xBF") {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(self.fixed.as_bytes());
        out
    }
}

/// Lints `input`, applies the allowed fixes in passes, and lints the result.
pub fn fix_file(
    input: &Input,
    policy: &Policy,
    rules: &[&'static Rule],
    mode: FixMode,
) -> FixedFile {
    let first = lint(input, policy, rules);
    let original = first.source.clone();
    let body = input
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&input.bytes);
    if std::str::from_utf8(body).is_err() {
        return FixedFile {
            fixed: original.clone(),
            original,
            applied: Vec::new(),
            dropped: Vec::new(),
            linted: first,
            skipped: Some("not valid UTF-8: not fixed (the bytes would change)".into()),
            others: Vec::new(),
        };
    }
    let mut applied = Vec::new();
    let mut dropped = Vec::new();
    // Other files are not re-linted between passes (the rule reads them from disk): their
    // fixes are applied once, from the first lint.
    let others = fix_other_files(input, &first.findings, mode, &mut applied, &mut dropped);
    let mut refused: HashSet<(&'static str, Fix)> = HashSet::new();
    let mut linted = first;
    let mut text = original.clone();
    for _ in 0..MAX_PASSES {
        let selected = select(&linted.findings, mode, &refused);
        if selected.is_empty() {
            break;
        }
        let before = crate::dockerfile::parse(&text);
        let accepted = accept(&text, &before, &selected, &mut |finding: &Finding, why| {
            let fix = finding.fix.clone().expect("selected findings have fixes");
            if refused.insert((finding.code, fix)) {
                dropped.push(record(finding, why));
            }
        });
        if accepted.is_empty() {
            continue;
        }
        text = apply(&text, accepted.iter().map(|f| f.fix.as_ref().expect("fix")));
        applied.extend(accepted.iter().map(|f| record(f, String::new())));
        linted = lint(&with_text(input, &text), policy, rules);
    }
    // What the other files' fixes repaired is not a remaining finding (the rule still sees the
    // file on disk as it was).
    let repaired: HashSet<(&str, &Fix)> = others
        .iter()
        .flat_map(|o| &o.applied)
        .map(|(code, fix)| (*code, fix))
        .collect();
    linted.findings.retain(|f| {
        f.fix
            .as_ref()
            .is_none_or(|fix| !repaired.contains(&(f.code, fix)))
    });
    FixedFile {
        original,
        fixed: text,
        applied,
        dropped,
        linted,
        skipped: None,
        others: others.into_iter().map(|o| o.file).collect(),
    }
}

/// Fixes many files in parallel; the result is in input order.
pub fn fix_all(
    inputs: &[(Input, &Policy)],
    rules: &[&'static Rule],
    mode: FixMode,
) -> Vec<FixedFile> {
    use rayon::prelude::*;
    inputs
        .par_iter()
        .map(|(input, policy)| fix_file(input, policy, rules, mode))
        .collect()
}

fn record(finding: &Finding, reason: String) -> FixRecord {
    FixRecord {
        code: finding.code,
        name: finding.name,
        line: finding.span.start.line,
        applicability: finding
            .fix
            .as_ref()
            .map_or(Applicability::Safe, |f| f.applicability),
        reason,
        file: finding
            .fix
            .as_ref()
            .and_then(|f| f.edits.iter().find_map(|e| e.file.as_ref()))
            .map(|f| f.display.clone()),
    }
}

/// The input with its text replaced (the BOM, if any, is not needed: spans count after it).
fn with_text(input: &Input, text: &str) -> Input {
    Input {
        display_name: input.display_name.clone(),
        path: input.path.clone(),
        bytes: text.as_bytes().to_vec(),
        build_context: input.build_context.clone(),
    }
}

/// The findings whose fixes this pass applies: allowed, not refused before, in file order, and
/// colliding with no fix taken before them (those wait for the next pass). A fix equal to one
/// already taken (two findings, one repair) is taken once.
fn select<'f>(
    findings: &'f [Finding],
    mode: FixMode,
    refused: &HashSet<(&'static str, Fix)>,
) -> Vec<&'f Finding> {
    let mut candidates: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            f.fix.as_ref().is_some_and(|fix| {
                mode.allows(fix)
                    && !fix.edits.is_empty()
                    && fix.in_dockerfile()
                    && !refused.contains(&(f.code, fix.clone()))
            })
        })
        .collect();
    candidates.sort_by_key(|f| {
        let e = &f.fix.as_ref().expect("filtered").edits[0];
        (e.range.start, e.range.end)
    });
    let mut taken: Vec<&Finding> = Vec::new();
    for candidate in candidates {
        let fix = candidate.fix.as_ref().expect("filtered");
        if taken.iter().any(|t| t.fix.as_ref() == Some(fix)) {
            continue;
        }
        if taken
            .iter()
            .any(|t| t.fix.as_ref().expect("filtered").collides(fix))
        {
            continue;
        }
        taken.push(candidate);
    }
    taken
}

/// The selected fixes that keep the file sound, applied together. When the whole set does not,
/// each fix is tried alone; the ones that fail alone are dropped (reported through `drop`), and
/// of the others only the first is kept this pass if together they still fail (the rest come
/// back next pass).
fn accept<'f>(
    text: &str,
    before: &Dockerfile,
    selected: &[&'f Finding],
    drop: &mut dyn FnMut(&Finding, String),
) -> Vec<&'f Finding> {
    let check = |set: &[&Finding]| -> Result<String, String> {
        let fixes: Vec<&Fix> = set.iter().filter_map(|f| f.fix.as_ref()).collect();
        apply_verified(text, before, &fixes)
    };
    if check(selected).is_ok() {
        return selected.to_vec();
    }
    let mut sound = Vec::new();
    for finding in selected {
        match check(std::slice::from_ref(finding)) {
            Ok(_) => sound.push(*finding),
            Err(why) => drop(finding, why),
        }
    }
    if sound.len() > 1 && check(&sound).is_err() {
        sound.truncate(1);
    }
    sound
}

/// [`apply`], then [`verify`]: the fixed text, or why it is refused. `before` is the parse of
/// `text`.
pub fn apply_verified(text: &str, before: &Dockerfile, fixes: &[&Fix]) -> Result<String, String> {
    let edits: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    for edit in &edits {
        let ok = edit.range.start <= edit.range.end
            && edit.range.end <= text.len()
            && text.is_char_boundary(edit.range.start)
            && text.is_char_boundary(edit.range.end);
        if !ok {
            return Err("its edit does not fall on the file's characters".into());
        }
    }
    let fixed = apply(text, fixes.iter().copied());
    verify(text, before, &fixed, &edits).map(|()| fixed)
}

/// Applies the edits of `fixes` (which do not collide) from the end of the text backwards, so
/// every range still means what it meant in `text`.
pub fn apply<'a>(text: &str, fixes: impl Iterator<Item = &'a Fix>) -> String {
    let mut edits: Vec<&Edit> = fixes.flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
    let mut out = text.to_string();
    for edit in edits {
        out.replace_range(edit.range.clone(), &edit.replacement);
    }
    out
}

/// Whether `fixed` (the result of `edits` on `text`) is sound: no more parse errors than
/// before, and every instruction no edit touches is still there, at its shifted offset, byte for
/// byte.
fn verify(text: &str, before: &Dockerfile, fixed: &str, edits: &[&Edit]) -> Result<(), String> {
    let after = crate::dockerfile::parse(fixed);
    if after.errors.len() > before.errors.len() {
        let error = &after.errors[0].message;
        return Err(format!("the result would not parse ({error})"));
    }
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| e.range.start);
    let starts: std::collections::HashMap<usize, &crate::dockerfile::ast::Instruction> = after
        .instructions
        .iter()
        .map(|i| (i.span.start.offset, i))
        .collect();
    for instruction in &before.instructions {
        let range = instruction.span.start.offset..instruction.span.end.offset;
        let touched = sorted
            .iter()
            .any(|e| e.range.start <= range.end && range.start <= e.range.end);
        if touched {
            continue;
        }
        let shift: isize = sorted
            .iter()
            .filter(|e| e.range.end <= range.start)
            .map(|e| e.replacement.len() as isize - e.range.len() as isize)
            .sum();
        let start = (range.start as isize + shift) as usize;
        let same = starts.get(&start).is_some_and(|moved| {
            moved.keyword == instruction.keyword
                && fixed.get(start..start + range.len()) == text.get(range.clone())
                && moved.span.end.offset - start == range.len()
        });
        if !same {
            return Err(format!(
                "it would change line {}, which it does not target",
                instruction.span.start.line
            ));
        }
    }
    Ok(())
}

/// Fixes a string with the default policy and every registered rule (for tests and embedding).
pub fn fix_str(text: &str, mode: FixMode) -> FixedFile {
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: text.as_bytes().to_vec(),
        build_context: None,
    };
    fix_file(&input, &Policy::new(), super::rules::REGISTRY, mode)
}
