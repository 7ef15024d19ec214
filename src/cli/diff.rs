//! `imgdive diff A B`: what changed in the final filesystem from image A to image B, biggest
//! first, with the size delta; `--json FILE|-` for tools, `--ci` to fail a build that grows the
//! image too much.
//!
//! Exit codes: 0 compared (and the CI rule passed), 1 the CI rule failed, 2 usage error or an
//! image could not be read.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use serde::Serialize;

use super::read::ReadArgs;
use crate::image::ci::{self, CiRules, Status};
use crate::image::diff::{self, Changed, ImageDiff, PathChange, Summary};
use crate::image::escape_name;
use crate::image::model::Image;
use crate::pretty_json;

/// Compare two images: added, removed and modified paths, biggest first.
#[derive(Debug, Parser)]
#[command(
    name = "imgdive diff",
    version,
    after_help = "A and B: any SOURCE imgdive reads (an archive and a registry tag can be compared).\nModified = type, mode, owner, size, link target or content differ (never the mtime alone).\n\nExit codes: 0 compared (CI rule passed), 1 the CI rule failed, 2 usage error or unreadable image."
)]
pub struct DiffArgs {
    /// The image before.
    #[arg(value_name = "A")]
    pub a: String,

    /// The image after.
    #[arg(value_name = "B")]
    pub b: String,

    /// Write the comparison as JSON to FILE ("-" for stdout) instead of the text listing.
    #[arg(short = 'j', long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Evaluate `highestSizeIncrease` (from --ci-config or the flag); exit 1 when it fails.
    #[arg(long)]
    pub ci: bool,

    /// Rules file (dive's `.dive-ci` format, key `rules.highestSizeIncrease`).
    #[arg(long = "ci-config", value_name = "FILE", default_value = ".dive-ci")]
    pub ci_config: PathBuf,

    /// Fail when B is bigger than A by more than SIZE ("20MB", "20MiB") or PERCENT of A ("10%").
    #[arg(
        long = "highest-size-increase",
        alias = "highestSizeIncrease",
        value_name = "SIZE|PERCENT"
    )]
    pub highest_size_increase: Option<String>,

    /// How many changed paths the text listing shows (0 = all).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub top: usize,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// Runs `imgdive diff` (`args[0]` is the program, `args[1]` is `diff`).
pub fn main_with_args(args: &[OsString]) -> ExitCode {
    super::read::run_command("diff", args, |args: &DiffArgs| {
        Ok(if run(args)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// Whether the CI rule (if asked for) passed.
fn run(args: &DiffArgs) -> Result<bool> {
    let limit = if args.ci {
        let mut rules = CiRules::from_config_arg(&args.ci_config)?;
        if let Some(value) = &args.highest_size_increase {
            rules
                .set("highestSizeIncrease", value)
                .context("--highest-size-increase")?;
        }
        Some(rules.highest_size_increase)
    } else {
        None
    };
    let a = args.read.open(&args.a)?;
    let b = args.read.open(&args.b)?;
    let (image_a, image_b, shared) =
        diff::analyze_pair(a.as_ref(), b.as_ref(), &args.read.analyze_options()?)?;
    let result = diff::diff(&image_a, &image_b);
    if let Some(path) = &args.json {
        let inputs: Vec<PathBuf> = [&args.a, &args.b]
            .into_iter()
            .filter_map(|s| super::dive::input_path(s))
            .collect();
        let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        let export = DiffExport::new(&image_a, &image_b, &result);
        super::dive::write_output(path, &inputs, &|w| pretty_json::write_document(w, &export))?;
    } else {
        let mut stdout = std::io::stdout().lock();
        let mut text = text_report(&image_a, &image_b, &result, args.top);
        let _ = writeln!(
            text,
            "{shared} layers in both images (same diff_id), read once"
        );
        let _ = stdout.write_all(text.as_bytes());
    }
    let Some(limit) = limit else {
        return Ok(true);
    };
    let verdict = ci::evaluate_size_increase(
        image_a.metrics.total_size,
        image_b.metrics.total_size,
        limit,
    );
    // With --json - the verdict goes to stderr, so stdout stays one JSON document.
    let line = format!(
        "  {}: {}{}\n",
        verdict.status.label(),
        verdict.rule,
        if verdict.message.is_empty() {
            String::new()
        } else {
            format!(" ({})", verdict.message)
        }
    );
    if args.json.as_deref() == Some(Path::new("-")) {
        eprint!("{line}");
    } else {
        print!("{line}");
    }
    Ok(verdict.status != Status::Fail)
}

/// `--json`'s document.
#[derive(Serialize)]
struct DiffExport<'a> {
    a: Side,
    b: Side,
    changes: &'a [Changed],
    summary: &'a Summary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Side {
    source: String,
    size_bytes: u64,
}

impl<'a> DiffExport<'a> {
    fn new(a: &Image, b: &Image, result: &'a ImageDiff) -> DiffExport<'a> {
        let side = |image: &Image| Side {
            source: image.reference.clone(),
            size_bytes: image.metrics.total_size,
        };
        DiffExport {
            a: side(a),
            b: side(b),
            changes: &result.changes,
            summary: &result.summary,
        }
    }
}

fn signed(delta: i64) -> String {
    let size = ci::human(delta.unsigned_abs());
    match delta.signum() {
        -1 => format!("-{size}"),
        1 => format!("+{size}"),
        _ => size,
    }
}

/// The listing: one line per changed path (marker, sizes, delta, path), then the totals.
fn text_report(a: &Image, b: &Image, result: &ImageDiff, top: usize) -> String {
    let mut s = String::new();
    for (label, image) in [("A", a), ("B", b)] {
        let _ = writeln!(
            s,
            "{label}: {}  ({}, {} layers)",
            escape_name(&image.reference),
            ci::human(image.metrics.total_size),
            image.layers.len()
        );
    }
    let _ = writeln!(s, "\n   {:>11}  {:>11}  {:>11}  Path", "A", "B", "Delta");
    let shown = if top == 0 { result.changes.len() } else { top };
    for change in result.changes.iter().take(shown) {
        let marker = match change.change {
            PathChange::Added => '+',
            PathChange::Removed => '-',
            PathChange::Modified => '~',
        };
        let size = |s: Option<u64>| s.map_or_else(|| "-".to_string(), ci::human);
        let _ = writeln!(
            s,
            "{marker}  {:>11}  {:>11}  {:>11}  {}",
            size(change.a_size),
            size(change.b_size),
            signed(change.size_delta()),
            escape_name(&change.path)
        );
    }
    if result.changes.len() > shown {
        let _ = writeln!(
            s,
            "   … {} more (--top 0 lists all)",
            result.changes.len() - shown
        );
    }
    let sum = &result.summary;
    let _ = writeln!(
        s,
        "\n{} added, {} removed, {} modified; size {} ({} → {})",
        sum.added,
        sum.removed,
        sum.modified,
        signed(sum.size_delta),
        ci::human(a.metrics.total_size),
        ci::human(b.metrics.total_size)
    );
    s
}
