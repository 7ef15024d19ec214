//! `--ci`: dive's three rules (`lowestEfficiency`, `highestWastedBytes`,
//! `highestUserWastedPercent`) from `.dive-ci` or flags, evaluated exactly as dive does (strict
//! comparisons), reported as text or SARIF 2.1.0; and imgdive's own: `highestImageBytes`,
//! `highestLayerCount`, `highestLayerBytes`, `highestReclaimableBytes` (disabled unless set),
//! `secrets` (`fail` by default, `warn`, `off`) and `ignorePaths` (globs whose files count in no
//! waste figure: wasted bytes, the user-wasted ratio, reclaimable bytes; dive's efficiency score
//! is left as dive computes it).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::attribution::{Attribution, reclaimable_by_line};
use super::escape_name;
use super::model::Image;
use super::secrets::Secret;

/// A rule threshold; `None` = disabled.
#[derive(Debug, Clone, PartialEq)]
pub struct CiRules {
    pub lowest_efficiency: Option<f64>,
    pub highest_wasted_bytes: Option<u64>,
    pub highest_user_wasted_percent: Option<f64>,
    /// `imgdive diff --ci` only: how much B may grow over A.
    pub highest_size_increase: Option<SizeLimit>,
    pub highest_image_bytes: Option<u64>,
    pub highest_layer_count: Option<u64>,
    pub highest_layer_bytes: Option<u64>,
    pub highest_reclaimable_bytes: Option<u64>,
    pub secrets: SecretsLevel,
    /// Globs (`/var/cache/**`, `**/*.log`) matched against absolute paths.
    pub ignore_paths: Vec<String>,
}

/// A growth threshold: bytes (`20MB`) or a share of A's size (`10%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeLimit {
    Bytes(u64),
    /// Percent of A's size (`10%` is 10.0).
    Percent(f64),
}

/// `20MB`, `20MiB`, `10%` or disabled.
pub fn parse_size_limit(value: &str) -> Result<Option<SizeLimit>> {
    if let Some(percent) = value.trim().strip_suffix('%') {
        let p: f64 = percent
            .trim()
            .parse()
            .with_context(|| format!("{value:?} is not a percentage like 10%"))?;
        if !p.is_finite() || p < 0.0 {
            bail!("{value:?} is not a percentage like 10%");
        }
        return Ok(Some(SizeLimit::Percent(p)));
    }
    Ok(parse_bytes(value)?.map(SizeLimit::Bytes))
}

/// What the `secrets` rule does when the image ships a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretsLevel {
    Fail,
    Warn,
    Off,
}

impl SecretsLevel {
    pub fn parse(value: &str) -> Result<SecretsLevel> {
        Ok(match value.trim().to_ascii_lowercase().as_str() {
            "fail" | "error" | "true" | "on" => SecretsLevel::Fail,
            "warn" | "warning" => SecretsLevel::Warn,
            "off" | "disabled" | "false" | "" => SecretsLevel::Off,
            _ => bail!("{value:?} is not fail, warn or off"),
        })
    }
}

impl Default for CiRules {
    /// dive's defaults when no `.dive-ci` exists: 0.9 / disabled / 0.1.
    fn default() -> Self {
        CiRules {
            lowest_efficiency: Some(0.9),
            highest_wasted_bytes: None,
            highest_user_wasted_percent: Some(0.1),
            highest_size_increase: None,
            highest_image_bytes: None,
            highest_layer_count: None,
            highest_layer_bytes: None,
            highest_reclaimable_bytes: None,
            secrets: SecretsLevel::Fail,
            ignore_paths: Vec::new(),
        }
    }
}

fn is_disabled(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "disabled" | "off" | "false"
    )
}

/// A ratio threshold (`0.9`, or disabled).
pub fn parse_ratio(value: &str) -> Result<Option<f64>> {
    if is_disabled(value) {
        return Ok(None);
    }
    let ratio: f64 = value
        .trim()
        .parse()
        .with_context(|| format!("{value:?} is not a ratio (0..1) or \"disabled\""))?;
    if !ratio.is_finite() {
        bail!("{value:?} is not a finite ratio");
    }
    Ok(Some(ratio))
}

/// A byte threshold the way go-humanize's `ParseBytes` reads it: `20MB` = 20·10⁶, `20MiB` =
/// 20·2²⁰, `1.5 GB`, `1,000`, a plain number of bytes; or disabled.
pub fn parse_bytes(value: &str) -> Result<Option<u64>> {
    if is_disabled(value) {
        return Ok(None);
    }
    crate::size::parse_size(value, crate::size::BareUnit::Decimal)
        .map(Some)
        .map_err(anyhow::Error::msg)
}

