//! The `imglint` command line: arguments → files and configuration → engine → reporter → exit
//! code. The binary only calls [`main`].
//!
//! Exit codes: 0 no finding at or above the failure threshold; 1 findings at or above it (with
//! `--dump`: parse errors; with `--diff`: a fix would change a file); 2 usage, configuration or
//! I/O error (with `--fix`: a fixed file could not be written).

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::lint::config::{self, Config, parse_threshold};
use crate::lint::discover;
use crate::lint::engine::{self, Input, Policy};
use crate::lint::fix::{self, FixMode, FixedFile};
use crate::lint::rule::{Rule, Severity};
use crate::lint::rules::REGISTRY;
use crate::lint::rules::labels::LabelType;
use crate::report::baseline::{self, Baseline};
use crate::report::{self, Format, ReportOptions};

mod fixing;
mod image;
mod inputs;
mod output;
mod policy;

use fixing::*;
use image::*;
use inputs::*;
use output::*;
use policy::*;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// What `--dump` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DumpFormat {
    /// The parse as JSON: directives, comments, stages, instructions with spans.
    Json,
    /// BuildKit's parser-test notation, e.g. `(from "ubuntu:14.04")`.
    Buildkit,
}

/// A Dockerfile linter: hadolint-compatible codes, configuration and pragmas.
#[derive(Debug, Parser)]
#[command(
    name = "imglint",
    version,
    about,
    max_term_width = 100,
    disable_version_flag = true
)]
pub struct Args {
    /// Print the version (hadolint's -v; -V is --verbose, as in hadolint).
    #[arg(short = 'v', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Dockerfiles or directories to lint (directories are walked for Dockerfile,
    /// Containerfile, *.Dockerfile, Dockerfile.* honouring .gitignore); `-` reads stdin.
    /// Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format: tty (default), json, sarif, checkstyle, gitlab (or gitlab_codeclimate),
    /// github, gnu, codeclimate, junit, sonarqube, codacy. Default: the config file's `format`,
    /// else IMGLINT_FORMAT / HADOLINT_FORMAT, else tty.
    #[arg(short, long, value_name = "FORMAT", value_parser = Format::from_name)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 only for findings at or above this level: error, warning, info (default), style,
    /// none.
    #[arg(short = 't', long, value_name = "LEVEL", value_parser = parse_threshold)]
    pub failure_threshold: Option<config::Threshold>,
    /// Do not run this rule (code, name, BuildKit alias or category); repeatable, comma lists
    /// allowed. Added to the config file's `ignored`.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Run only these rules (code, name, alias or category); repeatable, comma lists allowed.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Report this rule as an error.
    #[arg(long = "error", value_name = "CODE", value_delimiter = ',')]
    pub as_error: Vec<String>,
    /// Report this rule as a warning.
    #[arg(long = "warning", value_name = "CODE", value_delimiter = ',')]
    pub as_warning: Vec<String>,
    /// Report this rule as info.
    #[arg(long = "info", value_name = "CODE", value_delimiter = ',')]
    pub as_info: Vec<String>,
    /// Report this rule as style.
    #[arg(long = "style", value_name = "CODE", value_delimiter = ',')]
    pub as_style: Vec<String>,
    /// Print a rule's documentation and exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
    /// List every rule (code, name, category, severity, fix: safe, unsafe or -) and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// No colours (also: the NO_COLOR environment variable, or output that is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Build context directory rules may read (default: each Dockerfile's directory).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Use this configuration file instead of searching for .imglint.yaml / .hadolint.yaml.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The name to report for `-` (stdin); also where configuration is searched from.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Print the parse of one Dockerfile instead of linting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub dump: Option<DumpFormat>,
    /// Always exit 0 when linting ran (errors still exit 2).
    #[arg(long)]
    pub no_fail: bool,
    /// Ignore every suppression comment (`# imglint ignore=`, `# hadolint ignore=`,
    /// `# check=skip=`).
    #[arg(long)]
    pub disable_ignore_pragma: bool,
    /// Also run the installed `shellcheck` on every RUN for the ShellCheck codes imglint does
    /// not check natively (exit 2 when it cannot be run).
    #[arg(long)]
    pub shellcheck: bool,
    /// Allowed registry for base images (repeatable; enables the trusted-registry rule).
    #[arg(long = "trusted-registry", value_name = "REGISTRY")]
    pub trusted_registries: Vec<String>,
    /// A required label and its type, `name:type` (text, url, semver, hash, rfc3339, spdx,
    /// email).
    #[arg(long = "require-label", value_name = "LABEL:TYPE")]
    pub require_labels: Vec<String>,
    /// Labels outside the schema are findings.
    #[arg(long)]
    pub strict_labels: bool,
    /// A build argument `NAME=VALUE` used when resolving ARGs (repeatable).
    #[arg(long = "build-arg", value_name = "NAME=VALUE")]
    pub build_args: Vec<String>,
    /// Report every file under this name instead (hadolint's option, for linting inside a
    /// container where the path differs from the repository's).
    #[arg(long, value_name = "PATH")]
    pub file_path_in_report: Option<String>,
    /// Report only findings not recorded in this baseline file (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Say on stderr which configuration applies and which files are linted.
    #[arg(short = 'V', long)]
    pub verbose: bool,
    /// Apply the safe fixes in place (to stdout for `-`), then report what remains. Also
    /// `fix: true` in the configuration.
    #[arg(long, conflicts_with_all = ["write_baseline", "dump"])]
    pub fix: bool,
    /// Print a unified diff of what --fix would change and write nothing; exit 1 when there is
    /// a diff, 0 when there is none.
    #[arg(long, conflicts_with_all = ["write_baseline", "dump"])]
    pub diff: bool,
    /// Also apply the unsafe fixes (they may change what the image contains or does) when
    /// fixing, and count them as fixable in the report. Also `unsafe-fixes: true` in the
    /// configuration.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Apply the fixes as --fix does and report nothing else; exit 0 unless a file could not be
    /// fixed (2).
    #[arg(long, conflicts_with_all = ["write_baseline", "dump"])]
    pub fix_only: bool,
    /// After fixing, list on stderr what was fixed in each file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Refuse (exit 2) any input larger than this; bytes, or with a K, M or G suffix (binary).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// The image built from the Dockerfile (imgdive's SOURCE forms): layer-bloat and
    /// cache-order findings gain the bytes the image measures, and instructions whose layer
    /// stores more than --image-waste-threshold bytes that later ones hide become findings.
    /// Needs imglint built with the `imgdive` feature.
    #[arg(long, value_name = "SOURCE")]
    pub image: Option<String>,
    /// With --image: the hidden bytes per instruction that make a finding ("10MB", "1MiB").
    #[arg(long, value_name = "SIZE", default_value = "10MB")]
    pub image_waste_threshold: String,
}

