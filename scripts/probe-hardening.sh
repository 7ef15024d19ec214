#!/usr/bin/env bash
# Issue #8's probe: one hostile input per item of the issue, run against a pair of release
# binaries (imglint, imgdive) under a time limit and an address-space limit, recording the
# outcome (checked, not just the exit code), wall time and peak RSS. Prints a Markdown table.
#
# Usage: scripts/probe-hardening.sh [--before DIR] [--after DIR|none] [--results DIR]
#   --before/--after DIR holds imglint and imgdive (default --after: target/release; build them
#   with `cargo build --release --features imgdive`); with --before the table has a before and
#   an after column. --results keeps each side's cells in DIR, so the sides can be run apart
#   (`--before OLD --after none --results R`, then `--results R`) and the table printed whole.
# Environment: PROBE_TIMEOUT (seconds, default 60), PROBE_MEM (prlimit --as, default 4G),
#   PROBE_ONLY (a regular expression over probe ids, e.g. '^D' for imgdive only).
# Needs python3, prlimit, GNU time (/usr/bin/time), mkfifo, mknod (root, for the device probe).
# Inputs (about 120 MB) are generated into a temporary directory, removed at the end.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
after="$root/target/release"
before=""
results=""
while [ $# -gt 0 ]; do
    case "$1" in
    --before) before=$(cd "$2" && pwd); shift 2 ;;
    --after) if [ "$2" = none ]; then after=""; else after=$(cd "$2" && pwd); fi; shift 2 ;;
    --results) mkdir -p "$2" && results=$(cd "$2" && pwd); shift 2 ;;
    *) echo "usage: $0 [--before DIR] [--after DIR|none] [--results DIR]" >&2; exit 2 ;;
    esac
done
limit=${PROBE_TIMEOUT:-60}
mem=${PROBE_MEM:-4G}
mem_bytes=$(numfmt --from=iec "$mem") # prlimit takes bytes only
only=${PROBE_ONLY:-.}
work=$(mktemp -d /tmp/probe-hardening.XXXXXX)
[ -n "$results" ] || results="$work/results"
mkdir -p "$results"
touch "$results/titles"
readers=()
cleanup() {
    for pid in "${readers[@]}"; do kill "$pid" 2> /dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

# ------------------------------------------------------------------------------ measuring

# run DIR CMD ARGS…: runs CMD from DIR under the limits; sets status, wall, rss_kb; output in
# $out/stdout and $out/stderr.
run() {
    local dir=$1
    shift
    (cd "$dir" && env -u CI HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        XDG_CACHE_HOME="$home/.cache" /usr/bin/time -f '%e %M' -o "$out/time" \
        timeout -k 5 "$limit" prlimit --as="$mem_bytes" -- "$@" > "$out/stdout" 2> "$out/stderr" \
        < /dev/null)
    status=$?
    read -r wall rss_kb < <(tail -n 1 "$out/time")
}

# The outcome of a run that did not end by itself, or "" when the check decides.
abnormal() {
    case $status in
    124 | 137) echo "killed by timeout (${limit} s)" ;;
    134)
        if grep -q 'memory allocation' "$out/stderr"; then
            echo "abort: out of memory ($mem address space)"
        elif grep -q 'overflowed its stack' "$out/stderr"; then
            echo "abort: stack overflow"
        else
            echo "abort (SIGABRT)"
        fi
        ;;
    101) echo "panic: $(grep -m1 panicked "$out/stderr" | cut -c1-80)" ;;
    *) [ "$status" -gt 128 ] && echo "killed by signal $((status - 128))" ;;
    esac
}

