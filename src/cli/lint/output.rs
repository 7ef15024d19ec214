//! Where reports go and in which format; baselines.

use super::*;

/// Streams the report to `--output` or stdout as `produce` writes it (a large report is never
/// held in memory whole).
pub(super) fn write_output(
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

/// The report format: the command line's, else the configuration's (names were checked when
/// the configuration was read), else tty.
pub(super) fn report_format(args: &Args, run_config: &Config) -> Result<Format, Fatal> {
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
pub(super) fn apply_baseline(
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

/// Renders the findings in the chosen format (command line, else the configuration of the
/// working directory, else tty) to stdout or `--output`.
pub(super) fn write_report(
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

/// `--write-baseline`: records every current finding, atomically, never over a linted file.
pub(super) fn write_baseline(
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
pub(super) fn rename_in_report(linted: &mut [engine::LintedFile], name: &str) {
    for file in linted {
        file.file = name.to_string();
        for finding in &mut file.findings {
            finding.file = name.to_string();
        }
    }
}