/// `123`, `64K`, `16M`, `1G` (powers of 1024; `16MB` is decimal, see [`crate::size`]).
fn parse_size(text: &str) -> Result<u64, String> {
    crate::size::parse_size(text, crate::size::BareUnit::Binary)
}

/// A failure that ends the run with exit code 2: one line for stderr.
#[derive(Debug)]
struct Fatal(String);

impl<T: std::fmt::Display> From<T> for Fatal {
    fn from(e: T) -> Fatal {
        Fatal(e.to_string())
    }
}

/// Runs `imglint` with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    run(std::env::args_os())
}

/// Runs `imglint` with `argv` (program name first).
pub fn run(argv: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> i32 {
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => {
            // --help and --version are "errors" too, printed to stdout with exit code 0.
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match execute(&args) {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("imglint: {message}");
            EXIT_ERROR
        }
    }
}

fn execute(args: &Args) -> Result<i32, Fatal> {
    if args.list_rules {
        quiet_on_closed_pipe(list_rules(&mut std::io::stdout().lock()))?;
        return Ok(EXIT_OK);
    }
    if let Some(name) = &args.explain {
        let rule = find_rule(name).ok_or_else(|| Fatal(unknown_rule("--explain", name)))?;
        let doc = if rule.doc.trim().is_empty() {
            rule.summary
        } else {
            rule.doc
        };
        let mut out = std::io::stdout().lock();
        quiet_on_closed_pipe(writeln!(out, "{}", doc.trim_end()))?;
        return Ok(EXIT_OK);
    }
    for (option, names) in [
        ("--ignore", &args.ignore),
        ("--select", &args.select),
        ("--error", &args.as_error),
        ("--warning", &args.as_warning),
        ("--info", &args.as_info),
        ("--style", &args.as_style),
    ] {
        for name in names {
            config::check_rule_name(name).map_err(|e| Fatal(format!("{option}: {e}")))?;
        }
    }
    if let Some(format) = args.dump {
        return dump(args, format);
    }
    lint(args)
}

fn unknown_rule(option: &str, name: &str) -> String {
    format!("{option}: unknown rule `{name}` (imglint --list-rules shows them all)")
}

fn find_rule(name: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|r| r.answers_to(name))
}

