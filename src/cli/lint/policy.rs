//! The configuration that applies to each file (searched once per directory) and the policy
//! the command line builds on top of it.

use super::*;

/// Loads configuration files once each.
pub(super) struct ConfigCache {
    /// The environment's settings (`HADOLINT_*`, `IMGLINT_*`), under every file.
    environment: Config,
    explicit: Option<Config>,
    by_path: HashMap<PathBuf, Config>,
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    defaults: Config,
}

impl ConfigCache {
    pub(super) fn new(explicit: Option<&Path>) -> Result<ConfigCache, Fatal> {
        let environment = crate::lint::env::config_from_process()?;
        let explicit = match explicit {
            Some(p) => Some(Config::load_over(p, &environment)?),
            None => None,
        };
        Ok(ConfigCache {
            explicit,
            by_path: HashMap::new(),
            by_dir: HashMap::new(),
            defaults: environment.clone(),
            environment,
        })
    }

    /// The configuration for files in `dir`.
    pub(super) fn for_dir(&mut self, dir: &Path) -> Result<&Config, Fatal> {
        if let Some(c) = &self.explicit {
            return Ok(c);
        }
        let dir = absolute(dir);
        let found = match self.by_dir.get(&dir) {
            Some(found) => found.clone(),
            None => {
                let found = config::discover(&dir);
                self.by_dir.insert(dir, found.clone());
                found
            }
        };
        let Some(path) = found else {
            return Ok(&self.defaults);
        };
        if !self.by_path.contains_key(&path) {
            // Messages name the file as the user would: relative to the working directory.
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.clone());
            let loaded = Config::load_over(&shown, &self.environment)?;
            self.by_path.insert(path.clone(), loaded);
        }
        Ok(&self.by_path[&path])
    }
}

/// The policy for one configuration with the command line applied on top.
pub(super) fn policy_for(config: &Config, args: &Args) -> Result<Policy, Fatal> {
    let mut policy = Policy::from_config(config);
    policy.ignored.extend(args.ignore.iter().cloned());
    if !args.select.is_empty() {
        policy.select = Some(args.select.clone());
    }
    for (names, severity) in [
        (&args.as_style, Severity::Style),
        (&args.as_info, Severity::Info),
        (&args.as_warning, Severity::Warning),
        (&args.as_error, Severity::Error),
    ] {
        policy
            .overrides
            .extend(names.iter().map(|n| (n.clone(), severity)));
    }
    if let Some(threshold) = args.failure_threshold {
        policy.failure_threshold = threshold;
        policy.threshold_from_cli = true;
    }
    policy.disable_ignore_pragma |= args.disable_ignore_pragma;
    policy.shellcheck |= args.shellcheck;
    if policy.shellcheck {
        // Asked once per run, whatever the number of configurations.
        static VERSION: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
        VERSION
            .get_or_init(crate::lint::shellcheck::version)
            .as_ref()
            .map_err(|e| Fatal(format!("--shellcheck: {e}")))?;
    }
    policy.buildkit_check = std::env::var("BUILDKIT_DOCKERFILE_CHECK")
        .ok()
        .filter(|v| !v.trim().is_empty());
    policy.settings.strict_labels |= args.strict_labels;
    policy
        .settings
        .trusted_registries
        .extend(args.trusted_registries.iter().cloned());
    for spec in &args.require_labels {
        let (label, kind) = spec
            .split_once(':')
            .filter(|(l, k)| !l.is_empty() && LabelType::parse(k).is_some())
            .ok_or_else(|| {
                Fatal(format!(
                    "--require-label: `{spec}` is not LABEL:TYPE with TYPE one of {}",
                    LabelType::names()
                ))
            })?;
        policy
            .settings
            .label_schema
            .insert(label.to_string(), kind.to_string());
    }
    for spec in &args.build_args {
        let (name, value) = spec
            .split_once('=')
            .filter(|(n, _)| !n.is_empty())
            .ok_or_else(|| Fatal(format!("--build-arg: `{spec}` is not NAME=VALUE")))?;
        policy
            .settings
            .build_args
            .insert(name.to_string(), value.to_string());
    }
    Ok(policy)
}
