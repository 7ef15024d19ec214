#!/usr/bin/env bash
# Builds one test image from testdata/images/NAME.Dockerfile with buildah and exports it with
# skopeo to every on-disk form imgdive reads:
#
#   OUT/docker-archive.tar   `docker save` layout (manifest.json + <diffid>.tar)
#   OUT/oci-gzip/            OCI image layout, gzip layers          (ref "latest")
#   OUT/oci-zstd/            OCI image layout, zstd layers          (ref "latest")
#   OUT/oci-archive.tar      the gzip OCI layout as a tar           (ref "latest")
#
# The "platform" image is built twice (linux/amd64 and linux/arm64, COPY only, so no emulator is
# needed) and exported as a multi-platform OCI index instead: OUT/oci-index/ (ref "latest").
#
# OUT = testdata/generated/images/NAME-HASH, HASH covering the Dockerfile, the build context
# files, this script's code (not its comments) and the busybox binary, so callers (tests, the bench) rebuild only when one of
# those changes. The path of OUT is printed on stdout; progress goes to stderr.
#
# Nothing global is touched: buildah's storage lives in a temporary --root/--runroot under
# testdata/generated/ and is removed afterwards. No network: the only base is `FROM scratch` plus
# Debian's static busybox copied into the build context.
#
# Storage driver: overlay on the kernel's overlayfs. vfs computes a layer's diff by comparing two
# directory copies and therefore writes a per-file `.wh.<name>` for every child of a directory
# that was removed and recreated; kernel overlay records the recreated directory as opaque in its
# upper dir, which containers/storage exports as `.wh..wh..opq` — the case the waste image must
# contain. Without kernel overlayfs the script falls back to fuse-overlayfs, which builds fine but
# (checked with buildah 1.28) also yields per-file whiteouts, so the waste image's opaque check
# then fails with a message saying so. IMGTOOLS_STORAGE_DRIVER=vfs forces vfs.
set -euo pipefail

name=${1:?usage: scripts/images/build.sh NAME}
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
dockerfile=$repo_root/testdata/images/$name.Dockerfile
context_src=$repo_root/testdata/images/context/$name
generated=$repo_root/testdata/generated
busybox=${BUSYBOX:-/bin/busybox}

die() { echo "scripts/images/build.sh: $*" >&2; exit 1; }
need() {
  command -v "$1" >/dev/null 2>&1 || die "missing tool '$1' (install the Debian package '$2')"
}
need buildah buildah
need skopeo skopeo
need sha256sum coreutils
[ -f "$dockerfile" ] || die "no Dockerfile $dockerfile"
[ -x "$busybox" ] || die "missing $busybox (install the Debian package 'busybox-static')"

