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

/// `123`, `64K`, `16M`, `1G` (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{text}` is not a size like 16M")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a size like 16M"))
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

/// Reads `-` or a file, at most `limit` bytes (a device such as /dev/zero, or a huge file, is
/// refused rather than read until memory runs out); errors name the file.
fn read_input(path: &Path, stdin_name: &str, limit: u64) -> Result<Vec<u8>, Fatal> {
    let mut bytes = Vec::new();
    let (name, read) = if path == Path::new("-") {
        let read = std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes);
        (stdin_name.to_string(), read)
    } else {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(Fatal(format!("{name}: is a directory")));
        }
        let read =
            std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes));
        (name, read)
    };
    read.map_err(|e| Fatal(format!("{name}: {}", discover::describe_io_error(&e))))?;
    if bytes.len() as u64 > limit {
        return Err(Fatal(format!(
            "{name}: larger than {limit} bytes (--max-file-size), not linted"
        )));
    }
    Ok(bytes)
}

/// Refuses an `--output` that is one of the inputs, however it is named (`sub/../Dockerfile`,
/// a symlink, a hard link): the same device and inode as any input file.
fn refuse_overwriting_inputs(args: &Args, inputs: &[PathBuf]) -> Result<(), Fatal> {
    use std::os::unix::fs::MetadataExt;
    let Some(output) = &args.output else {
        return Ok(());
    };
    let Ok(target) = std::fs::metadata(output) else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    let same = |input: &PathBuf| {
        input != Path::new("-")
            && std::fs::metadata(input)
                .is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
    };
    if let Some(input) = inputs.iter().find(|i| same(i)) {
        return Err(Fatal(format!(
            "{}: --output would overwrite the input {}",
            output.display(),
            input.display()
        )));
    }
    Ok(())
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

fn display_name_for(path: &Path, args: &Args) -> String {
    if path == Path::new("-") {
        return args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    }
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// Streams the report to `--output` or stdout as `produce` writes it (a large report is never
/// held in memory whole).
fn write_output(
    args: &Args,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fatal> {
    match &args.output {
        Some(path) => {
            let cannot = |e: std::io::Error| {
                Fatal(format!(
                    "{}: cannot write output: {}",
                    path.display(),
                    discover::describe_io_error(&e)
                ))
            };
            let file = std::fs::File::create(path).map_err(cannot)?;
            let mut out = std::io::BufWriter::new(file);
            produce(&mut out).and_then(|_| out.flush()).map_err(cannot)
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            quiet_on_closed_pipe(produce(&mut out).and_then(|_| out.flush())).map_err(Fatal::from)
        }
    }
}

/// Loads configuration files once each.
struct ConfigCache {
    /// The environment's settings (`HADOLINT_*`, `IMGLINT_*`), under every file.
    environment: Config,
    explicit: Option<Config>,
    by_path: HashMap<PathBuf, Config>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    defaults: Config,
}

impl ConfigCache {
    fn new(explicit: Option<&Path>) -> Result<ConfigCache, Fatal> {
        let environment = crate::lint::env::config_from_process()?;
        let explicit = match explicit {
            Some(p) => Some(Config::load_over(p, &environment)?),
            None => None,
        };
        Ok(ConfigCache {
            explicit,
            by_path: HashMap::new(),
            by_dir: HashMap::new(),
            defaults: environment.clone(),
            environment,
        })
    }

    /// The configuration for files in `dir`.
    fn for_dir(&mut self, dir: &Path) -> Result<&Config, Fatal> {
        if let Some(c) = &self.explicit {
            return Ok(c);
        }
        let dir = absolute(dir);
        let found = match self.by_dir.get(&dir) {
            Some(found) => found.clone(),
            None => {
                let found = config::discover(&dir);
                self.by_dir.insert(dir, found.clone());
                found
            }
        };
        let Some(path) = found else {
            return Ok(&self.defaults);
        };
        if !self.by_path.contains_key(&path) {
            // Messages name the file as the user would: relative to the working directory.
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.clone());
            let loaded = Config::load_over(&shown, &self.environment)?;
            self.by_path.insert(path.clone(), loaded);
        }
        Ok(&self.by_path[&path])
    }
}

fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The file's directory ("" becomes ".").
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The policy for one configuration with the command line applied on top.
fn policy_for(config: &Config, args: &Args) -> Result<Policy, Fatal> {
    let mut policy = Policy::from_config(config);
    policy.ignored.extend(args.ignore.iter().cloned());
    if !args.select.is_empty() {
        policy.select = Some(args.select.clone());
    }
    for (names, severity) in [
        (&args.as_style, Severity::Style),
        (&args.as_info, Severity::Info),
        (&args.as_warning, Severity::Warning),
        (&args.as_error, Severity::Error),
    ] {
        policy
            .overrides
            .extend(names.iter().map(|n| (n.clone(), severity)));
    }
    if let Some(threshold) = args.failure_threshold {
        policy.failure_threshold = threshold;
        policy.threshold_from_cli = true;
    }
    policy.disable_ignore_pragma |= args.disable_ignore_pragma;
    policy.shellcheck |= args.shellcheck;
    if policy.shellcheck {
        // Asked once per run, whatever the number of configurations.
        static VERSION: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
        VERSION
            .get_or_init(crate::lint::shellcheck::version)
            .as_ref()
            .map_err(|e| Fatal(format!("--shellcheck: {e}")))?;
    }
    policy.buildkit_check = std::env::var("BUILDKIT_DOCKERFILE_CHECK")
        .ok()
        .filter(|v| !v.trim().is_empty());
    policy.settings.strict_labels |= args.strict_labels;
    policy
        .settings
        .trusted_registries
        .extend(args.trusted_registries.iter().cloned());
    for spec in &args.require_labels {
        let (label, kind) = spec
            .split_once(':')
            .filter(|(l, k)| !l.is_empty() && LabelType::parse(k).is_some())
            .ok_or_else(|| {
                Fatal(format!(
                    "--require-label: `{spec}` is not LABEL:TYPE with TYPE one of {}",
                    LabelType::names()
                ))
            })?;
        policy
            .settings
            .label_schema
            .insert(label.to_string(), kind.to_string());
    }
    for spec in &args.build_args {
        let (name, value) = spec
            .split_once('=')
            .filter(|(n, _)| !n.is_empty())
            .ok_or_else(|| Fatal(format!("--build-arg: `{spec}` is not NAME=VALUE")))?;
        policy
            .settings
            .build_args
            .insert(name.to_string(), value.to_string());
    }
    Ok(policy)
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

/// Fixes that were computed but not applied (they would have broken the file), and files left
/// alone, one line each on stderr.
fn report_dropped_fixes(fixed: &[FixedFile]) {
    for file in fixed {
        if let Some(why) = &file.skipped {
            eprintln!("imglint: {}: {why}", file.linted.file);
        }
        for drop in &file.dropped {
            eprintln!(
                "imglint: {}:{}: {} fix not applied: {}",
                file.linted.file, drop.line, drop.code, drop.reason
            );
        }
    }
}

/// `--diff`: the unified diff of every file a fix would change, on stdout; exit 1 when there
/// is one.
fn print_diffs(
    args: &Args,
    inputs: &[(Input, &Policy)],
    fixed: &[FixedFile],
) -> Result<i32, Fatal> {
    let mut any = false;
    write_output(args, |out| {
        for ((input, _), file) in inputs.iter().zip(fixed) {
            let diff = fix::diff::unified(&input.display_name, &file.original, &file.fixed);
            any |= !diff.is_empty();
            out.write_all(diff.as_bytes())?;
        }
        Ok(())
    })?;
    Ok(if any { EXIT_FINDINGS } else { EXIT_OK })
}

/// Writes every changed file back (atomically, unless it changed on disk meanwhile) and, for
/// `-`, the fixed text to stdout. Returns whether some file could not be written (each failure
/// is one line on stderr; the other files are still written).
fn write_fixes(
    files: &[PathBuf],
    inputs: &[(Input, &Policy)],
    fixed: &[FixedFile],
) -> Result<bool, Fatal> {
    let mut failed = false;
    for ((path, (input, _)), file) in files.iter().zip(inputs).zip(fixed) {
        let bytes = file.fixed_bytes(&input.bytes);
        if path == Path::new("-") {
            let mut out = std::io::stdout().lock();
            quiet_on_closed_pipe(out.write_all(&bytes).and_then(|_| out.flush()))?;
            continue;
        }
        if !file.changed() {
            continue;
        }
        let written = fix::write::ReadState::of(path, input.bytes.clone())
            .map_err(|e| format!("{}: cannot fix: {e}", path.display()))
            .and_then(|read| fix::write::replace(path, &read, &bytes));
        if let Err(message) = written {
            eprintln!("imglint: {message}");
            failed = true;
        }
    }
    Ok(failed)
}

/// `--show-fixes`: per file, how many findings of each rule were fixed.
fn show_fixes(fixed: &[FixedFile]) {
    let total: usize = fixed.iter().map(|f| f.applied.len()).sum();
    let plural = if total == 1 { "" } else { "s" };
    eprintln!("Fixed {total} finding{plural}:");
    for file in fixed.iter().filter(|f| !f.applied.is_empty()) {
        eprintln!("- {}:", file.linted.file);
        let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
        for record in &file.applied {
            *counts.entry((record.code, record.name)).or_default() += 1;
        }
        for ((code, name), n) in counts {
            eprintln!("    {n} × {code} ({name})");
        }
    }
}

/// `--image`: the one Dockerfile's findings checked against the image built from it.
#[cfg(feature = "imgdive")]
fn prove_with_image(
    args: &Args,
    source: &str,
    linted: &mut [engine::LintedFile],
) -> Result<(), Fatal> {
    use crate::image::{attribution, ci, proof, source as image_source};
    let [file] = linted else {
        return Err(Fatal(format!(
            "--image checks one Dockerfile against one image, not {} files",
            linted.len()
        )));
    };
    let threshold = ci::parse_bytes(&args.image_waste_threshold)
        .map_err(|e| Fatal(format!("--image-waste-threshold: {e:#}")))?
        .unwrap_or(u64::MAX);
    let image = image_source::SourceSpec::parse(source)
        .and_then(|spec| image_source::open(&spec, &image_source::SourceOptions::default()))
        .and_then(|opened| {
            crate::image::analyze(opened.as_ref(), &crate::image::AnalyzeOptions::default())
        })
        .map_err(|e| Fatal(format!("--image {source}: {e:#}")))?;
    let dockerfile = crate::dockerfile::parse(&file.source);
    let matched = attribution::attribute(&image, &dockerfile, None)
        .map_err(|e| Fatal(format!("{}: {e}", file.file)))?;
    proof::prove(&image, &matched, file, threshold);
    Ok(())
}

#[cfg(not(feature = "imgdive"))]
fn prove_with_image(
    _args: &Args,
    _source: &str,
    _linted: &mut [engine::LintedFile],
) -> Result<(), Fatal> {
    Err(Fatal(
        "--image needs imglint built with the imgdive feature (cargo install --path . --features imgdive)"
            .to_string(),
    ))
}

/// The report format: the command line's, else the configuration's (names were checked when
/// the configuration was read), else tty.
fn report_format(args: &Args, run_config: &Config) -> Result<Format, Fatal> {
    match (args.format, &run_config.format) {
        (Some(f), _) => Ok(f),
        (None, Some(name)) => Format::parse(name).ok_or_else(|| {
            Fatal(format!(
                "{}: invalid config: unknown format `{name}`",
                run_config
                    .source
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ))
        }),
        (None, None) => Ok(Format::Tty),
    }
}

/// `--baseline`: drops the findings recorded in the baseline file.
fn apply_baseline(
    args: &Args,
    verbose: bool,
    linted: &mut [engine::LintedFile],
) -> Result<(), Fatal> {
    let Some(path) = &args.baseline else {
        return Ok(());
    };
    let baseline = Baseline::load(path).map_err(Fatal)?;
    let dropped = baseline.filter(linted);
    if verbose {
        eprintln!(
            "imglint: {dropped} finding(s) recorded in {} not reported",
            path.display()
        );
    }
    Ok(())
}

/// The paths given (default `.`), checked, and expanded into the files to lint, in order: each
/// argument in turn, directories walked, `-` (stdin) where it was given.
fn discover_files(args: &Args) -> Result<Vec<PathBuf>, Fatal> {
    let paths = given_paths(args);
    let stdin_count = paths.iter().filter(|p| *p == Path::new("-")).count();
    if stdin_count > 1 {
        return Err(Fatal("`-` (stdin) can be given only once".into()));
    }
    if args.stdin_filename.is_some() && stdin_count == 0 {
        return Err(Fatal("--stdin-filename needs `-` among the paths".into()));
    }
    if let Some(context) = &args.context
        && !context.is_dir()
    {
        return Err(Fatal(format!(
            "{}: --context is not a directory",
            context.display()
        )));
    }

    let mut files = Vec::new();
    for path in &paths {
        if path == Path::new("-") {
            files.push(path.clone());
            continue;
        }
        let found = discover::expand(std::slice::from_ref(path)).map_err(|e| Fatal(e.0))?;
        if found.is_empty() {
            // A wrong path must not pass CI by linting nothing.
            return Err(Fatal(format!(
                "{}: no Dockerfiles found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)",
                path.display()
            )));
        }
        files.extend(found);
    }
    refuse_overwriting_inputs(args, &files)?;
    Ok(files)
}

/// The paths to lint: the arguments, or the working directory.
fn given_paths(args: &Args) -> Vec<PathBuf> {
    if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    }
}

/// Reads every file and pairs it with the policy of its configuration (the nearest config file,
/// or `--config`, with the command line on top): `(input, index into the policies)`. Files
/// sharing a configuration share one policy.
#[allow(clippy::type_complexity)]
fn load_inputs(
    args: &Args,
    files: &[PathBuf],
    configs: &mut ConfigCache,
    verbose: bool,
) -> Result<(Vec<(Input, usize)>, Vec<Policy>), Fatal> {
    let mut policies: Vec<Policy> = Vec::new();
    let mut policy_of_config: HashMap<Option<PathBuf>, usize> = HashMap::new();
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let is_stdin = path == Path::new("-");
        let display_name = display_name_for(path, args);
        let dir = if is_stdin {
            args.stdin_filename
                .as_deref()
                .map(|n| parent_dir(Path::new(n)))
                .unwrap_or_else(|| PathBuf::from("."))
        } else {
            parent_dir(path)
        };
        let config = configs.for_dir(&dir)?;
        if verbose {
            let source = config
                .source
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "no configuration file".into());
            eprintln!("imglint: linting {display_name} ({source})");
        }
        let index = match policy_of_config.get(&config.source) {
            Some(i) => *i,
            None => {
                policies.push(policy_for(config, args)?);
                policy_of_config.insert(config.source.clone(), policies.len() - 1);
                policies.len() - 1
            }
        };
        let build_context = match (&args.context, is_stdin) {
            (Some(c), _) => Some(c.clone()),
            (None, false) => Some(dir),
            (None, true) => args.stdin_filename.as_ref().map(|_| dir),
        };
        let bytes = read_input(path, &display_name, args.max_file_size)?;
        inputs.push((
            Input {
                path: PathBuf::from(&display_name),
                display_name,
                bytes,
                build_context,
            },
            index,
        ));
    }
    Ok((inputs, policies))
}

