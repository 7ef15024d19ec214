//! The real `imglint` binary, run as users and CI run it: formats, exit codes, configuration
//! discovery, pragmas, stdin, directory walking, --dump, --explain.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A throw-away repository (it has a `.git` directory, so configuration search stops there) and
/// an empty user config home.
pub(crate) struct Sandbox {
    repo: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Sandbox {
    pub(crate) fn new() -> Sandbox {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        Sandbox {
            repo,
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.repo.path().join(rel)
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub(crate) fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_imglint"));
        c.args(args)
            .current_dir(self.repo.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("HOME", self.home.path())
            .env_remove("NO_COLOR");
        c
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    pub(crate) fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Vec<Value> {
    serde_json::from_slice::<Vec<Value>>(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn codes(o: &Output) -> Vec<String> {
    json(o)
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Findings: DL3006 (untagged base) on line 1, DL3025 (shell-form CMD) on line 3; a USER so the
/// root-user rule stays quiet.
const BAD: &str = "FROM ubuntu\nUSER 10001\nCMD node server.js\n";
const CLEAN: &str = "FROM alpine:3.20\nUSER 10001\nENTRYPOINT [\"/bin/true\"]\n";

#[test]
fn json_has_exactly_the_documented_fields_with_real_spans() {
    let s = Sandbox::new();
    s.write("Dockerfile", BAD);
    let o = s.run(&["-f", "json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let findings = json(&o);
    let untagged = findings
        .iter()
        .find(|f| f["code"] == "DL3006")
        .expect("DL3006 reported");
    let mut keys: Vec<&str> = untagged
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "category",
            "code",
            "column",
            "end_column",
            "end_line",
            "file",
            "line",
            "message",
            "name",
            "severity"
        ]
    );
    assert_eq!(untagged["file"], "Dockerfile");
    assert_eq!(untagged["category"], "latest-tag");
    assert_eq!(untagged["severity"], "warning");
    // `ubuntu` is columns 6..12 (end exclusive) of line 1.
    assert_eq!(
        (
            &untagged["line"],
            &untagged["column"],
            &untagged["end_line"],
            &untagged["end_column"]
        ),
        (&1.into(), &6.into(), &1.into(), &12.into())
    );
    assert!(codes(&o).contains(&"DL3025".to_string()));
}

#[test]
fn tty_gnu_github_checkstyle_gitlab() {
    let s = Sandbox::new();
    s.write("Dockerfile", BAD);

    let o = s.run(&["Dockerfile"]);
    let tty = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(tty.contains("Dockerfile:1:6: warning DL3006 "), "{tty}");
    assert!(tty.contains("1 | FROM ubuntu\n  |      ^^^^^^\n"), "{tty}");
    assert!(
        !tty.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    // The summary, then how many findings --fix would repair (CMD's shell form).
    let last: Vec<&str> = tty.lines().rev().take(2).collect();
    assert!(last[1].contains("in 1 file of 1"), "{tty}");
    assert_eq!(last[0], "[*] 1 fixable with `imglint --fix`", "{tty}");

    let gnu = stdout(&s.run(&["-f", "gnu", "Dockerfile"]));
    assert!(
        gnu.lines()
            .any(|l| l.starts_with("Dockerfile:1:6: warning: ") && l.ends_with(" [DL3006]")),
        "{gnu}"
    );

    let github = stdout(&s.run(&["-f", "github", "Dockerfile"]));
    let line = github
        .lines()
        .find(|l| l.contains("DL3006"))
        .expect("DL3006 annotation");
    assert!(
        line.starts_with(
            "::warning file=Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=DL3006::"
        ),
        "{line}"
    );
    // The message part must not carry raw `::`-breaking characters unescaped.
    assert!(!line.split("::").nth(2).unwrap().contains('\n'));

    let checkstyle = stdout(&s.run(&["-f", "checkstyle", "Dockerfile"]));
    assert!(checkstyle.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle"));
    assert!(checkstyle.contains("<file name=\"Dockerfile\">"));
    assert!(
        checkstyle.contains(r#"<error line="1" column="6" severity="warning""#),
        "{checkstyle}"
    );
    assert!(checkstyle.contains(r#"source="imglint.DL3006""#));

    let o = s.run(&["-f", "gitlab", "Dockerfile"]);
    let issues = json(&o);
    let issue = issues.iter().find(|i| i["check_name"] == "DL3006").unwrap();
    assert_eq!(issue["severity"], "major");
    assert_eq!(issue["location"]["path"], "Dockerfile");
    assert_eq!(issue["location"]["lines"]["begin"], 1);
    assert!(issue["description"].as_str().unwrap().contains("ubuntu"));
    let fingerprints: std::collections::HashSet<_> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // Stable: an unrelated edit above does not change a finding's fingerprint.
    s.write("Dockerfile", &format!("# a comment\n{BAD}"));
    let moved = json(&s.run(&["-f", "gitlab", "Dockerfile"]));
    let moved_issue = moved.iter().find(|i| i["check_name"] == "DL3006").unwrap();
    assert_eq!(moved_issue["fingerprint"], issue["fingerprint"]);
    assert_eq!(moved_issue["location"]["lines"]["begin"], 2);
}

#[test]
fn exit_codes_and_threshold() {
    let s = Sandbox::new();
    s.write("bad/Dockerfile", BAD)
        .write("clean/Dockerfile", CLEAN);
    assert_eq!(s.run(&["clean/Dockerfile"]).status.code(), Some(0));
    assert_eq!(s.run(&["bad/Dockerfile"]).status.code(), Some(1));
    // Only warnings: an error threshold passes, a warning threshold fails.
    assert_eq!(
        s.run(&["-t", "error", "bad/Dockerfile"]).status.code(),
        Some(0)
    );
    assert_eq!(
        s.run(&["--failure-threshold", "warning", "bad/Dockerfile"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        s.run(&["--no-fail", "bad/Dockerfile"]).status.code(),
        Some(0)
    );

    let o = s.run(&["missing/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "imglint: missing/Dockerfile: no such file or directory\n"
    );
    let o = s.run(&["--ignore", "DL9999", "bad/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule `DL9999`"),
        "{}",
        stderr(&o)
    );
    let o = s.run(&["--format", "yaml", "bad/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2), "usage error");
    let o = s.run(&["-t", "loud", "bad/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    for bad in [
        &["--require-label", "maintainer", "clean/Dockerfile"][..],
        &["--require-label", "maintainer:colour", "clean/Dockerfile"],
        &["--build-arg", "=x", "clean/Dockerfile"],
        &["-", "-"],
        &["--context", "clean/Dockerfile", "clean/Dockerfile"],
    ] {
        let o = s.run(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{bad:?}: {}", stderr(&o));
    }
    // ShellCheck codes from hadolint configs are accepted on the command line.
    assert_eq!(
        s.run(&["--ignore", "SC2086", "clean/Dockerfile"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn ignore_select_and_severity_overrides() {
    let s = Sandbox::new();
    s.write("Dockerfile", BAD);
    let all = codes(&s.run(&["-f", "json", "Dockerfile"]));
    assert!(all.contains(&"DL3006".into()) && all.contains(&"DL3025".into()));
    let o = s.run(&[
        "-f",
        "json",
        "--ignore",
        "DL3006",
        "--ignore",
        "JSONArgsRecommended",
        "Dockerfile",
    ]);
    let rest = codes(&o);
    assert!(
        !rest.contains(&"DL3006".into()) && !rest.contains(&"DL3025".into()),
        "{rest:?}"
    );
    let o = s.run(&[
        "-f",
        "json",
        "--select",
        "untagged-base-image",
        "Dockerfile",
    ]);
    assert_eq!(codes(&o), vec!["DL3006"]);
    let o = s.run(&[
        "-f",
        "json",
        "--select",
        "DL3006",
        "--error",
        "DL3006",
        "-t",
        "error",
        "Dockerfile",
    ]);
    assert_eq!(json(&o)[0]["severity"], "error");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn config_discovery_precedence_and_errors() {
    let s = Sandbox::new();
    s.write("svc/api/Dockerfile", BAD);
    let lint = |args: &[&str]| {
        let mut all = vec!["-f", "json"];
        all.extend_from_slice(args);
        all.push("svc/api/Dockerfile");
        codes(&s.run(&all))
    };
    assert!(lint(&[]).contains(&"DL3006".into()));

    // User config applies when the project has none.
    let user = s.home.path().join("config/imglint/config.yaml");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, "ignored: [DL3025]\n").unwrap();
    assert!(!lint(&[]).contains(&"DL3025".into()));

    // hadolint's file at the repository root, read with hadolint's keys, replaces the user file.
    s.write(
        ".hadolint.yaml",
        "ignored:\n  - DL3006\noverride:\n  error: [DL3025]\n",
    );
    let found = json(&s.run(&["-f", "json", "svc/api/Dockerfile"]));
    assert!(!found.iter().any(|f| f["code"] == "DL3006"));
    let dl3025 = found.iter().find(|f| f["code"] == "DL3025").unwrap();
    assert_eq!(dl3025["severity"], "error");

    // .imglint.yaml in the same directory wins over .hadolint.yaml.
    s.write(".imglint.yaml", "ignored: [DL3025]\n");
    let c = lint(&[]);
    assert!(
        c.contains(&"DL3006".into()) && !c.contains(&"DL3025".into()),
        "{c:?}"
    );

    // The nearest file wins.
    s.write("svc/.hadolint.yml", "failure-threshold: error\n");
    assert_eq!(s.run(&["svc/api/Dockerfile"]).status.code(), Some(0));
    // The command line wins over the file.
    assert_eq!(
        s.run(&["-t", "warning", "svc/api/Dockerfile"])
            .status
            .code(),
        Some(1)
    );
    // --config replaces discovery.
    s.write("ci.yaml", "ignored: [DL3006, DL3025]\n");
    assert!(lint(&["--config", "ci.yaml"]).is_empty());

    // A malformed file is exit 2 with one line naming the file and its line.
    s.write(
        "svc/.hadolint.yml",
        "ignored: [DL3006\nfailure-threshold: error\n",
    );
    let o = s.run(&["svc/api/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("imglint: svc/.hadolint.yml:2:"),
        "names file and line: {err}"
    );
    assert!(err.contains("invalid config"), "{err}");
    s.write("svc/.hadolint.yml", "ignord: [DL3006]\n");
    let o = s.run(&["svc/api/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ignord"), "{}", stderr(&o));
    let o = s.run(&["--config", "nope.yaml", "svc/api/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope.yaml: cannot read config"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pragmas_suppress_findings() {
    let s = Sandbox::new();
    s.write(
        "Dockerfile",
        "# hadolint ignore=DL3006\nFROM ubuntu\nUSER 10001\n# imglint ignore=json-args-recommended # on purpose\nCMD node server.js\n",
    );
    let o = s.run(&["-f", "json", "Dockerfile"]);
    assert_eq!(codes(&o), Vec::<String>::new());
    assert_eq!(o.status.code(), Some(0));
    let o = s.run(&["-f", "json", "--disable-ignore-pragma", "Dockerfile"]);
    let c = codes(&o);
    assert!(
        c.contains(&"DL3006".into()) && c.contains(&"DL3025".into()),
        "{c:?}"
    );

    s.write(
        "Dockerfile",
        &format!("{BAD}# imglint global ignore=DL3006,DL3025\n"),
    );
    assert!(codes(&s.run(&["-f", "json", "Dockerfile"])).is_empty());

    s.write(
        "Dockerfile",
        &format!("# check=skip=JSONArgsRecommended\n{BAD}"),
    );
    assert_eq!(codes(&s.run(&["-f", "json", "Dockerfile"])), vec!["DL3006"]);
    s.write("Dockerfile", &format!("# check=skip=all\n{BAD}"));
    assert!(codes(&s.run(&["-f", "json", "Dockerfile"])).is_empty());
    s.write(".hadolint.yaml", "disable-ignore-pragma: true\n");
    assert_eq!(codes(&s.run(&["-f", "json", "Dockerfile"])).len(), 2);
}

#[test]
fn parse_errors_are_findings_and_the_rest_is_linted() {
    let s = Sandbox::new();
    s.write(
        "Dockerfile",
        "FROM ubuntu\nFROBNICATE now\nUSER 10001\nCMD node server.js\n",
    );
    let o = s.run(&["-f", "json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    let findings = json(&o);
    let parse = findings
        .iter()
        .find(|f| f["code"] == "DL1000")
        .expect("DL1000");
    assert_eq!(parse["line"], 2);
    assert_eq!(parse["category"], "parse");
    let c = codes(&o);
    assert!(
        c.contains(&"DL3006".into()) && c.contains(&"DL3025".into()),
        "{c:?}"
    );
}

#[test]
fn stdin_with_and_without_a_filename() {
    let s = Sandbox::new();
    s.write("docker/.hadolint.yaml", "ignored: [DL3025]\n");
    let o = s.run_stdin(&["-f", "json", "-"], BAD);
    assert_eq!(o.status.code(), Some(1));
    let f = json(&o);
    assert!(f.iter().all(|f| f["file"] == "-"));
    assert!(f.iter().any(|f| f["code"] == "DL3025"));
    // --stdin-filename names the file and places it for configuration discovery.
    let o = s.run_stdin(
        &["-f", "json", "--stdin-filename", "docker/Dockerfile", "-"],
        BAD,
    );
    let f = json(&o);
    assert!(!f.is_empty() && f.iter().all(|f| f["file"] == "docker/Dockerfile"));
    assert!(!f.iter().any(|f| f["code"] == "DL3025"));
    let o = s.run(&["--stdin-filename", "x", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn directories_are_walked_honouring_gitignore_in_sorted_order() {
    let s = Sandbox::new();
    s.write("b/Dockerfile", BAD)
        .write("a/api.Dockerfile", BAD)
        .write("a/Containerfile.arm64", BAD)
        .write("build/Dockerfile", BAD)
        .write("a/Dockerfile.dockerignore", "*\n")
        .write("README.md", "FROM x\n")
        .write(".gitignore", "build/\n");
    let o = s.run(&["-f", "json"]);
    let mut files: Vec<String> = json(&o)
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        ["a/Containerfile.arm64", "a/api.Dockerfile", "b/Dockerfile"]
    );
    let o = s.run(&["-f", "json", "b"]);
    assert!(json(&o).iter().all(|f| f["file"] == "b/Dockerfile"));
    // Linting nothing is an error: a wrong path must not pass CI.
    let empty = Sandbox::new();
    let o = empty.run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no Dockerfiles found"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_file_and_never_overwriting_inputs() {
    let s = Sandbox::new();
    s.write("Dockerfile", BAD);
    let o = s.run(&["-f", "json", "-o", "report.json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let report: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(s.path("report.json")).unwrap()).unwrap();
    assert!(!report.is_empty());
    let o = s.run(&["-o", "Dockerfile", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(s.path("Dockerfile")).unwrap(), BAD);
}

#[test]
fn dump_json_and_buildkit() {
    let s = Sandbox::new();
    s.write(
        "Dockerfile",
        "FROM ubuntu:14.04 AS base\nCOPY --from=builder a /b\nENV name=value\n",
    )
    .write("broken/Dockerfile", "FROM a\nFROBNICATE\n");
    let o = s.run(&["--dump", "buildkit", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "(from \"ubuntu:14.04\" \"AS\" \"base\")\n(copy [\"--from=builder\"] \"a\" \"/b\")\n(env \"name\" \"value\" \"=\")\n"
    );
    let o = s.run(&["--dump", "json", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v.is_object(), "{v}");
    let o = s.run(&["--dump", "json", "broken/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("broken/Dockerfile:2:"),
        "{}",
        stderr(&o)
    );
    let o = s.run(&["--dump", "json", "broken"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "imglint: broken: is a directory\n");
    assert_eq!(s.run(&["--dump", "json", "nope"]).status.code(), Some(2));
}

#[test]
fn explain_and_list_rules() {
    let s = Sandbox::new();
    let o = s.run(&["--explain", "DL3006"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("DL3006"));
    let by_name = s.run(&["--explain", "untagged-base-image"]);
    assert_eq!(by_name.stdout, o.stdout);
    assert_eq!(s.run(&["--explain", "nope"]).status.code(), Some(2));
    let o = s.run(&["--list-rules"]);
    let list = stdout(&o);
    assert!(
        list.lines()
            .any(|l| l.starts_with("DL3006 ") && l.contains("latest-tag"))
    );
    assert!(
        list.lines()
            .any(|l| l.starts_with("DL1000 ") && l.contains("parse"))
    );
}

#[test]
fn build_context_lets_rules_read_scripts() {
    // The rules decide what a script means; the engine's job is to hand them the context
    // directory. Running with and without --context must see different files.
    let s = Sandbox::new();
    s.write(
        "Dockerfile",
        "FROM alpine:3.20\nUSER 10001\nCOPY entrypoint.sh /e.sh\nENTRYPOINT [\"/e.sh\"]\n",
    );
    s.write("ctx/entrypoint.sh", "#!/bin/sh\nset -e\nnode server.js\n");
    let without = codes(&s.run(&["-f", "json", "Dockerfile"]));
    let with = codes(&s.run(&["-f", "json", "--context", "ctx", "Dockerfile"]));
    assert_ne!(
        without, with,
        "the wrapper script without exec is found only in ctx/"
    );
    assert_eq!(
        s.run(&["--context", "nope", "Dockerfile"]).status.code(),
        Some(2)
    );
}

#[test]
fn colour_only_in_a_terminal_and_never_with_no_color() {
    // Checked as a person sees it: the binary runs in a tmux pane; `capture-pane -e` keeps the
    // escape sequences.
    let s = Sandbox::new();
    s.write("Dockerfile", BAD);
    let capture = |name: &str, env: &str, args: &str| -> String {
        // One server per capture: reusing a socket races with the previous server's exit.
        let socket = s.home.path().join(format!("tmux-{name}"));
        let script = format!(
            "cd {} && {env} {} {args} Dockerfile; echo EXIT=$?; sleep 30",
            s.repo.path().display(),
            env!("CARGO_BIN_EXE_imglint")
        );
        let tmux = |a: &[&str]| {
            Command::new("tmux")
                .arg("-S")
                .arg(&socket)
                .args(a)
                .output()
                .expect("tmux is needed for this test (apt-get install tmux)")
        };
        let started = tmux(&["new-session", "-d", "-x", "200", "-y", "50", &script]);
        assert!(
            started.status.success(),
            "tmux: {} {:?} {script}",
            stderr(&started),
            socket
        );
        let mut screen = String::new();
        for _ in 0..100 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            screen = stdout(&tmux(&["capture-pane", "-p", "-e"]));
            if screen.contains("EXIT=") {
                break;
            }
        }
        tmux(&["kill-server"]);
        screen
    };
    let coloured = capture("colour", "", "");
    assert!(coloured.contains("EXIT=1"), "{coloured}");
    assert!(
        coloured.contains("\x1b["),
        "colour in a terminal: {coloured:?}"
    );
    let plain = capture("env", "NO_COLOR=1", "");
    assert!(
        plain.contains("EXIT=1") && !plain.contains("\x1b["),
        "{plain:?}"
    );
    let plain = capture("flag", "", "--no-color");
    assert!(
        plain.contains("EXIT=1") && !plain.contains("\x1b["),
        "{plain:?}"
    );
}
