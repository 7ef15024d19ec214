#!/usr/bin/env python3
"""Hostile inputs for scripts/probe-hardening.sh (issue #8), one per probe, generated into a
directory so nothing large is committed. Usage: probe_inputs.py OUT_DIR

Images are OCI layouts (gzip layers) or classic docker-archives; tar headers are written by
hand so sparse, long-name and invalid-UTF-8 entries are exactly what the probe needs."""

import hashlib
import io
import json
import os
import struct
import sys
import tarfile
import zlib

BLOCK = 512


def octal(value, width):
    return (b"%0*o" % (width - 1, value)) + b"\0"


def header(name, kind=b"0", size=0, mode=0o644, gnu_sparse=None):
    """One GNU tar header. `gnu_sparse` = (real size, [(offset, numbytes)]) for type S."""
    h = bytearray(BLOCK)
    h[0:len(name)] = name
    h[100:108] = octal(mode, 8)
    h[108:116] = octal(0, 8)
    h[116:124] = octal(0, 8)
    h[124:136] = octal(size, 12)
    h[136:148] = octal(1_700_000_000, 12)
    h[156:157] = kind
    h[257:265] = b"ustar  \0"
    if gnu_sparse is not None:
        real_size, chunks = gnu_sparse
        h[483:495] = base256(real_size)
        for i, (offset, numbytes) in enumerate(chunks):
            at = 386 + 24 * i
            h[at:at + 12] = base256(offset)
            h[at + 12:at + 24] = octal(numbytes, 12)
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def base256(value):
    return b"\x80" + b"\0" * 3 + struct.pack(">Q", value)


def entry(name, kind=b"0", data=b""):
    """Header(s) and padded data; names over 100 bytes get a GNU long-name header."""
    out = b""
    if len(name) > 100:
        out += header(b"././@LongLink", b"L", len(name) + 1) + pad(name + b"\0")
        name = name[:100]
    return out + header(name, kind, len(data), 0o755 if kind == b"5" else 0o644) + pad(data)


def pad(data):
    return data + b"\0" * (-len(data) % BLOCK)


END = b"\0" * (2 * BLOCK)


