//! Secrets that ship in an image: every layer's files — copies a later layer deleted included,
//! since `rm` does not take bytes out of the layer that stored them — and the config (`Env`,
//! `Labels`, and the history's `created_by`, which records the build arguments a RUN saw).
//!
//! The rules follow the well-kept sets of gitleaks and trivy (private keys, AWS key ids and
//! secret keys, GCP service-account JSON, Azure connection strings, GitHub/GitLab/Slack tokens)
//! plus files whose mere presence is a leak (`.env`, credentials in `.npmrc`, `.pypirc`,
//! `.docker/config.json`, `.git` directories, shell histories). Only regular files up to
//! [`MAX_SCANNED_FILE_BYTES`] are read, and binary files (a NUL byte in their first 8 KiB) only
//! by name. A finding carries a redacted preview, never the secret: see [`redact`].

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use anyhow::Result;
use regex::bytes::Regex;
use serde::Serialize;

use super::model::Image;
use super::source::ImageSource;

/// Files larger than this are not read (their names are still checked).
pub const MAX_SCANNED_FILE_BYTES: u64 = 1 << 20;

/// One secret found in the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    /// What was found (`private-key`, `aws-access-key-id`, `github-token`, `dotenv-file`…).
    pub kind: &'static str,
    /// The file (`/root/.ssh/id_ed25519`), or `config:Env:NAME`, `config:Labels:NAME`,
    /// `config:history:N`.
    pub location: String,
    /// The layer holding the file (`None` for the config).
    pub layer: Option<u32>,
    /// The later layer that deleted or overwrote the file: the secret is invisible in a
    /// container yet still shipped.
    pub hidden_by: Option<u32>,
    /// With `--dockerfile`: the line of the instruction that stored it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// A short prefix and the length; never the secret.
    pub preview: String,
}

/// The first few characters of a secret and its length (`AKIA…(20 chars)`). Short secrets
/// show no prefix at all.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    let shown = if chars >= 16 { 4 } else { 0 };
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({chars} chars)")
}

struct ContentRule {
    kind: &'static str,
    regex: Regex,
}

/// Content rules; the first capture group (or the whole match) is the secret.
fn content_rules() -> &'static [ContentRule] {
    static RULES: OnceLock<Vec<ContentRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let rule = |kind, pattern: &str| ContentRule {
            kind,
            regex: Regex::new(pattern).expect("secret rule compiles"),
        };
        vec![
            rule(
                "private-key",
                r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----\s*([A-Za-z0-9+/=\r\n:,-]{32,})",
            ),
            rule(
                "aws-access-key-id",
                r"\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b",
            ),
            rule(
                "aws-secret-access-key",
                r#"(?i)aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b"#,
            ),
            rule(
                "gcp-service-account",
                r#""type"\s*:\s*"service_account"[\s\S]{0,4096}?"private_key"\s*:\s*"([^"]{16,})""#,
            ),
            rule(
                "azure-connection-string",
                r"(?i)(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{30,}={0,2})",
            ),
            rule(
                "github-token",
                r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b",
            ),
            rule("gitlab-token", r"\b(glpat-[A-Za-z0-9_-]{20})\b"),
            rule("slack-token", r"\b(xox[baprs]-[0-9A-Za-z-]{10,})"),
            rule(
                "slack-webhook",
                r"(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,})",
            ),
        ]
    })
}

/// Credentials in files whose role the name tells.
fn credential_rule(path: &str) -> Option<(&'static str, &'static str)> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == ".npmrc" {
        Some((
            "npmrc-credentials",
            r"(?m)(?:_authToken|_auth|_password)\s*=\s*(\S+)",
        ))
    } else if name == ".pypirc" {
        Some(("pypirc-credentials", r"(?m)^\s*password\s*[:=]\s*(\S+)"))
    } else if path.ends_with(".docker/config.json") {
        Some((
            "docker-config-credentials",
            r#""(?:auth|identitytoken)"\s*:\s*"([^"]+)""#,
        ))
    } else {
        None
    }
}

