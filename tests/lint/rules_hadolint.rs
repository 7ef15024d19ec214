//! imglint's DL rules against the real hadolint binary (2.15.1, installed by `.ci/run`): on
//! each case both must report the same (line, code) pairs for the codes the case is about.
//! Cases follow the behaviour hadolint's own rule specs describe (`onBuildRuleCatches`:
//! `ONBUILD RUN` triggers are linted like RUN; opt-in rules turned on by a severity override;
//! command aliases). Most are data, one line each, in testdata/hadolint-cases.txt.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::Command;

use imgtools::lint::engine::{self, Input, Policy};
use imgtools::lint::rule::Severity;
use imgtools::lint::rules::REGISTRY;

/// Opt-in rules both tools are asked to run (`--warning CODE`, hadolint's way to enable them).
const ENABLE: &[&str] = &["DL1001", "DL3057"];

fn hadolint(dockerfile: &str) -> BTreeSet<(u32, String)> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(dockerfile.as_bytes()).expect("write");
    let mut cmd = Command::new("hadolint");
    cmd.args(["--no-fail", "-f", "json"]);
    for code in ENABLE {
        cmd.args(["--warning", code]);
    }
    let out = cmd
        .arg(file.path())
        .output()
        .expect("hadolint is installed");
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("hadolint json output");
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().expect("line") as u32,
                f["code"].as_str().expect("code").to_string(),
            )
        })
        .collect()
}

fn imglint(dockerfile: &str) -> BTreeSet<(u32, String)> {
    imglint_with(dockerfile, &[])
}

/// imglint with the settings a case's option words give (see [`Case`]).
fn imglint_with(dockerfile: &str, options: &[String]) -> BTreeSet<(u32, String)> {
    let input = Input {
        display_name: "Dockerfile".into(),
        path: "Dockerfile".into(),
        bytes: dockerfile.as_bytes().to_vec(),
        build_context: None,
    };
    let mut policy = Policy::new();
    policy.overrides = ENABLE
        .iter()
        .map(|c| (c.to_string(), Severity::Warning))
        .collect();
    for option in options {
        if let Some(list) = option.strip_prefix("trusted=") {
            policy.settings.trusted_registries = list.split(',').map(str::to_string).collect();
        } else if let Some(list) = option.strip_prefix("labels=") {
            for label in list.split(',') {
                let (name, kind) = label.split_once(':').expect("labels=NAME:TYPE");
                policy
                    .settings
                    .label_schema
                    .insert(name.to_string(), kind.to_string());
            }
        } else if option == "strict" {
            policy.settings.strict_labels = true;
        }
    }
    engine::lint(&input, &policy, REGISTRY)
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.code.to_string()))
        .collect()
}

/// Both tools' findings of `codes` on `dockerfile`, and the expected ones, must agree.
fn agree(dockerfile: &str, codes: &[&str], expected: &[(u32, &str)]) {
    let keep = |set: BTreeSet<(u32, String)>| -> BTreeSet<(u32, String)> {
        set.into_iter()
            .filter(|(_, c)| codes.contains(&c.as_str()))
            .collect()
    };
    let expected: BTreeSet<(u32, String)> =
        expected.iter().map(|(l, c)| (*l, c.to_string())).collect();
    let theirs = keep(hadolint(dockerfile));
    let ours = keep(imglint(dockerfile));
    assert_eq!(theirs, expected, "hadolint on:\n{dockerfile}");
    assert_eq!(ours, expected, "imglint on:\n{dockerfile}");
}

#[test]
fn onbuild_run_triggers_are_linted_like_run() {
    agree(
        "FROM debian:12\nONBUILD RUN apt-get install -y curl\nONBUILD RUN sudo ls\nONBUILD RUN pip install flask\nONBUILD RUN apk add git\n",
        &["DL3008", "DL3015", "DL3004", "DL3013", "DL3042", "DL3018"],
        &[
            (2, "DL3008"),
            (2, "DL3015"),
            (3, "DL3004"),
            (4, "DL3013"),
            (4, "DL3042"),
            (5, "DL3018"),
        ],
    );
}

#[test]
fn healthcheck_missing_is_opt_in_and_follows_stages() {
    let df = "FROM debian:12 AS base\nFROM base\nHEALTHCHECK CMD [\"true\"]\nFROM debian:12\n";
    agree(df, &["DL3057"], &[(4, "DL3057")]);
    assert!(
        engine::lint_str("Dockerfile", df)
            .findings
            .iter()
            .all(|f| f.code != "DL3057"),
        "DL3057 runs only when turned on"
    );
}

