#!/usr/bin/env bash
# Builds the imglint container image (the Containerfile at the repository root) with buildah:
# a static, stripped release imglint on `scratch`, run as a non-root user.
#
#   scripts/container/build.sh [IMAGE]        (default IMAGE: localhost/imglint:latest)
#
# The binary is built here, on the host, because only crates.io is reachable from this
# project's machines (no Rust builder image): a static musl binary (x86_64-unknown-linux-musl,
# `.ci/run` installs the target and musl-tools) that needs no file from the image. Where the musl
# target cannot be installed it falls back to a static glibc binary (`-C
# target-feature=+crt-static` on x86_64-unknown-linux-gnu) and says so. It goes to
# target/container/ so the cargo build is incremental and the image is rebuilt only when the
# binary changed (the binary's SHA-256 is a label of the image).
set -euo pipefail
cd "$(dirname "$0")/../.."
image=${1:-localhost/imglint:latest}

if rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
  triple=x86_64-unknown-linux-musl
  flags=""
else
  triple=x86_64-unknown-linux-gnu
  flags="-C target-feature=+crt-static"
  echo "build.sh: the musl target is not installed; building a static glibc imglint" >&2
fi

RUSTFLAGS="$flags" cargo build --quiet --release --locked \
  --target "$triple" --target-dir target/container --bin imglint \
  --config profile.release.strip=true --config profile.release.debug=false

context=target/container/context
mkdir -p "$context"
install -m 0755 "target/container/$triple/release/imglint" "$context/imglint"
cp Containerfile "$context/Containerfile"
sum=$(sha256sum "$context/imglint" | cut -d' ' -f1)

if [ "$(buildah inspect --type image --format '{{index .ImageAnnotations "org.imglint.binary-sha256"}}' "$image" 2>/dev/null || true)" = "$sum" ]; then
  echo "$image is up to date" >&2
  exit 0
fi
buildah build --quiet --layers=false --annotation "org.imglint.binary-sha256=$sum" \
  -f "$context/Containerfile" -t "$image" "$context" >/dev/null
echo "built $image" >&2
