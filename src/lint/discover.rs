//! Which files `imglint PATH…` lints: named files as they are, directories walked (honouring
//! `.gitignore`, `.ignore` and `.git/info/exclude` as ripgrep does) for files named like
//! Dockerfiles.

use std::path::{Path, PathBuf};

/// Whether a file name looks like a Dockerfile: `Dockerfile`, `Containerfile`, `*.Dockerfile`,
/// `*.dockerfile`, `Dockerfile.*`, `Containerfile.*` (case-insensitive), but not BuildKit's
/// per-Dockerfile ignore files (`Dockerfile.dockerignore`).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

/// A path that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError(pub String);

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Expands the command-line paths into files, in a deterministic order: each argument in turn,
/// a directory's files sorted by path. A file named twice is linted once.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PathError> {
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| PathError(format!("{}: {}", path.display(), describe_io_error(&e))))?;
        if meta.is_dir() {
            let mut found = walk(path)?;
            found.sort();
            for f in found {
                if seen.insert(f.clone()) {
                    files.push(f);
                }
            }
        } else if seen.insert(path.clone()) {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>, PathError> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        // Hidden directories such as .devcontainer/ and .github/ hold Dockerfiles too.
        .hidden(false)
        // Honour .gitignore even in a directory that is not (yet) a git repository.
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| PathError(format!("{}: {e}", dir.display())))?;
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if is_file && is_dockerfile_name(&entry.file_name().to_string_lossy()) {
            found.push(entry.into_path());
        }
    }
    Ok(found)
}

/// An I/O error in a few words (without Rust's `(os error 2)` suffix).
pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "api.Dockerfile",
            "api.dockerfile",
            "Dockerfile.dev",
            "Containerfile.arm64",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "dockerfiles",
            "docker-compose.yml",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }

    #[test]
    fn walks_sorted_and_honours_gitignore() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "b/Dockerfile",
            "a/api.Dockerfile",
            ".devcontainer/Dockerfile",
            "ignored/Dockerfile",
            "a/notes.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "FROM a\n").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let files = expand(&[root.to_path_buf(), root.join("b/Dockerfile")]).unwrap();
        let rel: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            rel,
            vec![
                ".devcontainer/Dockerfile",
                "a/api.Dockerfile",
                "b/Dockerfile"
            ]
        );
        let err = expand(&[root.join("missing")]).unwrap_err();
        assert!(
            err.0.ends_with("missing: no such file or directory"),
            "{err}"
        );
    }
}
