//! What a rule is: metadata (code, name, category, severity, doc) plus one check function.
//!
//! This is the contract between the engine (which runs rules, applies configuration and
//! pragmas, and hands findings to reporters) and the rules themselves (one file each under
//! `lint/rules/`, each with its doc in `rules/<CODE>.md`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dockerfile::ast::{Dockerfile, Span};
use crate::lint::fix::{Applicability, Fix};

/// How bad a finding is. Ordered: `Style < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Style => "style",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error|warning|info|style` (case-insensitive).
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "style" => Some(Severity::Style),
            _ => None,
        }
    }
}

/// The rule families; these exact words appear in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    LayerBloat,
    CacheOrder,
    MissingExec,
    RootUser,
    LatestTag,
    Security,
    Correctness,
    Pinning,
    Portability,
    Maintainability,
    Style,
    Parse,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::LayerBloat => "layer-bloat",
            Category::CacheOrder => "cache-order",
            Category::MissingExec => "missing-exec",
            Category::RootUser => "root-user",
            Category::LatestTag => "latest-tag",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Pinning => "pinning",
            Category::Portability => "portability",
            Category::Maintainability => "maintainability",
            Category::Style => "style",
            Category::Parse => "parse",
        }
    }
}

/// Settings rules may read (from `.imglint.yaml` / `.hadolint.yaml`).
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// hadolint's `trustedRegistries`: when non-empty, FROM images must come from these.
    pub trusted_registries: Vec<String>,
    /// hadolint's `label-schema`: label name → type (`text`, `url`, `semver`, `hash`, `rfc3339`,
    /// `spdx`, `email`).
    pub label_schema: BTreeMap<String, String>,
    /// hadolint's `strict-labels`: labels not in the schema are findings.
    pub strict_labels: bool,
    /// Build arguments given on the command line (`--build-arg K=V`), for ARG resolution.
    pub build_args: BTreeMap<String, String>,
}

/// Everything a rule may look at for one file.
pub struct Context<'a> {
    /// The file's path as the user named it (for messages only).
    pub path: &'a Path,
    pub source: &'a str,
    pub dockerfile: &'a Dockerfile,
    /// The build context directory (the Dockerfile's directory unless `--context` says
    /// otherwise); `None` for stdin without `--context`.
    pub build_context: Option<&'a Path>,
    pub settings: &'a RuleSettings,
    /// Facts derived once per file and shared by all rules (parsed RUN scripts, resolved
    /// variables). Built lazily on first use; see [`crate::lint::rules::facts`].
    pub facts: std::sync::OnceLock<crate::lint::rules::facts::Facts>,
}

impl<'a> Context<'a> {
    pub fn new(
        path: &'a Path,
        source: &'a str,
        dockerfile: &'a Dockerfile,
        build_context: Option<&'a Path>,
        settings: &'a RuleSettings,
    ) -> Self {
        Context {
            path,
            source,
            dockerfile,
            build_context,
            settings,
            facts: std::sync::OnceLock::new(),
        }
    }

    /// Reads a file of the build context (a path relative to it; `./` and a leading `/` are
    /// ignored). `None` without a build context, for paths leaving it (`..`), for anything
    /// that is not a regular file, or for files larger than `max_bytes`.
    pub fn read_context_file(&self, relative: &str, max_bytes: u64) -> Option<String> {
        let root = self.build_context?;
        let trimmed = relative.trim_start_matches("./").trim_start_matches('/');
        if trimmed.split('/').any(|c| c == "..") {
            return None;
        }
        read_file_inside(root, &root.join(trimmed), max_bytes)
    }

    /// The per-file facts (parsed shell scripts of every RUN…), computed on first call.
    pub fn facts(&self) -> &crate::lint::rules::facts::Facts {
        self.facts
            .get_or_init(|| crate::lint::rules::facts::Facts::build(self.dockerfile))
    }
}

/// Reads `path` only if, with every symlink resolved, it is a regular file of at most
/// `max_bytes` inside `root` (the build context). BuildKit never dereferences a symlink out of
/// the context, so neither may a rule: a link to a host file would put its content in a report.
pub fn read_file_inside(root: &Path, path: &Path, max_bytes: u64) -> Option<String> {
    use std::io::Read;
    let root = root.canonicalize().ok()?;
    let resolved = path.canonicalize().ok()?;
    if !resolved.starts_with(&root) {
        return None;
    }
    let file = std::fs::File::open(&resolved).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > max_bytes {
        return None;
    }
    let mut text = String::new();
    file.take(max_bytes).read_to_string(&mut text).ok()?;
    Some(text)
}

/// A finding as a rule reports it; the engine adds file, code and final severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub span: Span,
    pub message: String,
    /// The edits that would repair it, when the rule knows them.
    pub fix: Option<Fix>,
}

/// Collects a rule's diagnostics.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn report(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            span,
            message: message.into(),
            fix: None,
        });
    }

    /// Reports a finding with the fix that repairs it, when the rule could build one (see
    /// [`crate::lint::fix`]).
    pub fn report_fix(&mut self, span: Span, message: impl Into<String>, fix: Option<Fix>) {
        self.diagnostics.push(Diagnostic {
            span,
            message: message.into(),
            fix,
        });
    }
}

/// A rule: data plus one function. Rules live in `lint/rules/<code>.rs` as
/// `pub static RULE: Rule = Rule { … }` and are listed once in the registry.
pub struct Rule {
    /// Stable code: hadolint's `DLxxxx` where hadolint has the rule, `ILxxxx` for our own.
    pub code: &'static str,
    /// kebab-case name.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line, no trailing period.
    pub summary: &'static str,
    /// Other names the rule answers to in configuration and pragmas (BuildKit check names such
    /// as `JSONArgsRecommended`).
    pub aliases: &'static [&'static str],
    /// Off by default (hadolint's "ignored by default" rules such as DL3057, BuildKit's
    /// experimental checks): the rule runs only when named explicitly (code, name or alias, not
    /// a category) in `select`, in a severity override, or in `# check=experimental=`.
    pub opt_in: bool,
    /// The Markdown doc (`include_str!("../../../rules/<CODE>.md")`).
    pub doc: &'static str,
    pub check: fn(&Context, &mut Sink),
}

impl Rule {
    /// Where the rule's doc is published.
    pub fn help_uri(&self) -> String {
        format!("{}/{}.md", HELP_BASE_URI, self.code)
    }

    /// Whether the rule has a fix, and how safe it is (the registry's [`FIXABLE`] table).
    ///
    /// [`FIXABLE`]: crate::lint::rules::FIXABLE
    pub fn fix_applicability(&self) -> Option<Applicability> {
        crate::lint::rules::FIXABLE
            .iter()
            .find(|(code, _)| *code == self.code)
            .map(|(_, a)| *a)
    }

    /// Whether `name` (a code, the kebab-case name or an alias) designates this rule.
    pub fn answers_to(&self, name: &str) -> bool {
        self.code.eq_ignore_ascii_case(name)
            || self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// Base of the published rule docs (the `rules/` folder of the repository).
pub const HELP_BASE_URI: &str = "https://github.com/imgtools/imgtools/blob/main/rules";
