//! `imgdive --ci --dockerfile`: what the image proves, as findings at Dockerfile lines, so
//! imglint's reporters (SARIF, GitLab, GitHub…) write them — one reporting module for both
//! tools. Every failed CI rule becomes a finding at the line that explains it best, every group
//! of reclaimable bytes one at the line that stored them, every secret one at its layer's line.

use crate::dockerfile::ast::{Pos, Span};
use crate::lint::engine::{Finding, LintedFile};
use crate::lint::rule::{Category, Severity};

use super::attribution::{Attribution, LineWaste, reclaimable_by_line};
use super::ci::{RuleResult, Status, human};
use super::escape_name;
use super::model::Image;
use super::secrets::Secret;

/// The span of lines `line..=end_line` of `text` (1-based; clamped to the file).
pub fn line_span(text: &str, line: u32, end_line: u32) -> Span {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let last = starts.len() as u32;
    let line = line.clamp(1, last);
    let end_line = end_line.clamp(line, last);
    let start_offset = starts[line as usize - 1];
    let end_start = starts[end_line as usize - 1];
    let end_offset = text[end_start..]
        .find('\n')
        .map_or(text.len(), |i| end_start + i);
    Span::new(
        Pos {
            line,
            column: 1,
            offset: start_offset,
        },
        Pos {
            line: end_line,
            column: text[end_start..end_offset].chars().count() as u32 + 1,
            offset: end_offset,
        },
    )
}

/// One group of reclaimable bytes as a finding at the instruction that stored them (imgdive's
/// `--ci --dockerfile` reports every group; `imglint --image` those above its threshold).
pub fn reclaimable_finding(group: &LineWaste, path: &str, text: &str) -> Finding {
    let hidden = match group.hidden_lines.as_slice() {
        [] => "by an unmatched layer".to_string(),
        [line] => format!("at line {line}"),
        lines => format!(
            "at lines {}",
            lines
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Finding {
        code: "reclaimable",
        name: "reclaimable-bytes",
        category: Category::LayerBloat,
        severity: Severity::Warning,
        message: format!(
            "{} in {} file(s) stored by this instruction and deleted or overwritten {hidden}: still shipped in its layer",
            human(group.bytes),
            group.files
        ),
        file: path.to_string(),
        span: line_span(text, group.stored.line, group.stored.end_line),
        fix: None,
    }
}

/// Everything `--ci --dockerfile` reports, as one linted file.
pub fn image_findings(
    image: &Image,
    dockerfile_path: &str,
    dockerfile_text: &str,
    attribution: &Attribution,
    results: &[RuleResult],
    secrets: &[Secret],
) -> LintedFile {
    let groups = reclaimable_by_line(image, attribution);
    // Where the image as a whole is located: the FROM of the built stage (its first layer),
    // else line 1.
    let image_line = attribution
        .layers
        .iter()
        .flatten()
        .map(|l| (l.line, l.end_line))
        .next()
        .unwrap_or((1, 1));
    let waste_line = groups
        .first()
        .map(|g| (g.stored.line, g.stored.end_line))
        .unwrap_or(image_line);
    let largest_layer_line = image
        .layers
        .iter()
        .max_by_key(|l| l.size)
        .and_then(|l| attribution.layers.get(l.index as usize).cloned().flatten())
        .map(|l| (l.line, l.end_line))
        .unwrap_or(image_line);
    let mut findings = Vec::new();
    let at = |code: &'static str,
              name: &'static str,
              category: Category,
              severity: Severity,
              message: String,
              (line, end_line): (u32, u32)| Finding {
        code,
        name,
        category,
        severity,
        message,
        file: dockerfile_path.to_string(),
        span: line_span(dockerfile_text, line, end_line),
        fix: None,
    };
    for result in results {
        let severity = match result.status {
            Status::Fail => Severity::Error,
            Status::Warn => Severity::Warning,
            Status::Pass | Status::Skip => continue,
        };
        if result.rule == "secrets" {
            continue; // one finding per secret below
        }
        let location = match result.rule {
            "highestLayerBytes" => largest_layer_line,
            "highestImageBytes" | "highestLayerCount" => image_line,
            _ => waste_line,
        };
        let code = result.rule;
        findings.push(at(
            code,
            code,
            Category::LayerBloat,
            severity,
            escape_name(&result.message),
            location,
        ));
    }
    findings.extend(
        groups
            .iter()
            .map(|g| reclaimable_finding(g, dockerfile_path, dockerfile_text)),
    );
    let secrets_status = results.iter().find(|r| r.rule == "secrets");
    if let Some(result) = secrets_status
        && matches!(result.status, Status::Fail | Status::Warn)
    {
        let severity = if result.status == Status::Fail {
            Severity::Error
        } else {
            Severity::Warning
        };
        for secret in secrets {
            let location = secret
                .layer
                .and_then(|l| attribution.layers.get(l as usize).cloned().flatten())
                .map(|l| (l.line, l.end_line))
                .or(secret.line.map(|l| (l, l)))
                .unwrap_or(image_line);
            let hidden = match secret.hidden_by {
                Some(layer) => match attribution.line_of(layer) {
                    Some(line) => format!(", deleted at line {line} but still in the layer"),
                    None => format!(", hidden by layer {layer} but still in the image"),
                },
                None => String::new(),
            };
            findings.push(at(
                "secrets",
                "secrets",
                Category::Security,
                severity,
                format!(
                    "{} at {} ({}){hidden}",
                    secret.kind,
                    escape_name(&secret.location),
                    secret.preview
                ),
                location,
            ));
        }
    }
    findings.sort_by_key(|f| (f.span.start.line, f.code));
    LintedFile {
        file: dockerfile_path.to_string(),
        source: dockerfile_text.to_string(),
        findings,
        // Reports of image findings show no Dockerfile source text.
        secrets: Vec::new(),
        failure_threshold: Some(Severity::Error),
    }
}
