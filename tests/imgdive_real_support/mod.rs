//! Real parts for the imgdive_real* tests: images built by buildah (scripts/images/build.sh), a
//! docker-registry on a free loopback port, `podman system service` on a temporary socket, and
//! the imgdive binary run with its cache and Docker config in temporary directories.
//!
//! Every helper fails (panics) with a message naming the missing tool instead of skipping:
//! a test that silently passes without its tool would prove nothing.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Panics unless `tool` is on PATH, naming the Debian (or pip) package that provides it.
pub fn require_tool(tool: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "this test needs the tool `{tool}`, which is not on PATH: install `{package}` (.ci/run does)"
    );
}

/// The output directory of a test image (see scripts/images/build.sh for its contents), built
/// once and cached under testdata/generated/.
pub fn image(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(dir) = built.get(name) {
        return dir.clone();
    }
    require_tool("buildah", "buildah");
    require_tool("skopeo", "skopeo");
    assert!(
        Path::new("/bin/busybox").is_file(),
        "this test needs /bin/busybox: install the Debian package `busybox-static`"
    );
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/images/build.sh"))
        .arg(name)
        .output()
        .expect("run scripts/images/build.sh");
    assert!(
        output.status.success(),
        "scripts/images/build.sh {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = PathBuf::from(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .trim(),
    );
    assert!(dir.join(".complete").is_file(), "build.sh printed {dir:?}");
    built.insert(name.to_string(), dir.clone());
    dir
}

/// A port nobody listens on right now (the OS picks it; we release it for the child).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

fn wait_until(
    what: &str,
    timeout: Duration,
    mut ready: impl FnMut() -> bool,
    mut alive: impl FnMut() -> Result<(), String>,
) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if ready() {
            return;
        }
        if let Err(why) = alive() {
            panic!("{what} exited before it was ready: {why}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} was not ready after {timeout:?}");
}

/// A docker-registry (Debian's `docker-registry`, the CNCF distribution server) on 127.0.0.1,
/// storing into a temporary directory, optionally behind htpasswd basic auth.
pub struct Registry {
    pub addr: String,
    pub credentials: Option<(String, String)>,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Registry {
    pub fn start() -> Registry {
        Registry::spawn(None)
    }

    /// With htpasswd auth (`htpasswd -B` from apache2-utils makes the bcrypt entry).
    pub fn start_with_auth(user: &str, password: &str) -> Registry {
        Registry::spawn(Some((user.to_string(), password.to_string())))
    }

    fn spawn(credentials: Option<(String, String)>) -> Registry {
        require_tool("docker-registry", "docker-registry");
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n",
            dir.path().join("storage").display()
        );
        if let Some((user, password)) = &credentials {
            require_tool("htpasswd", "apache2-utils");
            let out = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("run htpasswd");
            assert!(out.status.success(), "htpasswd failed");
            std::fs::write(dir.path().join("htpasswd"), &out.stdout).expect("write htpasswd");
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: imgtools-test\n    path: {}\n",
                dir.path().join("htpasswd").display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).expect("write registry config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("registry log");
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config_path)
            .stdout(log.try_clone().expect("dup log"))
            .stderr(log)
            .spawn()
            .expect("start docker-registry");
        let mut registry = Registry {
            addr,
            credentials,
            dir,
            child,
        };
        let addr = registry.addr.clone();
        let log_path = registry.log_path();
        let child = &mut registry.child;
        wait_until(
            "docker-registry",
            Duration::from_secs(20),
            || http_get_status(&addr, "/v2/").is_some(),
            || match child.try_wait() {
                Ok(Some(status)) => Err(format!(
                    "{status}: {}",
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                )),
                _ => Ok(()),
            },
        );
        registry
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("registry.log")
    }