#[test]
fn inline_ignore_pragma_is_opt_in_and_ignores_global_pragmas() {
    let df = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\n# hadolint global ignore=DL3059\n";
    agree(df, &["DL1001"], &[(2, "DL1001")]);
}

#[test]
fn package_manager_spellings() {
    let df = "FROM fedora:40\nRUN dnf in foo-1.0 && dnf clean all\nRUN microdnf install bar && microdnf clean all\nRUN npm install ./local.tgz\nRUN npm install express\nRUN yum in -y baz && yum clean all\nRUN gem i rails\n";
    agree(
        df,
        &["DL3038", "DL3041", "DL3016", "DL3030", "DL3033", "DL3028"],
        &[(3, "DL3038"), (3, "DL3041"), (5, "DL3016"), (7, "DL3028")],
    );
}

#[test]
fn secret_names_follow_hadolints_list_onbuild_included() {
    let df = "FROM debian:12\nONBUILD ENV DB_PASSWORD=x\nARG DB_USERNAME\nARG SIGNING_KEY\nARG AWS_ACCESS_KEY_ID\nENV PUBLIC_URL=/\n";
    agree(
        df,
        &["DL3064"],
        &[(2, "DL3064"), (3, "DL3064"), (5, "DL3064")],
    );
}

/// One line of testdata/hadolint-cases.txt:
/// `CODE LINES [onbuild] [ours=LINES REASON…] | DOCKERFILE` where LINES is `-` (no finding)
/// or comma-separated line numbers, `onbuild` also runs the case with every `RUN` turned into
/// `ONBUILD RUN`, `trusted=REG,REG` (DL3026), `labels=NAME:TYPE,…` and `strict` (DL3049…DL3058)
/// set hadolint's `trustedRegistries`, `label-schema` and `strict-labels`, `ours=` is imglint's deliberate different verdict (README lists it) and
/// DOCKERFILE has `\n` for newlines.
struct Case {
    source_line: usize,
    code: String,
    dockerfile: String,
    /// The setting words (`trusted=…`, `labels=…`, `strict`), in the order given.
    options: Vec<String>,
    hadolint: BTreeSet<u32>,
    imglint: BTreeSet<u32>,
}

const CASES: &str = include_str!("../../testdata/hadolint-cases.txt");

fn line_set(field: &str, source_line: usize) -> BTreeSet<u32> {
    if field == "-" {
        return BTreeSet::new();
    }
    field
        .split(',')
        .map(|n| {
            n.parse().unwrap_or_else(|_| {
                panic!("hadolint-cases.txt:{source_line}: bad line list {field:?}")
            })
        })
        .collect()
}

fn parse_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (index, line) in CASES.lines().enumerate() {
        let source_line = index + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, body) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("hadolint-cases.txt:{source_line}: no ` | `"));
        let mut words = head.split_whitespace();
        let code = words.next().expect("code").to_string();
        let hadolint = line_set(words.next().expect("lines"), source_line);
        let mut imglint = hadolint.clone();
        let mut onbuild = false;
        let mut options = Vec::new();
        for word in words {
            if word == "onbuild" {
                onbuild = true;
            } else if word.starts_with("trusted=")
                || word.starts_with("labels=")
                || word == "strict"
            {
                options.push(word.to_string());
            } else if let Some(ours) = word.strip_prefix("ours=") {
                imglint = line_set(ours, source_line);
                break; // the rest is the reason
            } else {
                panic!("hadolint-cases.txt:{source_line}: unknown word {word:?}");
            }
        }
        let dockerfile = format!("{}\n", unescape(body));
        if onbuild {
            let wrapped: String = dockerfile
                .lines()
                .map(|l| match l.strip_prefix("RUN ") {
                    Some(rest) => format!("ONBUILD RUN {rest}\n"),
                    None => format!("{l}\n"),
                })
                .collect();
            cases.push(Case {
                source_line,
                code: code.clone(),
                dockerfile: wrapped,
                options: options.clone(),
                hadolint: hadolint.clone(),
                imglint: imglint.clone(),
            });
        }
        cases.push(Case {
            source_line,
            code,
            dockerfile,
            options,
            hadolint,
            imglint,
        });
    }
    cases
}

/// `\n` is a newline and `\\` a backslash (so `\\\n` is a line continuation); any other
/// backslash stays.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some('\\')) => {
                chars.next();
                out.push('\\');
            }
            _ => out.push(c),
        }
    }
    out
}