fn yaml_scalar(value: &serde_norway::Value) -> String {
    match value {
        serde_norway::Value::Null => String::new(),
        serde_norway::Value::Bool(b) => b.to_string(),
        serde_norway::Value::Number(n) => n.to_string(),
        serde_norway::Value::String(s) => s.clone(),
        _ => "<not a scalar>".to_string(),
    }
}

/// The rule a key names (dive's camelCase, or kebab-case as dive's newer config uses).
pub fn rule_key(key: &str) -> Option<&'static str> {
    let flat: String = key
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    match flat.as_str() {
        "lowestefficiency" => Some("lowestEfficiency"),
        "highestwastedbytes" => Some("highestWastedBytes"),
        "highestuserwastedpercent" => Some("highestUserWastedPercent"),
        "highestsizeincrease" => Some("highestSizeIncrease"),
        "highestimagebytes" => Some("highestImageBytes"),
        "highestlayercount" => Some("highestLayerCount"),
        "highestlayerbytes" => Some("highestLayerBytes"),
        "highestreclaimablebytes" => Some("highestReclaimableBytes"),
        "secrets" => Some("secrets"),
        "ignorepaths" => Some("ignorePaths"),
        _ => None,
    }
}

impl CiRules {
    /// Sets one rule from its textual value.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        match rule_key(key) {
            Some("lowestEfficiency") => self.lowest_efficiency = parse_ratio(value)?,
            Some("highestWastedBytes") => self.highest_wasted_bytes = parse_bytes(value)?,
            Some("highestUserWastedPercent") => {
                self.highest_user_wasted_percent = parse_ratio(value)?
            }
            Some("highestSizeIncrease") => self.highest_size_increase = parse_size_limit(value)?,
            Some("highestImageBytes") => self.highest_image_bytes = parse_bytes(value)?,
            Some("highestLayerCount") => self.highest_layer_count = parse_count(value)?,
            Some("highestLayerBytes") => self.highest_layer_bytes = parse_bytes(value)?,
            Some("highestReclaimableBytes") => self.highest_reclaimable_bytes = parse_bytes(value)?,
            Some("secrets") => self.secrets = SecretsLevel::parse(value)?,
            Some("ignorePaths") => {
                let globs: Vec<String> = value
                    .split(',')
                    .map(|g| g.trim().to_string())
                    .filter(|g| !g.is_empty())
                    .collect();
                build_globs(&globs)?;
                self.ignore_paths = globs;
            }
            _ => bail!("unknown CI rule {key:?}"),
        }
        Ok(())
    }

    /// The rules `--ci-config PATH` names: the file when it exists; dive's defaults when the
    /// default `.dive-ci` does not; an error when another named file does not.
    pub fn from_config_arg(path: &Path) -> Result<CiRules> {
        if path.is_file() {
            CiRules::from_file(path)
        } else if path != Path::new(".dive-ci") {
            bail!("{}: no such CI config file", path.display());
        } else {
            Ok(CiRules::default())
        }
    }

    /// Reads a `.dive-ci` file (`rules:` with dive's keys) over the defaults.
    pub fn from_file(path: &Path) -> Result<CiRules> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Self::from_yaml(&text).with_context(|| format!("{}", path.display()))
    }

    pub fn from_yaml(text: &str) -> Result<CiRules> {
        let mut rules = CiRules::default();
        if text.trim().is_empty() {
            return Ok(rules);
        }
        let doc: serde_norway::Value = serde_norway::from_str(text).context("not valid YAML")?;
        let Some(map) = doc.get("rules") else {
            return Ok(rules);
        };
        let Some(map) = map.as_mapping() else {
            bail!("`rules` must be a mapping");
        };
        for (key, value) in map {
            let key = yaml_scalar(key);
            if let Some(list) = value.as_sequence() {
                // `ignorePaths:` as a YAML list.
                let joined: Vec<String> = list.iter().map(yaml_scalar).collect();
                rules
                    .set(&key, &joined.join(","))
                    .with_context(|| format!("rules.{key}"))?;
                continue;
            }
            rules
                .set(&key, &yaml_scalar(value))
                .with_context(|| format!("rules.{key}"))?;
        }
        Ok(rules)
    }
}

/// A count threshold (`40`, or disabled).
pub fn parse_count(value: &str) -> Result<Option<u64>> {
    if is_disabled(value) {
        return Ok(None);
    }
    let count = value
        .trim()
        .parse()
        .with_context(|| format!("{value:?} is not a count or \"disabled\""))?;
    Ok(Some(count))
}

