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
use crate::image::export::dive_export;
use crate::image::model::Image;
use crate::image::source::{self, SourceOptions, SourceSpec};

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
    after_help = "SOURCE: docker-archive:PATH | PATH.tar | oci:DIR[:ref] | oci-archive:PATH[:ref] |\n        docker://REF | registry://REF | daemon://REF | IMAGE[:TAG]\n\nExit codes: 0 ok / rules passed, 1 a CI rule failed, 2 usage error or unreadable image."
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

    /// CI report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,

    /// Platform to pick from a multi-platform image (os/arch[/variant]).
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,

    /// Registry host reachable over plain HTTP (repeatable).
    #[arg(long = "insecure-registry", value_name = "HOST")]
    pub insecure_registry: Vec<String>,

    /// How many inefficient files the CI summary lists.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,

    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,
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
        && let Err(err) = write_json(&image, path)
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
    let opened = SourceSpec::parse(source).and_then(|spec| {
        let options = SourceOptions {
            platform: args.platform.clone(),
            insecure_registries: args.insecure_registry.clone(),
        };
        source::open(&spec, &options)
    });
    let result = opened.and_then(|opened| {
        crate::tui::run_source(std::sync::Arc::from(opened), crate::tui::Options::default())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&format!("{err:#}")),
    }
}

fn load_rules(args: &Args) -> Result<CiRules> {
    let mut rules = if args.ci_config.is_file() {
        CiRules::from_file(&args.ci_config)?
    } else if args.ci_config != Path::new(".dive-ci") {
        anyhow::bail!("{}: no such CI config file", args.ci_config.display());
    } else {
        CiRules::default()
    };
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

/// SOURCE → analysed image.
pub fn read_image(source: &str, args: &Args) -> Result<Image> {
    let spec = SourceSpec::parse(source)?;
    let options = SourceOptions {
        platform: args.platform.clone(),
        insecure_registries: args.insecure_registry.clone(),
    };
    let opened = source::open(&spec, &options)?;
    crate::image::analyze(
        opened.as_ref(),
        &crate::image::AnalyzeOptions {
            progress: !args.no_progress,
        },
    )
}

/// Writes the export next to its destination first, then renames, so a failure never leaves a
/// half-written file in place of the user's.
fn write_json(image: &Image, path: &Path) -> Result<()> {
    let export = dive_export(image);
    if path == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &export).context("writing JSON")?;
        writeln!(stdout).context("writing JSON")?;
        return Ok(());
    }
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
        let file = std::fs::File::create(&tmp)?;
        let mut writer = std::io::BufWriter::new(file);
        serde_json::to_writer_pretty(&mut writer, &export)?;
        writer.write_all(b"\n")?;
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
    result.with_context(|| format!("{}: cannot write JSON", path.display()))
}