# Checks, each echoing an outcome ("ok …", "clear error …" or "wrong result: …").
one_line_error() { # CODE PATTERN
    local lines
    lines=$(wc -l < "$out/stderr")
    if [ "$status" = "$1" ] && [ "$lines" = 1 ] && grep -q -- "$2" "$out/stderr"; then
        echo "clear error (exit $status)"
    elif [ "$status" = "$1" ] && [ "$lines" = 1 ]; then
        echo "exit $status, another error: $(head -c 60 "$out/stderr" | tr -d '\n')"
    elif [ "$status" = "$1" ]; then
        echo "wrong result: exit $status but stderr is $lines lines: $(head -c 80 "$out/stderr" | tr '\n' ' ')"
    else
        echo "wrong result: exit $status, expected $1 $(head -c 60 "$out/stderr" | tr '\n' ' ')"
    fi
}
finished() { # the analysis or lint ran: exit 0 or 1 (a CI rule or a finding)
    case $status in
    0 | 1) echo "ok (exit $status)" ;;
    *) echo "wrong result: exit $status: $(head -c 80 "$out/stderr" | tr '\n' ' ')" ;;
    esac
}
py() { python3 -c "$1" "${@:2}"; }
# No byte a terminal or log would interpret: C0 but LF/tab, DEL, C1, bidi controls, U+FFFE/F.
clean_text='
import sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
bad = [c for c in text if (c < " " and c not in "\n\t") or "\x7f" <= c <= "\x9f"
       or "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" or c in "\ufffe\uffff"]
print(f"{len(bad)} raw control characters" if bad else "")'
clean() {
    local verdict
    verdict=$(py "$clean_text" "$out/stdout")
    if [ -n "$verdict" ]; then echo "wrong result: $verdict"; else finished; fi
}
unchanged() { # FILE COPY PATTERN: FILE must be as it was; a refusal must be a clear error
    if ! cmp -s "$1" "$2"; then
        echo "wrong result: input overwritten"
    elif [ "$status" = 2 ]; then
        one_line_error 2 "$3"
    else
        echo "input kept, not refused (exit $status)"
    fi
}

# Records a probe's title, in the order probes first ran (results/titles: ID<tab>TITLE).
titled() {
    cut -f1 "$results/titles" | grep -qxF -- "$1" || printf '%s\t%s\n' "$1" "$2" >> "$results/titles"
}
# probe ID TITLE CHECK DIR CMD ARGS…: runs one probe on the current side and records its cell.
probe() {
    local id=$1 what=$2 check=$3
    shift 3
    [[ $id =~ $only ]] || return 0
    titled "$id" "$what"
    out="$work/$side/out/$id"
    mkdir -p "$out"
    run "$@"
    local outcome
    outcome=$(abnormal)
    [ -n "$outcome" ] || outcome=$($check)
    local mb=$(((rss_kb + 512) / 1024))
    printf '%s, %s s, %s MB\n' "$outcome" "$wall" "$mb" > "$results/$side/$id"
    printf '%s %-4s %s\n' "$side" "$id" "$(cat "$results/$side/$id")" >&2
}
# Marks a probe the side's binary cannot run.
missing() { # ID TITLE OPTION
    [[ $1 =~ $only ]] || return 0
    titled "$1" "$2"
    echo "n/a (\`$3\` did not exist)" > "$results/$side/$1"
}
has_option() { "$1" --help 2> /dev/null | grep -q -- "$2"; }

# ------------------------------------------------------------------------------- the probes

