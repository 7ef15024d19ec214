//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (one run; `tool.driver.rules[]`
//! with descriptions, help and `helpUri`; results with real regions, `ruleIndex` and a stable
//! `partialFingerprints.primaryLocationLineHash`; artifact URIs relative to the working
//! directory under `%SRCROOT%`).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};

use serde_json::{Value, json};

use crate::lint::engine::LintedFile;
use crate::lint::fix::Fix;
use crate::lint::rule::{Rule, Severity};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/imgtools/imgtools";

/// SARIF has three levels; style and info are both `note`.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// Streams the log: the run's header is built as a value (it is small), the results are
/// written one by one, so memory stays flat however many findings there are.
pub fn write(
    files: &[LintedFile],
    options: &super::ReportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules = options.rules;
    let mut index: BTreeMap<&str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let mut descriptors: Vec<Value> = rules.iter().map(|r| descriptor(r)).collect();
    for f in files.iter().flat_map(|file| &file.findings) {
        if !index.contains_key(f.code) {
            // A finding from a rule outside the registry (embedding, tests): describe it from
            // the finding so ruleIndex stays valid.
            index.insert(f.code, descriptors.len());
            descriptors.push(json!({
                "id": f.code,
                "name": f.name,
                "shortDescription": { "text": f.name },
                "fullDescription": { "text": f.name },
                "help": { "text": f.name },
                "defaultConfiguration": { "level": level(f.severity) },
                "properties": { "tags": [f.category.as_str()] }
            }));
        }
    }
    let srcroot = format!("{}/", file_uri(&options.cwd));
    let head = |value: &Value| serde_json::to_string(value);
    writeln!(out, "{{")?;
    writeln!(out, "  \"$schema\": {},", head(&json!(SCHEMA_URI))?)?;
    writeln!(out, "  \"version\": \"2.1.0\",")?;
    writeln!(out, "  \"runs\": [")?;
    writeln!(out, "    {{")?;
    let tool = json!({ "driver": {
        "name": "imglint",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }});
    writeln!(out, "      \"tool\": {},", head(&tool)?)?;
    writeln!(
        out,
        "      \"automationDetails\": {},",
        head(&json!({ "id": "imglint/" }))?
    )?;
    writeln!(
        out,
        "      \"originalUriBaseIds\": {},",
        head(&json!({ "%SRCROOT%": { "uri": srcroot } }))?
    )?;
    writeln!(out, "      \"columnKind\": \"unicodeCodePoints\",")?;
    write!(out, "      \"results\": ")?;
    let results = files.iter().flat_map(|file| {
        let uri = artifact_uri(&file.file, &options.cwd);
        let lines = super::LineIndex::new(&file.source);
        let fingerprints = super::fingerprints(file, &lines);
        let index = &index;
        file.findings
            .iter()
            .zip(fingerprints)
            .map(move |(f, fingerprint)| {
                let mut result = json!({
                    "ruleId": f.code,
                    "ruleIndex": index[f.code],
                    "level": level(f.severity),
                    "message": { "text": f.message },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                            "region": {
                                "startLine": f.span.start.line,
                                "startColumn": f.span.start.column,
                                "endLine": f.span.end.line.max(f.span.start.line),
                                "endColumn": f.span.end.column.max(1),
                            }
                        }
                    }],
                    "partialFingerprints": { "primaryLocationLineHash": fingerprint },
                    "properties": {
                        "category": f.category.as_str(),
                        "severity": f.severity.as_str()
                    }
                });
                if let Some(fix) = &f.fix {
                    result["fixes"] = json!([sarif_fix(fix, &lines, &uri, &options.cwd)]);
                }
                result
            })
    });
    super::write_json_array(out, results, 6)?;
    writeln!(out)?;
    writeln!(out, "    }}")?;
    writeln!(out, "  ]")?;
    writeln!(out, "}}")
}

