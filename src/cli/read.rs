//! The options every imgdive command that reads an image shares (`imgdive`, `imgdive extract`,
//! `imgdive diff`): which platform, which registries over plain HTTP, progress, the
//! decompression budget.

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::image::AnalyzeOptions;
use crate::image::ci;
use crate::image::model::Image;
use crate::image::source::{self, Engine, ImageSource, SourceOptions, SourceSpec};

#[derive(Debug, Clone, clap::Args)]
pub struct ReadArgs {
    /// dive's --source: read a SOURCE without a scheme from `docker` (the daemon, as
    /// daemon://), `podman` (podman's socket or command, as podman://), `containerd` (as
    /// containerd://), `docker-archive` (a tar) or `registry` (as docker://), instead of the
    /// first place that holds it.
    #[arg(long = "source", value_name = "ENGINE")]
    pub engine: Option<String>,

    /// containerd namespace for containerd:// and the lookup of a bare IMAGE (default:
    /// CONTAINERD_NAMESPACE, else `default`).
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,

    /// Platform to pick from a multi-platform image (os/arch[/variant]).
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,

    /// Registry host reachable over plain HTTP (repeatable).
    #[arg(long = "insecure-registry", value_name = "HOST")]
    pub insecure_registry: Vec<String>,

    /// Pull registry blobs into a private directory removed afterwards instead of the cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Cap of the registry blob cache ("10GiB" default, "500MB", bytes): least recently used
    /// blobs are removed after a pull until the cache fits.
    #[arg(long, value_name = "SIZE")]
    pub cache_max: Option<String>,

    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// Stop with an error once all layers together decompress to more than SIZE ("64GiB",
    /// "500MB", bytes, or "disabled"); guards against decompression bombs.
    #[arg(long, value_name = "SIZE", default_value = "64GiB")]
    pub max_decompressed_bytes: String,
}

impl ReadArgs {
    pub fn source_options(&self) -> Result<SourceOptions> {
        let cache_max_bytes = match &self.cache_max {
            Some(size) => Some(
                ci::parse_bytes(size)
                    .context("--cache-max")?
                    .unwrap_or(u64::MAX),
            ),
            None => None,
        };
        Ok(SourceOptions {
            platform: self.platform.clone(),
            insecure_registries: self.insecure_registry.clone(),
            // A malformed value is reported by analyze_options, which runs first.
            max_spool_bytes: ci::parse_bytes(&self.max_decompressed_bytes)
                .ok()
                .map(|max| max.unwrap_or(u64::MAX)),
            containerd_namespace: self.namespace.clone(),
            no_cache: self.no_cache,
            cache_max_bytes,
        })
    }

    pub fn analyze_options(&self) -> Result<AnalyzeOptions> {
        let max = ci::parse_bytes(&self.max_decompressed_bytes)
            .context("--max-decompressed-bytes")?
            .unwrap_or(u64::MAX);
        Ok(AnalyzeOptions {
            progress: !self.no_progress,
            max_decompressed_bytes: max,
        })
    }

    /// Opens SOURCE (nothing is read but the manifest and config).
    pub fn open(&self, source: &str) -> Result<Box<dyn ImageSource>> {
        let spec = match &self.engine {
            Some(engine) => Engine::parse(engine)?.spec(source)?,
            None => SourceSpec::parse(source)?,
        };
        // Where a bare `image:tag` was found: one line on stderr, never mixed into stdout.
        source::open_noting(&spec, &self.source_options()?, &mut |note| {
            eprintln!("imgdive: {}", crate::image::escape_name(note));
        })
    }

    /// SOURCE → the source and its analysis.
    pub fn read(&self, source: &str) -> Result<(Box<dyn ImageSource>, Image)> {
        let analyze_options = self.analyze_options()?;
        let opened = self.open(source)?;
        let image = crate::image::analyze(opened.as_ref(), &analyze_options)?;
        Ok((opened, image))
    }
}

/// Runs a sub-command (`imgdive NAME …`): parses `args` after the program and NAME, runs it, and
/// turns an error into one escaped line on stderr and exit code 2.
pub fn run_command<A: clap::Parser>(
    name: &str,
    args: &[OsString],
    run: impl FnOnce(&A) -> Result<ExitCode>,
) -> ExitCode {
    let argv = std::iter::once(OsString::from(format!("imgdive {name}")))
        .chain(args.iter().skip(2).cloned());
    let parsed = match A::try_parse_from(argv) {
        Ok(parsed) => parsed,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    run(&parsed).unwrap_or_else(|err| {
        let message = crate::image::escape_name(&format!("{err:#}"));
        eprintln!("imgdive {name}: error: {message}");
        ExitCode::from(2)
    })
}
