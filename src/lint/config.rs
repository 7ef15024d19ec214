//! Configuration files: `.imglint.yaml` and hadolint's `.hadolint.yaml`, their discovery, and
//! how they combine with the command line.
//!
//! Precedence (documented in the README):
//! - `--config FILE` replaces discovery entirely.
//! - Otherwise the *nearest* configuration wins, searched from the linted file's directory
//!   upward to the repository root (the first directory holding `.git`); in each directory
//!   `.imglint.yaml` > `.imglint.yml` > `.hadolint.yaml` > `.hadolint.yml`. Files are not merged,
//!   so a project config is read exactly as written (as ruff does).
//! - With no project config, the user config `$XDG_CONFIG_HOME/imglint/config.yaml` (or
//!   `~/.config/imglint/config.yaml`) applies.
//! - The command line wins over any file: scalar options replace the file's value, lists
//!   (`--ignore`, severity overrides, trusted registries, required labels) are added to it, as
//!   hadolint does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::rule::{RuleSettings, Severity};

/// The level at or above which a finding makes the run fail; `None` means never.
pub type Threshold = Option<Severity>;

/// Parses `error|warning|info|style|none|ignore`.
pub fn parse_threshold(text: &str) -> Result<Threshold, String> {
    match text.to_ascii_lowercase().as_str() {
        "none" | "ignore" => Ok(None),
        other => Severity::parse(other).map(Some).ok_or_else(|| {
            format!(
                "invalid failure threshold `{text}` (expected error, warning, info, style or none)"
            )
        }),
    }
}

/// A string or a list of strings (hadolint accepts both for `trustedRegistries`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// Severity overrides as hadolint spells them: `override: { error: [DL3008], … }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideSection {
    #[serde(default)]
    error: Vec<String>,
    #[serde(default)]
    warning: Vec<String>,
    #[serde(default)]
    info: Vec<String>,
    #[serde(default)]
    style: Vec<String>,
}

/// The keys of both file kinds. `.imglint.yaml` is a superset of `.hadolint.yaml` (plus
/// `select`), so one shape reads both; unknown keys are an error so a typo never silently
/// disables a setting.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default)]
    select: Option<Vec<String>>,
    #[serde(default, rename = "override")]
    overrides: OverrideSection,
    #[serde(default)]
    failure_threshold: Option<String>,
    #[serde(default, alias = "trustedRegistries")]
    trusted_registries: Option<OneOrMany>,
    #[serde(default)]
    label_schema: BTreeMap<String, String>,
    #[serde(default)]
    strict_labels: Option<bool>,
    #[serde(default)]
    disable_ignore_pragma: Option<bool>,
    #[serde(default)]
    no_fail: Option<bool>,
    #[serde(default)]
    no_color: Option<bool>,
    #[serde(default)]
    verbose: Option<bool>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    formats: Option<Vec<String>>,
}

/// A configuration file, validated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file it came from (`None` for built-in defaults).
    pub source: Option<PathBuf>,
    pub ignored: Vec<String>,
    pub select: Option<Vec<String>>,
    /// In order; a later entry wins over an earlier one for the same rule.
    pub overrides: Vec<(String, Severity)>,
    /// `None` when the file does not say.
    pub failure_threshold: Option<Threshold>,
    pub trusted_registries: Vec<String>,
    pub label_schema: BTreeMap<String, String>,
    pub strict_labels: bool,
    pub disable_ignore_pragma: bool,
    pub no_fail: bool,
    pub no_color: bool,
    /// hadolint's `verbose`: say on stderr which configuration applies and what is linted.
    pub verbose: bool,
    /// The output format named in the file (`format`, or the first of `formats`).
    pub format: Option<String>,
}

/// A configuration file that could not be read or understood: one line, naming the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads and validates one configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("{}: cannot read config: {e}", path.display())))?;
        Config::from_yaml(&text, path)
    }

    /// Reads one configuration file on top of `base` (the environment's settings, see
    /// [`super::env`]): what the file says wins, what it leaves unsaid comes from `base`, lists
    /// are joined.
    pub fn load_over(path: &Path, base: &Config) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("{}: cannot read config: {e}", path.display())))?;
        Config::from_yaml_over(&text, path, base)
    }

    /// Parses YAML text; `path` is used for messages and recorded as the source.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::from_yaml_over(text, path, &Config::default())
    }

    /// [`Config::from_yaml`] on top of `base`, as [`Config::load_over`] describes.
    pub fn from_yaml_over(text: &str, path: &Path, base: &Config) -> Result<Config, ConfigError> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_norway::from_str(text).map_err(|e| {
                let location = e
                    .location()
                    .map(|l| format!(":{}:{}", l.line(), l.column()))
                    .unwrap_or_default();
                // serde's message can span lines; the error must stay one line.
                let message = e.to_string().replace('\n', " ");
                ConfigError(format!(
                    "{}{location}: invalid config: {message}",
                    path.display()
                ))
            })?
        };
        let bad = |what: String| ConfigError(format!("{}: invalid config: {what}", path.display()));
        let mut overrides = base.overrides.clone();
        for (list, severity) in [
            (&raw.overrides.style, Severity::Style),
            (&raw.overrides.info, Severity::Info),
            (&raw.overrides.warning, Severity::Warning),
            (&raw.overrides.error, Severity::Error),
        ] {
            overrides.extend(list.iter().map(|code| (code.clone(), severity)));
        }
        let failure_threshold = match raw.failure_threshold.as_deref() {
            Some(t) => Some(parse_threshold(t).map_err(bad)?),
            None => base.failure_threshold,
        };
        for (label, kind) in &raw.label_schema {
            if !LABEL_TYPES.contains(&kind.as_str()) {
                return Err(bad(format!(
                    "label-schema: `{label}` has unknown type `{kind}` (expected one of {})",
                    LABEL_TYPES.join(", ")
                )));
            }
        }
        let format = raw
            .format
            .or_else(|| raw.formats.and_then(|f| f.into_iter().next()));
        if let Some(name) = &format {
            crate::report::Format::from_name(name).map_err(|e| bad(format!("format: {e}")))?;
        }
        let joined = |base: &[String], file: Vec<String>| [base.to_vec(), file].concat();
        let mut label_schema = base.label_schema.clone();
        label_schema.extend(raw.label_schema);
        Ok(Config {
            source: Some(path.to_path_buf()),
            ignored: joined(&base.ignored, raw.ignored),
            select: raw.select.or_else(|| base.select.clone()),
            overrides,
            failure_threshold,
            trusted_registries: joined(
                &base.trusted_registries,
                raw.trusted_registries
                    .map(OneOrMany::into_vec)
                    .unwrap_or_default(),
            ),
            label_schema,
            strict_labels: raw.strict_labels.unwrap_or(base.strict_labels),
            disable_ignore_pragma: raw
                .disable_ignore_pragma
                .unwrap_or(base.disable_ignore_pragma),
            no_fail: raw.no_fail.unwrap_or(base.no_fail),
            no_color: raw.no_color.unwrap_or(base.no_color),
            verbose: raw.verbose.unwrap_or(base.verbose),
            format: format.or_else(|| base.format.clone()),
        })
    }

    /// The settings rules read.
    pub fn rule_settings(&self) -> RuleSettings {
        RuleSettings {
            trusted_registries: self.trusted_registries.clone(),
            label_schema: self.label_schema.clone(),
            strict_labels: self.strict_labels,
            build_args: BTreeMap::new(),
        }
    }
}

