#!/usr/bin/env bash
# Times the pre-commit `imglint` hook's first install the way a new user meets it: `pre-commit
# try-repo` of this repository (HEAD, plus uncommitted changes as pre-commit does) in a throw-away
# project, with an empty PRE_COMMIT_HOME, so pre-commit runs `cargo install --path .` from
# nothing. Crates come from cargo's download cache when they are in it (as on a machine that has
# built any Rust before); nothing else is shared between runs.
#
#   scripts/bench-hook-install.sh [RUNS]     (default 3; prints each run and the median)
#
# Run it on an idle machine: the build uses every core.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
command -v pre-commit >/dev/null || { echo "pre-commit is needed (pip install pre-commit)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
walls=()
for i in $(seq 1 "$runs"); do
  project="$work/project-$i"
  mkdir -p "$project"
  git -C "$project" init -q
  printf 'FROM ubuntu:24.04\nUSER 10001\nCMD ["node", "server.js"]\n' >"$project/Dockerfile"
  git -C "$project" add Dockerfile
  (
    cd "$project"
    PRE_COMMIT_HOME="$work/cache-$i" /usr/bin/time -f "%e %U %S" -o "$work/time-$i" \
      pre-commit try-repo "$root" imglint --all-files >"$work/log-$i" 2>&1
  ) || { echo "run $i failed:" >&2; cat "$work/log-$i" >&2; exit 1; }
  read -r wall user sys <"$work/time-$i"
  cpu=$(echo "$user + $sys" | bc)
  echo "run $i: ${wall} s wall, ${cpu} s CPU"
  walls+=("$wall")
  rm -rf "$work/cache-$i"
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "first install, median of $runs: ${median} s (target 90 s on the 2-core machine)"
