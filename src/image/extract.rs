//! Getting files back out of an image: one path — a file, a link or a whole directory tree — as
//! the image holds it after its last layer, or after layer N (which brings back what a later
//! layer deleted). [`select`] decides what to write from the analysed tree; [`write_dir`] and
//! [`write_tar`] write it, reading each layer blob at most once, in layer order.
//!
//! Writing into a directory never leaves it: every name is one plain component (never `..`, never
//! containing `/`), every parent on the way is checked to be a real directory (a symlink, from the
//! image or already on disk, is never followed), files are created with `O_EXCL` (which does not
//! follow a symlink either), and nothing that exists is replaced unless `force` says so.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::escape_name;
use super::layer::{layer_label, normalize, open_tar};
use super::model::{Entry, EntryKind, Image, NodeId, PathTree};
use super::source::ImageSource;

/// One path to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Where it goes, relative to the output (`name`, `name/sub/file`), `/`-separated.
    pub relative: String,
    /// Its path in the image, as the layer tars name it (no leading `/`).
    pub image_path: String,
    /// Its state; `None` for a directory no layer stored itself (implied by what is under it).
    pub entry: Option<Entry>,
    /// The layer whose blob holds this state.
    pub layer: u32,
}

/// Everything under the requested path, parents before children.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The path asked for, as `/x/y`.
    pub path: String,
    /// The image after this layer (0-based).
    pub layer: u32,
    pub items: Vec<Item>,
}

/// The newest state of a node at or below `layer`, with the layer that wrote it.
fn present(tree: &PathTree, id: NodeId, layer: u32) -> Option<(u32, &Entry)> {
    let versions = &tree.node(id).versions;
    let idx = versions.partition_point(|v| v.layer <= layer);
    let v = versions[..idx].last()?;
    v.entry.as_ref().map(|e| (v.layer, e))
}

/// Whether anything under `id` is present at `layer` (for directories no layer stored).
fn has_present_descendant(tree: &PathTree, id: NodeId, layer: u32) -> bool {
    let mut stack = tree.node(id).children.clone();
    while let Some(n) = stack.pop() {
        if present(tree, n, layer).is_some() {
            return true;
        }
        stack.extend_from_slice(&tree.node(n).children);
    }
    false
}

/// What to write for `path` (`/usr/bin/x` or `usr/bin/x`) as the image is after `layer` (the
/// last layer when `None`). Fails with a message saying where the path does exist when it is
/// absent at that layer.
pub fn select(image: &Image, path: &str, layer: Option<u32>) -> Result<Selection> {
    let tree = &image.tree;
    let count = image.layers.len() as u32;
    if count == 0 {
        bail!("the image has no layers");
    }
    let layer = match layer {
        Some(n) if n >= count => bail!(
            "--layer {n}: the image has {count} layers, numbered 0 to {}",
            count - 1
        ),
        Some(n) => n,
        None => count - 1,
    };
    let shown = format!("/{}", normalize(path).unwrap_or_default());
    let id = tree
        .lookup(path)
        .with_context(|| format!("{}: no such path in any layer", escape_name(&shown)))?;
    let root_entry = present(tree, id, layer);
    if root_entry.is_none() && !(id == tree.root() || has_present_descendant(tree, id, layer)) {
        let versions = &tree.node(id).versions;
        let stored: Vec<String> = versions
            .iter()
            .filter(|v| v.entry.is_some())
            .map(|v| v.layer.to_string())
            .collect();
        let removed = versions
            .iter()
            .rev()
            .find(|v| v.layer <= layer && v.entry.is_none());
        let why = match removed {
            Some(v) => format!("removed by layer {}", v.layer),
            None => "not yet added".to_string(),
        };
        bail!(
            "{}: not in the image at layer {layer} ({why}); stored in layer {} (use --layer)",
            escape_name(&shown),
            stored.join(", ")
        );
    }
    let base = if id == tree.root() {
        String::new()
    } else {
        tree.node(id).name.to_string()
    };
    let mut items = Vec::new();
    // Depth-first, parents first; each frame is (node, its path relative to the output).
    let mut stack = vec![(id, base)];
    while let Some((node, relative)) = stack.pop() {
        let state = present(tree, node, layer);
        let is_dir = state.is_none_or(|(_, e)| e.kind.is_dir());
        if !relative.is_empty() {
            if state.is_none() && !has_present_descendant(tree, node, layer) {
                continue;
            }
            items.push(Item {
                relative: relative.clone(),
                image_path: tree.path(node).trim_start_matches('/').to_string(),
                entry: state.map(|(_, e)| e.clone()),
                layer: state.map_or(layer, |(l, _)| l),
            });
        }
        if is_dir {
            for &child in tree.node(node).children.iter().rev() {
                let name = &tree.node(child).name;
                let child_relative = if relative.is_empty() {
                    name.to_string()
                } else {
                    format!("{relative}/{name}")
                };
                stack.push((child, child_relative));
            }
        }
    }
    Ok(Selection {
        path: shown,
        layer,
        items,
    })
}

