//! Hand-built image models for tests and the TUI's key benchmark (not part of the public API):
//! they belong to the image model, so every layer above it may use them.

use crate::image::config::ImageSettings;
use crate::image::model::{
    Entry, EntryKind, Image, InefficientPath, Layer, Metrics, NodeId, PathNode, PathTree, Version,
};

/// Builds a [`PathTree`] from (layer, path, entry-or-removal) records, in layer order.
#[derive(Default)]
pub struct TreeBuilder {
    tree: PathTree,
}

impl TreeBuilder {
    pub fn new() -> TreeBuilder {
        TreeBuilder {
            tree: PathTree {
                nodes: vec![PathNode {
                    name: Box::default(),
                    parent: None,
                    children: Vec::new(),
                    versions: Vec::new(),
                }],
            },
        }
    }

    fn child(&mut self, parent: NodeId, name: &str) -> NodeId {
        let tree = &mut self.tree;
        let pos = tree.nodes[parent as usize]
            .children
            .binary_search_by(|c| tree.nodes[*c as usize].name.as_ref().cmp(name));
        match pos {
            Ok(i) => tree.nodes[parent as usize].children[i],
            Err(i) => {
                let id = tree.nodes.len() as NodeId;
                tree.nodes.push(PathNode {
                    name: name.into(),
                    parent: Some(parent),
                    children: Vec::new(),
                    versions: Vec::new(),
                });
                tree.nodes[parent as usize].children.insert(i, id);
                id
            }
        }
    }

    /// Records what `layer` did to `path`; parent directories are created as needed (without
    /// versions of their own, as when a tar omits them).
    pub fn record(&mut self, layer: u32, path: &str, entry: Option<Entry>) -> NodeId {
        let mut cur = 0;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            cur = self.child(cur, part);
        }
        let versions = &mut self.tree.nodes[cur as usize].versions;
        let explicit_whiteout = entry.is_none();
        match versions.binary_search_by_key(&layer, |v| v.layer) {
            Ok(i) => versions[i].entry = entry,
            Err(i) => versions.insert(
                i,
                Version {
                    layer,
                    entry,
                    explicit_whiteout,
                },
            ),
        }
        cur
    }

    /// Removes a directory and everything below it in `layer` (a whiteout of the directory).
    pub fn remove_tree(&mut self, layer: u32, path: &str) {
        let Some(id) = self.tree.lookup(path) else {
            return;
        };
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let node = &mut self.tree.nodes[n as usize];
            stack.extend(node.children.iter().copied());
            if node
                .versions
                .iter()
                .any(|v| v.layer < layer && v.entry.is_some())
            {
                node.versions.push(Version {
                    layer,
                    entry: None,
                    explicit_whiteout: n == id,
                });
            }
        }
    }

    /// The tree, its vectors trimmed to their lengths as the image builder leaves them.
    pub fn finish(mut self) -> PathTree {
        for node in &mut self.tree.nodes {
            node.children.shrink_to_fit();
            node.versions.shrink_to_fit();
        }
        self.tree
    }
}

pub fn file(size: u64, mode: u32, hash: u64) -> Entry {
    Entry {
        kind: EntryKind::File,
        size,
        mode,
        uid: 0,
        gid: 0,
        content_hash: hash,
    }
}

pub fn dir(mode: u32) -> Entry {
    Entry {
        kind: EntryKind::Dir,
        size: 0,
        mode,
        uid: 0,
        gid: 0,
        content_hash: 0,
    }
}

pub fn symlink(target: &str) -> Entry {
    Entry {
        kind: EntryKind::Symlink(target.to_string()),
        size: 0,
        mode: 0o777,
        uid: 0,
        gid: 0,
        content_hash: 0,
    }
}

fn layer(index: u32, size: u64, command: &str, empty_before: &[&str]) -> Layer {
    Layer {
        index,
        digest: format!("sha256:{:064x}", index as u64 + 0xabc0),
        diff_id: format!("sha256:{:064x}", index as u64 + 0xdef0),
        media_type: "application/vnd.oci.image.layer.v1.tar".to_string(),
        compressed_size: size / 2,
        size,
        command: command.to_string(),
        created: Some(format!("2024-05-0{}T12:00:00Z", index % 9 + 1)),
        empty_before: empty_before.iter().map(|s| s.to_string()).collect(),
        entry_count: 0,
        dive_id: format!("{:064x}", index as u64 + 0xabc0),
        opaque_dirs: Vec::new(),
        compression: "none".to_string(),
    }
}

/// The demo's config: a user, a command, an environment and a label.
fn sample_settings() -> ImageSettings {
    ImageSettings {
        user: "app".to_string(),
        working_dir: "/app".to_string(),
        cmd: Some(vec!["/app/bin/hello.sh".to_string()]),
        env: vec![
            "PATH=/usr/bin:/bin".to_string(),
            "APP_HOME=/app".to_string(),
        ],
        exposed_ports: vec!["8080/tcp".to_string()],
        labels: [("org.example.team".to_string(), "tools".to_string())].into(),
        created: Some("2024-05-04T12:00:00Z".to_string()),
        architecture: "amd64".to_string(),
        os: "linux".to_string(),
        ..ImageSettings::default()
    }
}