imgdive_probes() {
    local d="$work/$side/in/imgdive" sb="$work/$side/sandbox" dive="$bin/imgdive"
    mkdir -p "$sb"
    python3 "$root/scripts/probe_inputs.py" "$d" imgdive

    probe D1 "imgdive 1: tampered gzip layer in a classic docker-archive" \
        "one_line_error 2 diff_id" "$sb" "$dive" --ci "docker-archive:$d/tampered.tar"
    probe D2a "imgdive 2: GNU sparse entry declaring 4 EiB" \
        finished "$sb" "$dive" --ci "oci:$d/sparse"
    # The layer is one blob listed 100 times: read once, it fits the default budget.
    probe D2b "imgdive 2: 1 GiB layer listed 100 times (4.7 MB archive), default budget" \
        finished "$sb" "$dive" --ci "$d/listed100.tar"
    if has_option "$dive" --max-decompressed-bytes; then
        probe D2c "imgdive 2: the same with --max-decompressed-bytes 512MiB" \
            "one_line_error 2 decompress" "$sb" "$dive" --ci --max-decompressed-bytes 512MiB \
            "$d/listed100.tar"
    else
        missing D2c "imgdive 2: the same with --max-decompressed-bytes 512MiB" \
            --max-decompressed-bytes
    fi
    probe D3 "imgdive 3: GNU long name of 1.2 MB" \
        "one_line_error 2 1048576" "$sb" "$dive" --ci "oci:$d/longname"
    probe D4a "imgdive 4: --json of a file 20,000 directories deep" \
        check_deep "$sb" "$dive" --json "$sb/deep.json" "oci:$d/deep"
    probe D4b "imgdive 4: 100k files, then 100k whiteouts of their directory" \
        finished "$sb" "$dive" --ci "oci:$d/whiteouts"
    probe D4c "imgdive 4: --json of 10,000 layers over 100k files" \
        check_layers "$sb" "$dive" --json "$sb/layers.json" "oci:$d/layers"
    probe D4d "imgdive 4: --ci on 10,000 explicit nested directories" \
        finished "$sb" "$dive" --ci "oci:$d/nested"
    cp "$d/small.tar" "$sb/small.tar.orig"
    probe D5a "imgdive 5: --json IMG.tar oci-archive:IMG.tar" \
        "unchanged $d/small.tar $sb/small.tar.orig image" \
        "$sb" "$dive" --json "$d/small.tar" "oci-archive:$d/small.tar"
    echo old > "$sb/target.json"
    ln -s target.json "$sb/link.json"
    probe D5b "imgdive 5: --json onto a symlink" \
        check_symlink "$sb" "$dive" --json "$sb/link.json" "oci:$d/small"
    mkfifo "$sb/fifo"
    (exec cat "$sb/fifo" > "$sb/fifo.read") &
    reader=$!
    readers+=("$reader")
    probe D5c "imgdive 5: --json onto a FIFO" \
        check_fifo "$sb" "$dive" --json "$sb/fifo" "oci:$d/small"
    mknod "$sb/null" c 1 3
    probe D5d "imgdive 5: --json onto a character device (a private /dev/null node)" \
        check_device "$sb" "$dive" --json "$sb/null" "oci:$d/small"
    probe D6a "imgdive 6: two names differing only in invalid UTF-8 bytes" \
        check_utf8 "$sb" "$dive" --json - "oci:$d/utf8"
    probe D6b "imgdive 6: U+202E and U+0085 in a name, --json" \
        clean "$sb" "$dive" --json - "oci:$d/bidi"
    probe D7 "imgdive 7: OCI layout whose index.json is a FIFO" \
        "one_line_error 2 regular" "$sb" "$dive" --ci "oci:$d/fifo"
}