/// Streams the content of every regular file of the selection to `sink`, reading each layer
/// that holds one once, lowest first. When a layer stores a path twice, both copies are passed
/// on, the last one last (as applying the layer would leave it).
pub fn read_contents<'s>(
    source: &dyn ImageSource,
    selection: &'s Selection,
    mut sink: impl FnMut(&'s Item, &mut dyn Read) -> Result<()>,
) -> Result<()> {
    let mut by_layer: BTreeMap<u32, HashMap<&str, &'s Item>> = BTreeMap::new();
    for item in &selection.items {
        if item
            .entry
            .as_ref()
            .is_some_and(|e| e.kind == EntryKind::File)
        {
            by_layer
                .entry(item.layer)
                .or_default()
                .insert(item.image_path.as_str(), item);
        }
    }
    for (layer, wanted) in by_layer {
        let desc = source
            .layers()
            .get(layer as usize)
            .with_context(|| format!("layer {layer}: no such layer"))?;
        let mut seen = 0usize;
        let mut read_layer = || -> Result<()> {
            let mut archive = open_tar(source, layer as usize)?;
            for entry in archive.entries_with_seek()? {
                let entry = entry?;
                let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                let Some(item) = normalize(&name).and_then(|p| wanted.get(p.as_str()).copied())
                else {
                    continue;
                };
                let kind = entry.header().entry_type();
                if !(kind.is_file() || kind == tar::EntryType::Continuous) {
                    continue;
                }
                let size = item.entry.as_ref().map_or(0, |e| e.size);
                sink(item, &mut entry.take(size))?;
                seen += 1;
            }
            Ok(())
        };
        read_layer().with_context(|| format!("layer {layer} ({})", layer_label(desc)))?;
        if seen < wanted.len() {
            bail!(
                "layer {layer} ({}): the blob no longer holds every file the analysis found",
                layer_label(desc)
            );
        }
    }
    Ok(())
}

/// The regular file a hard link of the selection points to, when it is extracted too (a link to
/// anything outside would tie the output to a file it does not hold).
fn hardlink_target<'a>(selection: &'a Selection, link: &str) -> Option<&'a Item> {
    selection.items.iter().find(|i| {
        i.image_path == link && i.entry.as_ref().is_some_and(|e| e.kind == EntryKind::File)
    })
}

fn outside_link(item: &Item, link: &str) -> String {
    format!(
        "/{}: hard link to /{} outside what is extracted",
        escape_name(&item.image_path),
        escape_name(link)
    )
}

/// What [`write_dir`] or [`write_tar`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub files: u64,
    pub dirs: u64,
    pub links: u64,
    pub bytes: u64,
    /// Paths not written, each with the reason (escaped for display).
    pub skipped: Vec<String>,
}

/// Permission bits written to disk: setuid and setgid are dropped (the file now belongs to
/// whoever extracts it), the sticky bit is kept.
fn disk_mode(entry: &Entry) -> u32 {
    entry.mode & 0o1777
}

/// A relative path from the selection as a path under `dest`, refusing anything but plain
/// components.
fn target(dest: &Path, relative: &str) -> Result<PathBuf> {
    let mut out = dest.to_path_buf();
    for part in relative.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\0') {
            bail!("{}: not a plain path", escape_name(relative));
        }
        out.push(part);
    }
    Ok(out)
}

