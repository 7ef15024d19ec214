//! The `imgdive` command line: arguments → source → analysis → CI report / JSON export / TUI.
//!
//! Exit codes: 0 success (CI rules passed), 1 a CI rule failed, 2 usage error or the image could
//! not be read. Errors are one line on stderr, names from images escaped.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};

use crate::image::ci::{self, CiRules, Status};
use crate::image::escape_name;
use crate::image::export::write_dive_export;
use crate::image::model::Image;
use crate::image::source::SourceSpec;

use super::read::ReadArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Sarif,
}

/// Explore a container image's layers, find wasted space, check it in CI.
#[derive(Debug, Parser)]
#[command(
    name = "imgdive",
    version,
    after_help = "SOURCE: docker-archive:PATH | PATH.tar | oci:DIR[:ref] | oci-archive:PATH[:ref] |\n        docker://REF | registry://REF | daemon://REF | podman://REF | IMAGE[:TAG]\n        (--source docker|podman|docker-archive: dive's meaning for a bare SOURCE)\n\nCommands: imgdive extract SOURCE PATH [-o DEST] [--layer N] [--tar] [--force]\n          imgdive diff A B [--json FILE|-] [--ci] [--highest-size-increase 20MB|10%]\n          (see imgdive extract --help, imgdive diff --help)\n\nExit codes: 0 ok / rules passed, 1 a CI rule failed, 2 usage error or unreadable image."
)]
pub struct Args {
    /// The image to read.
    #[arg(value_name = "SOURCE")]
    pub source: Option<String>,

    /// No TUI: print the analysis and evaluate the CI rules (also when CI=true/1/yes).
    #[arg(long)]
    pub ci: bool,

    /// Rules file (dive's `.dive-ci` format).
    #[arg(long = "ci-config", value_name = "FILE", default_value = ".dive-ci")]
    pub ci_config: PathBuf,

    /// Fail when the efficiency is below this ratio (0..1, or "disabled").
    #[arg(
        long = "lowest-efficiency",
        alias = "lowestEfficiency",
        value_name = "RATIO"
    )]
    pub lowest_efficiency: Option<String>,

    /// Fail when wasted bytes exceed this size ("20MB", "20MiB", or "disabled").
    #[arg(
        long = "highest-wasted-bytes",
        alias = "highestWastedBytes",
        value_name = "SIZE"
    )]
    pub highest_wasted_bytes: Option<String>,

    /// Fail when wasted bytes / bytes above the first layer exceed this ratio.
    #[arg(
        long = "highest-user-wasted-percent",
        alias = "highestUserWastedPercent",
        value_name = "RATIO"
    )]
    pub highest_user_wasted_percent: Option<String>,

    /// Write dive's JSON export (plus imgdive's fields) to FILE ("-" for stdout).
    #[arg(short = 'j', long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// How the TUI's file tree starts sorted: name, or size (biggest first).
    #[arg(long, value_name = "ORDER", value_parser = ["name", "size"])]
    pub sort: Option<String>,

    /// CI report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// How many inefficient files the CI summary lists.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    #[command(flatten)]
    pub read: ReadArgs,
}

fn ci_from_env() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("imgdive: error: {}", escape_name(message));
    ExitCode::from(2)
}

/// Runs imgdive with these arguments (the program name first).
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // `imgdive extract …` and `imgdive diff …`: an image named like a command is reached with
    // a prefix (`./extract`, `docker://extract`).
    match args.get(1).and_then(|a| a.to_str()) {
        Some("extract") => return super::extract::main_with_args(&args),
        Some("diff") => return super::diff::main_with_args(&args),
        _ => {}
    }
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let Some(source) = args.source.clone() else {
        eprintln!("Usage: imgdive [OPTIONS] SOURCE\n\nTry 'imgdive --help' for more information.");
        return ExitCode::from(2);
    };
    let ci_mode = args.ci || ci_from_env();
    // Rules are checked before the image is read, so a typo fails fast.
    let rules = if ci_mode {
        match load_rules(&args) {
            Ok(rules) => Some(rules),
            Err(err) => return fail(&format!("{err:#}")),
        }
    } else {
        None
    };
    if !ci_mode && args.json.is_none() {
        return run_tui(&source, &args);
    }
    let image = match read_image(&source, &args) {
        Ok(image) => image,
        Err(err) => return fail(&format!("{err:#}")),
    };
    if let Some(path) = &args.json
        && let Err(err) = write_json(&image, path, input_path(&source).as_deref().as_slice())
    {
        return fail(&format!("{err:#}"));
    }
    if let Some(rules) = rules {
        let results = ci::evaluate(&image, &rules);
        let output = match args.format {
            Format::Text => ci::text_report(&image, &results, args.top),
            Format::Sarif => {
                match serde_json::to_string_pretty(&ci::sarif_report(&image, &results)) {
                    Ok(text) => text + "\n",
                    Err(err) => return fail(&format!("SARIF: {err}")),
                }
            }
        };
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(output.as_bytes());
        let _ = stdout.flush();
        return if results.iter().any(|r| r.status == Status::Fail) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    ExitCode::SUCCESS
}