/// A four-layer image like the demo: an added tree, a file overwritten, a file deleted, a chmod.
pub fn sample_image() -> Image {
    let mut b = TreeBuilder::new();
    // Layer 0: the base tree.
    b.record(0, "/app", Some(dir(0o755)));
    b.record(0, "/app/bin", Some(dir(0o755)));
    b.record(0, "/app/bin/hello.sh", Some(file(44, 0o775, 1)));
    b.record(0, "/app/config.ini", Some(file(21, 0o666, 2)));
    b.record(0, "/etc", Some(dir(0o755)));
    b.record(0, "/etc/motd", Some(file(35, 0o644, 3)));
    b.record(0, "/etc/\x1b[31mevil", Some(file(1, 0o644, 4)));
    // Layer 1: a log, a symlink, the config rewritten.
    b.record(1, "/app", Some(dir(0o755)));
    b.record(1, "/app/cache", Some(dir(0o755)));
    b.record(1, "/app/cache/build.log", Some(file(8893, 0o644, 5)));
    b.record(1, "/app/config.ini", Some(file(11, 0o666, 6)));
    b.record(
        1,
        "/usr/local/bin/hello",
        Some(symlink("/app/bin/hello.sh")),
    );
    // Layer 2: the log deleted, the config rewritten again.
    b.record(2, "/app/cache/build.log", None);
    b.record(2, "/app/config.ini", Some(file(12, 0o666, 7)));
    // Layer 3: chmod only.
    b.record(3, "/app/bin/hello.sh", Some(file(44, 0o755, 1)));
    b.record(3, "/app/config.ini", Some(file(12, 0o644, 7)));
    let tree = b.finish();
    let duplicates = crate::image::duplicates::find(&tree);
    Image {
        reference: "docker-archive:sample.tar".to_string(),
        config_digest: format!("sha256:{:064x}", 7),
        os: "linux".to_string(),
        architecture: "amd64".to_string(),
        config: sample_settings(),
        layers: vec![
            layer(0, 101, "/bin/sh -c #(nop) COPY dir:abc in / ", &[]),
            layer(
                1,
                8904,
                "/bin/sh -c mkdir -p /app/cache && seq 1 2000 > /app/cache/build.log",
                &["/bin/sh -c #(nop) ENV APP_HOME=/app"],
            ),
            layer(
                2,
                12,
                "RUN /bin/sh -c cat <<EOF > /app/config.ini\ndebug=false\nEOF # buildkit",
                &[],
            ),
            layer(3, 56, "/bin/sh -c chmod -R go-w /app", &[]),
        ],
        trailing_empty: vec!["/bin/sh -c #(nop) CMD [\"/app/bin/hello.sh\"]".to_string()],
        tree,
        duplicates,
        layer_secrets: Vec::new(),
        metrics: Metrics {
            total_size: 9073,
            efficiency: 0.9876,
            wasted_bytes: 8937,
            user_wasted_percent: 0.9,
            inefficient: vec![
                InefficientPath {
                    path: "/app/cache/build.log".to_string(),
                    count: 2,
                    bytes: 8893,
                },
                InefficientPath {
                    path: "/app/config.ini".to_string(),
                    count: 4,
                    bytes: 56,
                },
            ],
            reclaimable_bytes: 8925,
            reclaimable: Vec::new(),
        },
    }
}

/// A synthetic image with `files` files spread over `layers` layers (each later layer modifies
/// or removes some of the files of the first), for timing the TUI on big trees.
pub fn synthetic_image(files: usize, layers: u32) -> Image {
    let mut b = TreeBuilder::new();
    let per_dir = 100;
    let mut layer_sizes = vec![0u64; layers as usize];
    for i in 0..files {
        let path = format!(
            "/usr/share/d{:03}/s{:03}/file{i:06}.dat",
            i / (per_dir * 100),
            (i / per_dir) % 100
        );
        let size = (i as u64 * 7919) % 100_000;
        b.record(0, &path, Some(file(size, 0o644, i as u64)));
        layer_sizes[0] += size;
        for l in 1..layers {
            if i % (layers as usize * 3) == l as usize {
                let entry = if l % 4 == 0 {
                    None
                } else {
                    Some(file(size + 1, 0o644, i as u64 + 1))
                };
                layer_sizes[l as usize] += size + 1;
                b.record(l, &path, entry);
            }
        }
    }
    let tree = b.finish();
    let duplicates = crate::image::duplicates::find(&tree);
    let total: u64 = layer_sizes.iter().sum();
    Image {
        reference: format!("synthetic:{files}-files"),
        config_digest: format!("sha256:{:064x}", 1),
        os: "linux".to_string(),
        architecture: "amd64".to_string(),
        config: ImageSettings::default(),
        layers: (0..layers)
            .map(|l| {
                layer(
                    l,
                    layer_sizes[l as usize],
                    &format!("/bin/sh -c step {l}"),
                    &[],
                )
            })
            .collect(),
        trailing_empty: Vec::new(),
        tree,
        duplicates,
        layer_secrets: Vec::new(),
        metrics: Metrics {
            total_size: total,
            efficiency: 0.5,
            wasted_bytes: 0,
            user_wasted_percent: 0.0,
            inefficient: Vec::new(),
            reclaimable_bytes: 0,
            reclaimable: Vec::new(),
        },
    }
}
