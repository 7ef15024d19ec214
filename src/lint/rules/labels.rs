//! Labels and the `label-schema` types of the configuration (hadolint's `label-schema:`): which
//! LABEL pairs a file sets and whether a value is valid for its declared type.

use std::sync::LazyLock;

use crate::dockerfile::ast::{Dockerfile, KeyValue, Keyword};
use crate::lint::rule::{Context, Sink};

/// A `label-schema` type: what the value of a label declared with it must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    pub const ALL: [LabelType; 7] = [
        LabelType::Text,
        LabelType::Url,
        LabelType::Semver,
        LabelType::Hash,
        LabelType::Rfc3339,
        LabelType::Spdx,
        LabelType::Email,
    ];

    /// The type's name in configuration files and `--require-label LABEL:TYPE`.
    pub fn name(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Semver => "semver",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }

    pub fn parse(name: &str) -> Option<LabelType> {
        LabelType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Every type name, for error messages: `text, url, …`.
    pub fn names() -> String {
        LabelType::ALL.map(LabelType::name).join(", ")
    }

    /// What a valid value is, for findings: "Label `x` should be a URL".
    fn description(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "a URL",
            LabelType::Semver => "a semantic version",
            LabelType::Hash => "a git commit hash",
            LabelType::Rfc3339 => "an RFC3339 date-time",
            LabelType::Spdx => "an SPDX license expression",
            LabelType::Email => "an e-mail address",
        }
    }

    /// Whether `value` is valid for this type (hadolint's checks; any text is valid `text`).
    pub fn accepts(self, value: &str) -> bool {
        static URL: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/?#]+[^\s]*$").expect("regex")
        });
        static RFC3339: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(
                r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
            )
            .expect("regex")
        });
        static SEMVER: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(
                r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
            )
            .expect("regex")
        });
        static EMAIL: LazyLock<regex::Regex> = LazyLock::new(|| {
            regex::Regex::new(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$").expect("regex")
        });
        let v = value.trim();
        match self {
            LabelType::Text => true,
            LabelType::Url => URL.is_match(v),
            LabelType::Rfc3339 => RFC3339.is_match(v),
            LabelType::Semver => SEMVER.is_match(v),
            LabelType::Email => EMAIL.is_match(v),
            LabelType::Hash => {
                // Full SHA-1 / SHA-256 object names, or git's default 7-character short form.
                matches!(v.len(), 7 | 40 | 64) && v.chars().all(|c| c.is_ascii_hexdigit())
            }
            LabelType::Spdx => v.split([' ', '(', ')']).filter(|t| !t.is_empty()).all(|t| {
                matches!(t, "AND" | "OR" | "WITH")
                    || t.starts_with("LicenseRef-")
                    || SPDX_IDS
                        .iter()
                        .any(|id| id.eq_ignore_ascii_case(t.trim_end_matches('+')))
            }),
        }
    }
}

/// Every LABEL pair of the file.
pub fn label_pairs(df: &Dockerfile) -> impl Iterator<Item = &KeyValue> {
    df.instructions
        .iter()
        .filter(|i| i.keyword == Keyword::Label)
        .flat_map(|i| i.pairs.iter())
}

/// Common SPDX license identifiers (the ones seen in images); others can use `LicenseRef-`.
const SPDX_IDS: &[&str] = &[
    "0BSD",
    "AGPL-3.0",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.2",
    "GPL-2.0",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.1",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "MS-PL",
    "NCSA",
    "OpenSSL",
    "PostgreSQL",
    "Python-2.0",
    "Unlicense",
    "UPL-1.0",
    "WTFPL",
    "X11",
    "Zlib",
    "ZPL-2.1",
    "Classpath-exception-2.0",
    "LLVM-exception",
    "BUSL-1.1",
    "Elastic-2.0",
    "SSPL-1.0",
];

/// Shared by the label-schema type rules (DL3052–DL3058): every LABEL whose schema type is
/// `kind` must hold a valid value; empty values are DL3051's, and values built from build
/// arguments are only known at build time.
pub fn check_label_type(ctx: &Context, sink: &mut Sink, kind: LabelType) {
    for pair in label_pairs(ctx.dockerfile) {
        let declared = ctx.settings.label_schema.get(&pair.key.value);
        if declared.and_then(|name| LabelType::parse(name)) != Some(kind) {
            continue;
        }
        let Some(value) = &pair.value else { continue };
        if value.value.trim().is_empty() || value.value.contains('$') {
            continue;
        }
        if !kind.accepts(&value.value) {
            sink.report(
                value.span,
                format!(
                    "Label `{}` should be {}, got `{}`",
                    pair.key.value,
                    kind.description(),
                    value.value
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LabelType;

    #[test]
    fn every_type_parses_back_from_its_name() {
        for kind in LabelType::ALL {
            assert_eq!(LabelType::parse(kind.name()), Some(kind));
        }
        assert_eq!(LabelType::parse("URL"), None);
        assert_eq!(
            LabelType::names(),
            "text, url, semver, hash, rfc3339, spdx, email"
        );
    }

    #[test]
    fn values_are_checked_per_type() {
        assert!(LabelType::Url.accepts("https://example.com/x"));
        assert!(!LabelType::Url.accepts("example.com"));
        assert!(LabelType::Spdx.accepts("MIT OR Apache-2.0"));
        assert!(!LabelType::Spdx.accepts("Beerware-ish"));
        assert!(LabelType::Semver.accepts("v1.2.3-rc.1"));
        assert!(LabelType::Text.accepts("anything at all"));
    }
}