/// Renders the findings in the chosen format (command line, else the configuration of the
/// working directory, else tty) to stdout or `--output`.
fn write_report(
    args: &Args,
    run_config: &Config,
    format: Format,
    linted: &[engine::LintedFile],
    cwd: PathBuf,
    fix_mode: FixMode,
    stdout_taken: bool,
) -> Result<(), Fatal> {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = format == Format::Tty
        && args.output.is_none()
        && !args.no_color
        && !run_config.no_color
        && !no_color_env
        && !stdout_taken
        && std::io::stdout().is_terminal();
    let options = ReportOptions {
        color,
        cwd,
        rules: REGISTRY,
        fix_mode,
    };
    if stdout_taken && args.output.is_none() {
        let mut err = std::io::stderr().lock();
        return report::write(format, linted, &options, &mut err).map_err(Fatal::from);
    }
    write_output(args, |out| report::write(format, linted, &options, out))
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

/// `--write-baseline`: records every current finding, atomically, never over a linted file.
fn write_baseline(
    path: &Path,
    linted_paths: &[PathBuf],
    linted: &[engine::LintedFile],
) -> Result<i32, Fatal> {
    let target = absolute(path);
    if linted_paths.iter().any(|f| absolute(f) == target) {
        return Err(Fatal(format!(
            "{}: --write-baseline would overwrite a linted file",
            path.display()
        )));
    }
    let cannot = |e: std::io::Error| {
        Fatal(format!(
            "{}: cannot write baseline: {}",
            path.display(),
            discover::describe_io_error(&e)
        ))
    };
    // Written beside the target and renamed over it, so an interrupted run never leaves half a
    // baseline (which would resurrect every finding).
    let file_name = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    let temporary = parent_dir(path).join(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, baseline::render(linted))
        .and_then(|_| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            cannot(e)
        })?;
    let count: usize = linted.iter().map(|f| f.findings.len()).sum();
    eprintln!("imglint: recorded {count} finding(s) in {}", path.display());
    Ok(EXIT_OK)
}

/// `--file-path-in-report`: every file is reported under `name`.
fn rename_in_report(linted: &mut [engine::LintedFile], name: &str) {
    for file in linted {
        file.file = name.to_string();
        for finding in &mut file.findings {
            finding.file = name.to_string();
        }
    }
}
