//! Build stages: which instructions belong to which FROM, the image each FROM names (split and
//! expanded with the global ARGs), stage names, and which ARGs are visible where.

use super::ast::{Dockerfile, ImageRef, Instruction, Keyword, ParseError, Stage};
use super::expand::{expand, unquote};
use std::collections::HashMap;

/// Build arguments BuildKit defines itself: usable in FROM and RUN without an ARG declaring
/// them. Their values depend on the build, so they are never guessed.
pub const PREDEFINED_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
];

/// Whether `name` is one of BuildKit's [`PREDEFINED_ARGS`].
pub fn is_predefined_arg(name: &str) -> bool {
    PREDEFINED_ARGS.contains(&name)
}

/// Assigns instructions to stages and builds [`Dockerfile::stages`] and `global_args`.
pub(crate) fn build_stages(df: &mut Dockerfile) {
    let escape = df.escape;
    // Global ARGs, in order: name → value (None: declared without default).
    let mut globals: HashMap<String, Option<String>> = HashMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut errors = Vec::new();
    for index in 0..df.instructions.len() {
        let instruction = &df.instructions[index];
        match instruction.keyword {
            Keyword::From => {
                if let Some(last) = stages.last_mut() {
                    last.instructions.end = index;
                }
                let stage = stage_from(
                    instruction,
                    index,
                    stages.len(),
                    &globals,
                    &stages,
                    escape,
                    &mut errors,
                );
                stages.push(stage);
            }
            Keyword::Arg if stages.is_empty() => {
                df.global_args.push(index);
                // ARG's `args` are the raw words, one per pair: expand the raw text after `=`
                // so quotes and escapes are processed exactly once.
                for (pair, word) in instruction.pairs.iter().zip(&instruction.args) {
                    let value = word.value.split_once('=').map(|(_, raw)| {
                        let lookup = |name: &str| globals.get(name).cloned().flatten();
                        expand(raw, escape, &lookup)
                            .map(|e| e.value)
                            .unwrap_or_else(|_| unquote(raw, escape))
                    });
                    globals.insert(pair.key.value.clone(), value);
                }
            }
            _ => {}
        }
        df.instructions[index].stage = stages.len().checked_sub(1);
        if let Some(inner) = df.instructions[index].onbuild.as_deref_mut() {
            inner.stage = stages.len().checked_sub(1);
        }
    }
    if let Some(last) = stages.last_mut() {
        last.instructions.end = df.instructions.len();
    }
    df.stages = stages;
    df.errors.extend(errors);
    df.errors.sort_by_key(|e| e.span.start);
}

fn stage_from(
    from: &Instruction,
    index: usize,
    stage_index: usize,
    globals: &HashMap<String, Option<String>>,
    earlier: &[Stage],
    escape: char,
    errors: &mut Vec<ParseError>,
) -> Stage {
    let raw = from
        .args
        .first()
        .map(|a| a.value.clone())
        .unwrap_or_default();
    let lookup = |name: &str| globals.get(name).cloned().flatten();
    let (expanded, unresolved) = match expand(&raw, escape, &lookup) {
        Ok(e) => {
            let unresolved = !e.is_resolved();
            (e.value, unresolved)
        }
        Err(message) => {
            errors.push(ParseError {
                message: format!("FROM image reference: {message}"),
                span: from.args[0].span,
            });
            (unquote(&raw, escape), true)
        }
    };
    let mut image = ImageRef::split(&expanded);
    image.raw = raw;
    image.unresolved = unresolved;

    let (name, name_span) = match from.args.get(2) {
        Some(n) if from.args.len() == 3 => (Some(n.value.to_ascii_lowercase()), Some(n.span)),
        _ => (None, None),
    };
    if let (Some(n), Some(span)) = (&name, name_span)
        && !valid_stage_name(n)
    {
        errors.push(ParseError {
            message: format!(
                "invalid name for build stage: {n:?}, name can't start with a number or contain symbols"
            ),
            span,
        });
    }
    let parent_stage = if unresolved {
        None
    } else {
        let lower = expanded.to_ascii_lowercase();
        earlier
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
            .map(|s| s.index)
    };
    Stage {
        index: stage_index,
        name,
        name_span,
        image,
        parent_stage,
        platform: from.flag_value("platform").map(str::to_string),
        from_instruction: index,
        instructions: index..index + 1,
    }
}

/// BuildKit: `^[a-z][a-z0-9-_\.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '-' | '_' | '.'))
}

impl ImageRef {
    /// Splits `[registry/]repository[:tag][@digest]` as written; no defaults are filled in.
    pub fn split(reference: &str) -> ImageRef {
        let (name, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (reference, None),
        };
        let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(name[last_slash + i + 1..].to_string()),
            ),
            None => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            raw: reference.to_string(),
            expanded: reference.to_string(),
            unresolved: false,
            registry,
            repository,
            tag,
            digest,
        }
    }

    /// The registry, `docker.io` when none is written.
    pub fn registry_or_default(&self) -> &str {
        self.registry.as_deref().unwrap_or("docker.io")
    }

    /// The fully qualified repository name, as `docker pull` resolves it:
    /// `ubuntu` → `docker.io/library/ubuntu`.
    pub fn normalized_name(&self) -> String {
        let registry = self.registry_or_default();
        let registry = if registry == "index.docker.io" {
            "docker.io"
        } else {
            registry
        };
        if registry == "docker.io" && !self.repository.contains('/') {
            format!("docker.io/library/{}", self.repository)
        } else {
            format!("{registry}/{}", self.repository)
        }
    }

    /// The normalised full reference: tag `latest` when neither tag nor digest is written.
    pub fn normalized(&self) -> String {
        let mut s = self.normalized_name();
        match (&self.tag, &self.digest) {
            (None, None) => s.push_str(":latest"),
            (tag, digest) => {
                if let Some(t) = tag {
                    s.push(':');
                    s.push_str(t);
                }
                if let Some(d) = digest {
                    s.push('@');
                    s.push_str(d);
                }
            }
        }
        s
    }
}

