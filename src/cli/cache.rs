//! `imgdive cache prune`: shrinks the registry blob cache now (a pull trims it to its cap
//! afterwards anyway), least recently used blobs first.

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::image::ci;
use crate::image::source::{cache, registry};

/// Manage the registry blob cache ($XDG_CACHE_HOME/imgdive, else ~/.cache/imgdive).
#[derive(Debug, Parser)]
pub struct CacheArgs {
    #[command(subcommand)]
    command: CacheCommand,
}

#[derive(Debug, Subcommand)]
enum CacheCommand {
    /// Remove least recently used blobs until the cache holds at most --max (default 10GiB).
    Prune {
        /// What the cache may keep ("2GiB", "500MB", bytes).
        #[arg(long, value_name = "SIZE", conflicts_with = "all")]
        max: Option<String>,
        /// Remove every blob.
        #[arg(long)]
        all: bool,
    },
}

pub fn main_with_args(args: &[OsString]) -> ExitCode {
    super::read::run_command("cache", args, |args: &CacheArgs| {
        run(args).map(|()| ExitCode::SUCCESS)
    })
}

fn run(args: &CacheArgs) -> Result<()> {
    let CacheCommand::Prune { max, all } = &args.command;
    let max = match (all, max) {
        (true, _) => 0,
        (false, Some(size)) => ci::parse_bytes(size).context("--max")?.unwrap_or(u64::MAX),
        (false, None) => cache::DEFAULT_MAX_BYTES,
    };
    let dir = registry::cache_dir().context("no cache directory")?;
    let trimmed = cache::trim(&dir, max, &[])?;
    println!(
        "removed {} blobs ({} bytes); {} blobs ({} bytes) kept in {}",
        trimmed.removed_blobs,
        trimmed.removed_bytes,
        trimmed.kept_blobs,
        trimmed.kept_bytes,
        crate::image::escape_name(&dir.display().to_string())
    );
    Ok(())
}