json_check() { # PYTHON over the parsed file $1 (as `j`); prints a problem or nothing
    py "import json, sys
j = json.load(open(sys.argv[1]))
$2" "$1" 2>&1 | tail -n 1
}
judge() { # PROBLEM: "" → finished
    if [ -n "$1" ]; then echo "wrong result: $1"; else finished; fi
}
check_deep() {
    judge "$(json_check "$work/$side/sandbox/deep.json" \
        'n = len(j["layer"][0]["fileList"]); print("" if n == 20001 else f"{n} entries")')"
}
check_layers() {
    judge "$(json_check "$work/$side/sandbox/layers.json" \
        'n = len(j["layer"]); print("" if n == 10001 else f"{n} layers")')"
}
check_symlink() {
    local sb="$work/$side/sandbox"
    if [ ! -L "$sb/link.json" ]; then
        echo "wrong result: the symlink was replaced by a file"
    else
        judge "$(json_check "$sb/target.json" 'print("" if "layer" in j else "no export")')"
    fi
}
check_fifo() {
    local sb="$work/$side/sandbox"
    sleep 1
    kill "$reader" 2> /dev/null
    if [ ! -p "$sb/fifo" ]; then
        echo "wrong result: the FIFO was replaced by a file"
    else
        judge "$(json_check "$sb/fifo.read" 'print("" if "layer" in j else "no export")')"
    fi
}
check_device() {
    if [ -c "$work/$side/sandbox/null" ]; then finished; else
        echo "wrong result: the device was replaced by a file"
    fi
}
check_utf8() {
    judge "$(json_check "$out/stdout" \
        'n = sum(1 for l in j["layer"] for e in l["fileList"] if e["path"].startswith("etc/conf"))
print("" if n == 2 else f"{n} path(s) for two files")')"
}

imglint_probes() {
    local d="$work/$side/in/imglint" lint="$bin/imglint"
    python3 "$root/scripts/probe_inputs.py" "$d" imglint
    local repo="$d/repo"
    home="$d/home"

    probe L1 "imglint 1: IL3001, entrypoint symlinked to a host file with a token" \
        check_secret "$repo" "$lint" -f json ctx/Dockerfile
    probe L2a "imglint 2: 64 doubling ARGs (1.3 KB)" \
        finished "$repo" "$lint" -f json Doubling.Dockerfile
    probe L2b "imglint 2: \`\${A:-\` nested 20,000 deep" \
        finished "$repo" "$lint" -f json Nested.Dockerfile
    probe L3a "imglint 3: 1 MB one-line RUN (echo a a …)" \
        finished "$repo" "$lint" -f json LongRun.Dockerfile
    local format
    for format in tty sarif gitlab; do
        probe "L3-$format" "imglint 3: 80k RUN lines with findings, -f $format" \
            "check_report $format" "$repo" "$lint" -f "$format" ManyRuns.Dockerfile
    done
    probe L4a "imglint 4: /dev/zero" \
        "one_line_error 2 larger" "$repo" "$lint" /dev/zero
    probe L4b "imglint 4: 50 MB one-line RUN" \
        "one_line_error 2 larger" "$repo" "$lint" -f json Huge.Dockerfile
    probe L4d "imglint 4: 16.6 MB one-line RUN of 8.3M words (under the default cap)" \
        finished "$repo" "$lint" -f json Words.Dockerfile
    if has_option "$lint" --max-file-size; then
        probe L4c "imglint 4: 50 MB one-line RUN with --max-file-size 64M" \
            finished "$repo" "$lint" -f json --max-file-size 64M Huge.Dockerfile
    else
        missing L4c "imglint 4: 50 MB one-line RUN with --max-file-size 64M" --max-file-size
    fi
    cp "$repo/Dockerfile" "$d/Dockerfile.orig"
    local target
    for target in sub/../Dockerfile link hard; do
        probe "L5-${target//[\/.]/}" "imglint 5: \`-o $target\` onto the linted Dockerfile" \
            "unchanged $repo/Dockerfile $d/Dockerfile.orig overwrite" \
            "$repo" "$lint" -o "$target" Dockerfile
        # Restored in place: `hard` must stay a hard link to it.
        cat "$d/Dockerfile.orig" > "$repo/Dockerfile"
    done
    probe L5-dump "imglint 5: \`--dump json Dockerfile -o Dockerfile\`" \
        "unchanged $repo/Dockerfile $d/Dockerfile.orig overwrite" \
        "$repo" "$lint" --dump json Dockerfile -o Dockerfile
    for format in gnu github; do
        probe "L6-$format" "imglint 6: ESC/BEL/DEL/C1/U+202E in content, -f $format" \
            clean "$repo" "$lint" -f "$format" Control.Dockerfile
    done
    local forged=$'Dockerfile.x\nfake.Dockerfile:1:1: error: forged'
    for format in tty gnu; do
        probe "L6-name-$format" "imglint 6: newline and a forged finding in a file name, -f $format" \
            check_forged "$repo" "$lint" --no-color -f "$format" "$forged"
    done
    probe L7 "imglint 7: U+FFFE/U+FFFF in content and file name, -f checkstyle" \
        check_xml "$repo" "$lint" -f checkstyle "$repo"/Xml.Dockerfile?*
    probe L8a "imglint 8: \`select: [DL9999]\` in .imglint.yaml" \
        "one_line_error 2 DL9999" "$d/select" "$lint" Dockerfile
    probe L8b "imglint 8: a directory argument holding no Dockerfile" \
        "one_line_error 2 Dockerfile" "$repo" "$lint" empty
    probe L8c "imglint 8: world-writable .hadolint.yaml above a directory outside repo and home" \
        check_foreign_config "$d/shared/project" "$lint" Dockerfile

    probe F1 "fuzz: build-context script ending in \`cat <<\\f \`" \
        finished "$repo" "$lint" -f json fuzz/Dockerfile
    probe F2 "fuzz: \`RUN 99999999999999999999>&1 …\` (descriptor over i32)" \
        check_no_panic "$repo" "$lint" -f json Fd.Dockerfile

    probe M0 "memory: one RUN of 1 command (baseline)" finished "$repo" "$lint" -f json Base.Dockerfile
    local base_kb=$rss_kb n
    for n in 10000 100000 1000000; do
        probe "M$n" "memory: one RUN of $n \`&&\`-chained commands" \
            finished "$repo" "$lint" -f json "Chain$n.Dockerfile"
        [[ M$n =~ $only ]] && [[ $status =~ ^[01]$ ]] || continue
        # The cell gets bytes per command: peak RSS over the baseline, over N.
        sed -i "s/\$/, $(((rss_kb - base_kb) * 1024 / n)) B per command/" "$results/$side/M$n"
    done
}

