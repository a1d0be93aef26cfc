#!/usr/bin/env bash
# The quickstart: builds the server, starts it on its embedded default
# (SQLite, ./orchestrator.db) with the example policy (examples/WORKFLOW.md), creates a 5-task run
# from examples/plans/word-count.yaml and watches it live to COMPLETED, then
# stops the server. Offline; needs only the Rust toolchain and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/orchestrator"
port="${PORT:-50051}"
server="http://127.0.0.1:${port}"
"$bin" serve --listen "127.0.0.1:${port}" --database-url "${DATABASE_URL:-orchestrator.db}" \
  --policy examples/WORKFLOW.md 2>orchestrator.log &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  "$bin" run list --server "$server" --limit 1 >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat orchestrator.log; exit 1; }
  sleep 0.1
done
"$bin" run create --plan examples/plans/word-count.yaml --watch --server "$server"
