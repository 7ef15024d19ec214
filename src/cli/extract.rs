//! `imgdive extract SOURCE PATH [-o DEST] [--layer N] [--tar] [--force]`: a file or directory
//! out of an image, as the final image holds it or as it was after layer N.
//!
//! Exit codes: 0 written, 2 usage error, unreadable image, path not there, or refusing to
//! overwrite.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Parser;

use super::read::ReadArgs;
use crate::image::escape_name;
use crate::image::extract::{self, Written};

/// Write a file or directory out of an image (dive's extract-file, from the command line).
#[derive(Debug, Parser)]
#[command(
    name = "imgdive extract",
    version,
    after_help = "PATH lands under DEST by its own name (/etc/os-release → DEST/os-release; / → DEST).\nLayers count from 0, as in --json.\n\nExit codes: 0 written, 2 usage error, unreadable image, no such path, or refusing to overwrite."
)]
pub struct ExtractArgs {
    /// The image (any form `imgdive` reads).
    #[arg(value_name = "SOURCE")]
    pub source: String,

    /// The path in the image (`/etc/os-release`, a directory, a link).
    #[arg(value_name = "PATH")]
    pub path: String,

    /// Directory to write into (created if missing; default: the current directory). With
    /// --tar: the tar file to write, "-" for stdout (the default when stdout is not a terminal).
    #[arg(short = 'o', long = "output", value_name = "DEST")]
    pub output: Option<PathBuf>,

    /// The image as it was after layer N (0-based): brings back what later layers deleted.
    #[arg(long, value_name = "N")]
    pub layer: Option<u32>,

    /// Write a tar (modes, owners, links and devices kept) instead of files.
    #[arg(long)]
    pub tar: bool,

    /// Replace files and links that exist (never a directory, never through a symlink).
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// Runs `imgdive extract` (`args[0]` is the program, `args[1]` is `extract`).
pub fn main_with_args(args: &[OsString]) -> ExitCode {
    super::read::run_command("extract", args, |args: &ExtractArgs| {
        run(args).map(|()| ExitCode::SUCCESS)
    })
}

fn run(args: &ExtractArgs) -> Result<()> {
    let input = super::dive::input_path(&args.source);
    let to_stdout = args.tar && args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    if to_stdout && std::io::stdout().is_terminal() {
        bail!("--tar writes binary data: give -o FILE, or redirect stdout");
    }
    if let (Some(output), Some(input)) = (&args.output, &input)
        && !to_stdout
        && super::dive::is_same_or_inside(output, input)
    {
        bail!(
            "{}: refusing to write into the image being read",
            escape_name(&output.display().to_string())
        );
    }
    let (source, image) = args.read.read(&args.source)?;
    let selection = extract::select(&image, &args.path, args.layer)?;
    let written = if to_stdout {
        let stdout = std::io::stdout().lock();
        extract::write_tar(source.as_ref(), &selection, std::io::BufWriter::new(stdout))?
    } else if args.tar {
        let path = args.output.as_deref().unwrap_or(Path::new("-"));
        let file = create_output(path, args.force)?;
        extract::write_tar(source.as_ref(), &selection, std::io::BufWriter::new(file))?
    } else {
        let dest = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
        extract::write_dir(source.as_ref(), &selection, &dest, args.force)?
    };
    report(args, &selection, &written);
    Ok(())
}

/// A new tar file (an existing one is replaced only with --force, and a symlink there is
/// replaced, not followed).
fn create_output(path: &Path, force: bool) -> Result<std::fs::File> {
    let shown = || escape_name(&path.display().to_string());
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !force || meta.is_dir() {
            bail!("{}: already exists (--force replaces a file)", shown());
        }
        std::fs::remove_file(path).map_err(|e| anyhow::anyhow!("{}: {e}", shown()))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", shown()))
}

/// One line on stderr saying what went where, then one per path not written.
fn report(args: &ExtractArgs, selection: &extract::Selection, written: &Written) {
    let destination = match (&args.output, args.tar) {
        (Some(o), _) if o != Path::new("-") => o.display().to_string(),
        (_, true) => "stdout".to_string(),
        _ => ".".to_string(),
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "imgdive extract: {} (image after layer {}) → {}: {} files ({} bytes), {} directories, {} links",
        escape_name(&selection.path),
        selection.layer,
        escape_name(&destination),
        written.files,
        written.bytes,
        written.dirs,
        written.links
    );
    for skipped in &written.skipped {
        let _ = writeln!(stderr, "imgdive extract: skipped {skipped}");
    }
}
