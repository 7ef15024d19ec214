//! Registry credentials as the Docker CLI keeps them: `$DOCKER_CONFIG/config.json` (else
//! `~/.docker/config.json`), `credHelpers`/`credsStore` (`docker-credential-<name> get`) first,
//! then `auths`. Errors never contain a credential.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};
use oci_client::secrets::RegistryAuth;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: std::collections::HashMap<String, AuthEntry>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: std::collections::HashMap<String, String>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

#[derive(Deserialize)]
struct HelperReply {
    #[serde(rename = "Username")]
    username: String,
    #[serde(rename = "Secret")]
    secret: String,
}

/// The Docker CLI's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
fn docker_config_path() -> Option<PathBuf> {
    super::endpoints::docker_config_dir().map(|dir| dir.join("config.json"))
}

/// Credentials for `registry` (`host[:port]`, as `Reference::resolve_registry` names it), or
/// anonymous when none are stored.
pub fn credentials_for(registry: &str) -> Result<RegistryAuth> {
    let Some(path) = docker_config_path() else {
        return Ok(RegistryAuth::Anonymous);
    };
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(RegistryAuth::Anonymous),
        Err(e) => return Err(anyhow!("{}: {e}", path.display())),
    };
    let config: DockerConfig = serde_json::from_slice(&text)
        .map_err(|e| anyhow!("{}: not valid JSON ({e})", path.display()))?;
    let wanted = normalise_server(registry);

    let helper = config
        .cred_helpers
        .iter()
        .find(|(server, _)| normalise_server(server) == wanted)
        .map(|(_, helper)| helper.clone())
        .or(config.creds_store.clone());
    if let Some(helper) = helper
        && let Some(auth) = run_credential_helper(&helper, registry)?
    {
        return Ok(auth);
    }
    for (server, entry) in &config.auths {
        if normalise_server(server) != wanted {
            continue;
        }
        if let (Some(user), Some(pass)) = (&entry.username, &entry.password) {
            return Ok(RegistryAuth::Basic(user.clone(), pass.clone()));
        }
        if let Some(encoded) = &entry.auth {
            let decoded = decode_base64(encoded.trim()).with_context(|| {
                format!("{}: auths.{server}.auth is not base64", path.display())
            })?;
            let text = String::from_utf8(decoded).map_err(|_| {
                anyhow!(
                    "{}: auths.{server}.auth is not user:password",
                    path.display()
                )
            })?;
            let (user, pass) = text.split_once(':').with_context(|| {
                format!(
                    "{}: auths.{server}.auth is not user:password",
                    path.display()
                )
            })?;
            return Ok(RegistryAuth::Basic(user.to_string(), pass.to_string()));
        }
    }
    Ok(RegistryAuth::Anonymous)
}

/// Runs `docker-credential-<helper> get` with the server on stdin. `Ok(None)` when the helper
/// knows no credentials for it (or only an identity token, which `oci-client` cannot use).
fn run_credential_helper(helper: &str, registry: &str) -> Result<Option<RegistryAuth>> {
    if helper.is_empty()
        || !helper
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        bail!("credential helper name {helper:?} is not a plain name");
    }
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| anyhow!("cannot run {program}: {e}"))?;
    let server = if registry == "index.docker.io" {
        "https://index.docker.io/v1/"
    } else {
        registry
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading stdin is not an error here; its exit status is.
        let _ = stdin.write_all(server.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| anyhow!("{program}: {e}"))?;
    if !output.status.success() {
        // "credentials not found in native keychain" and the like: fall back to `auths`.
        return Ok(None);
    }
    // The reply holds the secret: never put its text into an error message.
    let reply: HelperReply = serde_json::from_slice(&output.stdout)
        .map_err(|_| anyhow!("{program} get: the reply is not the expected JSON"))?;
    if reply.username == "<token>" {
        return Ok(None);
    }
    Ok(Some(RegistryAuth::Basic(reply.username, reply.secret)))
}

/// `https://index.docker.io/v1/`, `docker.io`, `http://host:5000/` → a comparable host name.
fn normalise_server(server: &str) -> String {
    let without_scheme = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    let host = without_scheme.split('/').next().unwrap_or_default();
    match host {
        "docker.io" | "registry-1.docker.io" | "index.docker.io" => "index.docker.io".to_string(),
        other => other.to_ascii_lowercase(),
    }
}

/// Standard base64 (with or without padding), as the Docker CLI writes `auths.*.auth`.
fn decode_base64(text: &str) -> Result<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes: Vec<u8> = text.bytes().filter(|&b| b != b'=').collect();
    if bytes.len() % 4 == 1 {
        bail!("bad length");
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= value(c).context("bad character")? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_docker_auth_fields() {
        assert_eq!(decode_base64("YWxpY2U6czNjcmV0").unwrap(), b"alice:s3cret");
        assert_eq!(decode_base64("YTpi").unwrap(), b"a:b");
        assert_eq!(decode_base64("YTpiYw==").unwrap(), b"a:bc");
        assert!(decode_base64("YT*i").is_err());
    }

    #[test]
    fn normalises_registry_names() {
        assert_eq!(
            normalise_server("https://index.docker.io/v1/"),
            "index.docker.io"
        );
        assert_eq!(normalise_server("docker.io"), "index.docker.io");
        assert_eq!(normalise_server("http://127.0.0.1:5000/"), "127.0.0.1:5000");
        assert_eq!(normalise_server("GHCR.io"), "ghcr.io");
    }
}
