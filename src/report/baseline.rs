//! Baselines: how an existing project adopts imglint. `--write-baseline FILE` records the
//! fingerprints of today's findings; `--baseline FILE` then drops the findings recorded there, so
//! only new ones are reported and fail the run.
//!
//! Findings are matched by [`super::fingerprints`] (the rule, the file and the text of the
//! finding's line without whitespace, plus its occurrence number), the same ones SARIF's
//! `partialFingerprints` and GitLab's `fingerprint` carry: editing or moving other lines does
//! not resurrect a recorded finding, changing the line itself does.
//!
//! The file is JSON, sorted, one finding per entry, so it diffs well in review:
//! `{"imglint-baseline": 1, "findings": [{"file", "code", "line", "fingerprint"}]}`
//! (`file`, `code` and `line` are for people; only `fingerprint` is matched).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::lint::engine::LintedFile;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    #[serde(rename = "imglint-baseline")]
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    code: String,
    line: u32,
    fingerprint: String,
}

/// The fingerprints a baseline file records.
#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline file; errors are one line naming the file.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: invalid baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline {
            fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(),
        })
    }

    /// Drops the recorded findings from `files`; returns how many were dropped.
    pub fn filter(&self, files: &mut [LintedFile]) -> usize {
        let mut dropped = 0;
        for file in files {
            let fingerprints = super::fingerprints(file, &super::LineIndex::new(&file.source));
            let before = file.findings.len();
            let mut keep = fingerprints
                .iter()
                .map(|fp| !self.fingerprints.contains(fp));
            file.findings.retain(|_| keep.next().unwrap_or(true));
            dropped += before - file.findings.len();
        }
        dropped
    }
}

/// The baseline file recording every finding of `files`, as text.
pub fn render(files: &[LintedFile]) -> String {
    let mut findings: Vec<Entry> = files
        .iter()
        .flat_map(|file| {
            file.findings
                .iter()
                .zip(super::fingerprints(
                    file,
                    &super::LineIndex::new(&file.source),
                ))
                .map(|(f, fingerprint)| Entry {
                    file: file.file.clone(),
                    code: f.code.to_string(),
                    line: f.span.start.line,
                    fingerprint,
                })
        })
        .collect();
    findings.sort();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    // Serialising these plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}
