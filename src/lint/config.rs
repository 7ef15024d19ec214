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
use super::rules::labels::LabelType;

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
    shellcheck: Option<bool>,
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
    #[serde(default)]
    fix: Option<bool>,
    #[serde(default)]
    unsafe_fixes: Option<bool>,
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
    /// Also run the installed `shellcheck` (imglint's `shellcheck: true`).
    pub shellcheck: bool,
    pub no_fail: bool,
    pub no_color: bool,
    /// hadolint's `verbose`: say on stderr which configuration applies and what is linted.
    pub verbose: bool,
    /// The output format named in the file (`format`, or the first of `formats`).
    pub format: Option<String>,
    /// `fix: true`: every run applies the safe fixes, as `--fix` does.
    pub fix: bool,
    /// `unsafe-fixes: true`: fixing also applies the unsafe fixes, as `--unsafe-fixes` does.
    pub unsafe_fixes: bool,
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
        // A misspelt rule name would silently select, ignore or override nothing.
        let named = raw
            .ignored
            .iter()
            .map(|n| ("ignored", n))
            .chain(raw.select.iter().flatten().map(|n| ("select", n)))
            .chain(
                [
                    &raw.overrides.error,
                    &raw.overrides.warning,
                    &raw.overrides.info,
                    &raw.overrides.style,
                ]
                .into_iter()
                .flatten()
                .map(|n| ("override", n)),
            );
        for (key, name) in named {
            if let Err(message) = check_rule_name(name) {
                let location = locate(text, name)
                    .map(|(line, col)| format!(":{line}:{col}"))
                    .unwrap_or_default();
                return Err(ConfigError(format!(
                    "{}{location}: invalid config: {key}: {message}",
                    path.display()
                )));
            }
        }
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
            if LabelType::parse(kind).is_none() {
                return Err(bad(format!(
                    "label-schema: `{label}` has unknown type `{kind}` (expected one of {})",
                    LabelType::names()
                )));
            }
        }
        let format = raw
            .format
            .or_else(|| raw.formats.and_then(|f| f.into_iter().next()));
        if let Some(name) = &format {
            crate::output_format::Format::from_name(name)
                .map_err(|e| bad(format!("format: {e}")))?;
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
            shellcheck: raw.shellcheck.unwrap_or(base.shellcheck),
            no_fail: raw.no_fail.unwrap_or(base.no_fail),
            no_color: raw.no_color.unwrap_or(base.no_color),
            verbose: raw.verbose.unwrap_or(base.verbose),
            format: format.or_else(|| base.format.clone()),
            fix: raw.fix.unwrap_or(base.fix),
            unsafe_fixes: raw.unsafe_fixes.unwrap_or(base.unsafe_fixes),
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

/// Checks a rule name given by the user (command line or configuration file): a rule's code,
/// kebab-case name or alias, a category, or a ShellCheck code (accepted for hadolint
/// compatibility). The error is "unknown rule `X`", with the closest known name suggested.
pub fn check_rule_name(name: &str) -> Result<(), String> {
    let rules = super::rules::REGISTRY;
    if rules.iter().any(|r| super::engine::designates(r, name)) || is_shellcheck_code(name) {
        return Ok(());
    }
    let candidates = rules.iter().flat_map(|r| {
        [r.code, r.name, r.category.as_str()]
            .into_iter()
            .chain(r.aliases.iter().copied())
    });
    let wanted = name.to_ascii_lowercase();
    let best = candidates
        .map(|c| (edit_distance(&wanted, &c.to_ascii_lowercase()), c))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, c)| *d <= 2.max(c.len() / 4));
    Err(match best {
        Some((_, c)) => format!("unknown rule `{name}` (did you mean {c}?)"),
        None => format!("unknown rule `{name}` (imglint --list-rules shows them all)"),
    })
}

fn is_shellcheck_code(name: &str) -> bool {
    name.len() == 6
        && name[..2].eq_ignore_ascii_case("SC")
        && name[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Levenshtein distance over characters (names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// `line:col` (1-based) of the first place `name` appears as a whole YAML scalar in `text`
/// (serde does not keep positions of sequence items), or `None`.
fn locate(text: &str, name: &str) -> Option<(usize, usize)> {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    for (n, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let mut from = 0;
        while let Some(i) = code[from..].find(name) {
            let at = from + i;
            let before = code[..at].chars().next_back();
            let after = code[at + name.len()..].chars().next();
            if !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char) {
                return Some((n + 1, code[..at].chars().count() + 1));
            }
            from = at + name.len();
        }
    }
    None
}

/// hadolint's label types for `label-schema`.
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
/// (inclusive). Outside a repository the search stops at the user's home directory
/// (inclusive), and outside the home directory only `dir` itself is searched: a file in a
/// shared directory such as `/tmp` must not configure (or silence) someone else's lint.
pub fn discover_in_project(dir: &Path) -> Option<PathBuf> {
    discover_below(dir, dirs::home_dir().as_deref())
}

fn discover_below(dir: &Path, home: Option<&Path>) -> Option<PathBuf> {
    let repository = dir.ancestors().position(|a| a.join(".git").exists());
    let limit = match (repository, home) {
        (Some(root), _) => root,
        (None, Some(home)) if dir.starts_with(home) => {
            dir.ancestors().take_while(|a| a.starts_with(home)).count() - 1
        }
        (None, _) => 0,
    };
    dir.ancestors().take(limit + 1).find_map(|ancestor| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| ancestor.join(name))
            .find(|candidate| candidate.is_file())
    })
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
    fn unknown_rule_names_are_errors_with_a_suggestion_and_position() {
        let e = parse("select: [DL3O25]\n").unwrap_err();
        assert_eq!(
            e.0,
            "cfg.yaml:1:10: invalid config: select: unknown rule `DL3O25` (did you mean DL3025?)"
        );
        let e = parse("ignored:\n  - DL3008\n  - DL9999\n").unwrap_err();
        assert!(
            e.0.starts_with("cfg.yaml:3:5: invalid config: ignored:"),
            "{e}"
        );
        let e = parse("override:\n  error: [no-such-rule-at-all-really]\n").unwrap_err();
        assert!(e.0.contains("override: unknown rule"), "{e}");
        assert!(parse("ignored: [SC2086, security, DL3008]\n").is_ok());
    }

    #[test]
    fn discovery_outside_a_repository_stops_at_home() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home/me");
        let project = home.join("src/app");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(tmp.path().join("home/.hadolint.yaml"), "{}\n").unwrap();
        assert_eq!(discover_below(&project, Some(&home)), None);
        std::fs::write(home.join(".hadolint.yaml"), "{}\n").unwrap();
        assert_eq!(
            discover_below(&project, Some(&home)),
            Some(home.join(".hadolint.yaml"))
        );
        // Outside the home directory only the directory itself counts.
        let shared = tmp.path().join("shared/job");
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::write(tmp.path().join("shared/.imglint.yaml"), "{}\n").unwrap();
        assert_eq!(discover_below(&shared, Some(&home)), None);
        std::fs::write(shared.join(".imglint.yaml"), "{}\n").unwrap();
        assert_eq!(
            discover_below(&shared, Some(&home)),
            Some(shared.join(".imglint.yaml"))
        );
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