/// Creates (as needed) every directory between `dest` and `path`, failing on anything that is
/// not a real directory — above all a symlink, which could lead outside `dest`.
fn ensure_parents(dest: &Path, path: &Path) -> Result<()> {
    let relative = path
        .strip_prefix(dest)
        .context("path outside the destination")?;
    let mut current = dest.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        current.push(part);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_dir() => {}
            Ok(_) => bail!(
                "{}: not a directory (a symlink is never followed)",
                escape_name(&current.display().to_string())
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir(&current)
                .with_context(|| escape_name(&current.display().to_string()))?,
            Err(e) => {
                return Err(e).with_context(|| escape_name(&current.display().to_string()));
            }
        }
    }
    Ok(())
}

/// Makes room for a new non-directory at `path`: nothing there, or (with `force`) a file or
/// link there that is removed — never a directory.
fn make_room(path: &Path, force: bool) -> Result<()> {
    let shown = || escape_name(&path.display().to_string());
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(shown),
        Ok(meta) if meta.file_type().is_dir() => {
            bail!("{}: a directory is in the way (never replaced)", shown())
        }
        Ok(_) if force => std::fs::remove_file(path).with_context(shown),
        Ok(_) => bail!("{}: already exists (--force replaces it)", shown()),
    }
}

/// Writes the selection under `dest` (created if missing). Refuses, before writing anything,
/// when a file or link would replace something that exists, unless `force`.
pub fn write_dir(
    source: &dyn ImageSource,
    selection: &Selection,
    dest: &Path,
    force: bool,
) -> Result<Written> {
    std::fs::create_dir_all(dest).with_context(|| {
        format!(
            "{}: cannot create",
            escape_name(&dest.display().to_string())
        )
    })?;
    let mut written = Written::default();
    let mut targets = Vec::with_capacity(selection.items.len());
    for item in &selection.items {
        targets.push(target(dest, &item.relative)?);
    }
    if !force {
        for (item, path) in selection.items.iter().zip(&targets) {
            let is_dir = item.entry.as_ref().is_none_or(|e| e.kind.is_dir());
            if let Ok(meta) = std::fs::symlink_metadata(path)
                && !(is_dir && meta.file_type().is_dir())
            {
                bail!(
                    "{}: already exists (--force replaces files and links; nothing was written)",
                    escape_name(&path.display().to_string())
                );
            }
        }
    }
    let mut dir_modes = Vec::new();
    let mut fresh_files: HashSet<&str> = HashSet::new();
    // Directories first, then file contents layer by layer, then links: a link from the image
    // is created last, so nothing is ever written through one.
    for (item, path) in selection.items.iter().zip(&targets) {
        if item.entry.as_ref().is_none_or(|e| e.kind.is_dir()) {
            ensure_parents(dest, path)?;
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.file_type().is_dir() => {}
                Ok(_) => make_room(path, force)
                    .and_then(|()| Ok(std::fs::create_dir(path)?))
                    .with_context(|| escape_name(&path.display().to_string()))?,
                Err(_) => std::fs::create_dir(path)
                    .with_context(|| escape_name(&path.display().to_string()))?,
            }
            written.dirs += 1;
            dir_modes.push((path.clone(), item.entry.as_ref().map_or(0o755, disk_mode)));
        }
    }
    let index: HashMap<&str, &PathBuf> = selection
        .items
        .iter()
        .zip(&targets)
        .map(|(i, p)| (i.relative.as_str(), p))
        .collect();
    read_contents(source, selection, |item, content| {
        let path = index[item.relative.as_str()];
        ensure_parents(dest, path)?;
        // A second copy of a path in the same layer replaces the first one written here.
        let again = !fresh_files.insert(item.relative.as_str());
        make_room(path, force || again)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| escape_name(&path.display().to_string()))?;
        let n = io::copy(content, &mut file)
            .with_context(|| escape_name(&path.display().to_string()))?;
        set_mode(path, item.entry.as_ref().map_or(0o644, disk_mode))?;
        if !again {
            written.files += 1;
        }
        written.bytes += n;
        Ok(())
    })?;
    for (item, path) in selection.items.iter().zip(&targets) {
        let Some(entry) = &item.entry else { continue };
        let shown = || format!("/{}", escape_name(&item.image_path));
        match &entry.kind {
            EntryKind::Symlink(link) => {
                ensure_parents(dest, path)?;
                make_room(path, force)?;
                symlink(link, path)?;
                written.links += 1;
            }
            EntryKind::Hardlink(link) => match hardlink_target(selection, link) {
                Some(linked) => {
                    ensure_parents(dest, path)?;
                    make_room(path, force)?;
                    std::fs::hard_link(index[linked.relative.as_str()], path)
                        .with_context(|| escape_name(&path.display().to_string()))?;
                    written.links += 1;
                }
                None => written.skipped.push(outside_link(item, link)),
            },
            EntryKind::CharDevice | EntryKind::BlockDevice | EntryKind::Fifo => {
                written.skipped.push(format!(
                    "{}: a device or FIFO (use --tar to keep it)",
                    shown()
                ))
            }
            EntryKind::File | EntryKind::Dir => {}
        }
    }
    // Deepest first, so a read-only directory is closed only after what goes in it.
    for (path, mode) in dir_modes.iter().rev() {
        set_mode(path, *mode)?;
    }
    Ok(written)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| escape_name(&path.display().to_string()))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &str, path: &Path) -> Result<()> {
    std::os::unix::fs::symlink(link, path).with_context(|| escape_name(&path.display().to_string()))
}

