#!/bin/sh
# A long cargo-fuzz run of each target, one after the other, and a Markdown table of what each
# did (executions, coverage, corpus, crashes). Needs the nightly toolchain and cargo-fuzz; run
# scripts/fuzz-corpus.sh first for the seed corpora. Corpora and crash artifacts stay in
# fuzz/corpus and fuzz/artifacts (git-ignored), each run's log in fuzz/artifacts/TARGET.log.
# Usage: scripts/fuzz-long.sh [SECONDS per target, default 600] [TARGET…]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- dockerfile_parse arg_expansion shell_parse shell_fast_path report_formats \
    layer_reader
cd "$root/fuzz"
mkdir -p artifacts
echo "| target | seconds | executions | exec/s | coverage (cov / ft) | corpus | crashes |"
echo "|---|---|---|---|---|---|---|"
for target in "$@"; do
    log="artifacts/$target.log"
    mkdir -p "corpus/$target" "artifacts/$target"
    before=$(find "artifacts/$target" -type f | wc -l)
    # -timeout: one input running 30 s is a hang worth an artifact; the RSS limit catches
    # runaway allocations well below the machine's memory.
    status=0
    cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" \
        -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 > "$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    # The last status line: "#N  DONE|pulse|NEW  cov: C ft: F corp: K/SIZE …".
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p')
    crashes=$(($(find "artifacts/$target" -type f | wc -l) - before))
    [ "$status" = 0 ] || crashes="$crashes (exit $status, see fuzz/$log)"
    echo "| \`$target\` | $seconds | ${runs:-?} | ${speed:-?} | $cov / $ft | $corp | $crashes |"
done
