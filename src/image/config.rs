//! The image's own settings: what the config blob says the container runs with (`User`, `Cmd`,
//! `Env`, …), when and by whom it was made, and the manifest's and index's annotations.
//!
//! [`RunConfig`] reads the config's `config` object under the Go names Docker and OCI write;
//! [`ImageSettings`] is what imgdive shows of it (TUI "Image config" overlay, `imgdive.config`
//! in `--json`), with camelCase keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The config blob's `config` object (OCI image spec "Properties", Docker's `ContainerConfig`).
/// Every key may be absent or `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RunConfig {
    #[serde(default, rename = "User")]
    pub user: Option<String>,
    #[serde(default, rename = "WorkingDir")]
    pub working_dir: Option<String>,
    #[serde(default, rename = "Entrypoint")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, rename = "Cmd")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, rename = "Env")]
    pub env: Option<Vec<String>>,
    /// Keys such as `8080/tcp`; the values are empty objects.
    #[serde(default, rename = "ExposedPorts")]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, rename = "Volumes")]
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, rename = "Labels")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default, rename = "StopSignal")]
    pub stop_signal: Option<String>,
    /// Docker's extension (the OCI spec has none): `HEALTHCHECK` of the Dockerfile.
    #[serde(default, rename = "Healthcheck")]
    pub healthcheck: Option<RawHealthcheck>,
    /// Docker's extension: `ONBUILD` triggers.
    #[serde(default, rename = "OnBuild")]
    pub on_build: Option<Vec<String>>,
}

/// Docker's `HealthConfig`; durations in nanoseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RawHealthcheck {
    #[serde(default, rename = "Test")]
    pub test: Option<Vec<String>>,
    #[serde(default, rename = "Interval")]
    pub interval: Option<i64>,
    #[serde(default, rename = "Timeout")]
    pub timeout: Option<i64>,
    #[serde(default, rename = "StartPeriod")]
    pub start_period: Option<i64>,
    #[serde(default, rename = "StartInterval")]
    pub start_interval: Option<i64>,
    #[serde(default, rename = "Retries")]
    pub retries: Option<i64>,
}

/// `HEALTHCHECK` as imgdive reports it: the config's values, durations in nanoseconds as stored
/// (0 or absent = the runtime's default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Healthcheck {
    /// `["CMD", …]`, `["CMD-SHELL", "…"]` or `["NONE"]`.
    pub test: Vec<String>,
    pub interval_ns: i64,
    pub timeout_ns: i64,
    pub start_period_ns: i64,
    pub start_interval_ns: i64,
    pub retries: i64,
}

/// What the image says about itself, as imgdive shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageSettings {
    pub user: String,
    pub working_dir: String,
    /// `null` when the config sets none (not the same as an empty list: that resets a base's).
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    /// `KEY=value` strings, in the config's order.
    pub env: Vec<String>,
    /// The config's keys (`8080/tcp`), sorted.
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub stop_signal: String,
    pub healthcheck: Option<Healthcheck>,
    pub on_build: Vec<String>,
    /// RFC 3339 time the image was created, as the config states it.
    pub created: Option<String>,
    pub author: String,
    pub architecture: String,
    pub os: String,
    pub variant: Option<String>,
    /// The index's, the index entry's and the manifest's annotations merged (the manifest wins);
    /// empty for sources without them (a classic `docker save` archive).
    pub annotations: BTreeMap<String, String>,
}

/// The top-level fields of the config blob besides `config`.
pub struct ConfigHeader<'a> {
    pub created: Option<&'a str>,
    pub author: Option<&'a str>,
    pub architecture: &'a str,
    pub os: &'a str,
    pub variant: Option<&'a str>,
}

