//! Which files are linted and how they are read: arguments and directories, stdin, the size
//! limit, display names, and refusing an output that names an input.

use super::*;

/// Reads `-` or a file, at most `limit` bytes (a device such as /dev/zero, or a huge file, is
/// refused rather than read until memory runs out); errors name the file.
pub(super) fn read_input(path: &Path, stdin_name: &str, limit: u64) -> Result<Vec<u8>, Fatal> {
    let mut bytes = Vec::new();
    let (name, read) = if path == Path::new("-") {
        let read = std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes);
        (stdin_name.to_string(), read)
    } else {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(Fatal(format!("{name}: is a directory")));
        }
        let read =
            std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes));
        (name, read)
    };
    read.map_err(|e| Fatal(format!("{name}: {}", discover::describe_io_error(&e))))?;
    if bytes.len() as u64 > limit {
        return Err(Fatal(format!(
            "{name}: larger than {limit} bytes (--max-file-size), not linted"
        )));
    }
    Ok(bytes)
}

/// Refuses an `--output` that is one of the inputs, however it is named (`sub/../Dockerfile`,
/// a symlink, a hard link): the same device and inode as any input file.
pub(super) fn refuse_overwriting_inputs(args: &Args, inputs: &[PathBuf]) -> Result<(), Fatal> {
    use std::os::unix::fs::MetadataExt;
    let Some(output) = &args.output else {
        return Ok(());
    };
    let Ok(target) = std::fs::metadata(output) else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    let same = |input: &PathBuf| {
        input != Path::new("-")
            && std::fs::metadata(input)
                .is_ok_and(|m| m.dev() == target.dev() && m.ino() == target.ino())
    };
    if let Some(input) = inputs.iter().find(|i| same(i)) {
        return Err(Fatal(format!(
            "{}: --output would overwrite the input {}",
            output.display(),
            input.display()
        )));
    }
    Ok(())
}

pub(super) fn display_name_for(path: &Path, args: &Args) -> String {
    if path == Path::new("-") {
        return args.stdin_filename.clone().unwrap_or_else(|| "-".into());
    }
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

pub(super) fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The file's directory ("" becomes ".").
pub(super) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The paths given (default `.`), checked, and expanded into the files to lint, in order: each
/// argument in turn, directories walked, `-` (stdin) where it was given.
pub(super) fn discover_files(args: &Args) -> Result<Vec<PathBuf>, Fatal> {
    let paths = given_paths(args);
    let stdin_count = paths.iter().filter(|p| *p == Path::new("-")).count();
    if stdin_count > 1 {
        return Err(Fatal("`-` (stdin) can be given only once".into()));
    }
    if args.stdin_filename.is_some() && stdin_count == 0 {
        return Err(Fatal("--stdin-filename needs `-` among the paths".into()));
    }
    if let Some(context) = &args.context
        && !context.is_dir()
    {
        return Err(Fatal(format!(
            "{}: --context is not a directory",
            context.display()
        )));
    }

    let mut files = Vec::new();
    for path in &paths {
        if path == Path::new("-") {
            files.push(path.clone());
            continue;
        }
        let found = discover::expand(std::slice::from_ref(path)).map_err(|e| Fatal(e.0))?;
        if found.is_empty() {
            // A wrong path must not pass CI by linting nothing.
            return Err(Fatal(format!(
                "{}: no Dockerfiles found (looked for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)",
                path.display()
            )));
        }
        files.extend(found);
    }
    refuse_overwriting_inputs(args, &files)?;
    Ok(files)
}

/// The paths to lint: the arguments, or the working directory.
pub(super) fn given_paths(args: &Args) -> Vec<PathBuf> {
    if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    }
}

/// Reads every file and pairs it with the policy of its configuration (the nearest config file,
/// or `--config`, with the command line on top): `(input, index into the policies)`. Files
/// sharing a configuration share one policy.
#[allow(clippy::type_complexity)]
pub(super) fn load_inputs(
    args: &Args,
    files: &[PathBuf],
    configs: &mut ConfigCache,
    verbose: bool,
) -> Result<(Vec<(Input, usize)>, Vec<Policy>), Fatal> {
    let mut policies: Vec<Policy> = Vec::new();
    let mut policy_of_config: HashMap<Option<PathBuf>, usize> = HashMap::new();
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let is_stdin = path == Path::new("-");
        let display_name = display_name_for(path, args);
        let dir = if is_stdin {
            args.stdin_filename
                .as_deref()
                .map(|n| parent_dir(Path::new(n)))
                .unwrap_or_else(|| PathBuf::from("."))
        } else {
            parent_dir(path)
        };
        let config = configs.for_dir(&dir)?;
        if verbose {
            let source = config
                .source
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "no configuration file".into());
            eprintln!("imglint: linting {display_name} ({source})");
        }
        let index = match policy_of_config.get(&config.source) {
            Some(i) => *i,
            None => {
                policies.push(policy_for(config, args)?);
                policy_of_config.insert(config.source.clone(), policies.len() - 1);
                policies.len() - 1
            }
        };
        let build_context = match (&args.context, is_stdin) {
            (Some(c), _) => Some(c.clone()),
            (None, false) => Some(dir),
            (None, true) => args.stdin_filename.as_ref().map(|_| dir),
        };
        let bytes = read_input(path, &display_name, args.max_file_size)?;
        inputs.push((
            Input {
                path: PathBuf::from(&display_name),
                display_name,
                bytes,
                build_context,
            },
            index,
        ));
    }
    Ok((inputs, policies))
}