fn list_rules(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<8} {:<36} {:<16} {:<8} {:<6} SUMMARY",
        "CODE", "NAME", "CATEGORY", "SEVERITY", "FIX"
    )?;
    for rule in REGISTRY {
        writeln!(
            out,
            "{:<8} {:<36} {:<16} {:<8} {:<6} {}{}",
            rule.code,
            rule.name,
            rule.category.as_str(),
            rule.severity.as_str(),
            rule.fix_applicability().map_or("-", |a| a.as_str()),
            if rule.opt_in { "(opt-in) " } else { "" },
            rule.summary
        )?;
    }
    Ok(())
}

/// A closed stdout (`imglint --list-rules | head`) means the reader has all it wanted: not an
/// error worth a message, as ripgrep ends. The exit code stays what the run decided.
fn quiet_on_closed_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn dump(args: &Args, format: DumpFormat) -> Result<i32, Fatal> {
    let [path] = args.paths.as_slice() else {
        return Err(Fatal("--dump takes exactly one Dockerfile".into()));
    };
    let name = display_name_for(path, args);
    refuse_overwriting_inputs(args, std::slice::from_ref(path))?;
    let bytes = read_input(path, &name, args.max_file_size)?;
    let dockerfile = crate::dockerfile::parse_bytes(&bytes);
    let text = match format {
        DumpFormat::Json => {
            serde_json::to_string_pretty(&crate::dockerfile::dump::to_json(&dockerfile))? + "\n"
        }
        DumpFormat::Buildkit => crate::dockerfile::dump::to_buildkit(&dockerfile),
    };
    write_output(args, |out| out.write_all(text.as_bytes()))?;
    for error in &dockerfile.errors {
        eprintln!(
            "{name}:{}:{}: {}",
            error.span.start.line, error.span.start.column, error.message
        );
    }
    Ok(if dockerfile.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// `imglint [PATHS]`: the run in its named steps.
fn lint(args: &Args) -> Result<i32, Fatal> {
    let cwd = std::env::current_dir()
        .map_err(|e| Fatal(format!("cannot read the working directory: {e}")))?;
    let files = discover_files(args)?;
    let mut configs = ConfigCache::new(args.config.as_deref())?;
    let run_config = configs.for_dir(&cwd)?.clone();
    let verbose = args.verbose || run_config.verbose;
    let (inputs, policies) = load_inputs(args, &files, &mut configs, verbose)?;
    let with_policies: Vec<(Input, &Policy)> = inputs
        .into_iter()
        .map(|(input, i)| (input, &policies[i]))
        .collect();
    let fix_mode = FixMode {
        unsafe_fixes: args.unsafe_fixes || run_config.unsafe_fixes,
    };
    let fixing = args.diff || args.fix || args.fix_only || run_config.fix;
    let mut write_failed = false;
    let mut linted = if fixing {
        let fixed = fix::fix_all(&with_policies, REGISTRY, fix_mode);
        report_dropped_fixes(&fixed);
        if args.diff {
            return print_diffs(args, &with_policies, &fixed);
        }
        write_failed = write_fixes(&files, &with_policies, &fixed)?;
        if args.show_fixes {
            show_fixes(&fixed);
        }
        if args.fix_only {
            return Ok(if write_failed { EXIT_ERROR } else { EXIT_OK });
        }
        fixed.into_iter().map(|f| f.linted).collect()
    } else {
        engine::lint_all(&with_policies, REGISTRY)
    };
    if let Some(source) = &args.image {
        prove_with_image(args, source, &mut linted)?;
    }
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &files, &linted);
    }
    apply_baseline(args, verbose, &mut linted)?;
    if let Some(name) = &args.file_path_in_report {
        rename_in_report(&mut linted, name);
    }
    let format = report_format(args, &run_config)?;
    // With `-` fixed, stdout holds the fixed file: the report goes to stderr.
    let stdout_taken = fixing && files.iter().any(|f| f == Path::new("-"));
    write_report(
        args,
        &run_config,
        format,
        &linted,
        cwd,
        fix_mode,
        stdout_taken,
    )?;
    if write_failed {
        return Ok(EXIT_ERROR);
    }
    Ok(exit_code(args, &run_config, format, &linted))
}

/// 1 when a finding is at or above the failure threshold (unless `--no-fail`), else 0.
fn exit_code(
    args: &Args,
    run_config: &Config,
    format: Format,
    linted: &[engine::LintedFile],
) -> i32 {
    let failed = linted.iter().any(|f| f.fails());
    if failed && !(args.no_fail || run_config.no_fail || format.findings_never_fail()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
