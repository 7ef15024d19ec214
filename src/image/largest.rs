//! The largest files: of the image as it is after a layer, or of what one layer stored.

use super::model::{EntryKind, Image, NodeId};

/// One file and its size, with the layer that stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizedFile {
    pub node: NodeId,
    pub size: u64,
    pub layer: u32,
}

/// The `n` largest regular files, biggest first (ties by path order): in the image after
/// `layer` when `only_layer` is false, else among the files `layer` itself stored.
pub fn largest(image: &Image, layer: u32, only_layer: bool, n: usize) -> Vec<SizedFile> {
    let tree = &image.tree;
    let mut files: Vec<SizedFile> = Vec::new();
    for id in 0..tree.nodes.len() as NodeId {
        let versions = &tree.node(id).versions;
        let version = if only_layer {
            tree.version_in(id, layer)
        } else {
            let upto = versions.partition_point(|v| v.layer <= layer);
            upto.checked_sub(1).map(|i| &versions[i])
        };
        if let Some(v) = version
            && let Some(entry) = &v.entry
            && entry.kind == EntryKind::File
        {
            files.push(SizedFile {
                node: id,
                size: entry.size,
                layer: v.layer,
            });
        }
    }
    let by_size = |a: &SizedFile, b: &SizedFile| b.size.cmp(&a.size).then(a.node.cmp(&b.node));
    if files.len() > n && n > 0 {
        files.select_nth_unstable_by(n - 1, by_size);
        files.truncate(n);
    }
    files.sort_unstable_by(by_size);
    files.truncate(n);
    files
}

#[cfg(test)]
mod tests {
    use super::largest;
    use crate::image::fixtures::sample_image;

    #[test]
    fn biggest_first_for_the_image_and_for_one_layer() {
        let image = sample_image();
        let path = |f: &super::SizedFile| image.tree.path(f.node);
        let all = largest(&image, 1, false, 2);
        assert_eq!(all.len(), 2);
        assert_eq!(path(&all[0]), "/app/cache/build.log");
        assert!(all[0].size >= all[1].size);
        // Layer 3 only rewrote the config; the log is gone from the image by then.
        let own = largest(&image, 2, true, 10);
        assert_eq!(
            own.iter().map(path).collect::<Vec<_>>(),
            ["/app/config.ini"]
        );
        assert!(
            largest(&image, 3, false, 10)
                .iter()
                .all(|f| path(f) != "/app/cache/build.log")
        );
    }
}
