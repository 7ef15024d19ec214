//! hadolint's environment variables and imglint's own: `HADOLINT_NOFAIL`, `HADOLINT_VERBOSE`,
//! `HADOLINT_FORMAT`, `HADOLINT_FAILURE_THRESHOLD`, `HADOLINT_OVERRIDE_ERROR/WARNING/INFO/STYLE`,
//! `HADOLINT_IGNORE`, `HADOLINT_TRUSTED_REGISTRIES`, `HADOLINT_REQUIRE_LABELS`,
//! `HADOLINT_STRICT_LABELS`, `HADOLINT_DISABLE_IGNORE_PRAGMA`, each also spelled `IMGLINT_…`
//! (which wins when both are set).
//!
//! They form the lowest layer of configuration, as in hadolint (environment < configuration
//! file < command line): a configuration file's key replaces the variable's value, lists are
//! joined. Unlike hadolint, which silently drops values it cannot read, a bad value is a
//! one-line error naming the variable.

use super::config::{Config, ConfigError, parse_threshold};
use super::rule::Severity;
use super::rules::labels::LabelType;
use crate::output_format::Format;

/// The variables, without their `HADOLINT_`/`IMGLINT_` prefix.
pub const VARIABLES: &[&str] = &[
    "NOFAIL",
    "VERBOSE",
    "FORMAT",
    "FAILURE_THRESHOLD",
    "OVERRIDE_ERROR",
    "OVERRIDE_WARNING",
    "OVERRIDE_INFO",
    "OVERRIDE_STYLE",
    "IGNORE",
    "TRUSTED_REGISTRIES",
    "REQUIRE_LABELS",
    "STRICT_LABELS",
    "DISABLE_IGNORE_PRAGMA",
];

/// The configuration the process's environment describes.
pub fn config_from_process() -> Result<Config, ConfigError> {
    config_from(|name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))
}

/// The configuration the variables `lookup` returns describe (`source` is `None`).
pub fn config_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    // IMGLINT_X wins over HADOLINT_X; the name is kept for messages.
    let get = |suffix: &str| -> Option<(String, String)> {
        ["IMGLINT_", "HADOLINT_"].iter().find_map(|prefix| {
            let name = format!("{prefix}{suffix}");
            lookup(&name).map(|value| (name, value))
        })
    };
    let bad = |name: &str, what: String| ConfigError(format!("{name}: {what}"));
    let flag = |suffix: &str| -> bool { get(suffix).is_some_and(|(_, v)| truthy(&v)) };
    let list = |suffix: &str| -> Vec<String> {
        get(suffix).map(|(_, v)| split_list(&v)).unwrap_or_default()
    };

    let mut config = Config {
        no_fail: flag("NOFAIL"),
        verbose: flag("VERBOSE"),
        strict_labels: flag("STRICT_LABELS"),
        disable_ignore_pragma: flag("DISABLE_IGNORE_PRAGMA"),
        ignored: list("IGNORE"),
        trusted_registries: list("TRUSTED_REGISTRIES"),
        ..Config::default()
    };
    if let Some((name, value)) = get("FORMAT") {
        // hadolint reads a comma list and uses the first format it knows.
        let first = split_list(&value).into_iter().next().unwrap_or_default();
        Format::from_name(&first).map_err(|e| bad(&name, e))?;
        config.format = Some(first);
    }
    if let Some((name, value)) = get("FAILURE_THRESHOLD") {
        config.failure_threshold = Some(parse_threshold(value.trim()).map_err(|e| bad(&name, e))?);
    }
    for (suffix, severity) in [
        ("OVERRIDE_STYLE", Severity::Style),
        ("OVERRIDE_INFO", Severity::Info),
        ("OVERRIDE_WARNING", Severity::Warning),
        ("OVERRIDE_ERROR", Severity::Error),
    ] {
        config
            .overrides
            .extend(list(suffix).into_iter().map(|code| (code, severity)));
    }
    if let Some((name, value)) = get("REQUIRE_LABELS") {
        for spec in split_list(&value) {
            let (label, kind) = spec
                .split_once(':')
                .filter(|(l, k)| !l.is_empty() && LabelType::parse(k).is_some())
                .ok_or_else(|| {
                    bad(
                        &name,
                        format!(
                            "`{spec}` is not LABEL:TYPE with TYPE one of {}",
                            LabelType::names()
                        ),
                    )
                })?;
            config
                .label_schema
                .insert(label.to_string(), kind.to_string());
        }
    }
    Ok(config)
}

