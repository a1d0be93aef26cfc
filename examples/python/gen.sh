#!/usr/bin/env bash
# Generate the Python gRPC stubs of proto/orchestrator/v1 into examples/python/gen/.
#
#   python3 -m venv .venv
#   .venv/bin/pip install -r examples/python/requirements.txt
#   PATH=.venv/bin:$PATH examples/python/gen.sh
#
# Modules land at gen/orchestrator/v1/*_pb2.py and import each other as
# `orchestrator.v1.types_pb2`, because protoc names them after their path
# under the include root (-I proto). So put gen/ on sys.path and
# `from orchestrator.v1 import coordinator_pb2, coordinator_pb2_grpc`.
# The well-known types (google/protobuf/*.proto) come with grpcio-tools and
# resolve to the protobuf package at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
proto="$here/../../proto"
out="$here/gen"
python="${PYTHON:-python3}"

if ! "$python" -c "import grpc_tools" 2>/dev/null; then
  echo "gen.sh: $python has no grpcio-tools; create the virtualenv above and put .venv/bin first on PATH" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
"$python" -m grpc_tools.protoc -I "$proto" \
  --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
  "$proto"/orchestrator/v1/*.proto
# Regular packages rather than namespace packages, so nothing else named
# `orchestrator` on sys.path can shadow or merge with them.
touch "$out/orchestrator/__init__.py" "$out/orchestrator/v1/__init__.py"
echo "generated $(ls "$out"/orchestrator/v1/*_pb2*.py | wc -l) modules in $out" >&2
