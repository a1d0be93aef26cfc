#!/usr/bin/env python3
"""A client of Orchestrator on the Python SDK (sdk/python): create a run, watch it to its end.

It creates a run (by default the three-task plan of
examples/plans/python-agent.yaml, for the agent named `python`), prints its
events as they happen (WatchRun: replay, then live, until the run is over),
then its status and output.

Exit status: 0 if the run COMPLETED, 1 if it failed or was cancelled,
2 on bad usage, 3 if the server could not be reached or refused a call
(the same codes as `orchestrator run create --watch`).

Setup (from the repo root):
  python3 -m venv .venv && .venv/bin/pip install ./sdk/python
  .venv/bin/python examples/agents/python_agent.py &        # executes the tasks
  .venv/bin/python examples/python/client.py --server 127.0.0.1:50051
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import grpc
from google.protobuf import json_format

from orchestrator_sdk import Client, output_of, pb


def task(id: str, title: str, instructions: str, op: str, depends_on: tuple = ()) -> dict:
    return {"id": id, "title": title, "instructions": instructions, "agent": "python", "timeout": "30s",
            "dependsOn": list(depends_on), "metadata": {"op": op}}


# The plan of examples/plans/python-agent.yaml, as a CreateRunRequest in proto3 JSON.
DEFAULT_REQUEST = {
    "goal": "Transform two phrases with the Python agent and report both",
    "maxParallel": 2,
    "labels": {"example": "python-client"},
    "plan": {"tasks": [
        task("shout", "Uppercase a phrase", "hello from the python agent", "upper"),
        task("mirror", "Reverse a word", "stressed", "reverse"),
        task("report", "Echo both results", "Both transforms are done.", "echo", ("shout", "mirror")),
    ]},
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--server", help="host:port; https:// means TLS [env ORCHESTRATOR_SERVER]")
    p.add_argument("--api-key", help="an API key [env ORCHESTRATOR_API_KEY]")
    for flag in ("--tls-ca", "--tls-cert", "--tls-key"):
        p.add_argument(flag, metavar="PEM", help="TLS: the server's CA, a client certificate and its key")
    p.add_argument("--tls-domain", help="the name the server's certificate carries, if not the host of --server")
    p.add_argument("--request", type=Path, metavar="FILE", help="a CreateRunRequest as JSON instead of the built-in plan")
    p.add_argument("--goal", help="replace the request's goal")
    args = p.parse_args()
    try:
        body = json.loads(args.request.read_text()) if args.request else DEFAULT_REQUEST
        request = json_format.ParseDict({**body, **({"goal": args.goal} if args.goal else {})},
                                        pb.run_pb2.CreateRunRequest())
    except (OSError, ValueError, json_format.ParseError) as e:
        print(f"error: bad request {args.request or ''}: {e}", file=sys.stderr)
        return 2
    try:
        client = Client(args.server, args.api_key, tls_ca=args.tls_ca, tls_cert=args.tls_cert, tls_key=args.tls_key,
                        tls_domain=args.tls_domain, timeout=10)
    except OSError as e:
        print(f"error: cannot read a TLS file: {e}", file=sys.stderr)
        return 2
    with client:
        try:
            run = client.create_run(request)
            print(f"created run {run.id} ({len(run.plan.tasks)} tasks)", flush=True)
            for e in client.watch(run.id):
                change = f" {e.from_status} -> {e.to_status}" if e.to_status else ""
                print(f"{e.seq:>5} {e.type:<20}{f' [{e.task_id}]' if e.task_id else ''}{change}  {e.message}", flush=True)
            run = client.get_run(run.id)
        except grpc.RpcError as e:
            print(f"error: {e.code().name}: {e.details()}", file=sys.stderr)
            return 2 if e.code() == grpc.StatusCode.INVALID_ARGUMENT else 3
    status = pb.types_pb2.RunStatus.Name(run.status).removeprefix("RUN_STATUS_")
    print(f"run {run.id} {status}")
    if run.failure_reason:
        print(f"  reason: {run.failure_reason}")
    print(f"  output: {json.dumps(output_of(run), sort_keys=True)}")
    return 0 if status == "COMPLETED" else 1


if __name__ == "__main__":
    sys.exit(main())