    /// Where the registry keeps blob `digest` (distribution's filesystem driver layout).
    pub fn blob_data_path(&self, digest: &str) -> PathBuf {
        let hex = digest.trim_start_matches("sha256:");
        self.dir
            .path()
            .join("storage/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    /// Pushes an image (an OCI layout, `oci:DIR:latest`, or any skopeo source) as `repo:tag`.
    /// `all` copies every platform of an index.
    pub fn push(&self, source: &str, repo_tag: &str, all: bool) {
        require_tool("skopeo", "skopeo");
        let mut cmd = Command::new("skopeo");
        cmd.args([
            "copy",
            "--quiet",
            "--insecure-policy",
            "--dest-tls-verify=false",
        ]);
        if all {
            cmd.arg("--all");
        }
        if let Some((user, password)) = &self.credentials {
            cmd.arg("--dest-creds").arg(format!("{user}:{password}"));
        }
        let out = cmd
            .arg(source)
            .arg(format!("docker://{}/{repo_tag}", self.addr))
            .output()
            .expect("run skopeo copy");
        assert!(
            out.status.success(),
            "skopeo copy {source} → {repo_tag} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// How many blob GETs the registry has served so far (from its access log).
    pub fn blob_gets(&self) -> usize {
        let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        log.lines()
            .filter(|l| l.contains("\"GET /v2/") && l.contains("/blobs/sha256:"))
            .count()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.0 GET on loopback: the status code, or None when nothing answers.
pub fn http_get_status(addr: &str, path: &str) -> Option<u16> {
    let mut stream =
        TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// `podman system service` on a socket in a temporary directory, with its own storage (vfs)
/// holding the images loaded with [`PodmanService::load`]. Speaks the Docker Engine API.
pub struct PodmanService {
    pub socket: PathBuf,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl PodmanService {
    pub fn start() -> PodmanService {
        require_tool("podman", "podman");
        // Short path: unix socket paths are limited to 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("imgdive-podman")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let socket = dir.path().join("docker.sock");
        let child = podman_command(dir.path())
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("service.log")).expect("log"))
            .spawn()
            .expect("start podman system service");
        let mut service = PodmanService { socket, dir, child };
        let socket = service.socket.clone();
        let log = service.dir.path().join("service.log");
        let child = &mut service.child;
        wait_until(
            "podman system service",
            Duration::from_secs(30),
            || std::os::unix::net::UnixStream::connect(&socket).is_ok(),
            || match child.try_wait() {
                Ok(Some(status)) => Err(format!(
                    "{status}: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )),
                _ => Ok(()),
            },
        );
        service
    }

    /// Loads a docker-archive into the service's storage (`podman load`).
    pub fn load(&self, archive: &Path) {
        let out = podman_command(self.dir.path())
            .args(["load", "--quiet", "--input"])
            .arg(archive)
            .output()
            .expect("run podman load");
        assert!(
            out.status.success(),
            "podman load {} failed: {}",
            archive.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `unix:///…/docker.sock`, for DOCKER_HOST.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.socket.display())
    }
}

fn podman_command(dir: &Path) -> Command {
    let mut cmd = Command::new("podman");
    cmd.arg("--root")
        .arg(dir.join("root"))
        .arg("--runroot")
        .arg(dir.join("runroot"))
        .args([
            "--storage-driver",
            "vfs",
            "--events-backend",
            "none",
            "--cgroup-manager",
            "cgroupfs",
        ])
        .arg("--tmpdir")
        .arg(dir.join("tmp"));
    cmd
}

impl Drop for PodmanService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the imgdive binary with its blob cache and Docker config in `home` (nothing global is
/// read or written), plus extra environment variables.
pub struct Imgdive {
    pub home: tempfile::TempDir,
}

impl Imgdive {
    pub fn new() -> Imgdive {
        Imgdive {
            home: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.home.path().join("cache")
    }

    pub fn docker_config_dir(&self) -> PathBuf {
        self.home.path().join("docker")
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_imgdive"));
        cmd.env("XDG_CACHE_HOME", self.cache_dir())
            .env("DOCKER_CONFIG", self.docker_config_dir())
            .env("HOME", self.home.path())
            .env_remove("DOCKER_HOST")
            .env_remove("CI");
        cmd
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run imgdive")
    }

    /// Writes `config.json` for the Docker-config credential lookup.
    pub fn write_docker_config(&self, json: &str) {
        std::fs::create_dir_all(self.docker_config_dir()).expect("mkdir");
        std::fs::write(self.docker_config_dir().join("config.json"), json).expect("write");
    }
}

/// Base64 as the Docker CLI writes `auths.*.auth`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