/// The ARGs visible at instruction `index`: inside a stage, the ARGs declared earlier in that
/// stage (a re-declared global ARG takes the global default when it has none of its own); before
/// the first FROM, the global ARGs so far. Values are unquoted but not expanded; `None` means
/// declared without a value.
pub fn args_in_scope(df: &Dockerfile, index: usize) -> Vec<(String, Option<String>)> {
    let mut globals: Vec<(String, Option<String>)> = Vec::new();
    for &g in &df.global_args {
        for pair in &df.instructions[g].pairs {
            set(
                &mut globals,
                &pair.key.value,
                pair.value.as_ref().map(|v| v.value.clone()),
            );
        }
    }
    let Some(stage_index) = df.instructions.get(index).and_then(|i| i.stage) else {
        let mut visible = Vec::new();
        for &g in df.global_args.iter().filter(|&&g| g < index) {
            for pair in &df.instructions[g].pairs {
                set(
                    &mut visible,
                    &pair.key.value,
                    pair.value.as_ref().map(|v| v.value.clone()),
                );
            }
        }
        return visible;
    };
    let stage = &df.stages[stage_index];
    let mut visible = Vec::new();
    for instruction in &df.instructions[stage.instructions.start..index.min(stage.instructions.end)]
    {
        if instruction.keyword != Keyword::Arg {
            continue;
        }
        for pair in &instruction.pairs {
            let value = match &pair.value {
                Some(v) => Some(v.value.clone()),
                None => globals
                    .iter()
                    .find(|(n, _)| *n == pair.key.value)
                    .and_then(|(_, v)| v.clone()),
            };
            set(&mut visible, &pair.key.value, value);
        }
    }
    visible
}

fn set(list: &mut Vec<(String, Option<String>)>, name: &str, value: Option<String>) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 = value,
        None => list.push((name.to_string(), value)),
    }
}

/// The stage an instruction belongs to.
pub fn stage_of<'d>(df: &'d Dockerfile, instr: &Instruction) -> Option<&'d Stage> {
    instr.stage.and_then(|s| df.stages.get(s))
}

/// The stage and the stages it is built FROM, nearest first.
pub fn stage_chain(df: &Dockerfile, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(parent) = df.stages.get(current).and_then(|s| s.parent_stage) {
        if chain.contains(&parent) || parent >= current {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The last USER in force for a stage (looking through the stages it is built FROM).
pub fn effective_user(df: &Dockerfile, stage: usize) -> Option<&Instruction> {
    stage_chain(df, stage).into_iter().find_map(|s| {
        df.stage_instructions(&df.stages[s])
            .iter()
            .rev()
            .find(|i| i.keyword == Keyword::User)
    })
}

/// Instructions of a stage with their indices.
pub fn stage_instructions<'d>(
    df: &'d Dockerfile,
    stage: &Stage,
) -> impl Iterator<Item = (usize, &'d Instruction)> + 'd {
    let range = stage.instructions.clone();
    range.map(move |i| (i, &df.instructions[i]))
}

/// Stages whose filesystem ends up in the final image: the final stage and the stages it is
/// built FROM.
pub fn final_chain(df: &Dockerfile) -> Vec<usize> {
    match df.final_stage() {
        Some(s) => stage_chain(df, s.index),
        None => Vec::new(),
    }
}

/// Global ARGs (before the first FROM) declared before instruction `index`, with defaults.
pub fn global_args_before(df: &Dockerfile, index: usize) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for &g in df.global_args.iter().filter(|&&g| g < index) {
        for pair in &df.instructions[g].pairs {
            let value = pair.value.as_ref().map(|v| v.value.clone());
            match out.iter_mut().find(|(n, _)| *n == pair.key.value) {
                Some(e) => e.1 = value,
                None => out.push((pair.key.value.clone(), value)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_references() {
        let r = ImageRef::split("ubuntu");
        assert_eq!(
            (r.registry, r.repository.as_str(), r.tag, r.digest),
            (None, "ubuntu", None, None)
        );
        let r = ImageRef::split("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::split("library/node:20-alpine");
        assert_eq!(r.registry, None);
        assert_eq!(r.repository, "library/node");
        assert_eq!(r.normalized(), "docker.io/library/node:20-alpine");
        assert_eq!(
            ImageRef::split("ubuntu").normalized(),
            "docker.io/library/ubuntu:latest"
        );
        assert_eq!(
            ImageRef::split("ghcr.io/o/r").normalized_name(),
            "ghcr.io/o/r"
        );
    }

    #[test]
    fn stage_names() {
        assert!(valid_stage_name("build-env_1.x"));
        assert!(!valid_stage_name("1build"));
        assert!(!valid_stage_name("a/b"));
    }

    #[test]
    fn predefined_args_cover_platform_and_proxy_args() {
        for name in [
            "TARGETPLATFORM",
            "BUILDARCH",
            "TARGETSTAGE",
            "HTTP_PROXY",
            "no_proxy",
        ] {
            assert!(super::is_predefined_arg(name), "{name}");
        }
        // Case matters: BuildKit predefines only these spellings of the proxy ARGs.
        assert!(!super::is_predefined_arg("Http_Proxy"));
        assert!(!super::is_predefined_arg("VERSION"));
    }
}