impl ImageSettings {
    pub fn new(
        header: ConfigHeader<'_>,
        run: &RunConfig,
        annotations: BTreeMap<String, String>,
    ) -> ImageSettings {
        let keys = |map: &Option<BTreeMap<String, serde_json::Value>>| {
            map.as_ref()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default()
        };
        ImageSettings {
            user: run.user.clone().unwrap_or_default(),
            working_dir: run.working_dir.clone().unwrap_or_default(),
            entrypoint: run.entrypoint.clone(),
            cmd: run.cmd.clone(),
            env: run.env.clone().unwrap_or_default(),
            exposed_ports: keys(&run.exposed_ports),
            volumes: keys(&run.volumes),
            labels: run.labels.clone().unwrap_or_default(),
            stop_signal: run.stop_signal.clone().unwrap_or_default(),
            healthcheck: run.healthcheck.as_ref().map(|h| Healthcheck {
                test: h.test.clone().unwrap_or_default(),
                interval_ns: h.interval.unwrap_or(0),
                timeout_ns: h.timeout.unwrap_or(0),
                start_period_ns: h.start_period.unwrap_or(0),
                start_interval_ns: h.start_interval.unwrap_or(0),
                retries: h.retries.unwrap_or(0),
            }),
            on_build: run.on_build.clone().unwrap_or_default(),
            created: header.created.map(str::to_string),
            author: header.author.unwrap_or_default().to_string(),
            architecture: header.architecture.to_string(),
            os: header.os.to_string(),
            variant: header.variant.map(str::to_string),
            annotations,
        }
    }

    /// `(name, value)` lines for display, one per setting (lists joined, maps one per entry);
    /// unset settings are left out. Values are raw: escape them before they reach a terminal.
    pub fn display_lines(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |name: &str, value: String| out.push((name.to_string(), value));
        let json_list = |items: &[String]| serde_json::to_string(items).unwrap_or_default();
        for (name, value) in [
            ("User", &self.user),
            ("WorkingDir", &self.working_dir),
            ("StopSignal", &self.stop_signal),
            ("Author", &self.author),
        ] {
            if !value.is_empty() {
                push(name, value.clone());
            }
        }
        if let Some(entrypoint) = &self.entrypoint {
            push("Entrypoint", json_list(entrypoint));
        }
        if let Some(cmd) = &self.cmd {
            push("Cmd", json_list(cmd));
        }
        for env in &self.env {
            push("Env", env.clone());
        }
        if !self.exposed_ports.is_empty() {
            push("ExposedPorts", self.exposed_ports.join(" "));
        }
        if !self.volumes.is_empty() {
            push("Volumes", self.volumes.join(" "));
        }
        for (key, value) in &self.labels {
            push("Label", format!("{key}={value}"));
        }
        if let Some(h) = &self.healthcheck {
            push(
                "Healthcheck",
                format!(
                    "{} interval={}s timeout={}s start-period={}s retries={}",
                    json_list(&h.test),
                    h.interval_ns / 1_000_000_000,
                    h.timeout_ns / 1_000_000_000,
                    h.start_period_ns / 1_000_000_000,
                    h.retries
                ),
            );
        }
        for trigger in &self.on_build {
            push("OnBuild", trigger.clone());
        }
        if let Some(created) = &self.created {
            push("Created", created.clone());
        }
        let mut platform = format!("{}/{}", self.os, self.architecture);
        if let Some(variant) = &self.variant {
            platform.push('/');
            platform.push_str(variant);
        }
        push("Platform", platform);
        for (key, value) in &self.annotations {
            push("Annotation", format!("{key}={value}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_and_oci_names_and_nulls() {
        let run: RunConfig = serde_json::from_str(
            r#"{"User":"app","Env":["A=1","PATH=/bin"],"Cmd":null,"Entrypoint":["/x"],
                "ExposedPorts":{"8080/tcp":{},"53/udp":{}},"Labels":{"k":"v"},
                "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Retries":3},
                "OnBuild":["RUN x"]}"#,
        )
        .unwrap();
        let header = ConfigHeader {
            created: Some("2024-01-01T00:00:00Z"),
            author: None,
            architecture: "amd64",
            os: "linux",
            variant: None,
        };
        let s = ImageSettings::new(header, &run, BTreeMap::new());
        assert_eq!(s.user, "app");
        assert_eq!(s.cmd, None);
        assert_eq!(s.entrypoint.as_deref(), Some(&["/x".to_string()][..]));
        assert_eq!(s.exposed_ports, ["53/udp", "8080/tcp"]);
        let h = s.healthcheck.as_ref().unwrap();
        assert_eq!((h.interval_ns, h.retries), (30_000_000_000, 3));
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["workingDir"], "");
        assert_eq!(json["exposedPorts"][1], "8080/tcp");
        assert_eq!(json["healthcheck"]["intervalNs"], 30_000_000_000i64);
        assert_eq!(json["onBuild"][0], "RUN x");
        let lines = s.display_lines();
        assert!(lines.contains(&("Env".to_string(), "PATH=/bin".to_string())));
        assert!(lines.contains(&("Platform".to_string(), "linux/amd64".to_string())));
    }
}