/// The interactive explorer (issue #5): reads the image behind its own progress view, and
/// keeps the source open so the file viewer can read contents back.
fn run_tui(source: &str, args: &Args) -> ExitCode {
    let result = args.read.open(source).and_then(|opened| {
        let options = crate::tui::Options {
            analyze: args.read.analyze_options()?,
            sort_by_size: args.sort.as_deref() == Some("size"),
            ..crate::tui::Options::default()
        };
        crate::tui::run_source(std::sync::Arc::from(opened), options)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&format!("{err:#}")),
    }
}

fn load_rules(args: &Args) -> Result<CiRules> {
    let mut rules = CiRules::from_config_arg(&args.ci_config)?;
    for (key, value) in [
        ("lowestEfficiency", &args.lowest_efficiency),
        ("highestWastedBytes", &args.highest_wasted_bytes),
        (
            "highestUserWastedPercent",
            &args.highest_user_wasted_percent,
        ),
    ] {
        if let Some(value) = value {
            rules.set(key, value).with_context(|| format!("--{key}"))?;
        }
    }
    Ok(rules)
}

/// The file or directory SOURCE reads from, if it is local.
pub(super) fn input_path(source: &str) -> Option<PathBuf> {
    match SourceSpec::parse(source).ok()? {
        SourceSpec::DockerArchive(path)
        | SourceSpec::OciDir { path, .. }
        | SourceSpec::OciArchive { path, .. } => Some(path),
        _ => None,
    }
}

/// SOURCE → analysed image.
pub fn read_image(source: &str, args: &Args) -> Result<Image> {
    Ok(args.read.read(source)?.1)
}

/// Writes the JSON export to `path` without ever replacing what the user did not ask to
/// replace: `-` and `/dev/stdout` write to stdout; a new path or a plain regular file gets a
/// temporary file next to it renamed over it (a failure never leaves half a file); anything else
/// (a symlink, FIFO, device, a file with other hard links) is written through, so it stays what
/// it is. The image being read is never a destination.
fn write_json(image: &Image, path: &Path, input: &[&Path]) -> Result<()> {
    write_output(path, input, &|w| write_dive_export(image, w))
}

/// [`write_json`] for any writer of JSON (`imgdive diff --json` too).
pub(super) fn write_output(
    path: &Path,
    input: &[&Path],
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if path == Path::new("-") || path == Path::new("/dev/stdout") {
        let stdout = std::io::stdout().lock();
        return write(&mut std::io::BufWriter::new(stdout)).context("writing JSON");
    }
    let shown = || escape_name(&path.display().to_string());
    if input.iter().any(|input| is_same_or_inside(path, input)) {
        anyhow::bail!(
            "{}: refusing to write the JSON export over the image being read",
            shown()
        );
    }
    let existing = std::fs::symlink_metadata(path).ok();
    let replace = existing
        .as_ref()
        .is_none_or(|m| m.file_type().is_file() && hard_links(m) <= 1);
    let result = if replace {
        write_replacing(path, write)
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .map_err(anyhow::Error::from)
            .and_then(|file| Ok(write(&mut std::io::BufWriter::new(file))?))
    };
    result.with_context(|| format!("{}: cannot write JSON", shown()))
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn hard_links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn hard_links(_meta: &std::fs::Metadata) -> u64 {
    1
}

/// Whether `output` is the input file (same device and inode, through any link or `..`) or lies
/// inside the input directory (an OCI layout).
pub(super) fn is_same_or_inside(output: &Path, input: &Path) -> bool {
    let Ok(input_canon) = input.canonicalize() else {
        return false;
    };
    if let (Ok(out), Ok(inp)) = (std::fs::metadata(output), std::fs::metadata(input))
        && same_file(&out, &inp)
    {
        return true;
    }
    if let Ok(output_canon) = output.canonicalize() {
        if output_canon.starts_with(&input_canon) {
            return true;
        }
    }
    // A new file: where would it be created?
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent
        .canonicalize()
        .is_ok_and(|dir| input_canon.is_dir() && dir.starts_with(&input_canon))
}

/// Temp file next to `path`, then rename over it.
fn write_replacing(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.imgdive-tmp-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
