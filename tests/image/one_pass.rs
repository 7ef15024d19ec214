//! Every layer is decompressed once: the secrets its files hold are found by the same pass that
//! builds the tree, so the scan works with the layer blobs gone.

use imgtools::image::secrets;
use imgtools::image::source::{SourceOptions, SourceSpec, open};
use imgtools::image::{AnalyzeOptions, analyze};

use super::hostile::write_oci_layout;

fn layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, path, *data).unwrap();
    }
    builder.into_inner().unwrap()
}

#[test]
fn secrets_are_found_while_the_layers_are_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = b"aws_access_key_id = AKIAZ7VQ3MPLE4XAMP1E\n";
    // Past the 64 KiB a file is hashed in, below the 1 MiB the rules read: the key at its end.
    let mut long = vec![b'x'; 100 << 10];
    long.extend_from_slice(key);
    // Above 1 MiB: read by name only.
    let mut huge = vec![b'y'; (1 << 20) + 1];
    huge.extend_from_slice(key);
    let lower = layer(&[
        ("root/.aws/credentials", key),
        ("srv/app/.git/config", b"[core]\n"),
        ("srv/long.txt", &long),
        ("srv/huge.txt", &huge),
        ("srv/.env", b"A=1\n"),
    ]);
    let upper = layer(&[("root/.aws/.wh.credentials", b"")]);
    let reference = write_oci_layout(dir.path(), &[lower, upper]);
    let spec = SourceSpec::parse(&reference).unwrap();
    let source = open(&spec, &SourceOptions::default()).unwrap();
    let image = analyze(source.as_ref(), &AnalyzeOptions::default()).unwrap();

    // No second read: the scan does not need the blobs any more.
    let blobs = dir.path().join("blobs/sha256");
    for blob in std::fs::read_dir(&blobs).unwrap() {
        let blob = blob.unwrap().path();
        if std::fs::metadata(&blob).unwrap().len() > 2000 {
            std::fs::remove_file(blob).unwrap();
        }
    }
    let found = secrets::scan(source.as_ref(), &image).unwrap();
    let got: Vec<(&str, &str, Option<u32>, Option<u32>)> = found
        .iter()
        .map(|s| (s.kind, s.location.as_str(), s.layer, s.hidden_by))
        .collect();
    assert_eq!(
        got,
        [
            (
                "aws-access-key-id",
                "/root/.aws/credentials",
                Some(0),
                Some(1)
            ),
            ("git-directory", "/srv/app/.git", Some(0), None),
            ("aws-access-key-id", "/srv/long.txt", Some(0), None),
            ("dotenv-file", "/srv/.env", Some(0), None),
        ]
    );
    assert!(
        found
            .iter()
            .all(|s| !s.preview.contains("AKIAZ7VQ3MPLE4XAMP1E")),
        "never the secret in full: {found:?}"
    );
    // The file the rules read whole is fingerprinted like any other: same content, same hash
    // as a copy hashed in chunks would get.
    let node = image.tree.lookup("/srv/long.txt").unwrap();
    let entry = image.tree.state_at(node, 1).unwrap();
    assert_eq!(entry.size, long.len() as u64);
    assert_eq!(entry.content_hash, xxhash_rust::xxh3::xxh3_64(&long));
}