/// Files that are a leak by their name alone (when not empty).
fn file_kind(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    const HISTORIES: [&str; 8] = [
        ".bash_history",
        ".zsh_history",
        ".ash_history",
        ".sh_history",
        ".python_history",
        ".mysql_history",
        ".psql_history",
        ".node_repl_history",
    ];
    if HISTORIES.contains(&name) {
        return Some("shell-history");
    }
    if name == ".env"
        || (name.starts_with(".env.")
            && !matches!(
                &name[5..],
                "example" | "sample" | "template" | "dist" | "defaults"
            ))
    {
        return Some("dotenv-file");
    }
    None
}

/// The `.git` directory a path lies in, when the path is that directory's `config` or `HEAD`.
fn git_dir(path: &str) -> Option<&str> {
    let dir = path
        .strip_suffix("/.git/config")
        .or_else(|| path.strip_suffix("/.git/HEAD"))?;
    Some(&path[..dir.len() + 5])
}

fn first_match(regex: &Regex, bytes: &[u8]) -> Option<String> {
    let caps = regex.captures(bytes)?;
    let m = caps.get(1).or_else(|| caps.get(0))?;
    Some(String::from_utf8_lossy(m.as_bytes()).into_owned())
}

/// The secrets in one text (a file's content or a config value): `(kind, preview)`.
pub fn scan_text(bytes: &[u8]) -> Vec<(&'static str, String)> {
    content_rules()
        .iter()
        .filter_map(|rule| first_match(&rule.regex, bytes).map(|s| (rule.kind, redact(&s))))
        .collect()
}

