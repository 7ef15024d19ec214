#!/usr/bin/env bash
# Builds testdata/images/demo.tar, the small image the README opens with `imgdive`:
# buildah (vfs storage, chroot isolation, a private root under a temp dir) builds
# testdata/images/demo.Dockerfile from a generated context, and `buildah push` writes a
# docker-archive. Needs: buildah, busybox-static (/bin/busybox). Re-runnable; the output is
# committed (a few KB).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$repo/testdata/images/demo.tar}
command -v buildah >/dev/null || { echo "build-demo.sh: buildah is not installed" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "build-demo.sh: /bin/busybox (busybox-static) is missing" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs rmi --all --force >/dev/null 2>&1 || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ctx=$work/context
mkdir -p "$ctx"/rootfs/{app/bin,etc,usr/share/doc/demo,usr/local/bin} "$ctx/home"
cp /bin/busybox "$ctx/busybox"
printf 'Welcome to the imgdive demo image.\n' >"$ctx/rootfs/etc/motd"
printf '#!/busybox sh\necho "hello from the imgdive demo"\n' >"$ctx/rootfs/app/bin/hello.sh"
printf 'debug=true\nworkers=4\n' >"$ctx/rootfs/app/config.ini"
cat >"$ctx/rootfs/usr/share/doc/demo/README.md" <<'DOC'
# imgdive demo

Layer 1 copies this tree. Layer 3 writes /app/cache/build.log and rewrites
/app/config.ini; layer 4 deletes the log and rewrites the config again (so the
earlier bytes are wasted); layer 5 only changes permissions under /app.
DOC
# A deterministic binary file for the hex view.
"$repo/scripts/images/demo-bytes.sh" >"$ctx/rootfs/app/bin/blob.bin"
printf 'set number\n' >"$ctx/home/.vimrc"
printf 'notes of the demo user\n' >"$ctx/home/notes.txt"
chmod 0775 "$ctx/rootfs/app/bin/hello.sh"
chmod 0666 "$ctx/rootfs/app/config.ini"
touch -d '2024-01-01 00:00:00' $(find "$ctx/rootfs" "$ctx/home")

b() { buildah --root "$work/root" --runroot "$work/runroot" --storage-driver vfs "$@"; }
b bud --layers --isolation chroot --timestamp 0 -f "$repo/testdata/images/demo.Dockerfile" \
  -t localhost/imgdive-demo:latest "$ctx" >&2
rm -f "$out"
b push localhost/imgdive-demo:latest "docker-archive:$out:imgdive-demo:latest" >&2
echo "wrote $out ($(stat -c %s "$out") bytes)"
