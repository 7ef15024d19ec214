//! Every rule's doc (`rules/<CODE>.md`) is executable: its bad example must trigger the rule at
//! the lines stated in `<!-- expect: … -->`, its good example must not trigger it.
//!
//! Doc format (fixed sections, like ruff's):
//! - `# CODE rule-name`
//! - `## What it does`, `## Why is this bad?`, `## Example`, `## Use instead`
//! - the first ```` ```dockerfile ```` block under *Example* is the bad example, followed by
//!   `<!-- expect: line 3 -->` (or `3:10`, or several separated by commas);
//! - the first ```` ```dockerfile ```` block under *Use instead* is the good example;
//! - a rule with a fix (the registry's `FIXABLE`) ends with `## Fix`: what the fix does and
//!   whether it is safe, then a ```` ```dockerfile ```` block that is exactly the bad example
//!   after `--fix` (`--fix --unsafe-fixes` for an unsafe fix) of this rule alone;
//! - ```` ```context: path/in/context ```` blocks create build-context files for the example of
//!   the section they are in; under `## Fix` such a block is that file after the fix (for a fix
//!   that edits a file of the build context, such as IL3001's script);
//! - a ```` ```yaml config ```` block gives settings in `.hadolint.yaml` syntax
//!   (`trustedRegistries`, `label-schema`, `strict-labels`) for both examples.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::fix::{FixMode, fix_file};
use imgtools::lint::rule::{Category, Rule, RuleSettings};
use imgtools::lint::rules::REGISTRY;

#[derive(Default)]
struct Example {
    dockerfile: Option<String>,
    context: Vec<(String, String)>,
}

#[derive(Default)]
struct Doc {
    title: String,
    sections: Vec<String>,
    bad: Example,
    good: Example,
    fixed: Option<String>,
    /// Build-context files as the fix leaves them (`context:` blocks under `## Fix`).
    fixed_context: Vec<(String, String)>,
    expect: Vec<(u32, Option<u32>)>,
    config: Option<String>,
}

fn parse_doc(text: &str) -> Doc {
    let mut doc = Doc::default();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(t) = line.strip_prefix("# ") {
            if doc.title.is_empty() {
                doc.title = t.trim().to_string();
            }
        } else if let Some(s) = line.strip_prefix("## ") {
            section = s.trim().to_string();
            doc.sections.push(section.clone());
        } else if let Some(info) = line.strip_prefix("```") {
            let info = info.trim().to_string();
            let mut body = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            let target = match section.as_str() {
                "Example" => Some(&mut doc.bad),
                "Use instead" => Some(&mut doc.good),
                _ => None,
            };
            if info == "dockerfile" && section == "Fix" && doc.fixed.is_none() {
                doc.fixed = Some(body);
            } else if info == "yaml config" {
                doc.config = Some(body);
            } else if let Some(path) = info.strip_prefix("context:") {
                if section == "Fix" {
                    doc.fixed_context.push((path.trim().to_string(), body));
                    continue;
                }
                match target {
                    Some(ex) => ex.context.push((path.trim().to_string(), body)),
                    None => {
                        doc.bad
                            .context
                            .push((path.trim().to_string(), body.clone()));
                        doc.good.context.push((path.trim().to_string(), body));
                    }
                }
            } else if info == "dockerfile"
                && let Some(ex) = target
                && ex.dockerfile.is_none()
            {
                ex.dockerfile = Some(body);
            }
        } else if let Some(rest) = line.trim().strip_prefix("<!-- expect:") {
            let rest = rest.trim_end_matches("-->").trim();
            for item in rest.split(',') {
                let item = item.trim().trim_start_matches("line").trim();
                let (l, c) = match item.split_once(':') {
                    Some((l, c)) => (l, Some(c.parse().expect("expect column"))),
                    None => (item, None),
                };
                doc.expect.push((l.parse().expect("expect line"), c));
            }
        }
    }
    doc
}

