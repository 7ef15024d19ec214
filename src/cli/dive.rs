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

use crate::image::attribution::{self, Attribution};
use crate::image::ci::SecretsLevel;
use crate::image::ci::{self, CiRules, Status};
use crate::image::escape_name;
use crate::image::export::{Annotations, write_dive_export_annotated as write_dive_export};
use crate::image::findings;
use crate::image::model::Image;
use crate::image::source::SourceSpec;

use super::read::ReadArgs;
use crate::image::secrets::{self, Secret};
use crate::report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Sarif,
    /// GitLab Code Quality, located at --dockerfile lines.
    Gitlab,
    /// GitHub Actions annotations, located at --dockerfile lines.
    Github,
}

/// Explore a container image's layers, find wasted space, check it in CI.
#[derive(Debug, Parser)]
#[command(
    name = "imgdive",
    version,
    after_help = "SOURCE: docker-archive:PATH[:REF] | PATH (tar, .gz, .zst) | - (stdin) | oci:DIR[:ref] |\n        oci-archive:PATH[:ref] | docker://REF | registry://REF | daemon://REF | podman://REF |\n        containerd://REF [--namespace NS] | IMAGE[:TAG] (looked up in: Docker daemon/context,\n        podman sockets, containerd, registry)\n        (--source docker|podman|containerd|docker-archive|registry: where a bare SOURCE is read)\n\nCommands: imgdive extract SOURCE PATH [-o DEST] [--layer N] [--tar] [--force]\n          imgdive diff A B [--json FILE|-] [--ci] [--highest-size-increase 20MB|10%]\n          imgdive cache prune [--max SIZE | --all]\n          (see imgdive extract --help, imgdive diff --help)\n\nExit codes: 0 ok / rules passed, 1 a CI rule failed, 2 usage error or unreadable image."
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

    /// Fail when the image is larger than SIZE.
    #[arg(
        long = "highest-image-bytes",
        alias = "highestImageBytes",
        value_name = "SIZE"
    )]
    pub highest_image_bytes: Option<String>,

    /// Fail when the image has more than N layers.
    #[arg(
        long = "highest-layer-count",
        alias = "highestLayerCount",
        value_name = "N"
    )]
    pub highest_layer_count: Option<String>,

    /// Fail when a layer is larger than SIZE.
    #[arg(
        long = "highest-layer-bytes",
        alias = "highestLayerBytes",
        value_name = "SIZE"
    )]
    pub highest_layer_bytes: Option<String>,

    /// Fail when more than SIZE bytes are stored in layers but hidden by later ones.
    #[arg(
        long = "highest-reclaimable-bytes",
        alias = "highestReclaimableBytes",
        value_name = "SIZE"
    )]
    pub highest_reclaimable_bytes: Option<String>,

    /// What a secret in the image does: fail (default), warn or off (no scan).
    #[arg(long, value_name = "fail|warn|off")]
    pub secrets: Option<String>,

    /// Comma-separated globs (`/var/cache/**`) left out of the waste figures.
    #[arg(long = "ignore-paths", alias = "ignorePaths", value_name = "GLOBS")]
    pub ignore_paths: Option<String>,

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

    /// The Dockerfile the image was built from: layers, waste and findings are located at its
    /// lines.
    #[arg(long, value_name = "PATH")]
    pub dockerfile: Option<PathBuf>,

    /// The stage of --dockerfile that was built (default: the last one).
    #[arg(long, value_name = "STAGE", requires = "dockerfile")]
    pub target: Option<String>,
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
        Some("cache") => return super::cache::main_with_args(&args),
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
    let dockerfile = match args.dockerfile.as_deref().map(read_dockerfile).transpose() {
        Ok(dockerfile) => dockerfile,
        Err(err) => return fail(&format!("{err:#}")),
    };
    if !ci_mode && args.json.is_none() {
        return run_tui(&source, &args, dockerfile.map(|(df, _)| df));
    }
    if matches!(args.format, Format::Gitlab | Format::Github) && dockerfile.is_none() {
        return fail("--format gitlab and github locate results in a Dockerfile: add --dockerfile");
    }
    let scan_secrets = args.json.is_some()
        || rules
            .as_ref()
            .is_some_and(|r| r.secrets != SecretsLevel::Off);
    let (image, mut secrets) = match read_image_and_secrets(&source, &args, scan_secrets) {
        Ok(read) => read,
        Err(err) => return fail(&format!("{err:#}")),
    };
    let attribution = match &dockerfile {
        Some((df, _)) => match attribution::attribute(&image, df, args.target.as_deref()) {
            Ok(a) => Some(a),
            Err(err) => return fail(&format!("{}: {err}", shown_dockerfile(&args))),
        },
        None => None,
    };
    if let (Some(found), Some(attribution)) = (secrets.as_mut(), attribution.as_ref()) {
        locate_secrets(found, attribution);
    }
    let dockerfile_name = shown_dockerfile(&args);
    let annotations = Annotations {
        dockerfile: attribution
            .as_ref()
            .map(|a| (dockerfile_name.as_str(), args.target.as_deref(), a)),
        secrets: secrets.as_deref(),
    };
    if let Some(path) = &args.json
        && let Err(err) = write_json(
            &image,
            annotations,
            path,
            input_path(&source).as_deref().as_slice(),
        )
    {
        return fail(&format!("{err:#}"));
    }
    if let Some(rules) = rules {
        let results = ci::evaluate_with_secrets(&image, &rules, secrets.as_deref());
        let located = match (&attribution, &dockerfile) {
            (Some(attribution), Some((_, text))) => Some(findings::image_findings(
                &image,
                &dockerfile_name,
                text,
                attribution,
                &results,
                secrets.as_deref().unwrap_or_default(),
            )),
            _ => None,
        };
        let output = match (args.format, located) {
            (Format::Text, _) => {
                ci::text_report(&image, &results, args.top)
                    + &ci::bridge_text(&image, attribution.as_ref(), secrets.as_deref())
            }
            (Format::Sarif, None) => {
                match serde_json::to_string_pretty(&ci::sarif_report(&image, &results)) {
                    Ok(text) => text + "\n",
                    Err(err) => return fail(&format!("SARIF: {err}")),
                }
            }
            (format, Some(file)) => {
                let format = match format {
                    Format::Gitlab => report::Format::Gitlab,
                    Format::Github => report::Format::Github,
                    _ => report::Format::Sarif,
                };
                let options = report::ReportOptions {
                    color: false,
                    cwd: std::env::current_dir().unwrap_or_default(),
                    rules: &[],
                    fix_mode: Default::default(),
                };
                let mut buffer = Vec::new();
                if let Err(err) = report::write(format, &[file], &options, &mut buffer) {
                    return fail(&format!("report: {err}"));
                }
                let text = String::from_utf8_lossy(&buffer).into_owned();
                if format == report::Format::Sarif {
                    // imglint's SARIF writer names its own tool in the header; this run is
                    // imgdive's, and code scanning keeps one analysis per tool and category,
                    // so an upload of one must not replace the other's results.
                    text.replacen(r#""name":"imglint""#, r#""name":"imgdive""#, 1)
                        .replacen(r#"{"id":"imglint/"}"#, r#"{"id":"imgdive/"}"#, 1)
                } else {
                    text
                }
            }
            (_, None) => unreachable!("gitlab and github need --dockerfile (checked above)"),
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
fn run_tui(
    source: &str,
    args: &Args,
    dockerfile: Option<crate::dockerfile::ast::Dockerfile>,
) -> ExitCode {
    let target = args.target.clone();
    // After the image is read: its Dockerfile lines (with --dockerfile) and its secrets.
    let annotate: crate::tui::app::Annotate = std::sync::Arc::new(move |source, image| {
        let attribution = match &dockerfile {
            Some(df) => Some(attribution::attribute(image, df, target.as_deref())?),
            None => None,
        };
        let mut found = secrets::scan(source, image).context("scanning for secrets")?;
        if let Some(a) = &attribution {
            locate_secrets(&mut found, a);
        }
        Ok(crate::tui::state::Annotations::new(
            image,
            attribution,
            found,
        ))
    });
    let result = args.read.open(source).and_then(|opened| {
        let options = crate::tui::Options {
            analyze: args.read.analyze_options()?,
            sort_by_size: args.sort.as_deref() == Some("size"),
            annotate: Some(annotate),
            ..crate::tui::Options::default()
        };
        crate::tui::run_source(std::sync::Arc::from(opened), options)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&format!("{err:#}")),
    }
}

fn shown_dockerfile(args: &Args) -> String {
    args.dockerfile
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// Sets each secret's Dockerfile line: its layer's instruction, or for `config:history:N` the
/// instruction of that history entry.
fn locate_secrets(secrets: &mut [Secret], attribution: &Attribution) {
    for secret in secrets {
        secret.line = match secret.layer {
            Some(layer) => attribution.line_of(layer),
            None => secret
                .location
                .strip_prefix("config:history:")
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| attribution.history.get(n).cloned().flatten())
                .map(|l| l.line),
        };
    }
}

/// Reads and parses --dockerfile (parse errors do not stop the matching: the parser recovers).
fn read_dockerfile(path: &Path) -> Result<(crate::dockerfile::ast::Dockerfile, String)> {
    use std::io::Read;
    // imglint's default --max-file-size: a Dockerfile is never this large; /dev/zero stops here.
    const MAX_DOCKERFILE_BYTES: u64 = 16 << 20;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_DOCKERFILE_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("{}: cannot read the Dockerfile", path.display()))?;
    if bytes.len() as u64 > MAX_DOCKERFILE_BYTES {
        anyhow::bail!("{}: larger than 16 MiB, not a Dockerfile", path.display());
    }
    Ok((
        crate::dockerfile::parse_bytes(&bytes),
        crate::lint::engine::decode(&bytes),
    ))
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
        ("highestImageBytes", &args.highest_image_bytes),
        ("highestLayerCount", &args.highest_layer_count),
        ("highestLayerBytes", &args.highest_layer_bytes),
        ("highestReclaimableBytes", &args.highest_reclaimable_bytes),
        ("secrets", &args.secrets),
        ("ignorePaths", &args.ignore_paths),
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
        SourceSpec::DockerArchive { path, .. }
        | SourceSpec::OciDir { path, .. }
        | SourceSpec::OciArchive { path, .. } => Some(path),
        _ => None,
    }
}

/// SOURCE → analysed image.
pub fn read_image(source: &str, args: &Args) -> Result<Image> {
    Ok(read_image_and_secrets(source, args, false)?.0)
}

/// SOURCE → analysed image, and when `scan` the secrets it ships.
fn read_image_and_secrets(
    source: &str,
    args: &Args,
    scan: bool,
) -> Result<(Image, Option<Vec<Secret>>)> {
    let (opened, image) = args.read.read(source)?;
    let secrets = if scan {
        Some(secrets::scan(opened.as_ref(), &image).context("scanning for secrets")?)
    } else {
        None
    };
    Ok((image, secrets))
}

/// Writes the JSON export to `path` without ever replacing what the user did not ask to
/// replace: `-` and `/dev/stdout` write to stdout; a new path or a plain regular file gets a
/// temporary file next to it renamed over it (a failure never leaves half a file); anything else
/// (a symlink, FIFO, device, a file with other hard links) is written through, so it stays what
/// it is. The image being read is never a destination.
fn write_json(
    image: &Image,
    annotations: Annotations<'_>,
    path: &Path,
    input: &[&Path],
) -> Result<()> {
    write_output(path, input, &|w| write_dive_export(image, annotations, w))
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
    if let Ok(output_canon) = output.canonicalize()
        && output_canon.starts_with(&input_canon)
    {
        return true;
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
