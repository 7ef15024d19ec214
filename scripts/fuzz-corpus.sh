#!/bin/sh
# Builds small seed corpora for the cargo-fuzz targets in fuzz/ from testdata (nothing here is
# committed: fuzz/corpus is git-ignored). Usage: scripts/fuzz-corpus.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/dockerfile_parse" "$corpus/report_formats" "$corpus/arg_expansion" \
    "$corpus/shell_parse" "$corpus/shell_fast_path" "$corpus/layer_reader"

n=0
for f in "$root"/testdata/corpus/*/* "$root"/testdata/buildkit/*; do
    [ -f "$f" ] || continue
    # Seeds stay small: libFuzzer's default max_len is 4 KiB.
    [ "$(wc -c < "$f")" -le 16384 ] || continue
    n=$((n + 1))
    cp "$f" "$corpus/dockerfile_parse/seed$n"
    { echo "Dockerfile"; cat "$f"; } > "$corpus/report_formats/seed$n"
    # RUN bodies (first physical line) for the shell target.
    grep -E '^RUN ' "$f" | head -n 5 | sed 's/^RUN //' > "$corpus/shell_parse/seed$n" || true
    cp "$corpus/shell_parse/seed$n" "$corpus/shell_fast_path/seed$n"
    # ARG/ENV words for the expansion target: variables on the first line, the word after it.
    grep -hoE '\$\{[^}]*\}' "$f" | head -n 1 | { printf 'A=alpha\0B=\n'; cat; } \
        > "$corpus/arg_expansion/seed$n" || true
done

# Layers: each layer blob of the committed demo archive (tar and gzip), plus whiteouts made
# here with tar, gzip and zstd when those tools exist.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f "$root/testdata/images/demo.tar" ]; then
    tar -xf "$root/testdata/images/demo.tar" -C "$tmp"
    find "$tmp" -type f -size -64k ! -name '*.json' | while read -r blob; do
        cp "$blob" "$corpus/layer_reader/$(basename "$blob" | tr -c 'a-zA-Z0-9.\n' _)"
    done
fi
mkdir -p "$tmp/l/etc/.wh..wh..opq" "$tmp/l/usr"
touch "$tmp/l/etc/.wh.passwd" "$tmp/l/usr/file"
tar -C "$tmp/l" -cf "$corpus/layer_reader/whiteouts.tar" .
gzip -c "$corpus/layer_reader/whiteouts.tar" > "$corpus/layer_reader/whiteouts.tar.gz"
if command -v zstd > /dev/null; then
    zstd -q -c "$corpus/layer_reader/whiteouts.tar" > "$corpus/layer_reader/whiteouts.tar.zst"
fi
echo "seed corpora in $corpus: $(find "$corpus" -type f | wc -l) files"