/// hadolint's label types for `label-schema`.
pub const LABEL_TYPES: &[&str] = &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

/// Names looked for in each directory, best first.
pub const CONFIG_FILE_NAMES: &[&str] = &[
    ".imglint.yaml",
    ".imglint.yml",
    ".hadolint.yaml",
    ".hadolint.yml",
];

/// The configuration file that applies to files in `dir` (an absolute directory): the nearest
/// one up to the repository root, else the user config. `None` means built-in defaults.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    discover_in_project(dir).or_else(user_config)
}

/// The nearest project configuration from `dir` up to the first directory holding `.git`
/// (inclusive), or up to the filesystem root outside a repository.
pub fn discover_in_project(dir: &Path) -> Option<PathBuf> {
    for ancestor in dir.ancestors() {
        for name in CONFIG_FILE_NAMES {
            let candidate = ancestor.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if ancestor.join(".git").exists() {
            break;
        }
    }
    None
}

/// `$XDG_CONFIG_HOME/imglint/config.yaml` (or `.yml`), falling back to `~/.config`.
pub fn user_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")))?;
    ["config.yaml", "config.yml"]
        .iter()
        .map(|name| base.join("imglint").join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_yaml(text, Path::new("cfg.yaml"))
    }

    #[test]
    fn reads_hadolint_keys() {
        let c = parse(
            "ignored: [DL3008, SC2086]\noverride:\n  error: [DL3007]\n  style: [DL3059]\n\
             failure-threshold: warning\ntrustedRegistries: docker.io\nlabel-schema:\n  author: text\n\
             strict-labels: true\ndisable-ignore-pragma: true\nno-fail: true\nformat: sarif\n",
        )
        .unwrap();
        assert_eq!(c.ignored, vec!["DL3008", "SC2086"]);
        assert_eq!(
            c.overrides,
            vec![
                ("DL3059".to_string(), Severity::Style),
                ("DL3007".to_string(), Severity::Error)
            ]
        );
        assert_eq!(c.failure_threshold, Some(Some(Severity::Warning)));
        assert_eq!(c.trusted_registries, vec!["docker.io"]);
        assert!(c.strict_labels && c.disable_ignore_pragma && c.no_fail);
        assert_eq!(c.format.as_deref(), Some("sarif"));
    }

    #[test]
    fn malformed_config_is_one_line_naming_file_and_line() {
        let e = parse("ignored: [DL3008\nfoo: bar\n").unwrap_err();
        assert!(e.0.starts_with("cfg.yaml:"), "{e}");
        assert!(!e.0.contains('\n'));
        let e = parse("ignroed: [DL3008]\n").unwrap_err();
        assert!(e.0.contains("ignroed"), "{e}");
        let e = parse("failure-threshold: loud\n").unwrap_err();
        assert!(e.0.contains("loud"), "{e}");
    }

    #[test]
    fn empty_file_is_defaults() {
        let c = parse("\n").unwrap();
        assert!(c.ignored.is_empty() && c.failure_threshold.is_none());
    }

    #[test]
    fn discovery_stops_at_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let outer = tmp.path();
        std::fs::write(outer.join(".imglint.yaml"), "ignored: [X]\n").unwrap();
        let repo = outer.join("repo");
        let sub = repo.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(discover_in_project(&sub), None);
        std::fs::write(repo.join(".hadolint.yaml"), "{}\n").unwrap();
        assert_eq!(discover_in_project(&sub), Some(repo.join(".hadolint.yaml")));
        std::fs::write(repo.join(".imglint.yaml"), "{}\n").unwrap();
        assert_eq!(discover_in_project(&sub), Some(repo.join(".imglint.yaml")));
        std::fs::write(repo.join("a/.hadolint.yml"), "{}\n").unwrap();
        assert_eq!(
            discover_in_project(&sub),
            Some(repo.join("a/.hadolint.yml"))
        );
    }
}
