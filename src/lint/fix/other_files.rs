//! Fixes whose edits land in another file of the build context (IL3001's `exec` in a wrapper
//! script): each file read once, refused when its path leaves the build context, and written by
//! the caller with the same rules as the Dockerfile.

use std::path::PathBuf;

use super::*;

/// A file of the build context other than the Dockerfile, fixed (IL3001's wrapper script).
#[derive(Debug, Clone)]
pub struct FixedOther {
    /// Relative to the build context.
    pub path: PathBuf,
    /// As reports name it.
    pub display: String,
    /// Where it is on disk: inside the build context, symlinks resolved.
    pub resolved: PathBuf,
    /// As read (to recognise the same file before replacing it).
    pub bytes: Vec<u8>,
    pub original: String,
    pub fixed: String,
}

/// Scripts and other files a fix edits are read up to this size (an entrypoint script is a few
/// KiB).
pub const MAX_OTHER_FILE_BYTES: u64 = 1 << 20;

/// One other file and the fixes applied to it.
pub(super) struct OtherFix {
    pub(super) file: FixedOther,
    pub(super) applied: Vec<(&'static str, Fix)>,
}

/// Applies the allowed fixes whose edits are all in one other file of the build context, each
/// file read once (refused when its path leaves the build context, it is too large or not
/// UTF-8); a fix that collides with one taken before it in the same file is dropped.
pub(super) fn fix_other_files(
    input: &Input,
    findings: &[Finding],
    mode: FixMode,
    applied: &mut Vec<FixRecord>,
    dropped: &mut Vec<FixRecord>,
) -> Vec<OtherFix> {
    let mut files: Vec<OtherFix> = Vec::new();
    let mut refused_paths: Vec<&PathBuf> = Vec::new();
    for finding in findings {
        let Some(fix) = finding
            .fix
            .as_ref()
            .filter(|fix| mode.allows(fix) && !fix.edits.is_empty() && !fix.in_dockerfile())
        else {
            continue;
        };
        let Some(target) = fix.edits[0].file.as_ref() else {
            continue;
        };
        let mut drop = |why: String| dropped.push(record(finding, why));
        if fix
            .edits
            .iter()
            .any(|e| e.file.as_ref().map(|f| &f.path) != Some(&target.path))
        {
            drop("its edits are in more than one file".into());
            continue;
        }
        if refused_paths.contains(&&target.path) {
            continue;
        }
        let index = match files.iter().position(|o| o.file.path == target.path) {
            Some(i) => i,
            None => match read_other(input, target) {
                Ok(file) => {
                    files.push(OtherFix {
                        file,
                        applied: Vec::new(),
                    });
                    files.len() - 1
                }
                Err(why) => {
                    refused_paths.push(&target.path);
                    drop(why);
                    continue;
                }
            },
        };
        let other = &mut files[index];
        let text = &other.file.original;
        let on_characters = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= text.len()
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        });
        if !on_characters {
            drop(format!(
                "its edit does not fall on the characters of {}",
                target.display
            ));
            continue;
        }
        if other.applied.iter().any(|(_, taken)| taken.collides(fix)) {
            drop(format!(
                "another fix edits the same place of {}",
                target.display
            ));
            continue;
        }
        other.applied.push((finding.code, fix.clone()));
        applied.push(record(finding, String::new()));
    }
    for other in &mut files {
        other.file.fixed = apply(&other.file.original, other.applied.iter().map(|(_, f)| f));
    }
    files
}

/// Reads the file `target` names, inside `input`'s build context.
fn read_other(input: &Input, target: &FileTarget) -> Result<FixedOther, String> {
    let name = &target.display;
    let context = input
        .build_context
        .as_deref()
        .ok_or_else(|| format!("{name}: no build context to find it in"))?;
    let resolved = write::resolve_inside(context, &target.path)?;
    let len = std::fs::metadata(&resolved)
        .map_err(|e| format!("{name}: {e}"))?
        .len();
    if len > MAX_OTHER_FILE_BYTES {
        return Err(format!(
            "{name}: larger than {MAX_OTHER_FILE_BYTES} bytes, not fixed"
        ));
    }
    let bytes = std::fs::read(&resolved).map_err(|e| format!("{name}: {e}"))?;
    let original = String::from_utf8(bytes.clone())
        .map_err(|_| format!("{name}: not valid UTF-8, not fixed"))?;
    Ok(FixedOther {
        path: target.path.clone(),
        display: target.display.clone(),
        resolved,
        bytes,
        fixed: original.clone(),
        original,
    })
}
