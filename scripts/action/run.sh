#!/usr/bin/env bash
# The lint step of action.yml: turns the action's inputs (INPUT_* variables) into an imglint
# command line, runs it, and passes the report on as the step output `results` (and to
# `output-file`). Exits with imglint's status. Runs the same way on a laptop, which is how
# tests/imglint_dropin.rs tests it.
set -euo pipefail

args=()
[ -n "${INPUT_FORMAT:-}" ] && args+=(--format "$INPUT_FORMAT")
[ -n "${INPUT_FAILURE_THRESHOLD:-}" ] && args+=(--failure-threshold "$INPUT_FAILURE_THRESHOLD")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
IFS=',' read -ra ignored <<<"${INPUT_IGNORE:-}"
for rule in "${ignored[@]}"; do
  rule=$(echo "$rule" | tr -d '[:space:]')
  [ -n "$rule" ] && args+=(--ignore "$rule")
done
case "${INPUT_NO_FAIL:-false}" in
  true | True | TRUE | 1 | yes) args+=(--no-fail) ;;
  false | False | FALSE | 0 | no | "") ;;
  *) echo "imglint action: no-fail must be true or false, not '$INPUT_NO_FAIL'" >&2; exit 2 ;;
esac
read -ra paths <<<"${INPUT_DOCKERFILE:-Dockerfile}"

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
"${IMGLINT:-imglint}" "${args[@]}" --output "$report" -- "${paths[@]}" || status=$?

if [ -n "${INPUT_OUTPUT_FILE:-}" ]; then
  cp "$report" "$INPUT_OUTPUT_FILE"
else
  cat "$report"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  delimiter="imglint_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  { echo "results<<$delimiter"; cat "$report"; echo "$delimiter"; } >>"$GITHUB_OUTPUT"
fi
exit "$status"