class Layer:
    """A layer tar streamed through sha256 (its diff_id) and gzip into `path`."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "wb")
        self.tar_sha = hashlib.sha256()
        self.gzip = zlib.compressobj(1, zlib.DEFLATED, 31)

    def write(self, data):
        self.tar_sha.update(data)
        self.file.write(self.gzip.compress(data))

    def finish(self):
        self.write(END)
        self.file.write(self.gzip.flush())
        self.file.close()
        return "sha256:" + self.tar_sha.hexdigest()


def layer_from(path, entries):
    layer = Layer(path)
    for chunk in entries:
        layer.write(chunk)
    return layer.finish()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def oci_layout(directory, layer_entries):
    """An OCI layout whose layers are the given entry iterables (gzip, honest diff_ids)."""
    blobs = os.path.join(directory, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    def put_file(path, media_type):
        digest = sha256_file(path)
        size = os.path.getsize(path)
        os.replace(path, os.path.join(blobs, digest[7:]))
        return {"mediaType": media_type, "digest": digest, "size": size}

    def put(data, media_type):
        tmp = os.path.join(blobs, "tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        return put_file(tmp, media_type)

    layers, diff_ids = [], []
    for entries in layer_entries:
        tmp = os.path.join(blobs, "layer.tmp")
        diff_ids.append(layer_from(tmp, entries))
        layers.append(put_file(tmp, "application/vnd.oci.image.layer.v1.tar+gzip"))
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": put(config, "application/vnd.oci.image.config.v1+json"), "layers": layers,
    }).encode()
    index = {"schemaVersion": 2,
             "manifests": [put(manifest, "application/vnd.oci.image.manifest.v1+json")]}
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(directory, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')


def docker_archive(path, layer_blob, diff_id, times):
    """A classic `docker save` archive listing one layer blob `times` times under `diff_id`."""
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": [diff_id] * times}}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["probe:1"],
                            "Layers": ["1/layer.tar"] * times}]).encode()
    with tarfile.open(path, "w") as out:
        for name, data in [(config_name, config), ("manifest.json", manifest)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        out.add(layer_blob, "1/layer.tar")


def tar_sha256(entries):
    digest = hashlib.sha256()
    for chunk in entries:
        digest.update(chunk)
    digest.update(END)
    return "sha256:" + digest.hexdigest()


# ----------------------------------------------------------------------------- the probes


def imgdive_inputs(out):
    def d(name):
        return os.path.join(out, name)

    # 1. A tampered gzip layer in a classic archive: the config claims the honest tar's diff_id.
    honest = [entry(b"bin/sh", data=b"#!good")]
    evil = [entry(b"bin/sh", data=b"#!evil")]
    layer_from(d("evil.tar.gz"), evil)
    docker_archive(d("tampered.tar"), d("evil.tar.gz"), tar_sha256(honest), 1)

    # 2a. A GNU sparse entry declaring 4 EiB of holes (one empty chunk at its very end).
    bomb = 4 << 60
    oci_layout(d("sparse"), [[header(b"bomb", b"S", 0, gnu_sparse=(bomb, [(bomb, 0)]))]
                             + [entry(b"x%d" % i, data=b"abc") for i in range(1000)]])

    # 2b. One layer of 1 GiB of zeros (1 MB of gzip) listed 100 times: 100 GiB to decompress.
    zeros = Layer(d("zeros.tar.gz"))
    zeros.write(header(b"zeros", b"0", 1 << 30))
    chunk = b"\0" * (1 << 20)
    for _ in range(1 << 10):
        zeros.write(chunk)
    docker_archive(d("listed100.tar"), d("zeros.tar.gz"), zeros.finish(), 100)

    # 3. A GNU long name of 1.2 MB ("a/" 600,000 times): over the 1 MiB header limit.
    oci_layout(d("longname"), [[entry(b"a/" * 600_000 + b"f", data=b"x")]])

    # 4a. One file 20,000 directories deep (parents implied), for --json.
    oci_layout(d("deep"), [[entry(b"a/" * 20_000 + b"f", data=b"x")]])

    # 4b. 100k files in d/, then 100k whiteouts of d in the next layer.
    files = [entry(b"d/", b"5")] + [entry(b"d/f%d" % i) for i in range(100_000)]
    oci_layout(d("whiteouts"), [files, [entry(b".wh.d")] * 100_000])

    # 4c. 10,000 layers of one file each over a layer of 100k files, for --json.
    base = [entry(b"base/f%d" % i, data=b"x") for i in range(100_000)]
    oci_layout(d("layers"), [base] + [[entry(b"l%d" % i, data=b"y")] for i in range(10_000)])

    # 4d. 10,000 explicit nested directory entries (n/, n/n/, …), for --ci.
    oci_layout(d("nested"), [(entry(b"n/" * i, b"5") for i in range(1, 10_001))])

    # 5. An archive to name twice (--json IMG.tar IMG.tar).
    oci_layout(d("small"), [[entry(b"a", data=b"x")]])
    with tarfile.open(d("small.tar"), "w") as t:
        t.add(d("small"), ".")

    # 6a. Two files whose names differ only in invalid UTF-8 bytes.
    oci_layout(d("utf8"), [[entry(b"etc/conf\xff", data=b"one"),
                            entry(b"etc/conf\xfe", data=b"two")]])
    # 6b. A bidi override and a C1 control in a name, for --json.
    oci_layout(d("bidi"), [[entry("evil\u202egpj.exe\u0085".encode(), data=b"x")]])

    # 7. An OCI layout whose index.json is a FIFO.
    oci_layout(d("fifo"), [[entry(b"a", data=b"x")]])
    os.remove(d("fifo/index.json"))
    os.mkfifo(d("fifo/index.json"))


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def imglint_inputs(out):
    def d(name):
        return os.path.join(out, name)

    # Every imglint probe runs inside this repository (config search stops at its .git).
    os.makedirs(d("repo/.git"))
    os.makedirs(d("home"))

    # 1. IL3001: the entrypoint script is a symlink to a host file holding a token.
    write(d("outside/token.sh"), "#!/bin/sh\nghp_SECRETTOKEN0123456789 --serve\n")
    write(d("repo/ctx/Dockerfile"),
          'FROM alpine:3\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n')
    os.symlink(d("outside/token.sh"), d("repo/ctx/start.sh"))

    # 2. Expansion: 64 doubling ARGs; ${A:- nested 20,000 deep.
    doubling = "ARG A0=xxxxxxxxxxxxxxxx\n" + "".join(
        "ARG A%d=${A%d}${A%d}\n" % (n, n - 1, n - 1) for n in range(1, 64))
    write(d("repo/Doubling.Dockerfile"), doubling + "FROM alpine:${A63}\nRUN echo ${A63}\n")
    write(d("repo/Nested.Dockerfile"), "FROM " + "${A:-" * 20_000 + "alpine" + "}" * 20_000 + "\n")

    # 3. A 1 MB one-line RUN; 80k RUN lines, each with findings.
    write(d("repo/LongRun.Dockerfile"), "FROM alpine:3\nRUN echo" + " a" * 500_000 + "\n")
    write(d("repo/ManyRuns.Dockerfile"), "FROM debian:12\n" + "".join(
        "RUN cd /x%d && apt-get install -y p%d\n" % (i, i) for i in range(80_000)))

    # 4. A 50 MB one-line RUN; a 16.6 MB one (8.3 million words) under the default 16 MiB cap.
    write(d("repo/Huge.Dockerfile"), "FROM alpine:3\nRUN echo" + " a" * 25_000_000 + "\n")
    write(d("repo/Words.Dockerfile"), "FROM alpine:3\nRUN echo" + " a" * 8_300_000 + "\n")

    # 5. A Dockerfile reachable through sub/../, a symlink and a hard link.
    write(d("repo/Dockerfile"), "FROM alpine\nRUN apt-get install x\n")
    os.makedirs(d("repo/sub"))
    os.symlink("Dockerfile", d("repo/link"))
    os.link(d("repo/Dockerfile"), d("repo/hard"))

    # 6. ESC/BEL/DEL/C1/bidi in content; a newline and a forged finding in a file name.
    write(d("repo/Control.Dockerfile"),
          "FROM alpine:latest\nRUN apt-get install \x1b]0;t\x07x\x7f\x85\u202e \x1b[2J\n")
    write(d("repo/Dockerfile.x\nfake.Dockerfile:1:1: error: forged"),
          "FROM alpine:latest\nRUN apt-get install x\n")

    # 7. U+FFFE / U+FFFF in content and in a file name, for checkstyle.
    write(d("repo/Xml.Dockerfile\ufffe"), "FROM alpine:latest\nRUN apt-get install \ufffe\uffff\n")

    # 8. A config selecting only an unknown rule; a directory without Dockerfiles; a
    # world-writable config above a directory that is outside any repository and the home.
    write(d("select/.git/x"), "")
    write(d("select/.imglint.yaml"), "select:\n  - DL9999\n")
    write(d("select/Dockerfile"), "FROM alpine:latest\n")
    write(d("repo/empty/README.md"), "no Dockerfile here\n")
    write(d("shared/.hadolint.yaml"), "ignored:\n  - DL3007\n")
    os.chmod(d("shared/.hadolint.yaml"), 0o666)
    write(d("shared/project/Dockerfile"), "FROM alpine:latest\n")

    # Found by the fuzz targets: a build-context script ending in a here-document whose
    # delimiter is a form feed; a redirection number over i32.
    write(d("repo/fuzz/Dockerfile"),
          'FROM alpine:3\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n')
    write(d("repo/fuzz/start.sh"), "#!/bin/sh\nexec cat <<\f ")
    write(d("repo/Fd.Dockerfile"), "FROM alpine:3\nRUN 99999999999999999999>&1 apt-get install x\n")

    # Memory per shell command: one RUN of N `&&`-chained commands.
    write(d("repo/Base.Dockerfile"), "FROM alpine:3\nRUN true\n")
    for n in (10_000, 100_000, 1_000_000):
        write(d("repo/Chain%d.Dockerfile" % n), "FROM alpine:3\nRUN true" + " && true" * n + "\n")


if __name__ == "__main__":
    out, which = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    {"imgdive": imgdive_inputs, "imglint": imglint_inputs}[which](out)
