//! Tricky cases for the rules and the shell parser under them: heredoc RUNs, `sh -c`, exec
//! form, cache mounts, multi-stage root user, wrapper scripts with and without `exec`.

use std::path::Path;

use imgtools::lint::rule::{Context, RuleSettings, Sink};
use imgtools::lint::rules::REGISTRY;

/// Lints `dockerfile` with one rule (by code) and a build context made of `files`; returns
/// the (line, column) of each finding.
fn lint_with(code: &str, dockerfile: &str, files: &[(&str, &str)]) -> Vec<(u32, u32)> {
    let rule = REGISTRY
        .iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no rule {code}"));
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, body) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(&full, body).expect("write");
    }
    let df = imgtools::dockerfile::parse(dockerfile);
    let settings = RuleSettings::default();
    let ctx = Context::new(
        Path::new("Dockerfile"),
        dockerfile,
        &df,
        Some(dir.path()),
        &settings,
    );
    let mut sink = Sink::default();
    (rule.check)(&ctx, &mut sink);
    sink.diagnostics
        .iter()
        .map(|d| (d.span.start.line, d.span.start.column))
        .collect()
}

fn lint(code: &str, dockerfile: &str) -> Vec<(u32, u32)> {
    lint_with(code, dockerfile, &[])
}

fn lines(found: &[(u32, u32)]) -> Vec<u32> {
    found.iter().map(|f| f.0).collect()
}

#[test]
fn heredoc_run_bodies_are_shell_scripts() {
    let df = "FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n";
    assert_eq!(lint("DL3009", df), [(4, 1)]);
    assert_eq!(lint("DL3008", df), [(5, 20)]);
    let bash = "FROM debian:12\nRUN bash <<EOF\napt-get install -y curl\nEOF\n";
    assert_eq!(lines(&lint("DL3008", bash)), [3]);
    // A heredoc fed to python is not shell.
    let python = "FROM debian:12\nRUN python3 <<EOF\nprint('apt-get install -y curl')\nEOF\n";
    assert!(lint("DL3008", python).is_empty());
}

#[test]
fn sh_c_strings_and_exec_form_are_parsed() {
    let df = "FROM debian:12\nRUN sh -c \"apt-get update && apt-get install -y curl\"\n";
    // `RUN sh -c "` is 11 characters; `apt-get update && apt-get install -y ` is 37.
    assert_eq!(lint("DL3008", df), [(2, 11 + 37 + 1)]);
    let exec = "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"apt-get install -y curl\"]\n";
    assert_eq!(lines(&lint("DL3008", exec)), [2]);
    let continued = "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y \\\n      curl git=1:2.39\n";
    assert_eq!(lint("DL3008", continued), [(4, 7)]);
}

#[test]
fn cache_mounts_and_env_silence_cache_rules() {
    let apt = "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl=1\n";
    assert!(lint("DL3009", apt).is_empty());
    let pip_mount =
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0\n";
    assert!(lint("DL3042", pip_mount).is_empty());
    let pip_env = "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0\n";
    assert!(lint("DL3042", pip_env).is_empty());
    let pip_inline = "FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0\n";
    assert!(lint("DL3042", pip_inline).is_empty());
    let pip_bad = "FROM python:3.12\nRUN python -m pip install flask==3.0\n";
    assert_eq!(lines(&lint("DL3042", pip_bad)), [2]);
    let apk_mount =
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8\n";
    assert!(lint("DL3019", apk_mount).is_empty());
}

#[test]
fn dl3009_ignores_builder_stages() {
    let df = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc=1\nFROM debian:12\nCOPY --from=build /x /x\n";
    assert!(lint("DL3009", df).is_empty());
    let parent =
        "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc=1\nFROM base\n";
    assert_eq!(lines(&lint("DL3009", parent)), [2]);
}

#[test]
fn root_user_is_judged_on_the_final_image() {
    let builder_user = "FROM golang:1.23 AS build\nUSER nobody\nFROM debian:12\nCMD [\"app\"]\n";
    assert_eq!(lines(&lint("IL4001", builder_user)), [3]);
    let parent_user = "FROM debian:12 AS base\nUSER 1000\nFROM base\nCMD [\"app\"]\n";
    assert!(lint("IL4001", parent_user).is_empty());
    let root_again = "FROM debian:12\nUSER 1000\nRUN id\nUSER root\n";
    assert_eq!(lines(&lint("DL3002", root_again)), [4]);
    let named = "FROM debian:12 AS base\nUSER app\nFROM base\n";
    assert_eq!(lines(&lint("DL3066", named)), [2]);
    assert!(lint("DL3066", "FROM debian:12\nUSER ${UID}\n").is_empty());
}