/// hadolint's truthy values: `1`, `y`, `yes`, `on`, `true` (any case); anything else is false.
fn truthy(value: &str) -> bool {
    ["1", "y", "yes", "on", "true"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(value.trim()))
}

/// A comma list with blanks dropped.
fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        config_from(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn reads_every_variable() {
        let c = from(&[
            ("HADOLINT_NOFAIL", "yes"),
            ("HADOLINT_VERBOSE", "0"),
            ("HADOLINT_FORMAT", "sonarqube"),
            ("HADOLINT_FAILURE_THRESHOLD", "warning"),
            ("HADOLINT_OVERRIDE_ERROR", "DL3008, DL3009"),
            ("HADOLINT_OVERRIDE_STYLE", "DL3006"),
            ("HADOLINT_IGNORE", "DL3015,,"),
            ("HADOLINT_TRUSTED_REGISTRIES", "docker.io,quay.io"),
            ("HADOLINT_REQUIRE_LABELS", "maintainer:text,org.src:url"),
            ("HADOLINT_STRICT_LABELS", "TRUE"),
            ("HADOLINT_DISABLE_IGNORE_PRAGMA", "on"),
        ])
        .unwrap();
        assert!(c.no_fail && !c.verbose && c.strict_labels && c.disable_ignore_pragma);
        assert_eq!(c.format.as_deref(), Some("sonarqube"));
        assert_eq!(c.failure_threshold, Some(Some(Severity::Warning)));
        assert_eq!(
            c.overrides,
            vec![
                ("DL3006".to_string(), Severity::Style),
                ("DL3008".to_string(), Severity::Error),
                ("DL3009".to_string(), Severity::Error),
            ]
        );
        assert_eq!(c.ignored, vec!["DL3015"]);
        assert_eq!(c.trusted_registries, vec!["docker.io", "quay.io"]);
        assert_eq!(c.label_schema["org.src"], "url");
        assert_eq!(c.source, None);
    }

    #[test]
    fn imglint_spelling_wins() {
        let c = from(&[("HADOLINT_FORMAT", "json"), ("IMGLINT_FORMAT", "junit")]).unwrap();
        assert_eq!(c.format.as_deref(), Some("junit"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = from(&[("HADOLINT_FORMAT", "yaml")]).unwrap_err();
        assert!(
            e.0.starts_with("HADOLINT_FORMAT: unknown format `yaml`"),
            "{e}"
        );
        let e = from(&[("IMGLINT_FAILURE_THRESHOLD", "loud")]).unwrap_err();
        assert!(e.0.starts_with("IMGLINT_FAILURE_THRESHOLD: "), "{e}");
        let e = from(&[("HADOLINT_REQUIRE_LABELS", "maintainer")]).unwrap_err();
        assert!(e.0.contains("`maintainer` is not LABEL:TYPE"), "{e}");
    }

    #[test]
    fn a_config_file_overrides_the_environment_and_joins_lists() {
        let env = from(&[
            ("HADOLINT_NOFAIL", "1"),
            ("HADOLINT_FORMAT", "json"),
            ("HADOLINT_IGNORE", "DL3006"),
            ("HADOLINT_FAILURE_THRESHOLD", "error"),
        ])
        .unwrap();
        let c = Config::from_yaml_over(
            "no-fail: false\nignored: [DL3008]\nfailure-threshold: style\n",
            std::path::Path::new("c.yaml"),
            &env,
        )
        .unwrap();
        assert!(!c.no_fail);
        assert_eq!(c.format.as_deref(), Some("json"));
        assert_eq!(c.ignored, vec!["DL3006", "DL3008"]);
        assert_eq!(c.failure_threshold, Some(Some(Severity::Style)));
    }
}
