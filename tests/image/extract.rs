//! `imgdive extract` (issue #12, part 3) on the buildah-built config image
//! (testdata/images/config.Dockerfile): layer 2 writes /srv/app/conf/old.ini (mode 640), layer 3
//! deletes it. The final image, an earlier layer, directories, tars, refusing to overwrite, and a
//! destination that holds a symlink out of it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{Imgdive, image, require_tool};

fn source() -> String {
    format!("oci:{}:latest", image("config").join("oci-gzip").display())
}

fn extract(args: &[&str]) -> Output {
    let mut all = vec!["extract", "--no-progress"];
    all.extend_from_slice(args);
    Imgdive::new().run(&all, &[])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o7777
}

#[test]
fn a_deleted_file_comes_back_from_the_layer_that_stored_it() {
    let src = source();
    let dest = tempfile::tempdir().unwrap();
    let out_dir = dest.path().to_str().unwrap();
    let path = "/srv/app/conf/old.ini";

    // Not in the final image: the error says which layer removed it and which stored it.
    let out = extract(&[&src, path, "-o", out_dir]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("removed by layer 3") && err.contains("stored in layer 2"),
        "{err}"
    );
    assert!(!dest.path().join("old.ini").exists());

    let out = extract(&[&src, path, "-o", out_dir, "--layer", "2"]);
    assert_exit(&out, 0);
    let file = dest.path().join("old.ini");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "token=kept-in-layer-2\n"
    );
    assert_eq!(mode(&file), 0o640, "mode kept");
    assert!(
        stderr(&out).contains("image after layer 2"),
        "{}",
        stderr(&out)
    );

    // Never replaced without --force; with it, replaced.
    std::fs::write(&file, "mine").unwrap();
    let out = extract(&[&src, path, "-o", out_dir, "--layer", "2"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    let out = extract(&[&src, path, "-o", out_dir, "--layer", "2", "--force"]);
    assert_exit(&out, 0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "token=kept-in-layer-2\n"
    );

    let out = extract(&[&src, path, "-o", out_dir, "--layer", "9"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("numbered 0 to 3"), "{}", stderr(&out));
}

#[test]
fn a_directory_is_written_whole_with_links_and_modes() {
    let src = source();
    let dest = tempfile::tempdir().unwrap();
    let out = extract(&[&src, "/srv/app", "-o", dest.path().to_str().unwrap()]);
    assert_exit(&out, 0);
    let app = dest.path().join("app");
    let seq: String = (1..=100).map(|n| format!("{n}\n")).collect();
    assert_eq!(std::fs::read_to_string(app.join("data.txt")).unwrap(), seq);
    assert_eq!(
        std::fs::read_link(app.join("current")).unwrap(),
        Path::new("data.txt")
    );
    assert!(app.join("conf").is_dir());
    assert!(
        !app.join("conf/old.ini").exists(),
        "deleted in the final image"
    );
    // The same tree as a tar: GNU tar lists what the image holds.
    require_tool("tar", "tar");
    let tar = dest.path().join("app.tar");
    let out = extract(&[
        &src,
        "/srv/app",
        "--tar",
        "-o",
        tar.to_str().unwrap(),
        "--layer",
        "2",
    ]);
    assert_exit(&out, 0);
    let listing = Command::new("tar").arg("-tvf").arg(&tar).output().unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    for needle in [
        "app/data.txt",
        "app/current -> data.txt",
        "-rw-r----- 0/0              22",
        "app/conf/old.ini",
    ] {
        assert!(listing.contains(needle), "{needle}:\n{listing}");
    }
    // The tar is refused over an existing file without --force.
    let out = extract(&[&src, "/srv/app", "--tar", "-o", tar.to_str().unwrap()]);
    assert_exit(&out, 2);
}

#[test]
fn a_symlink_in_the_destination_is_never_followed() {
    let src = source();
    let dest = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dest.path().join("app")).unwrap();
    let dest_arg = dest.path().to_str().unwrap();
    let out = extract(&[&src, "/srv/app", "-o", dest_arg]);
    assert_exit(&out, 2);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert!(
        dest.path().join("app").is_symlink(),
        "the user's link is left alone"
    );
    // A symlink where a directory of the image goes is never followed: --force replaces the
    // link itself, and the directory it pointed to stays empty.
    let out = extract(&[&src, "/srv/app", "-o", dest_arg, "--force"]);
    assert_exit(&out, 0);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(!dest.path().join("app").is_symlink());
    assert!(dest.path().join("app/data.txt").is_file());
    // A symlink where the image has a directory with a file in it: the file is never written
    // through it (a one-line error, or the link replaced with --force; never outside).
    std::fs::remove_dir_all(dest.path().join("app/conf")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dest.path().join("app/conf")).unwrap();
    let out = extract(&[&src, "/srv/app", "-o", dest_arg, "--layer", "2"]);
    assert_exit(&out, 2);
    let out = extract(&[&src, "/srv/app", "-o", dest_arg, "--force", "--layer", "2"]);
    assert_exit(&out, 0);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    assert!(dest.path().join("app/conf/old.ini").is_file());
}