/// `text` with every secret the content rules find, and every secret-named `NAME=value` build
/// argument of a `|N …` prefix, replaced by its redacted preview: for showing history commands
/// (`created_by` records build arguments verbatim).
pub fn scrub(text: &str) -> String {
    let mut out = scrub_build_args(text).into_bytes();
    for rule in content_rules() {
        let replaced = rule
            .regex
            .replace_all(&out, |caps: &regex::bytes::Captures| {
                let whole = caps.get(0).map_or(&b""[..], |m| m.as_bytes());
                match caps.get(1) {
                    Some(secret) => {
                        let start = secret.start() - caps.get(0).map_or(0, |m| m.start());
                        let mut kept = whole[..start].to_vec();
                        kept.extend_from_slice(
                            redact(&String::from_utf8_lossy(secret.as_bytes())).as_bytes(),
                        );
                        kept.extend_from_slice(&whole[start + secret.len()..]);
                        kept
                    }
                    None => redact(&String::from_utf8_lossy(whole)).into_bytes(),
                }
            });
        out = replaced.into_owned();
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn scrub_build_args(text: &str) -> String {
    let (args, offset) = match text.strip_prefix('|') {
        Some(rest) => (rest, 1),
        None => match text.strip_prefix("RUN |") {
            Some(rest) => (rest, 5),
            None => return text.to_string(),
        },
    };
    let mut scrubbed = text[..offset].to_string();
    let mut words = args.split(' ');
    if let Some(count) = words.next() {
        scrubbed.push_str(count);
    }
    let mut in_args = true;
    for word in words {
        scrubbed.push(' ');
        match word.split_once('=') {
            Some((name, value)) if in_args && secret_name(name) && literal_value(value) => {
                scrubbed.push_str(name);
                scrubbed.push('=');
                scrubbed.push_str(&redact(value));
            }
            Some(_) if in_args => scrubbed.push_str(word),
            _ => {
                in_args = false;
                scrubbed.push_str(word);
            }
        }
    }
    scrubbed
}

/// The config's secrets and those [`LayerScan`] found in each layer while the analysis read it
/// (the layers are not read again).
pub fn scan(source: &dyn ImageSource, image: &Image) -> Result<Vec<Secret>> {
    let mut found = scan_config(&source.config().bytes);
    let hidden: HashMap<(&str, u32), u32> = image
        .metrics
        .reclaimable
        .iter()
        .map(|r| ((r.path.as_str(), r.stored_in), r.hidden_by))
        .collect();
    for (index, secrets) in image.layer_secrets.iter().enumerate() {
        for (kind, location, preview) in secrets {
            let layer = index as u32;
            let hidden_by = hidden
                .get(&(location.as_str(), layer))
                .copied()
                .or_else(|| {
                    // A directory (`.git`) or an empty file: hidden when the path is gone or
                    // replaced in a later layer.
                    let node = image.tree.lookup(location)?;
                    image
                        .tree
                        .node(node)
                        .versions
                        .iter()
                        .find(|v| v.layer > layer)
                        .map(|v| v.layer)
                });
            found.push(Secret {
                kind,
                location: location.clone(),
                layer: Some(layer),
                hidden_by,
                line: None,
                preview: preview.clone(),
            });
        }
    }
    Ok(found)
}

/// A secret in a layer's file: kind, location (the file or `.git` directory) and preview.
pub type LayerFinding = (&'static str, String, String);

/// The secrets in one layer's regular files, fed one file at a time by the reader that builds
/// the tree ([`super::layer::read_layer`]), so every layer is decompressed once.
#[derive(Debug, Default)]
pub struct LayerScan {
    found: Vec<LayerFinding>,
    seen: BTreeSet<(&'static str, String)>,
    /// `/` + the path of the file being scanned (reused: most files find nothing).
    path: String,
}

impl LayerScan {
    /// Whether the rules read the content of a regular file of `size` bytes.
    pub fn reads_content(size: u64) -> bool {
        size > 0 && size <= MAX_SCANNED_FILE_BYTES
    }

    /// One regular file: `path` normalised into the root (no leading `/`), its size, and its
    /// content when [`LayerScan::reads_content`] says so.
    pub fn file(&mut self, path: &str, size: u64, content: Option<&[u8]>) {
        let mut full = std::mem::take(&mut self.path);
        full.clear();
        full.push('/');
        full.push_str(path);
        self.check(&full, size, content);
        self.path = full;
    }

    fn check(&mut self, path: &str, size: u64, content: Option<&[u8]>) {
        if let Some(dir) = git_dir(path) {
            self.push("git-directory", dir, String::new());
        }
        if size > 0
            && let Some(kind) = file_kind(path)
        {
            self.push(kind, path, format!("({size} bytes)"));
        }
        let Some(bytes) = content else { return };
        if bytes.is_empty() || bytes[..bytes.len().min(8192)].contains(&0) {
            return;
        }
        if let Some((kind, pattern)) = credential_rule(path)
            && let Ok(regex) = Regex::new(pattern)
            && let Some(secret) = first_match(&regex, bytes)
        {
            self.push(kind, path, redact(&secret));
        }
        for (kind, preview) in scan_text(bytes) {
            self.push(kind, path, preview);
        }
    }

    fn push(&mut self, kind: &'static str, location: &str, preview: String) {
        if self.seen.insert((kind, location.to_string())) {
            self.found.push((kind, location.to_string(), preview));
        }
    }

    /// The findings, in the order the files came.
    pub fn finish(self) -> Vec<LayerFinding> {
        self.found
    }
}

/// Environment variable names that say their value is a secret.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
    ]
    .iter()
    .any(|w| upper.contains(w))
}

/// A value that looks like a credential rather than a path, URL or reference.
fn literal_value(value: &str) -> bool {
    value.len() >= 8
        && !value.contains(char::is_whitespace)
        && !value.starts_with(['/', '$', '.'])
        && !value.contains("://")
}

/// `Env`, `Labels` and history `created_by` of the config blob.
pub fn scan_config(bytes: &[u8]) -> Vec<Secret> {
    let Ok(config) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |kind: &'static str, location: String, preview: String| {
        out.push(Secret {
            kind,
            location,
            layer: None,
            hidden_by: None,
            line: None,
            preview,
        });
    };
    let settings = &config["config"];
    let pairs = settings["Env"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.as_str())
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| ("Env", k.to_string(), v.to_string()));
    let labels = settings["Labels"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|v| ("Labels", k.clone(), v.to_string())));
    for (section, name, value) in pairs.chain(labels) {
        let location = format!("config:{section}:{name}");
        let findings = scan_text(value.as_bytes());
        if findings.is_empty() && secret_name(&name) && literal_value(&value) {
            push("secret-variable", location, redact(&value));
            continue;
        }
        for (kind, preview) in findings {
            push(kind, location.clone(), preview);
        }
    }
    for (index, entry) in config["history"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(created_by) = entry["created_by"].as_str() else {
            continue;
        };
        let location = format!("config:history:{index}");
        let findings = scan_text(created_by.as_bytes());
        if findings.is_empty() {
            // `|N NAME=value …`: the build arguments a RUN saw, recorded in the image.
            if let Some(args) = created_by.strip_prefix('|').or_else(|| {
                created_by
                    .strip_prefix("RUN |")
                    .map(|rest| rest.trim_start())
            }) {
                for word in args.split_whitespace().skip(1) {
                    let Some((name, value)) = word.split_once('=') else {
                        break;
                    };
                    if secret_name(name) && literal_value(value) {
                        push(
                            "secret-build-arg",
                            format!("{location}:{name}"),
                            redact(value),
                        );
                    }
                }
            }
        }
        for (kind, preview) in findings {
            push(kind, location.clone(), preview);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_a_short_prefix_only() {
        assert_eq!(redact("AKIAIOSFODNN7EXAMPLE"), "AKIA…(20 chars)");
        assert_eq!(redact("hunter2"), "…(7 chars)");
    }

    #[test]
    fn content_rules_find_each_kind() {
        let token = format!("ghp_{}", "a1B2c3D4e5".repeat(4));
        let text = format!(
            "aws_access_key_id = AKIAZ7VQ3MPLE4XAMP1E\naws_secret_access_key = {}\nGH={token}\nglpat-abcdefghij0123456789\nxoxb-123456789012-abcdef\nDefaultEndpointsProtocol=https;AccountName=acct;AccountKey={}==\n",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKE",
            "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6"
        );
        let kinds: Vec<&str> = scan_text(text.as_bytes())
            .into_iter()
            .map(|f| f.0)
            .collect();
        for kind in [
            "aws-access-key-id",
            "aws-secret-access-key",
            "github-token",
            "gitlab-token",
            "slack-token",
            "azure-connection-string",
        ] {
            assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        }
        for (_, preview) in scan_text(text.as_bytes()) {
            assert!(
                !text.contains(&preview),
                "preview {preview} is not part of the text"
            );
        }
        assert!(scan_text(b"just some text, key = value").is_empty());
    }

    #[test]
    fn config_values_and_build_args_are_scanned() {
        let config = br#"{"config":{"Env":["PATH=/usr/bin","DB_PASSWORD=correct-horse-battery","HOME=/root"],
            "Labels":{"ci.token":"glpat-abcdefghij0123456789"}},
            "history":[{"created_by":"|1 NPM_TOKEN=npm_abcdefghijklmnop /bin/sh -c npm ci"},
                       {"created_by":"RUN |1 GH=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa /bin/sh -c make # buildkit"}]}"#;
        let found = scan_config(config);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.kind, s.location.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("secret-variable", "config:Env:DB_PASSWORD"),
                ("gitlab-token", "config:Labels:ci.token"),
                ("secret-build-arg", "config:history:0:NPM_TOKEN"),
                ("github-token", "config:history:1"),
            ]
        );
        assert!(found.iter().all(|s| s.layer.is_none()));
    }

    #[test]
    fn scrubbed_commands_keep_no_secret() {
        let token = format!("ghp_{}", "a1B2c3D4e5".repeat(4));
        let command = format!("|2 V=1 NPM_TOKEN=npm_abcdefghijklmnop /bin/sh -c curl -H {token} x");
        let scrubbed = scrub(&command);
        assert!(!scrubbed.contains(&token), "{scrubbed}");
        assert!(!scrubbed.contains("npm_abcdefghijklmnop"), "{scrubbed}");
        assert!(
            scrubbed.starts_with("|2 V=1 NPM_TOKEN=npm_…(20 chars) /bin/sh -c curl -H ghp_…"),
            "{scrubbed}"
        );
        assert_eq!(scrub("/bin/sh -c make"), "/bin/sh -c make");
    }

    #[test]
    fn names_that_leak_by_themselves() {
        assert_eq!(file_kind("/root/.bash_history"), Some("shell-history"));
        assert_eq!(file_kind("/app/.env"), Some("dotenv-file"));
        assert_eq!(file_kind("/app/.env.production"), Some("dotenv-file"));
        assert_eq!(file_kind("/app/.env.example"), None);
        assert_eq!(git_dir("/src/app/.git/config"), Some("/src/app/.git"));
        assert_eq!(git_dir("/src/app/.git/objects/ab"), None);
    }
}
