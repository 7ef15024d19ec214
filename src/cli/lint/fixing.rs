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
            for other in &file.others {
                let diff = fix::diff::unified(&other.display, &other.original, &other.fixed);
                any |= !diff.is_empty();
                out.write_all(diff.as_bytes())?;
            }
        }
        Ok(())
    })?;
    Ok(if any { EXIT_FINDINGS } else { EXIT_OK })
}

/// Writes every changed file back (atomically, unless it changed on disk meanwhile) and, for
/// `-`, the fixed text to stdout; then the other files of the build context the fixes changed
/// (a script two Dockerfiles share is written once). Returns whether some file could not be
/// written (each failure is one line on stderr; the other files are still written).
pub(super) fn write_fixes(
    files: &[PathBuf],
    inputs: &[(Input, &Policy)],
    fixed: &[FixedFile],
) -> Result<bool, Fatal> {
    let mut failed = false;
    let mut report = |written: Result<(), String>| {
        if let Err(message) = written {
            eprintln!("imglint: {message}");
            failed = true;
        }
    };
    let mut others_written: Vec<(&Path, &str)> = Vec::new();
    for ((path, (input, _)), file) in files.iter().zip(inputs).zip(fixed) {
        let bytes = file.fixed_bytes(&input.bytes);
        if path == Path::new("-") {
            let mut out = std::io::stdout().lock();
            quiet_on_closed_pipe(out.write_all(&bytes).and_then(|_| out.flush()))?;
        } else if file.changed() {
            report(
                fix::write::ReadState::of(path, input.bytes.clone())
                    .map_err(|e| format!("{}: cannot fix: {e}", path.display()))
                    .and_then(|read| fix::write::replace(path, &read, &bytes)),
            );
        }
        for other in file.others.iter().filter(|o| o.fixed != o.original) {
            if others_written.contains(&(other.resolved.as_path(), other.fixed.as_str())) {
                continue;
            }
            others_written.push((&other.resolved, &other.fixed));
            report(write_other(input, other));
        }
    }
    Ok(failed)
}

/// Replaces another file of the build context, after checking again that its path still
/// resolves to the same file inside the context (a symlink swapped meanwhile is refused).
fn write_other(input: &Input, other: &fix::FixedOther) -> Result<(), String> {
    let context = input
        .build_context
        .as_deref()
        .ok_or_else(|| format!("{}: no build context", other.display))?;
    let resolved = fix::write::resolve_inside(context, &other.path)?;
    if resolved != other.resolved {
        return Err(format!(
            "{}: changed on disk while being fixed; not overwritten (run again)",
            other.display
        ));
    }
    let read = fix::write::ReadState::of(&resolved, other.bytes.clone())
        .map_err(|e| format!("{}: cannot fix: {e}", other.display))?;
    fix::write::replace(&resolved, &read, other.fixed.as_bytes())
}

/// `--show-fixes`: per file, how many findings of each rule were fixed.
pub(super) fn show_fixes(fixed: &[FixedFile]) {
    let total: usize = fixed.iter().map(|f| f.applied.len()).sum();
    let plural = if total == 1 { "" } else { "s" };
    eprintln!("Fixed {total} finding{plural}:");
    for file in fixed.iter().filter(|f| !f.applied.is_empty()) {
        eprintln!("- {}:", file.linted.file);
        let mut counts: std::collections::BTreeMap<(&str, &str, Option<&str>), usize> =
            Default::default();
        for record in &file.applied {
            *counts
                .entry((record.code, record.name, record.file.as_deref()))
                .or_default() += 1;
        }
        for ((code, name, other), n) in counts {
            match other {
                Some(other) => eprintln!("    {n} × {code} ({name}) in {other}"),
                None => eprintln!("    {n} × {code} ({name})"),
            }
        }
    }
}