#[cfg(not(unix))]
fn symlink(_link: &str, path: &Path) -> Result<()> {
    bail!(
        "{}: symlinks need a Unix system",
        escape_name(&path.display().to_string())
    )
}

fn header_for(entry: &Entry) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(match entry.kind {
        EntryKind::File => tar::EntryType::Regular,
        EntryKind::Dir => tar::EntryType::Directory,
        EntryKind::Symlink(_) => tar::EntryType::Symlink,
        EntryKind::Hardlink(_) => tar::EntryType::Link,
        EntryKind::CharDevice => tar::EntryType::Char,
        EntryKind::BlockDevice => tar::EntryType::Block,
        EntryKind::Fifo => tar::EntryType::Fifo,
    });
    header.set_mode(entry.mode);
    header.set_uid(entry.uid.into());
    header.set_gid(entry.gid.into());
    header.set_mtime(0);
    header.set_size(if entry.kind == EntryKind::File {
        entry.size
    } else {
        0
    });
    header
}

/// Writes the selection as a tar stream (modes, owners, links and devices as the image has
/// them): directories, symlinks and devices first, then file contents layer by layer, then hard
/// links (to files of the selection only).
pub fn write_tar<W: Write>(
    source: &dyn ImageSource,
    selection: &Selection,
    writer: W,
) -> Result<Written> {
    let mut builder = tar::Builder::new(writer);
    let mut written = Written::default();
    let implied_dir = Entry {
        kind: EntryKind::Dir,
        size: 0,
        mode: 0o755,
        uid: 0,
        gid: 0,
        content_hash: 0,
    };
    for item in &selection.items {
        let entry = item.entry.as_ref().unwrap_or(&implied_dir);
        let mut header = header_for(entry);
        match &entry.kind {
            EntryKind::File | EntryKind::Hardlink(_) => continue,
            EntryKind::Dir => {
                builder.append_data(&mut header, &item.relative, io::empty())?;
                written.dirs += 1;
            }
            EntryKind::Symlink(link) => {
                builder.append_link(&mut header, &item.relative, link)?;
                written.links += 1;
            }
            EntryKind::CharDevice | EntryKind::BlockDevice | EntryKind::Fifo => {
                builder.append_data(&mut header, &item.relative, io::empty())?;
            }
        }
    }
    read_contents(source, selection, |item, content| {
        let entry = item.entry.as_ref().unwrap_or(&implied_dir);
        let mut header = header_for(entry);
        builder.append_data(&mut header, &item.relative, content)?;
        written.files += 1;
        written.bytes += entry.size;
        Ok(())
    })?;
    for item in &selection.items {
        let Some(
            entry @ Entry {
                kind: EntryKind::Hardlink(link),
                ..
            },
        ) = &item.entry
        else {
            continue;
        };
        match hardlink_target(selection, link) {
            Some(linked) => {
                builder.append_link(&mut header_for(entry), &item.relative, &linked.relative)?;
                written.links += 1;
            }
            None => written.skipped.push(outside_link(item, link)),
        }
    }
    builder.into_inner()?.flush()?;
    Ok(written)
}
