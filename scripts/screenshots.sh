#!/usr/bin/env bash
# Regenerates screenshots/*.svg: runs the real imgdive on testdata/images/demo.tar inside a
# private tmux server, drives it with send-keys, captures each screen with its colours
# (`capture-pane -e -p`) and renders it to SVG with scripts/ansi2svg.py (Python 3, stdlib only).
#
# Usage: scripts/screenshots.sh [IMAGE]   (default: testdata/images/demo.tar)
#        scripts/screenshots.sh bridge    (only 07-bridge.svg: the bridge test image)
# Needs: tmux, python3, cargo.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
image=${1:-testdata/images/demo.tar}
out=$repo/screenshots
cols=150
rows=42
for tool in tmux python3 cargo; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is not installed" >&2; exit 1; }
done
cargo build --quiet --features imgdive --bin imgdive
bin=$repo/target/debug/imgdive
socket=imgdive-shots-$$
work=$(mktemp -d)
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$out"

t() { tmux -L "$socket" "$@"; }
keys() { for k in "$@"; do t send-keys -t shots "$k"; sleep 0.15; done; }
wait_for() {
  for _ in $(seq 1 100); do
    t capture-pane -t shots -p | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "screenshots.sh: timed out waiting for '$1'" >&2
  t capture-pane -t shots -p >&2
  exit 1
}
shot() {
  local name=$1 title=$2
  sleep 0.3
  t capture-pane -t shots -e -p >"$work/$name.ans"
  python3 "$repo/scripts/ansi2svg.py" "$work/$name.ans" "$out/$name.svg" \
    --cols "$cols" --rows "$rows" --title "$title"
  echo "wrote screenshots/$name.svg"
}

# `scripts/screenshots.sh bridge`: only screenshots/07-bridge.svg, imgdive --dockerfile on the
# bridge test image (built by scripts/images/build.sh, which needs buildah and skopeo).
if [ "$image" = bridge ]; then
  built=$(bash "$repo/scripts/images/build.sh" bridge)
  t new-session -d -s shots -x "$cols" -y "$rows" \
    "env XDG_CONFIG_HOME=$work HOME=$work TERM=xterm-256color $bin --dockerfile testdata/images/bridge.Dockerfile docker-archive:$built/docker-archive.tar; sleep 600"
  wait_for "Secrets:"
  keys Down Down Down Down
  wait_for "Dockerfile:13"
  shot 07-bridge "imgdive --dockerfile: the layer's Dockerfile line, waste by line, secrets a later RUN deleted"
  keys q
  exit 0
fi

# An empty config dir: default keys whatever the user has configured.
t new-session -d -s shots -x "$cols" -y "$rows" \
  "env XDG_CONFIG_HOME=$work HOME=$work TERM=xterm-256color $bin $image; sleep 600"
wait_for "Layers (1/"

keys Down Down Down
wait_for "Layers (4/"
shot 01-layer-changes "imgdive $image — layer 4: a file deleted (-), two overwritten (~)"

keys C-a Tab Down Down
wait_for "Aggregated Layer Contents"
shot 02-aggregated "ctrl+a: the image as of layer 4, marked against layer 1; Tab to the tree"

keys / c o n f i g '|' m o t d Enter
wait_for "): config|motd"
shot 03-filter "/ filters paths by regex, keeping their parents"

keys Home Down Enter
wait_for "History of"
shot 04-viewer "Enter opens the file viewer: the path's history and its content in this layer"

keys Escape Escape Tab Left Down Enter
wait_for "last touched by layer"
shot 05-jump "Image details: Enter on an inefficient path jumps to it in the tree"

keys '?'
wait_for "Help · keys"
shot 06-help "? lists every key (configurable in \$XDG_CONFIG_HOME/imgdive/config.yaml)"
keys Escape i
wait_for "Image config"
shot 07-image-config "i: the image config — command, environment, labels, dates, annotations"
keys Escape q
