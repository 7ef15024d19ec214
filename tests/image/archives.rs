//! Archives however they arrive: the waste image's docker-archive compressed with the real
//! `gzip` and `zstd` (named so that only the magic bytes can tell), on stdin from a file and
//! from a pipe, and one image picked out of a two-image `podman save -m` archive, all give the
//! numbers of the plain docker-archive; the temporary copies are gone afterwards.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Imgdive, PodmanService, image, require_tool};

/// Runs `imgdive --json - ARGS` with TMPDIR = `tmp`; gives the exit code, stdout and stderr.
fn run(
    imgdive: &Imgdive,
    args: &[&str],
    tmp: &Path,
    stdin: Stdio,
) -> (Option<i32>, Vec<u8>, String) {
    let out = imgdive
        .command()
        .args(["--json", "-", "--no-progress"])
        .args(args)
        .env("TMPDIR", tmp)
        .stdin(stdin)
        .output()
        .expect("run imgdive");
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The parts of the export that must not depend on how the archive arrived.
fn numbers(name: &str, (code, stdout, stderr): (Option<i32>, Vec<u8>, String)) -> Value {
    assert_eq!(code, Some(0), "{name}: {stderr}");
    let json: Value = serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::json!({
        "image": json["image"],
        "layer": json["layer"],
        "configDigest": json["imgdive"]["configDigest"],
    })
}

fn compress(tool: &str, input: &Path, output: &Path) {
    require_tool(tool, tool);
    let file = std::fs::File::create(output).unwrap();
    let status = Command::new(tool)
        .args(["-q", "-c"])
        .arg(input)
        .stdout(file)
        .status()
        .expect("run compressor");
    assert!(status.success(), "{tool} failed");
}

fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "temporary copies left behind: {left:?}");
}

#[test]
fn compressed_and_piped_archives_give_the_plain_archives_numbers() {
    let archive = image("waste").join("docker-archive.tar");
    let imgdive = Imgdive::new();
    let tmp = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let plain = numbers(
        "plain",
        run(
            &imgdive,
            &[archive.to_str().unwrap()],
            tmp.path(),
            Stdio::null(),
        ),
    );
    assert!(plain["image"]["sizeBytes"].as_u64().unwrap() > 0);
    assert_eq!(plain["layer"].as_array().map(Vec::len), Some(7));

    // Names that say nothing about the compression: only the magic bytes can.
    let gz = work.path().join("waste.image");
    let zst = work.path().join("waste.tar.gz");
    compress("gzip", &archive, &gz);
    compress("zstd", &archive, &zst);
    for (name, path) in [("gzip", &gz), ("zstd", &zst)] {
        let spec = format!("docker-archive:{}", path.display());
        for args in [vec![path.to_str().unwrap()], vec![spec.as_str()]] {
            let got = numbers(name, run(&imgdive, &args, tmp.path(), Stdio::null()));
            assert_eq!(got, plain, "{name} {args:?}");
        }
    }
    assert_empty(tmp.path());

    // stdin redirected from the file (read in place) and from pipes (plain and zstd).
    let file = std::fs::File::open(&archive).unwrap();
    let got = numbers("stdin file", run(&imgdive, &["-"], tmp.path(), file.into()));
    assert_eq!(got, plain, "stdin from a file");
    for (name, tool, input) in [("pipe", "cat", &archive), ("zstd pipe", "cat", &zst)] {
        let mut feeder = Command::new(tool)
            .arg(input)
            .stdout(Stdio::piped())
            .spawn()
            .expect("run cat");
        let pipe = feeder.stdout.take().unwrap();
        let got = numbers(name, run(&imgdive, &["-"], tmp.path(), pipe.into()));
        assert!(feeder.wait().unwrap().success());
        assert_eq!(got, plain, "{name}");
    }
    assert_empty(tmp.path());

    // Garbage on stdin: one line naming stdin, exit 2.
    let (code, _, stderr) = run(
        &imgdive,
        &["-"],
        tmp.path(),
        std::fs::File::open(image("waste").join(".complete"))
            .unwrap()
            .into(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("docker-archive:-"), "{stderr}");
    assert_empty(tmp.path());
}

#[test]
fn one_image_of_a_two_image_archive() {
    let waste = image("waste").join("docker-archive.tar");
    let bridge = image("bridge").join("docker-archive.tar");
    let service = PodmanService::start();
    service.load(&waste);
    service.load(&bridge);
    let work = tempfile::tempdir().unwrap();
    let two = work.path().join("two.tar");
    service.save_multi(
        &[
            "localhost/imgtools/waste:latest",
            "localhost/imgtools/bridge:latest",
        ],
        &two,
    );
    let imgdive = Imgdive::new();
    let tmp = tempfile::tempdir().unwrap();
    let alone = |archive: &Path| {
        numbers(
            "alone",
            run(
                &imgdive,
                &[archive.to_str().unwrap()],
                tmp.path(),
                Stdio::null(),
            ),
        )
    };
    for (reference, want) in [
        ("localhost/imgtools/waste:latest", alone(&waste)),
        ("imgtools/bridge", alone(&bridge)),
    ] {
        let spec = format!("docker-archive:{}:{reference}", two.display());
        let got = numbers(&spec, run(&imgdive, &[&spec], tmp.path(), Stdio::null()));
        assert_eq!(got, want, "{spec}");
        // The same choice from stdin.
        let spec = format!("docker-archive:-:{reference}");
        let file = std::fs::File::open(&two).unwrap();
        let got = numbers(&spec, run(&imgdive, &[&spec], tmp.path(), file.into()));
        assert_eq!(got, want, "{spec}");
    }

    // No reference: an error listing what the archive holds, not the first image.
    let (code, stdout, stderr) = run(
        &imgdive,
        &[two.to_str().unwrap()],
        tmp.path(),
        Stdio::null(),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for name in [
        "holds 2 images",
        "localhost/imgtools/waste:latest",
        "localhost/imgtools/bridge:latest",
    ] {
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    let spec = format!("docker-archive:{}:imgtools/nothing", two.display());
    let (code, _, stderr) = run(&imgdive, &[&spec], tmp.path(), Stdio::null());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no image named \"imgtools/nothing\""),
        "{stderr}"
    );
    assert_empty(tmp.path());
}
