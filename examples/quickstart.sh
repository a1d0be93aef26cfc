#!/usr/bin/env bash
# The quickstart: builds the server, starts it on its embedded default
# (SQLite, ./orchestrator.db) with the example policy (examples/WORKFLOW.md), creates a 5-task run
# from examples/plans/word-count.yaml and watches it live to COMPLETED, then
# stops the server. Offline; needs only the Rust toolchain and python3.
#
# PORT (default 50051), ORCHESTRATOR_DATABASE_URL (default orchestrator.db) and
# QUICKSTART_LOG (default orchestrator.log) move it elsewhere; ORCHESTRATOR_BIN
# names an already built binary (then nothing is built).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${ORCHESTRATOR_BIN:-}"
if [[ -z "$bin" ]]; then
  # Not --quiet: on a cold clone the first build takes minutes, and a silent one looks hung.
  echo "building the orchestrator (the first build takes a few minutes)…" >&2
  cargo build
  bin="${CARGO_TARGET_DIR:-target}/debug/orchestrator"
fi
port="${PORT:-50051}"
log="${QUICKSTART_LOG:-orchestrator.log}"
server="http://127.0.0.1:${port}"
"$bin" serve --listen "127.0.0.1:${port}" --database-url "${ORCHESTRATOR_DATABASE_URL:-orchestrator.db}" \
  --policy examples/WORKFLOW.md 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
# Ready when *this* server says it is serving: a probe of the port alone could
# reach another server already listening there.
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: the server did not start (its log, $log, follows)" >&2
    cat "$log" >&2
    [[ "$port" == 50051 ]] && echo "hint: if the port is taken, PORT=50052 $0" >&2
    exit 1
  fi
  grep -q "serving" "$log" 2>/dev/null && break
  sleep 0.1
done
grep -q "serving" "$log" || { echo "error: the server is not serving after 30 s (see $log)" >&2; exit 1; }
"$bin" run create --plan examples/plans/word-count.yaml --watch --server "$server"
