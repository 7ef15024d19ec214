//! The CI rules: `.dive-ci` files, flags, size and ratio thresholds, `ignorePaths` globs.

use std::path::Path;

use anyhow::{Context, Result, bail};

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

pub(super) fn build_globs(globs: &[String]) -> Result<globset::GlobSet> {
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
pub(super) fn ignored(globs: &globset::GlobSet, path: &str) -> bool {
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