#[test]
fn wrapper_scripts_are_followed_through_copy_and_workdir() {
    let df = "FROM debian:12\nWORKDIR /app\nCOPY . .\nENTRYPOINT [\"./bin/start.sh\"]\n";
    let no_exec = "#!/bin/sh\nset -e\nif [ -n \"$MIGRATE\" ]; then migrate; fi\nnode server.js\n";
    assert_eq!(
        lines(&lint_with("IL3001", df, &[("bin/start.sh", no_exec)])),
        [4]
    );
    let with_exec = "#!/bin/sh\nset -e\nexec node server.js\n";
    assert!(lint_with("IL3001", df, &[("bin/start.sh", with_exec)]).is_empty());
    let exec_args = "#!/usr/bin/env bash\nchown app /data\nexec \"$@\"\n";
    assert!(lint_with("IL3001", df, &[("bin/start.sh", exec_args)]).is_empty());
    // Bare name on PATH, copied to /usr/local/bin/.
    let on_path = "FROM debian:12\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"postgres\"]\n";
    assert_eq!(
        lines(&lint_with(
            "IL3001",
            on_path,
            &[("docker-entrypoint.sh", "#!/bin/bash\npostgres \"$@\"\n")]
        )),
        [3]
    );
    // Renamed by COPY, run through `sh`.
    let renamed = "FROM debian:12\nCOPY scripts/run /run.sh\nCMD [\"sh\", \"/run.sh\"]\n";
    assert_eq!(
        lines(&lint_with(
            "IL3001",
            renamed,
            &[("scripts/run", "java -jar app.jar\n")]
        )),
        [3]
    );
    // A script written by a COPY heredoc.
    let heredoc = "FROM debian:12\nCOPY <<EOF /start.sh\n#!/bin/sh\nexec nginx -g 'daemon off;'\nEOF\nENTRYPOINT [\"/start.sh\"]\n";
    assert!(lint("IL3001", heredoc).is_empty());
    // Not a shell script: a binary or a Python file is not judged.
    assert!(
        lint_with(
            "IL3001",
            df,
            &[("bin/start.sh", "#!/usr/bin/env python3\nmain()\n")]
        )
        .is_empty()
    );
    // No such file in the context: nothing to judge.
    assert!(lint("IL3001", df).is_empty());
}

#[test]
fn shell_c_entrypoints_need_exec_only_with_several_commands() {
    assert!(
        lint(
            "IL3002",
            "FROM a:1\nCMD [\"sh\", \"-c\", \"gunicorn app\"]\n"
        )
        .is_empty()
    );
    assert_eq!(
        lines(&lint(
            "IL3002",
            "FROM a:1\nENTRYPOINT sh -c \"migrate; gunicorn app\"\n"
        )),
        [2]
    );
}

#[test]
fn pipefail_from_shell_or_set() {
    let df = "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | tar -x\n";
    assert!(lint("DL4006", df).is_empty());
    let set = "FROM debian:12\nRUN set -euo pipefail; curl x | tar -x\n";
    assert!(lint("DL4006", set).is_empty());
    let sh =
        "FROM debian:12\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | tar -x\n";
    assert_eq!(lines(&lint("DL4006", sh)), [3]);
    let pwsh = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n";
    assert!(lint("DL4006", pwsh).is_empty());
    let substitution = "FROM debian:12\nRUN arch=\"$(dpkg --print-architecture | cut -d- -f2)\"\n";
    assert_eq!(lines(&lint("DL4006", substitution)), [2]);
}

#[test]
fn later_removal_versus_same_run_removal() {
    let same =
        "FROM debian:12\nRUN curl -o /tmp/x.tgz https://x && tar xf /tmp/x.tgz && rm /tmp/x.tgz\n";
    assert!(lint("IL1001", same).is_empty());
    let later = "FROM debian:12\nRUN curl -o /tmp/x.tgz https://x\nRUN rm -f /tmp/x.tgz\n";
    assert_eq!(lint("IL1001", later), [(3, 11)]);
    let cached = "FROM debian:12\nRUN --mount=type=cache,target=/root/.cache/pip pip install x==1\nRUN rm -rf /root/.cache/pip\n";
    assert!(lint("IL1001", cached).is_empty());
}

