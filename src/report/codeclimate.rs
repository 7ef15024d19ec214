//! `--format codeclimate`: the Code Climate engine specification's output, as hadolint writes
//! it: one JSON `issue` object per finding, each followed by a NUL byte (the spec's separator),
//! with `type`, `check_name`, `description`, `categories`, `location.path`,
//! `location.lines.begin/end` and `severity`.
//!
//! Severity, as hadolint maps it: error → blocker, warning → major, info → info, style → minor.
//! Categories come from the rule's category (Code Climate's fixed list); hadolint always says
//! "Bug Risk".

use std::io::{self, Write};

use serde_json::json;

use crate::lint::engine::{Finding, LintedFile};
use crate::lint::rule::{Category, Severity};

pub fn write(files: &[LintedFile], out: &mut dyn Write) -> io::Result<()> {
    for f in files.iter().flat_map(|file| &file.findings) {
        serde_json::to_writer(&mut *out, &issue(f))?;
        out.write_all(b"\0")?;
    }
    Ok(())
}

/// One finding as a Code Climate issue.
fn issue(f: &Finding) -> serde_json::Value {
    json!({
        "type": "issue",
        "check_name": f.code,
        "description": f.message,
        "categories": [category(f.category)],
        "location": {
            "path": f.file,
            "lines": { "begin": f.span.start.line, "end": super::end_line(f) }
        },
        "severity": severity(f.severity),
    })
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "blocker",
        Severity::Warning => "major",
        Severity::Info => "info",
        Severity::Style => "minor",
    }
}

/// Code Climate's categories are a closed list: Bug Risk, Clarity, Compatibility, Complexity,
/// Duplication, Performance, Security, Style.
fn category(category: Category) -> &'static str {
    match category {
        Category::Security | Category::RootUser => "Security",
        Category::Style => "Style",
        Category::Maintainability => "Clarity",
        Category::Portability => "Compatibility",
        Category::LayerBloat | Category::CacheOrder => "Performance",
        Category::MissingExec
        | Category::LatestTag
        | Category::Correctness
        | Category::Pinning
        | Category::Parse => "Bug Risk",
    }
}
