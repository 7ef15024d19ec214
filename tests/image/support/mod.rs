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
        Registry::spawn(None, None)
    }

    /// With `token` auth delegated to `tokens` (anonymous pulls go through the bearer flow).
    pub fn start_with_token_server(tokens: &TokenServer) -> Registry {
        Registry::spawn(None, Some(tokens.registry_auth_config()))
    }

    /// With htpasswd auth (`htpasswd -B` from apache2-utils makes the bcrypt entry).
    pub fn start_with_auth(user: &str, password: &str) -> Registry {
        Registry::spawn(Some((user.to_string(), password.to_string())), None)
    }

    fn spawn(credentials: Option<(String, String)>, auth_section: Option<String>) -> Registry {
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
        if let Some(section) = auth_section {
            config.push_str(&section);
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
    /// Pushes the cached test image NAME (its gzip OCI layout) as `imgtools/NAME:latest`; gives
    /// the reference to pull it by.
    pub fn push_test_image(&self, name: &str) -> String {
        let layout = image(name).join("oci-gzip");
        let repo_tag = format!("imgtools/{name}:latest");
        self.push(
            &format!("oci:{}:latest", layout.display()),
            &repo_tag,
            false,
        );
        format!("{}/{repo_tag}", self.addr)
    }

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

    /// How many blob GETs the registry has served so far (from its access log). The registry
    /// writes a line once the response is sent, which may be after the client has read it all:
    /// the count is read until it holds still for 300 ms.
    pub fn blob_gets(&self) -> usize {
        let count = || {
            let log = std::fs::read_to_string(self.log_path()).unwrap_or_default();
            log.lines()
                .filter(|l| l.contains("\"GET /v2/") && l.contains("/blobs/sha256:"))
                .count()
        };
        let mut last = count();
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = count();
            if now == last {
                return now;
            }
            last = now;
        }
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

/// Starts a service (stderr to `log`) and waits until it accepts connections on `socket`;
/// panics with its log if it exits first.
fn spawn_serving(what: &str, mut command: Command, socket: &Path, log: &Path) -> Child {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log"))
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"));
    wait_until(
        what,
        Duration::from_secs(30),
        || std::os::unix::net::UnixStream::connect(socket).is_ok(),
        || match child.try_wait() {
            Ok(Some(status)) => Err(format!(
                "{status}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )),
            _ => Ok(()),
        },
    );
    child
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
        PodmanService::spawn(None)
    }

    /// Serving at `socket` (e.g. podman's default rootful path); the socket file is removed
    /// when the service is dropped.
    pub fn start_at(socket: &Path) -> PodmanService {
        PodmanService::spawn(Some(socket))
    }

    fn spawn(socket: Option<&Path>) -> PodmanService {
        require_tool("podman", "podman");
        // Short path: unix socket paths are limited to 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("imgdive-podman")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let socket = socket.map_or_else(|| dir.path().join("docker.sock"), Path::to_path_buf);
        let mut command = podman_command(dir.path());
        command
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", socket.display()));
        let child = spawn_serving(
            "podman system service",
            command,
            &socket,
            &dir.path().join("service.log"),
        );
        PodmanService { socket, dir, child }
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

    /// `podman save -m`: the images `references` in one docker-archive at `out`.
    pub fn save_multi(&self, references: &[&str], out: &Path) {
        let saved = podman_command(self.dir.path())
            .args([
                "save",
                "--quiet",
                "-m",
                "--format",
                "docker-archive",
                "--output",
            ])
            .arg(out)
            .args(references)
            .output()
            .expect("run podman save");
        assert!(
            saved.status.success(),
            "podman save -m {references:?} failed: {}",
            String::from_utf8_lossy(&saved.stderr)
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
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// A private `containerd` (Debian's `containerd`) with its root, state and socket in a
/// temporary directory and no CRI plugin, holding the images imported with
/// [`Containerd::import`].
pub struct Containerd {
    pub socket: PathBuf,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Containerd {
    pub fn start() -> Containerd {
        require_tool("containerd", "containerd");
        require_tool("ctr", "containerd");
        // Short path: unix socket paths are limited to 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("imgdive-ctrd")
            .tempdir_in("/tmp")
            .expect("tempdir");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            "version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n",
        )
        .expect("write containerd config");
        let socket = dir.path().join("c.sock");
        let mut command = Command::new("containerd");
        command
            .arg("--config")
            .arg(&config)
            .arg("--root")
            .arg(dir.path().join("root"))
            .arg("--state")
            .arg(dir.path().join("state"))
            .arg("--address")
            .arg(&socket);
        let child = spawn_serving(
            "containerd",
            command,
            &socket,
            &dir.path().join("containerd.log"),
        );
        Containerd { socket, dir, child }
    }

    /// `ctr images import --no-unpack`: the archive's images into `namespace`, blobs only.
    pub fn import(&self, namespace: &str, archive: &Path) {
        let out = Command::new("ctr")
            .arg("--address")
            .arg(&self.socket)
            .args(["--namespace", namespace, "images", "import", "--no-unpack"])
            .arg(archive)
            .output()
            .expect("run ctr");
        assert!(
            out.status.success(),
            "ctr images import {} failed: {}",
            archive.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Containerd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A podman storage config (`CONTAINERS_STORAGE_CONF`) for a private, empty vfs store in `dir`.
pub fn podman_storage_conf(dir: &Path) -> PathBuf {
    let conf = dir.join("storage.conf");
    std::fs::write(
        &conf,
        format!(
            "[storage]\ndriver = \"vfs\"\ngraphroot = \"{0}/root\"\nrunroot = \"{0}/run\"\n",
            dir.display()
        ),
    )
    .expect("write storage.conf");
    conf
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
            // No podman socket of the user's (the rootful one is the machine's).
            .env("XDG_RUNTIME_DIR", self.home.path())
            .env_remove("DOCKER_HOST")
            .env_remove("DOCKER_CONTEXT")
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

/// A Docker-style token server for the registry's `token` auth, so the anonymous bearer flow
/// (`WWW-Authenticate: Bearer realm=…` → `GET realm?scope=…` → JWT) runs for real. Tokens are
/// RS256 JWTs signed by `openssl dgst` with a key whose self-signed certificate is the
/// registry's `rootcertbundle` and travels in the JWT's `x5c` header, which is how distribution
/// finds the key. Every request it answers is recorded.
pub struct TokenServer {
    pub addr: String,
    pub dir: tempfile::TempDir,
    pub requests: std::sync::Arc<Mutex<Vec<TokenRequest>>>,
}

/// What a client asked the token server.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub path_and_query: String,
    pub authorization: Option<String>,
}

pub const TOKEN_SERVICE: &str = "imgtools-test-registry";
pub const TOKEN_ISSUER: &str = "imgtools-test-issuer";

impl TokenServer {
    pub fn start() -> TokenServer {
        require_tool("openssl", "openssl");
        let dir = tempfile::tempdir().expect("tempdir");
        let key = dir.path().join("key.pem");
        let cert = dir.path().join("cert.pem");
        let out = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=imgtools-test-token",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("run openssl req");
        assert!(
            out.status.success(),
            "openssl req: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let der = Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert)
            .output()
            .expect("run openssl x509");
        assert!(der.status.success());
        let x5c = base64(&der.stdout);

        let listener = TcpListener::bind("127.0.0.1:0").expect("bind token server");
        let addr = listener.local_addr().expect("addr").to_string();
        let requests: std::sync::Arc<Mutex<Vec<TokenRequest>>> = Default::default();
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let _ = serve_token(stream, &key, &x5c, &seen);
            }
        });
        TokenServer {
            addr,
            dir,
            requests,
        }
    }

    pub fn cert_path(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    /// The `auth:` section of a docker-registry config that trusts this server.
    pub fn registry_auth_config(&self) -> String {
        format!(
            "auth:\n  token:\n    realm: http://{}/token\n    service: {TOKEN_SERVICE}\n    issuer: {TOKEN_ISSUER}\n    rootcertbundle: {}\n",
            self.addr,
            self.cert_path().display()
        )
    }
}

fn base64url(bytes: &[u8]) -> String {
    base64(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

fn serve_token(
    mut stream: TcpStream,
    key: &Path,
    x5c: &str,
    seen: &Mutex<Vec<TokenRequest>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte)? == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path_and_query = head
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let authorization = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .map(|l| l["authorization:".len()..].trim().to_string());
    seen.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(TokenRequest {
            path_and_query: path_and_query.clone(),
            authorization,
        });

    // Grant what each `scope=repository:NAME:ACTIONS` asks for.
    let query = path_and_query
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    let mut access = Vec::new();
    for pair in query.split('&') {
        if let Some(scope) = pair.strip_prefix("scope=") {
            let scope = scope
                .replace("%3A", ":")
                .replace("%3a", ":")
                .replace("%2F", "/")
                .replace("%2f", "/")
                .replace("%2C", ",")
                .replace("%2c", ",");
            let parts: Vec<&str> = scope.split(':').collect();
            if parts.len() == 3 {
                access.push(serde_json::json!({
                    "type": parts[0], "name": parts[1],
                    "actions": parts[2].split(',').collect::<Vec<_>>(),
                }));
            }
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let header = serde_json::json!({ "typ": "JWT", "alg": "RS256", "x5c": [x5c] });
    let claims = serde_json::json!({
        "iss": TOKEN_ISSUER, "sub": "", "aud": TOKEN_SERVICE,
        "exp": now + 600, "nbf": now - 60, "iat": now, "jti": format!("{now}-{}", access.len()),
        "access": access,
    });
    let signing_input = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(signing_input.as_bytes())?;
    let signature = child.wait_with_output()?.stdout;
    let token = format!("{signing_input}.{}", base64url(&signature));
    let body =
        serde_json::json!({ "token": token, "access_token": token, "expires_in": 600 }).to_string();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}