#[test]
fn base_image_tags_and_args() {
    assert!(lint("DL3006", "ARG TAG=3.20\nFROM alpine:$TAG\n").is_empty());
    assert!(lint("DL3006", "ARG IMAGE=alpine\nFROM $IMAGE\n").is_empty());
    assert!(lint("DL3006", "FROM alpine:3.20 AS base\nFROM base\n").is_empty());
    assert!(lint("DL3006", "FROM scratch\n").is_empty());
    assert!(
        lint(
            "DL3006",
            "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
        )
        .is_empty()
    );
    assert_eq!(lint("DL3006", "FROM alpine\n"), [(1, 6)]);
    assert_eq!(
        lines(&lint("DL3007", "ARG TAG=latest\nFROM alpine:${TAG}\n")),
        [2]
    );
}

#[test]
fn unparsable_shell_is_skipped_quietly() {
    let df = "FROM debian:12\nRUN if then ( apt-get install curl\nRUN echo ok\n";
    for rule in REGISTRY {
        let _ = lint(rule.code, df);
    }
    assert!(lint("DL3008", df).is_empty());
}

#[test]
fn root_user_exceptions() {
    assert!(
        lint(
            "IL4001",
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nCMD [\"/app\"]\n"
        )
        .is_empty()
    );
    assert!(
        lint(
            "IL4001",
            "FROM golang:1.23 AS b\nRUN go build\nFROM scratch\nCOPY --from=b /out /\n"
        )
        .is_empty()
    );
    assert_eq!(
        lines(&lint(
            "IL4001",
            "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"
        )),
        [1]
    );
}

#[test]
fn wrapper_scripts_behind_an_init() {
    let script = [("start.sh", "#!/bin/sh\nnode server.js\n")];
    let tini = "FROM node:22\nCOPY start.sh /start.sh\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"/start.sh\"]\n";
    assert_eq!(lines(&lint_with("IL3001", tini, &script)), [4]);
    let gosu =
        "FROM node:22\nCOPY start.sh /start.sh\nENTRYPOINT [\"gosu\", \"node\", \"/start.sh\"]\n";
    assert_eq!(lines(&lint_with("IL3001", gosu, &script)), [3]);
}

#[test]
fn dockerignore_patterns() {
    let ignore = [(
        ".dockerignore",
        "**/*.log\n/build\nnode_modules\n# comment\n",
    )];
    let df = "FROM alpine:3.20\nCOPY logs/a/app.log /x/\nCOPY build/out /x/\nCOPY src/node_modules/x /x/\nCOPY node_modules/y /x/\nCOPY src /x/\n";
    assert_eq!(lines(&lint_with("IL6111", df, &ignore)), [2, 3, 5]);
    assert!(lint("IL6111", df).is_empty());
}

#[test]
fn heredoc_markers_do_not_break_the_command_line() {
    // The command before the marker is parsed; a python heredoc is not taken for shell.
    let python =
        "FROM debian:12\nRUN python3 <<EOF\nimport os\nos.system('apt-get install -y curl')\nEOF\n";
    assert!(lint("DL3008", python).is_empty());
    let piped = "FROM debian:12\nRUN <<EOF bash -e\napt-get install -y curl\nEOF\n";
    assert_eq!(lines(&lint("DL3008", piped)), [3]);
    let two = "FROM debian:12\nRUN <<A <<B\necho a\nA\napt-get install -y vim\nB\n";
    assert_eq!(lines(&lint("DL3008", two)), [5]);
}

#[test]
fn scanner_style_verification_switches() {
    let df = "FROM photon:5.0\nRUN tdnf install -y --nogpgcheck curl\nRUN dnf install -y --setopt=sslverify=false git\nRUN apt-get install -y --force-yes vim\nENV PIP_TRUSTED_HOST=pypi.internal\nRUN rpm -i --nodigest x.rpm\nRUN dnf install -y git-2.45\n";
    let mut found = lines(&lint("IL5005", df));
    found.sort();
    assert_eq!(found, [2, 3, 4, 5, 6]);
}

#[test]
fn scanner_style_security_rules() {
    assert_eq!(
        lines(&lint(
            "IL5007",
            "FROM debian:12\nEXPOSE 22/tcp\nEXPOSE 2222 8022\n"
        )),
        [2]
    );
    assert_eq!(
        lines(&lint(
            "IL5008",
            "FROM debian:12\nWORKDIR /sys/fs\nWORKDIR /proc/../app\nWORKDIR /devices\nWORKDIR /dev\n"
        )),
        [2, 5]
    );
    assert_eq!(
        lines(&lint(
            "IL5009",
            "FROM debian:12\nRUN apt-get update && apt-get -o Dpkg::Options::=--force-confnew upgrade -y\nRUN apt full-upgrade\nRUN apt-get install -y --only-upgrade openssl\n"
        )),
        [2, 3]
    );
    let ids = "FROM debian:12\nARG GCP_CLIENT_ID\nARG OTHER_CLIENT_ID\nARG GCP_CLIENT_SECRET\nENV DO_SPACES_KEY_ID=x\nARG AWS_ACCESS_KEY_ID\n";
    // AWS_ACCESS_KEY_ID and GCP_CLIENT_SECRET are DL3064's.
    assert_eq!(lines(&lint("IL5010", ids)), [2, 5]);
    assert_eq!(lines(&lint("DL3064", ids)), [4, 6]);
}

#[test]
fn onbuild_triggers_reach_the_run_rules() {
    let df = "FROM debian:12\nONBUILD RUN cd /app && apt-get install -y curl\nONBUILD ENV DB_PASSWORD=x\n";
    assert_eq!(lines(&lint("DL3003", df)), [2]);
    assert_eq!(lines(&lint("DL3008", df)), [2]);
    assert_eq!(lines(&lint("DL3064", df)), [3]);
}

#[test]
fn buildkit_twins_follow_buildkit() {
    let shell = "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\n";
    assert_eq!(lines(&lint("DL3025", shell)), [3]);
    assert!(lint("IL6114", shell).is_empty());
    let platform = "FROM --platform=linux/arm64 alpine AS build_arm64\nFROM --platform=linux/amd64 alpine AS base\n";
    assert_eq!(lines(&lint("DL3029", platform)), [1, 2]);
    assert_eq!(lines(&lint("IL6115", platform)), [2]);
    let workdir = "FROM alpine AS a\nWORKDIR /app\nWORKDIR src\nFROM a\nWORKDIR lib\nFROM alpine\nWORKDIR rel\n";
    assert_eq!(lines(&lint("DL3000", workdir)), [3, 5, 7]);
    assert_eq!(lines(&lint("IL6116", workdir)), [7]);
    let secrets = "FROM alpine\nARG DB_USERNAME\nARG SIGNING_KEY\nARG AUTH\n";
    assert_eq!(lines(&lint("DL3064", secrets)), [2]);
    assert_eq!(lines(&lint("IL6113", secrets)), [3, 4]);
    let stages = "FROM --platform=linux/arm64 alpine AS a\nFROM --platform=linux/amd64 a\nFROM --platform=linux/arm64/v8 a\n";
    assert_eq!(lines(&lint("IL6117", stages)), [2]);
    let undefined =
        "FROM python:3.12 AS py\nARG V=$PYTHON_VERSION\nCOPY $foo .\nFROM scratch\nENV P=$PATH\n";
    assert_eq!(lines(&lint("IL6110", undefined)), [3, 5]);
}

#[test]
fn apt_dist_clean_removes_the_lists_and_onbuild_updates_count() {
    let df = "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends curl=8 && apt-get dist-clean\n";
    assert!(lint("DL3009", df).is_empty());
    let onbuild = "FROM debian:13\nONBUILD RUN apt-get update && apt-get install -y curl\n";
    assert_eq!(lines(&lint("DL3009", onbuild)), [2]);
}

#[test]
fn undefined_var_skips_defaults_and_shell() {
    let df = "FROM scratch\nSHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\nENV A=${UID:-1000} B=${GID-1}\nENV C=$UID\n";
    assert_eq!(lines(&lint("IL6110", df)), [4]);
}