/// A SARIF `fix`: one `artifactChange` per file it edits (the finding's file, or another file
/// of the build context such as IL3001's script), one `replacement` per edit (`deletedRegion`
/// empty for an insertion, `insertedContent` empty for a deletion).
fn sarif_fix(fix: &Fix, lines: &super::LineIndex, uri: &str, cwd: &Path) -> Value {
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for edit in super::edit_regions(lines, fix) {
        let file_uri = edit
            .path
            .map_or_else(|| uri.to_string(), |path| artifact_uri(path, cwd));
        let replacement = json!({
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": { "text": edit.replacement }
        });
        match changes.iter_mut().find(|(u, _)| *u == file_uri) {
            Some((_, replacements)) => replacements.push(replacement),
            None => changes.push((file_uri, vec![replacement])),
        }
    }
    let artifact_changes: Vec<Value> = changes
        .into_iter()
        .map(|(file_uri, replacements)| {
            json!({
                "artifactLocation": { "uri": file_uri, "uriBaseId": "%SRCROOT%" },
                "replacements": replacements
            })
        })
        .collect();
    json!({
        "description": { "text": format!("{} fix", fix.applicability.as_str()) },
        "artifactChanges": artifact_changes,
        "properties": { "applicability": fix.applicability.as_str() }
    })
}

/// A `reportingDescriptor` for one rule.
fn descriptor(rule: &Rule) -> Value {
    let full = first_paragraph(rule.doc).unwrap_or_else(|| rule.summary.to_string());
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": truncate(&full, 1000) },
        "help": {
            "text": format!("{}\n\n{}", rule.summary, rule.help_uri()),
            "markdown": if rule.doc.trim().is_empty() { rule.summary.to_string() } else { rule.doc.to_string() },
        },
        "helpUri": rule.help_uri(),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": [rule.category.as_str()],
            "precision": "high",
            "problem.severity": match rule.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "recommendation",
            },
        }
    })
}

/// The first prose paragraph of a Markdown doc (headings, lists and code skipped).
fn first_paragraph(doc: &str) -> Option<String> {
    let mut paragraph = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_code = !in_code;
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        if in_code {
            continue;
        }
        if t.is_empty() || t.starts_with('#') || t.starts_with('|') {
            if !paragraph.is_empty() {
                break;
            }
            continue;
        }
        paragraph.push(t);
    }
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

/// The artifact URI for a reported file name: relative to `cwd` when inside it (GitHub maps
/// repository-relative paths to files), percent-encoded, with `/` separators.
pub fn artifact_uri(file: &str, cwd: &Path) -> String {
    let path = Path::new(file);
    let relative = if path.is_absolute() {
        match path.strip_prefix(cwd) {
            Ok(rel) => rel.to_path_buf(),
            Err(_) => return file_uri(path),
        }
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| percent_encode(&c.as_os_str().to_string_lossy()))
        .collect();
    parts.join("/")
}

/// `file:///abs/path` for an absolute path.
fn file_uri(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(percent_encode(&p.to_string_lossy())),
            _ => None,
        })
        .collect();
    format!("file:///{}", parts.join("/"))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = Path::new("/repo");
        assert_eq!(
            artifact_uri("./docker/Dockerfile", cwd),
            "docker/Dockerfile"
        );
        assert_eq!(
            artifact_uri("/repo/a b/Dockerfile", cwd),
            "a%20b/Dockerfile"
        );
        assert_eq!(
            artifact_uri("/elsewhere/Dockerfile", cwd),
            "file:///elsewhere/Dockerfile"
        );
        assert_eq!(file_uri(cwd), "file:///repo");
    }

    #[test]
    fn full_description_is_the_first_paragraph() {
        let doc = "# DL3007\n\n`latest` moves.\nPin it.\n\n## Bad\n```\nFROM a\n```\n";
        assert_eq!(
            first_paragraph(doc).as_deref(),
            Some("`latest` moves. Pin it.")
        );
    }
}