fn build_globs(globs: &[String]) -> Result<globset::GlobSet> {
    let mut builder = globset::GlobSetBuilder::new();
    for glob in globs {
        builder.add(
            globset::GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .with_context(|| format!("{glob:?} is not a valid glob"))?,
        );
    }
    Ok(builder.build()?)
}

/// Whether an absolute path is excluded by `ignorePaths` (the path itself or a directory
/// above it matches).
fn ignored(globs: &globset::GlobSet, path: &str) -> bool {
    let mut prefix = path;
    loop {
        if globs.is_match(prefix) {
            return true;
        }
        match prefix.rfind('/') {
            Some(0) | None => return false,
            Some(i) => prefix = &prefix[..i],
        }
    }
}

/// The waste figures the rules compare, `ignorePaths` taken out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waste {
    pub wasted_bytes: u64,
    pub user_wasted_percent: f64,
    pub reclaimable_bytes: u64,
}

pub fn waste(image: &Image, rules: &CiRules) -> Waste {
    let m = &image.metrics;
    let all = Waste {
        wasted_bytes: m.wasted_bytes,
        user_wasted_percent: m.user_wasted_percent,
        reclaimable_bytes: m.reclaimable_bytes,
    };
    let Ok(globs) = build_globs(&rules.ignore_paths) else {
        return all;
    };
    if globs.is_empty() {
        return all;
    }
    let wasted_bytes: u64 = m
        .inefficient
        .iter()
        .filter(|p| !ignored(&globs, &p.path))
        .map(|p| p.bytes)
        .sum();
    let reclaimable_bytes = m
        .reclaimable
        .iter()
        .filter(|r| !ignored(&globs, &r.path))
        .map(|r| r.bytes)
        .sum();
    // The ratio's denominator (bytes above the first layer) does not depend on the paths.
    let user_wasted_percent = if m.wasted_bytes == 0 {
        0.0
    } else {
        m.user_wasted_percent * wasted_bytes as f64 / m.wasted_bytes as f64
    };
    Waste {
        wasted_bytes,
        user_wasted_percent,
        reclaimable_bytes,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
    Warn,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
            Status::Warn => "WARN",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleResult {
    pub rule: &'static str,
    pub status: Status,
    pub message: String,
}

/// Evaluates dive's rules exactly as dive's `ci/rules.go` does (with `ignorePaths` taken out of
/// the waste figures), then imgdive's; `secrets` is `None` when the image was not scanned.
pub fn evaluate(image: &Image, rules: &CiRules) -> Vec<RuleResult> {
    evaluate_with_secrets(image, rules, None)
}

pub fn evaluate_with_secrets(
    image: &Image,
    rules: &CiRules,
    secrets: Option<&[Secret]>,
) -> Vec<RuleResult> {
    let mut out = evaluate_dive(image, rules);
    let waste = waste(image, rules);
    let largest = image.layers.iter().max_by_key(|l| l.size);
    let mut limit = |rule: &'static str, threshold: Option<u64>, value: u64, what: String| {
        out.push(match threshold {
            None => skip(rule),
            Some(t) if value > t => RuleResult {
                rule,
                status: Status::Fail,
                message: format!("{what} (value={value} > threshold={t})"),
            },
            Some(_) => pass(rule),
        })
    };
    limit(
        "highestImageBytes",
        rules.highest_image_bytes,
        image.metrics.total_size,
        format!(
            "the image is too large: {}",
            human(image.metrics.total_size)
        ),
    );
    limit(
        "highestLayerCount",
        rules.highest_layer_count,
        image.layers.len() as u64,
        format!("too many layers: {}", image.layers.len()),
    );
    limit(
        "highestLayerBytes",
        rules.highest_layer_bytes,
        largest.map_or(0, |l| l.size),
        largest.map_or_else(String::new, |l| {
            format!("layer {} is too large: {}", l.index, human(l.size))
        }),
    );
    limit(
        "highestReclaimableBytes",
        rules.highest_reclaimable_bytes,
        waste.reclaimable_bytes,
        format!(
            "too many bytes stored but hidden by later layers: {}",
            human(waste.reclaimable_bytes)
        ),
    );
    out.push(match (rules.secrets, secrets) {
        (SecretsLevel::Off, _) | (_, None) => skip("secrets"),
        (_, Some([])) => pass("secrets"),
        (level, Some(found)) => RuleResult {
            rule: "secrets",
            status: if level == SecretsLevel::Fail {
                Status::Fail
            } else {
                Status::Warn
            },
            message: format!(
                "{} secret(s) in the image: {}",
                found.len(),
                found
                    .iter()
                    .map(|s| format!("{} at {}", s.kind, escape_name(&s.location)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    });
    out
}

/// dive's three rules.
fn evaluate_dive(image: &Image, rules: &CiRules) -> Vec<RuleResult> {
    let m = &image.metrics;
    let waste = waste(image, rules);
    let mut out = Vec::new();
    out.push(match rules.lowest_efficiency {
        None => skip("lowestEfficiency"),
        Some(t) if t > m.efficiency => RuleResult {
            rule: "lowestEfficiency",
            status: Status::Fail,
            message: format!(
                "image efficiency is too low (efficiency={} < threshold={})",
                fmt_num(m.efficiency),
                fmt_num(t)
            ),
        },
        Some(_) => pass("lowestEfficiency"),
    });
    out.push(match rules.highest_wasted_bytes {
        None => skip("highestWastedBytes"),
        Some(t) if waste.wasted_bytes > t => RuleResult {
            rule: "highestWastedBytes",
            status: Status::Fail,
            message: format!(
                "too many bytes wasted (wasted-bytes={} > threshold={})",
                waste.wasted_bytes, t
            ),
        },
        Some(_) => pass("highestWastedBytes"),
    });
    out.push(match rules.highest_user_wasted_percent {
        None => skip("highestUserWastedPercent"),
        Some(t) if waste.user_wasted_percent > t => RuleResult {
            rule: "highestUserWastedPercent",
            status: Status::Fail,
            message: format!(
                "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})",
                fmt_num(waste.user_wasted_percent),
                fmt_num(t)
            ),
        },
        Some(_) => pass("highestUserWastedPercent"),
    });
    out
}

/// `imgdive diff --ci`'s rule: B may not be more than the threshold bigger than A (strictly, as
/// dive's rules compare).
pub fn evaluate_size_increase(a_size: u64, b_size: u64, limit: Option<SizeLimit>) -> RuleResult {
    let rule = "highestSizeIncrease";
    let growth = b_size as i128 - a_size as i128;
    let (fails, threshold) = match limit {
        None => return skip(rule),
        Some(SizeLimit::Bytes(t)) => (growth > t as i128, format!("{t} bytes")),
        Some(SizeLimit::Percent(p)) => {
            let allowed = a_size as f64 * p / 100.0;
            (growth as f64 > allowed, format!("{p}% of {a_size} bytes"))
        }
    };
    if fails {
        RuleResult {
            rule,
            status: Status::Fail,
            message: format!(
                "the image grew too much (size-increase={growth} bytes > threshold={threshold})"
            ),
        }
    } else {
        pass(rule)
    }
}

fn fmt_num(v: f64) -> String {
    format!("{v:.4}")
}

fn pass(rule: &'static str) -> RuleResult {
    RuleResult {
        rule,
        status: Status::Pass,
        message: String::new(),
    }
}

fn skip(rule: &'static str) -> RuleResult {
    RuleResult {
        rule,
        status: Status::Skip,
        message: "rule disabled".to_string(),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_like_go_humanize() {
        assert_eq!(parse_bytes("20MB").unwrap(), Some(20_000_000));
        assert_eq!(parse_bytes("20MiB").unwrap(), Some(20 * 1024 * 1024));
        assert_eq!(parse_bytes("1.5 kB").unwrap(), Some(1500));
        assert_eq!(parse_bytes("1,000").unwrap(), Some(1000));
        assert_eq!(parse_bytes("disabled").unwrap(), None);
        assert!(parse_bytes("12 parsecs").is_err());
    }

    #[test]
    fn reads_dive_ci_files_in_both_spellings() {
        let rules = CiRules::from_yaml(
            "rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n",
        )
        .unwrap();
        assert_eq!(rules.lowest_efficiency, Some(0.95));
        assert_eq!(rules.highest_wasted_bytes, Some(20_000_000));
        assert_eq!(rules.highest_user_wasted_percent, None);
        let kebab = CiRules::from_yaml("rules:\n  lowest-efficiency: 0.5\n").unwrap();
        assert_eq!(kebab.lowest_efficiency, Some(0.5));
        assert_eq!(kebab.highest_user_wasted_percent, Some(0.1));
        assert!(CiRules::from_yaml("rules:\n  nonsense: 1\n").is_err());
    }
}