fn settings(config: Option<&str>) -> RuleSettings {
    let mut s = RuleSettings::default();
    let Some(config) = config else { return s };
    let value: serde_norway::Value = serde_norway::from_str(config).expect("config yaml");
    if let Some(list) = value.get("trustedRegistries").and_then(|v| v.as_sequence()) {
        s.trusted_registries = list
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
    }
    if let Some(map) = value.get("label-schema").and_then(|v| v.as_mapping()) {
        for (k, v) in map {
            if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                s.label_schema.insert(k.to_string(), v.to_string());
            }
        }
    }
    s.strict_labels = value
        .get("strict-labels")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    s
}

/// Lints a Dockerfile with a build context made of `files` through the engine (every default
/// rule runs, so pragma rules see real findings) and returns where `rule` fired. An override
/// naming the rule turns it on when it is opt-in.
fn lint(
    rule: &Rule,
    dockerfile: &str,
    files: &[(String, String)],
    settings: &RuleSettings,
) -> Vec<(u32, u32)> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, body) in files {
        let full = dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&full, body).expect("write context file");
    }
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: dockerfile.as_bytes().to_vec(),
        build_context: Some(dir.path().to_path_buf()),
    };
    let mut policy = Policy::new();
    policy.overrides = vec![(rule.code.to_string(), rule.severity)];
    policy.settings = settings.clone();
    engine::lint(&input, &policy, REGISTRY)
        .findings
        .iter()
        .filter(|f| f.code == rule.code)
        .map(|f| (f.span.start.line, f.span.start.column))
        .collect()
}

fn docs() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("rules/ dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            let code = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            out.insert(code, std::fs::read_to_string(&path).expect("read doc"));
        }
    }
    out
}

#[test]
fn every_doc_example_behaves_as_stated() {
    let mut failures = Vec::new();
    for rule in REGISTRY {
        let doc = parse_doc(rule.doc);
        let settings = settings(doc.config.as_deref());
        let (Some(bad), Some(good)) = (&doc.bad.dockerfile, &doc.good.dockerfile) else {
            failures.push(format!("{}: needs a bad and a good example", rule.code));
            continue;
        };
        if doc.expect.is_empty() {
            failures.push(format!(
                "{}: no <!-- expect: … --> after the bad example",
                rule.code
            ));
            continue;
        }
        let found = lint(rule, bad, &doc.bad.context, &settings);
        let found_lines: BTreeSet<u32> = found.iter().map(|f| f.0).collect();
        let want_lines: BTreeSet<u32> = doc.expect.iter().map(|e| e.0).collect();
        if found_lines != want_lines {
            failures.push(format!(
                "{}: bad example fires at lines {:?}, doc expects {:?}",
                rule.code, found_lines, want_lines
            ));
        }
        for (line, col) in &doc.expect {
            if let Some(col) = col
                && !found.contains(&(*line, *col))
            {
                failures.push(format!(
                    "{}: expected a finding at {line}:{col}, got {:?}",
                    rule.code, found
                ));
            }
        }
        let found = lint(rule, good, &doc.good.context, &settings);
        if !found.is_empty() {
            failures.push(format!("{}: good example fires at {:?}", rule.code, found));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn docs_and_registry_match() {
    let docs = docs();
    let codes: BTreeSet<&str> = REGISTRY.iter().map(|r| r.code).collect();
    for rule in REGISTRY {
        assert!(
            docs.contains_key(rule.code),
            "{} has no rules/{}.md",
            rule.code,
            rule.code
        );
        assert_eq!(
            docs[rule.code].trim(),
            rule.doc.trim(),
            "{}: RULE.doc is not rules/{}.md",
            rule.code,
            rule.code
        );
        let doc = parse_doc(rule.doc);
        assert_eq!(
            doc.title,
            format!("{} {}", rule.code, rule.name),
            "{}: doc title must be `# CODE name`",
            rule.code
        );
        let mut sections = vec!["What it does", "Why is this bad?", "Example", "Use instead"];
        if rule.fix_applicability().is_some() {
            sections.push("Fix");
        }
        assert_eq!(doc.sections, sections, "{}: doc sections", rule.code);
    }
    for code in docs.keys() {
        assert!(codes.contains(code.as_str()), "rules/{code}.md has no rule");
    }
}

#[test]
fn registry_is_sorted_unique_and_well_formed() {
    let categories = [
        "layer-bloat",
        "cache-order",
        "missing-exec",
        "root-user",
        "latest-tag",
        "security",
        "correctness",
        "pinning",
        "portability",
        "maintainability",
        "style",
        "parse",
    ];
    let mut names = BTreeSet::new();
    for pair in REGISTRY.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "registry not sorted/unique at {}",
            pair[1].code
        );
    }
    for rule in REGISTRY {
        let c: Category = rule.category;
        assert!(categories.contains(&c.as_str()));
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} name is not kebab-case",
            rule.code
        );
        assert!(
            (rule.code.starts_with("DL")
                || rule.code.starts_with("IL")
                || rule.code.starts_with("SC"))
                && rule.code.len() == 6
                && rule.code[2..].chars().all(|c| c.is_ascii_digit()),
            "{} is not a DL/IL/SC code",
            rule.code
        );
        assert!(
            !rule.summary.ends_with('.'),
            "{} summary ends with a period",
            rule.code
        );
        for alias in rule.aliases {
            assert!(
                REGISTRY
                    .iter()
                    .all(|r| r.code != *alias && r.name != *alias),
                "alias {alias} collides with a code or name"
            );
        }
    }
}

