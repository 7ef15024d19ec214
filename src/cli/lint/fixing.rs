//! `--fix`, `--diff`, `--show-fixes`: what the fix engine computed, written or shown.

use super::*;

/// Fixes that were computed but not applied (they would have broken the file), and files left
/// alone, one line each on stderr.
pub(super) fn report_dropped_fixes(fixed: &[FixedFile]) {
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
pub(super) fn print_diffs(
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
pub(super) fn write_fixes(
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
pub(super) fn show_fixes(fixed: &[FixedFile]) {
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
