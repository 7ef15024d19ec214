#!/usr/bin/env python3
"""Writes an OCI layout holding one gzip layer of N empty files (100 per directory, directories
explicit): the image imgdive's --ci / --json / load figures at a million entries are measured on.

Usage: python3 benches/million_image.py DIR [FILES]   (FILES defaults to 1,000,000)
Then:  /usr/bin/time -v target/release/imgdive --ci oci:DIR
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile


def main():
    out = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        def add(name, kind):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
            info.mtime = 1_700_000_000
            tar.addfile(info)
        for i in range(files):
            if i % 100 == 0:
                add(f"srv/d{i // 100}", tarfile.DIRTYPE)
            add(f"srv/d{i // 100}/file{i}.txt", tarfile.REGTYPE)
    layer_tar = raw.getvalue()
    layer_gz = gzip.compress(layer_tar, compresslevel=1, mtime=0)
    blobs = os.path.join(out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    def put(data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    layer = put(layer_gz, "application/vnd.oci.image.layer.v1.tar+gzip")
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers",
                   "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]},
        "history": [{"created_by": f"generated: {files} files"}],
    }).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": put(config, "application/vnd.oci.image.config.v1+json"),
        "layers": [layer],
    }).encode()
    index = {"schemaVersion": 2,
             "manifests": [put(manifest, "application/vnd.oci.image.manifest.v1+json")]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    print(f"oci:{out}: {files} files, layer {len(layer_gz)} bytes gzip, {len(layer_tar)} tar")


if __name__ == "__main__":
    main()