hash=$(
  {
    sha256sum "$dockerfile" "$busybox"
    # This script's code, not its comments: editing the notes must not rebuild the bench image.
    grep -v '^[[:space:]]*#' "$0" | sha256sum
    if [ -d "$context_src" ]; then find "$context_src" -type f -print0 | sort -z | xargs -0r sha256sum; fi
  } | sed "s#$repo_root##" | sha256sum | cut -c1-16
)
out=$generated/images/$name-$hash
if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$generated/images" "$generated/tmp"
# Test binaries may run in parallel (cargo nextest): one build per image at a time.
exec 9>"$generated/.lock-$name"
flock 9
if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi
work=$(mktemp -d "$generated/tmp/build-$name.XXXXXX")
driver=${IMGTOOLS_STORAGE_DRIVER:-overlay}
storage_opts=()
bah() { buildah --root "$work/root" --runroot "$work/runroot" --storage-driver "$driver" "${storage_opts[@]}" "$@"; }
cleanup() {
  bah rmi --all --force >/dev/null 2>&1 || true
  bah manifest rm "localhost/imgtools/$name:latest" >/dev/null 2>&1 || true
  # containers/storage bind-mounts its overlay dir onto itself; unmount before deleting.
  if mountpoint -q "$work/root/overlay" 2>/dev/null; then umount "$work/root/overlay" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$driver" = overlay ] && ! grep -qw overlay /proc/filesystems; then
  command -v fuse-overlayfs >/dev/null 2>&1 ||
    die "the kernel has no overlayfs and 'fuse-overlayfs' is missing (install the Debian package 'fuse-overlayfs')"
  storage_opts=(--storage-opt overlay.mount_program=/usr/bin/fuse-overlayfs)
fi

# On kernel overlayfs, containers/storage probes once per store whether it can take a layer's
# diff from overlay's upper dir ("native diff", which is what records a recreated directory as
# opaque) and caches the answer in the runroot; if the answer is no, it silently takes diffs the
# vfs way (per-file whiteouts), the only way this store writes them. One CI run, with several
# image builds at once, got a waste image with per-file whiteouts on kernel overlay: a failed
# probe (it mounts a scratch overlay) is the likely cause. Probe before building, and probe again
# in a fresh store if the answer was no.
if [ "$driver" = overlay ] && [ ${#storage_opts[@]} -eq 0 ]; then
  for attempt in 1 2 3; do
    bah info >/dev/null
    [ -e "$work/runroot/overlay/native-diff()-true" ] && break
    [ "$attempt" = 3 ] && die "buildah's overlay store cannot take native diffs (3 probes): $(ls "$work/runroot/overlay" | tr '\n' ' ')"
    echo "buildah's overlay native-diff probe failed (attempt $attempt); probing again in a fresh store" >&2
    if mountpoint -q "$work/root/overlay" 2>/dev/null; then umount "$work/root/overlay" || true; fi
    rm -rf "$work/root" "$work/runroot"
    sleep 1
  done
fi

context=$work/context
mkdir -p "$context"
cp "$busybox" "$context/busybox"
if [ -d "$context_src" ]; then cp -a "$context_src/." "$context/"; fi

tag=localhost/imgtools/$name:latest
store() { echo "containers-storage:[$driver@$work/root+$work/runroot]$1"; }
skopeo_copy() { skopeo copy --quiet --insecure-policy "$@"; }

staging=$work/out
mkdir -p "$staging"
# A fixed timestamp keeps the layer tars (and so the digests) stable between rebuilds.
build_args=(bud --layers --isolation chroot --timestamp 1700000000 -f "$dockerfile")
# A "# build: no-layers" line builds without --layers: one layer for the whole build (buildah
# then marks every history entry but the last as empty).
if grep -q '^# build: no-layers' "$dockerfile"; then
  build_args=(bud --isolation chroot --timestamp 1700000000 -f "$dockerfile")
fi

if [ "$name" = platform ]; then
  bah manifest create "$tag" >/dev/null
  for platform in linux/amd64 linux/arm64; do
    echo "building $name for $platform" >&2
    bah "${build_args[@]}" --platform "$platform" --build-arg "PLATFORM=${platform//\//-}" \
      --manifest "$tag" "$context" >&2
  done
  bah manifest push --all --quiet "$tag" "oci:$staging/oci-index:latest" >&2
else
  echo "building $name" >&2
  bah "${build_args[@]}" -t "$tag" "$context" >&2
  # A "# exports: FORM..." line in the Dockerfile limits the forms (the bench image needs two).
  exports=$(sed -n 's/^# exports: *//p' "$dockerfile" | head -1)
  exports=${exports:-docker-archive oci-gzip oci-zstd oci-archive}
  for form in $exports; do
    echo "exporting $name as $form" >&2
    case $form in
      docker-archive) skopeo_copy "$(store "$tag")" "docker-archive:$staging/docker-archive.tar:$tag" ;;
      oci-gzip) skopeo_copy --dest-compress --dest-compress-format gzip "$(store "$tag")" "oci:$staging/oci-gzip:latest" ;;
      oci-zstd) skopeo_copy --dest-compress --dest-compress-format zstd "$(store "$tag")" "oci:$staging/oci-zstd:latest" ;;
      oci-archive) skopeo_copy --dest-compress --dest-compress-format gzip "$(store "$tag")" "oci-archive:$staging/oci-archive.tar:latest" ;;
      *) die "$name: unknown export form '$form'" ;;
    esac
  done
fi

# Images that promise an opaque whiteout must really carry one (see "Storage driver" above).
if grep -q '^# expect: opaque-whiteout' "$dockerfile"; then
  found=0
  for layer in $(tar -tf "$staging/docker-archive.tar" | grep -E '^[0-9a-f]{64}\.tar$'); do
    if tar -xOf "$staging/docker-archive.tar" "$layer" | tar -t | grep -q '\.wh\.\.wh\.\.opq$'; then
      found=1
    fi
  done
  [ "$found" = 1 ] || die "$name: no layer contains an opaque whiteout (.wh..wh..opq): storage driver '$driver'${storage_opts[*]:+ (${storage_opts[*]})} wrote per-file whiteouts; this needs the kernel's overlayfs"
fi

touch "$staging/.complete"
rm -rf "$out"
mv "$staging" "$out"
# Older builds of the same image are superseded.
find "$generated/images" -maxdepth 1 -name "$name-*" ! -path "$out" -exec rm -rf {} +
echo "$out"
