//! The CI verdicts as text (with the Dockerfile bridge's lines) and as SARIF 2.1.0.

use std::fmt::Write as _;

use serde_json::json;

use crate::image::attribution::{Attribution, reclaimable_by_line};
use crate::image::escape_name;
use crate::image::model::Image;
use crate::image::secrets::Secret;

use super::{RuleResult, Status};

pub fn human(bytes: u64) -> String {
    humansize::format_size(bytes, humansize::DECIMAL)
}

/// The human-readable summary and rule verdicts (names escaped).
pub fn text_report(image: &Image, results: &[RuleResult], top: usize) -> String {
    let m = &image.metrics;
    let mut s = String::new();
    let _ = writeln!(s, "Image: {}", escape_name(&image.reference));
    let _ = writeln!(
        s,
        "  layers: {}  size: {} ({} bytes)",
        image.layers.len(),
        human(m.total_size),
        m.total_size
    );
    let _ = writeln!(s, "  efficiency: {:.4} %", m.efficiency * 100.0);
    let _ = writeln!(
        s,
        "  wastedBytes: {} bytes ({})",
        m.wasted_bytes,
        human(m.wasted_bytes)
    );
    let _ = writeln!(
        s,
        "  userWastedPercent: {:.4} %",
        m.user_wasted_percent * 100.0
    );
    let _ = writeln!(
        s,
        "  reclaimableBytes: {} bytes ({}) in {} hidden file copies",
        m.reclaimable_bytes,
        human(m.reclaimable_bytes),
        m.reclaimable.len()
    );
    if let Some(line) = crate::image::metrics::format_metadata_line(image) {
        let _ = writeln!(s, "  {line}, not counted as waste");
    }
    let _ = writeln!(s, "Inefficient Files:");
    let _ = writeln!(s, "Count  Wasted Space  File Path");
    for p in m.inefficient.iter().take(top) {
        let _ = writeln!(
            s,
            "{:>5}  {:>12}  {}",
            p.count,
            human(p.bytes),
            escape_name(&p.path)
        );
    }
    if m.inefficient.len() > top {
        let _ = writeln!(s, "  … and {} more", m.inefficient.len() - top);
    }
    let _ = writeln!(s, "Results:");
    for r in results {
        if r.message.is_empty() {
            let _ = writeln!(s, "  {}: {}", r.status.label(), r.rule);
        } else {
            let _ = writeln!(s, "  {}: {}: {}", r.status.label(), r.rule, r.message);
        }
    }
    let count = |st: Status| results.iter().filter(|r| r.status == st).count();
    let failed = count(Status::Fail);
    let _ = writeln!(
        s,
        "Result:{} [Total:{}] [Passed:{}] [Failed:{}] [Warn:{}] [Skipped:{}]",
        if failed > 0 { "FAIL" } else { "PASS" },
        results.len(),
        count(Status::Pass),
        failed,
        count(Status::Warn),
        count(Status::Skip)
    );
    s
}

/// The text report's imgdive sections: reclaimable bytes by the Dockerfile line that stored
/// them (with `--dockerfile`), and the secrets the image ships (when scanned).
pub fn bridge_text(
    image: &Image,
    attribution: Option<&Attribution>,
    secrets: Option<&[Secret]>,
) -> String {
    let mut s = String::new();
    if let Some(attribution) = attribution {
        let _ = writeln!(s, "Reclaimable by Dockerfile line:");
        let groups = reclaimable_by_line(image, attribution);
        if groups.is_empty() {
            let _ = writeln!(s, "  (none)");
        }
        for g in &groups {
            let hidden: Vec<String> = g.hidden_lines.iter().map(u32::to_string).collect();
            let _ = writeln!(
                s,
                "  line {} {}: {} in {} file(s), deleted at line {}",
                g.stored.line,
                escape_name(&truncate(&g.stored.instruction, 60)),
                human(g.bytes),
                g.files,
                if hidden.is_empty() {
                    "?".to_string()
                } else {
                    hidden.join(", ")
                }
            );
        }
        if !attribution.unmatched.is_empty() {
            let _ = writeln!(
                s,
                "  {} history entries match no instruction of the Dockerfile",
                attribution.unmatched.len()
            );
        }
    }
    if let Some(secrets) = secrets {
        let _ = writeln!(s, "Secrets:");
        if secrets.is_empty() {
            let _ = writeln!(s, "  (none)");
        }
        for secret in secrets {
            let mut line = format!(
                "  {} at {} {}",
                secret.kind,
                escape_name(&secret.location),
                secret.preview
            );
            if let Some(layer) = secret.layer {
                let _ = write!(line, " [layer {layer}");
                if let Some(hidden) = secret.hidden_by {
                    let _ = write!(line, ", deleted by layer {hidden} but still shipped");
                }
                line.push(']');
            }
            if let Some(l) = secret.line {
                let _ = write!(line, " (Dockerfile line {l})");
            }
            let _ = writeln!(s, "{line}");
        }
    }
    s
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Percent-encodes what may not appear in a URI reference (SARIF `artifactLocation.uri`).
fn uri_escape(reference: &str) -> String {
    let mut out = String::new();
    for b in reference.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn rule_description(rule: &str) -> &'static str {
    match rule {
        "highestImageBytes" => "The image (all layers) is larger than the threshold.",
        "highestLayerCount" => "The image has more layers than the threshold.",
        "highestLayerBytes" => "A layer is larger than the threshold.",
        "highestReclaimableBytes" => {
            "The bytes stored in layers but hidden by later layers exceed the threshold."
        }
        "secrets" => "The image ships secrets (files, config or build arguments).",
        "lowestEfficiency" => "The image efficiency (dive's score) is below the threshold.",
        "highestWastedBytes" => {
            "The bytes wasted by files duplicated or removed across layers exceed the threshold."
        }
        _ => {
            "The wasted bytes relative to the bytes added above the base layer exceed the threshold."
        }
    }
}

/// SARIF 2.1.0: one result per failed rule, located at the image (and at the layer holding
/// the largest inefficient path for the waste rules).
pub fn sarif_report(image: &Image, results: &[RuleResult]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            json!({
                "id": r.rule,
                "name": r.rule,
                "shortDescription": {"text": rule_description(r.rule)},
                "helpUri": "https://github.com/wagoodman/dive#ci-integration",
                "defaultConfiguration": {"level": "error"}
            })
        })
        .collect();
    let uri = uri_escape(&image.reference);
    let sarif_results: Vec<serde_json::Value> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.status, Status::Fail | Status::Warn))
        .map(|(index, r)| {
            let level = if r.status == Status::Fail {
                "error"
            } else {
                "warning"
            };
            let mut logical = vec![json!({
                "name": escape_name(&image.reference),
                "kind": "module",
            })];
            if r.rule != "lowestEfficiency"
                && let Some(top) = image.metrics.inefficient.first()
            {
                logical.push(json!({
                    "name": escape_name(&top.path),
                    "fullyQualifiedName": format!("{}{}", escape_name(&image.reference), escape_name(&top.path)),
                    "kind": "resource",
                }));
            }
            json!({
                "ruleId": r.rule,
                "ruleIndex": index,
                "level": level,
                "message": {"text": escape_name(&r.message)},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": uri}},
                    "logicalLocations": logical,
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "imgdive",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/wagoodman/dive",
                "rules": rules,
            }},
            "results": sarif_results,
        }]
    })
}