/// Every fixable rule's `## Fix` block is what fixing its bad example with that rule alone
/// produces, and no finding of the rule with a fix is left.
#[test]
fn fix_sections_show_what_the_fix_writes() {
    let mut failures = Vec::new();
    for rule in REGISTRY.iter().filter(|r| r.fix_applicability().is_some()) {
        let doc = parse_doc(rule.doc);
        let (Some(bad), Some(want)) = (&doc.bad.dockerfile, &doc.fixed) else {
            failures.push(format!(
                "{}: no ```dockerfile block under ## Fix",
                rule.code
            ));
            continue;
        };
        // A fix that edits build-context files gets the bad example's context (written to a
        // temporary directory, as the fixer would find them).
        let dir = tempfile::tempdir().expect("tempdir");
        for (path, body) in &doc.bad.context {
            std::fs::write(dir.path().join(path), body).expect("write context file");
        }
        let input = Input {
            display_name: "Dockerfile".into(),
            path: "Dockerfile".into(),
            bytes: bad.as_bytes().to_vec(),
            build_context: (!doc.fixed_context.is_empty()).then(|| dir.path().to_path_buf()),
        };
        let mut policy = Policy::new();
        policy.select = Some(vec![rule.code.to_string()]);
        policy.settings = settings(doc.config.as_deref());
        let mode = FixMode { unsafe_fixes: true };
        let fixed = fix_file(&input, &policy, REGISTRY, mode);
        if &fixed.fixed != want {
            failures.push(format!(
                "{}: fixing the bad example gives\n{}\nthe doc shows\n{}",
                rule.code, fixed.fixed, want
            ));
        }
        for (path, want) in &doc.fixed_context {
            let got = fixed
                .others
                .iter()
                .find(|o| o.path == Path::new(path))
                .map(|o| o.fixed.as_str());
            if got != Some(want.as_str()) {
                failures.push(format!(
                    "{}: fixing the bad example leaves {path} as\n{got:?}\nthe doc shows\n{want}",
                    rule.code
                ));
            }
        }
        if fixed
            .applied
            .iter()
            .any(|a| Some(a.applicability) != rule.fix_applicability())
        {
            failures.push(format!(
                "{}: a fix of another tier than the registry's",
                rule.code
            ));
        }
        if fixed
            .linted
            .findings
            .iter()
            .any(|f| f.code == rule.code && f.fix.is_some())
        {
            failures.push(format!(
                "{}: a fixable finding is left after fixing",
                rule.code
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
