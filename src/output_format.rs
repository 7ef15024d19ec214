//! The output formats imglint's users name — `--format`, `format:` in a config file,
//! `HADOLINT_FORMAT`/`IMGLINT_FORMAT` — as one list, in a module below both the config loader
//! (`lint`) that validates the names and the writers (`report`) that produce them.

/// Output formats, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Sarif,
    Checkstyle,
    /// GitLab Code Quality (hadolint calls it `gitlab_codeclimate`).
    Gitlab,
    /// GitHub Actions workflow commands (annotations).
    Github,
    Gnu,
    /// Code Climate engine output: one JSON issue per finding, each ended by a NUL byte.
    Codeclimate,
    /// JUnit XML: one test suite per file, one failed test case per finding.
    Junit,
    /// SonarQube generic issue import JSON.
    Sonarqube,
    /// Codacy tool results: one JSON object per finding, one per line.
    Codacy,
}

/// Every name a format answers to, on the command line, in `HADOLINT_FORMAT`/`IMGLINT_FORMAT`
/// and in a config file's `format:` alike (the first name of each format is its own; the others
/// are hadolint's spellings). The one list both the parser and `--help` read.
pub const FORMAT_NAMES: &[(&str, Format)] = &[
    ("tty", Format::Tty),
    ("json", Format::Json),
    ("sarif", Format::Sarif),
    ("checkstyle", Format::Checkstyle),
    ("gitlab", Format::Gitlab),
    ("gitlab_codeclimate", Format::Gitlab),
    ("github", Format::Github),
    ("github-actions", Format::Github),
    ("gnu", Format::Gnu),
    ("codeclimate", Format::Codeclimate),
    ("junit", Format::Junit),
    ("sonarqube", Format::Sonarqube),
    ("codacy", Format::Codacy),
];

impl Format {
    /// Looks a format up by any of its names (case-insensitive).
    pub fn parse(name: &str) -> Option<Format> {
        FORMAT_NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, f)| *f)
    }

    /// Whether findings leave the exit code at 0: Code Climate engines and Codacy tools exit 0
    /// whenever they ran (findings are their output), and hadolint does so for both.
    pub fn findings_never_fail(self) -> bool {
        matches!(self, Format::Codeclimate | Format::Codacy)
    }

    /// [`Format::parse`] with a message listing the names, for clap and config files.
    pub fn from_name(name: &str) -> Result<Format, String> {
        Format::parse(name).ok_or_else(|| {
            let names: Vec<&str> = FORMAT_NAMES.iter().map(|(n, _)| *n).collect();
            format!(
                "unknown format `{name}` (expected one of {})",
                names.join(", ")
            )
        })
    }
}
