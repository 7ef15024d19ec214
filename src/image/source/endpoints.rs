//! Where local image stores listen, found the way their own clients find them, so Docker
//! Desktop, rootless Docker and podman work without `DOCKER_HOST`:
//!
//! - Docker: `DOCKER_HOST`; else the context `DOCKER_CONTEXT` names, else `currentContext` in
//!   the Docker CLI's `config.json` (`$DOCKER_CONFIG`, else `~/.docker`), whose endpoint is
//!   `Endpoints.docker.Host` in `contexts/meta/<sha256 of the name>/meta.json`; else
//!   `/var/run/docker.sock`.
//! - podman: the rootless `$XDG_RUNTIME_DIR/podman/podman.sock`, then the rootful
//!   `/run/podman/podman.sock`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The Docker socket when nothing else names one.
pub const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

/// podman's rootful API socket.
pub const ROOTFUL_PODMAN_SOCKET: &str = "/run/podman/podman.sock";

/// A daemon address and how it was chosen, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `unix:///path` or `tcp://host:port`.
    pub host: String,
    /// `DOCKER_HOST`, `context "desktop-linux"`, `the default socket`…
    pub origin: String,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.host, self.origin)
    }
}

/// What a local store (a daemon, containerd) said about an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// It answers and holds the image.
    Holds,
    /// It answers and does not hold the image.
    Lacks,
    /// It does not answer (no socket, refused, timed out, an error): why.
    Silent(String),
}

/// The Docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`.
pub fn docker_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::home_dir().map(|home| home.join(".docker"))
}

#[derive(Debug, Default, Deserialize)]
struct CliConfig {
    #[serde(default, rename = "currentContext")]
    current_context: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ContextMeta {
    #[serde(rename = "Endpoints", default)]
    endpoints: ContextEndpoints,
}

#[derive(Debug, Default, Deserialize)]
struct ContextEndpoints {
    docker: Option<DockerEndpoint>,
}

#[derive(Debug, Deserialize)]
struct DockerEndpoint {
    #[serde(rename = "Host", default)]
    host: String,
}

/// The Docker endpoint, as the Docker CLI would choose it. A context that is named but cannot
/// be read is an error, not a silent fallback to another daemon.
pub fn docker() -> Result<Endpoint> {
    if let Some(host) = non_empty_env("DOCKER_HOST") {
        return Ok(Endpoint {
            host,
            origin: "DOCKER_HOST".to_string(),
        });
    }
    let config_dir = docker_config_dir();
    let (name, origin) = match non_empty_env("DOCKER_CONTEXT") {
        Some(name) => (Some(name), "DOCKER_CONTEXT"),
        None => (
            config_dir
                .as_deref()
                .and_then(current_context)
                .transpose()?,
            "currentContext",
        ),
    };
    match name {
        Some(name) if name != "default" => {
            let dir = config_dir.context("no home directory for the Docker config")?;
            let host = context_host(&dir, &name)
                .with_context(|| format!("Docker context {name:?} ({origin})"))?;
            Ok(Endpoint {
                host,
                origin: format!("Docker context {name:?}"),
            })
        }
        _ => Ok(Endpoint {
            host: DEFAULT_DOCKER_HOST.to_string(),
            origin: "the default socket".to_string(),
        }),
    }
}

/// `currentContext` of `config.json` in `dir`; none when the file does not exist.
fn current_context(dir: &Path) -> Option<Result<String>> {
    let path = dir.join("config.json");
    let bytes = std::fs::read(&path).ok()?;
    let parsed = serde_json::from_slice::<CliConfig>(&bytes)
        .with_context(|| format!("{}: not a Docker CLI config", path.display()));
    parsed.map(|c| c.current_context).transpose()
}

/// `Endpoints.docker.Host` of context `name`'s `meta.json`.
fn context_host(config_dir: &Path, name: &str) -> Result<String> {
    let hash = super::digest_hex(&super::sha256_digest(name.as_bytes())).to_string();
    let path = config_dir
        .join("contexts/meta")
        .join(hash)
        .join("meta.json");
    let bytes = std::fs::read(&path)
        .with_context(|| format!("no such context (cannot read {})", path.display()))?;
    let meta: ContextMeta = serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a Docker context", path.display()))?;
    match meta.endpoints.docker {
        Some(DockerEndpoint { host }) if !host.is_empty() => Ok(host),
        _ => bail!("{}: no Endpoints.docker.Host", path.display()),
    }
}

/// podman's API sockets, rootless first; only those that exist.
pub fn podman() -> Vec<Endpoint> {
    let mut candidates = Vec::new();
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        candidates.push((
            PathBuf::from(runtime).join("podman/podman.sock"),
            "rootless podman",
        ));
    }
    candidates.push((PathBuf::from(ROOTFUL_PODMAN_SOCKET), "rootful podman"));
    candidates
        .into_iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, origin)| Endpoint {
            host: format!("unix://{}", path.display()),
            origin: origin.to_string(),
        })
        .collect()
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_context_endpoint_by_the_hash_of_its_name() {
        let dir = tempfile::tempdir().unwrap();
        // sha256("desktop-linux"), as the Docker CLI names the directory.
        let meta = dir
            .path()
            .join("contexts/meta/fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e");
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(
            meta.join("meta.json"),
            r#"{"Name":"desktop-linux","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///x/docker.sock","SkipTLSVerify":false}}}"#,
        )
        .unwrap();
        assert_eq!(
            context_host(dir.path(), "desktop-linux").unwrap(),
            "unix:///x/docker.sock"
        );
        let err = context_host(dir.path(), "nope").unwrap_err().to_string();
        assert!(err.contains("no such context"), "{err}");
        std::fs::write(dir.path().join("config.json"), r#"{"currentContext":"a"}"#).unwrap();
        assert_eq!(current_context(dir.path()).unwrap().unwrap(), "a");
        std::fs::write(dir.path().join("config.json"), r#"{"auths":{}}"#).unwrap();
        assert!(current_context(dir.path()).is_none());
    }
}