check_secret() {
    if grep -q SECRETTOKEN "$out/stdout"; then
        echo "wrong result: the host file's token is printed"
    else
        finished
    fi
}
check_no_panic() {
    if grep -q panicked "$out/stderr"; then echo "wrong result: a panic on stderr"; else finished; fi
}
check_report() {
    if [ "$1" != tty ]; then
        judge "$(json_check "$out/stdout" 'print("")')"
    elif [ -s "$out/stdout" ]; then finished; else echo "wrong result: empty report"; fi
}
check_forged() {
    if grep -q '^fake.Dockerfile' "$out/stdout"; then
        echo "wrong result: a forged finding line"
    else
        clean
    fi
}
check_xml() {
    judge "$(py 'import sys, xml.etree.ElementTree as ET
ET.parse(sys.argv[1]); print("")' "$out/stdout" 2>&1 | tail -n 1 | cut -c1-80)"
}
check_foreign_config() {
    if grep -q DL3007 "$out/stdout"; then finished; else
        echo "wrong result: a foreign config silenced DL3007 (exit $status)"
    fi
}

# ---------------------------------------------------------------------------------- run

for side in before after; do
    if [ "$side" = before ]; then bin=$before; else bin=$after; fi
    [ -n "$bin" ] || continue
    mkdir -p "$work/$side" "$results/$side"
    home="$work/$side/home"
    mkdir -p "$home"
    imgdive_probes
    imglint_probes
    rm -rf "$work/$side/in" "$work/$side/sandbox"
done

cell() { cat "$results/$1/$2" 2> /dev/null || echo "not run"; }
echo "| probe | before | after |"
echo "|---|---|---|"
while IFS=$'\t' read -r id what; do
    echo "| $what | $(cell before "$id") | $(cell after "$id") |"
done < "$results/titles"