/// hadolint on every case, one process per distinct setting (its start-up dominates), keyed by
/// case index.
fn hadolint_batch(cases: &[Case]) -> BTreeMap<usize, Vec<(u32, String)>> {
    let mut settings: Vec<&Vec<String>> = cases.iter().map(|c| &c.options).collect();
    settings.sort();
    settings.dedup();
    let mut by_case = BTreeMap::new();
    for options in settings {
        by_case.extend(hadolint_run(cases, options));
    }
    by_case
}

fn hadolint_run(cases: &[Case], options: &[String]) -> BTreeMap<usize, Vec<(u32, String)>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<_> = cases
        .iter()
        .enumerate()
        .filter(|(_, case)| case.options == options)
        .map(|(i, case)| {
            let path = dir.path().join(format!("{i}.Dockerfile"));
            std::fs::write(&path, &case.dockerfile).expect("write case");
            path
        })
        .collect();
    let mut cmd = Command::new("hadolint");
    cmd.args(["--no-fail", "-f", "json"]);
    for code in ENABLE {
        cmd.args(["--warning", code]);
    }
    for option in options {
        if let Some(list) = option.strip_prefix("trusted=") {
            for registry in list.split(',') {
                cmd.args(["--trusted-registry", registry]);
            }
        } else if let Some(list) = option.strip_prefix("labels=") {
            for label in list.split(',') {
                cmd.args(["--require-label", label]);
            }
        } else if option == "strict" {
            cmd.arg("--strict-labels");
        }
    }
    let out = cmd.args(&paths).output().expect("hadolint is installed");
    let findings: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("hadolint json output");
    let mut by_case: BTreeMap<usize, Vec<(u32, String)>> = BTreeMap::new();
    for f in findings.as_array().expect("array") {
        let file = f["file"].as_str().expect("file");
        let index: usize = std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok())
            .expect("case file name");
        by_case.entry(index).or_default().push((
            f["line"].as_u64().expect("line") as u32,
            f["code"].as_str().expect("code").to_string(),
        ));
    }
    by_case
}

/// The first line of the instruction holding `line`: hadolint reports an instruction's first
/// line, imglint the line of the offending word inside a continued RUN.
fn instruction_start(dockerfile: &str, line: u32) -> u32 {
    let lines: Vec<&str> = dockerfile.lines().collect();
    let mut start = line;
    while start > 1
        && lines
            .get(start as usize - 2)
            .is_some_and(|previous| previous.trim_end().ends_with('\\'))
    {
        start -= 1;
    }
    start
}

fn lines_of(findings: impl IntoIterator<Item = (u32, String)>, code: &str) -> BTreeSet<u32> {
    findings
        .into_iter()
        .filter(|(_, c)| c == code)
        .map(|(line, _)| line)
        .collect()
}

#[test]
fn hadolint_spec_cases_agree() {
    let cases = parse_cases();
    let theirs = hadolint_batch(&cases);
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let hadolint = lines_of(theirs.get(&i).cloned().unwrap_or_default(), &case.code);
        let imglint: BTreeSet<u32> =
            lines_of(imglint_with(&case.dockerfile, &case.options), &case.code)
                .into_iter()
                .map(|line| instruction_start(&case.dockerfile, line))
                .collect();
        if hadolint != case.hadolint || imglint != case.imglint {
            failures.push(format!(
                "hadolint-cases.txt:{} {}: expected hadolint {:?} imglint {:?}, got hadolint {:?} imglint {:?} on {:?}",
                case.source_line, case.code, case.hadolint, case.imglint, hadolint, imglint, case.dockerfile
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_dl_rule_has_cases_and_every_difference_is_documented() {
    let cases = parse_cases();
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.code.as_str()).collect();
    let missing: Vec<&str> = REGISTRY
        .iter()
        .map(|r| r.code)
        .filter(|code| code.starts_with("DL") && !covered.contains(code))
        .collect();
    assert!(
        missing.is_empty(),
        "DL rules without a hadolint case: {missing:?}"
    );
    let readme = include_str!("../../README.md");
    let table = readme
        .split("### Intentional differences from hadolint's rules")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("README's hadolint difference table");
    for case in cases.iter().filter(|c| c.hadolint != c.imglint) {
        assert!(
            table.contains(&case.code),
            "hadolint-cases.txt:{}: {} differs from hadolint but README's table does not list it",
            case.source_line,
            case.code
        );
    }
}
