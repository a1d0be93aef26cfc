#!/usr/bin/env python3
"""An out-of-process agent for Orchestrator, on the Python SDK (sdk/python).

The SDK's Worker speaks the agent protocol (long poll, heartbeats, exactly one
outcome per attempt, claim_next, turns, spawns, a drain on SIGTERM); this file
is only the skill. It is chosen by the task's metadata `op`: upper, reverse,
length, sum (of the dependencies' numbers), fail, steps (one step per turn,
`metadata.steps` of them), fanout (an `upper` task per word, `metadata.join`
re-pointed at them), or echo by default; `metadata.sleep` (seconds) stretches
the work so that heartbeats, CancelRun and PauseRun can be watched.

Setup (from the repo root):
  python3 -m venv .venv && .venv/bin/pip install ./sdk/python
  .venv/bin/python examples/agents/python_agent.py --server 127.0.0.1:50051
  # a server with keys and TLS: an agent-role key, and the CA that signed its certificate
  .venv/bin/python examples/agents/python_agent.py --server https://orch.example:50051 \\
      --api-key "$AGENT_KEY" --tls-ca ca.pem   # [--tls-cert me.pem --tls-key me.key]

Tracing (optional): with the OpenTelemetry SDK installed (pip install
-r examples/python/requirements-otel.txt), each task runs in an `agent.work`
span under its attempt's span; --print-spans prints them, and
OTEL_EXPORTER_OTLP_ENDPOINT sends them to a collector.
"""
from __future__ import annotations

import argparse
import atexit
import logging
import os
import socket
import sys
import time
from typing import Any

from orchestrator_sdk import Continue, Spawn, Task, Worker


def work(task: Task) -> Any:
    """The task's work; returns its output as plain JSON-able Python."""
    meta, text = task.metadata, task.instructions
    op = meta.get("op", "echo")
    # Simulated long work, in slices so that CANCEL / PAUSE are noticed quickly.
    total = float(meta.get("sleep", 0))
    end = time.monotonic() + total
    while (left := end - time.monotonic()) > 0:
        task.check()
        task.report(1 - left / total, f"{op}: working")
        time.sleep(min(0.1, left))
    task.check()
    task.add_usage(tool_calls=1)
    if op == "upper":
        return {"op": op, "value": text.upper()}
    if op == "reverse":
        return {"op": op, "value": text[::-1]}
    if op == "length":
        return {"op": op, "value": len(text)}
    if op == "sum":
        return {"op": op, **sum_inputs(task.inputs)}
    if op == "fail":
        raise RuntimeError("failing on purpose (op=fail)")
    if op == "fanout":
        # A fan-out whose width is known only now: one `upper` task per word,
        # and the task named by `metadata.join` re-pointed at all of them.
        words = text.split()[: int(meta.get("max", 20))]
        tasks = [{"id": f"{task.task_id}-{i}", "title": f"Uppercase {w!r}", "instructions": w,
                  "agent": task.agent, "dependsOn": [task.task_id], "metadata": {"op": "upper"}}
                 for i, w in enumerate(words)]
        repoint = {meta["join"]: [t["id"] for t in tasks]} if meta.get("join") else {}
        return Spawn({"op": op, "spawned": len(tasks)}, tasks, repoint)
    if op == "steps":
        # One step per turn; the checkpoint the last turn left says how far it got.
        steps, done = int(meta.get("steps", 3)), int((task.checkpoint or {}).get("done", 0)) + 1
        task.report(1.0, f"{op}: step {done} of {steps}")
        if done < steps:
            raise Continue({"done": done})
        return {"op": op, "steps": done, "turn": task.turn}
    return {"op": "echo", "echo": text, "inputs": task.inputs}


def sum_inputs(inputs: dict[str, Any]) -> dict[str, Any]:
    """Adds the dependency outputs that are numbers or objects with a numeric "value"."""
    total, summed, skipped = 0.0, [], []
    for task_id in sorted(inputs):
        v = inputs[task_id]
        v = v.get("value") if isinstance(v, dict) else v
        # bool is an int in Python, but true is not a number in JSON.
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            total += v
            summed.append(task_id)
        else:
            skipped.append(task_id)
    return {"value": int(total) if total.is_integer() else total, "summed": summed, "skipped": skipped}


def setup_tracing(print_spans: bool) -> None:
    """The agent's spans (the OpenTelemetry SDK, when installed): to stdout
    with --print-spans, to an OTLP/gRPC collector at OTEL_EXPORTER_OTLP_ENDPOINT."""
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if not endpoint and not print_spans:
        return
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
    except ImportError:
        logging.warning("tracing is off: pip install -r examples/python/requirements-otel.txt")
        return
    name = os.environ.get("OTEL_SERVICE_NAME") or "python-agent"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    if endpoint:
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
        except ImportError:
            logging.warning("not exporting to %s: opentelemetry-exporter-otlp-proto-grpc is not installed", endpoint)
        else:
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if print_spans:
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    atexit.register(provider.shutdown)  # flushes the spans still batched


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--server", default=os.environ.get("ORCHESTRATOR_SERVER", "127.0.0.1:50051"),
                   help="host:port (https:// means TLS) [env ORCHESTRATOR_SERVER]")
    p.add_argument("--api-key", default=os.environ.get("ORCHESTRATOR_API_KEY"),
                   help="an agent-role key [env ORCHESTRATOR_API_KEY]")
    p.add_argument("--tls-ca", help="trust this CA instead of the system's roots")
    p.add_argument("--tls-cert", help="client certificate, for servers that require one (with --tls-key)")
    p.add_argument("--tls-key", help="the client certificate's private key")
    p.add_argument("--agent", default="python", help="the agent name tasks are addressed to")
    p.add_argument("--instance", default=f"{socket.gethostname()}:{os.getpid()}", help="this process's id")
    p.add_argument("--concurrency", type=int, default=4, help="tasks worked on at once")
    p.add_argument("--print-spans", action="store_true", help="print the agent's spans to stdout")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    args = p.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    setup_tracing(args.print_spans)
    worker = Worker(args.agent, server=args.server, api_key=args.api_key, concurrency=args.concurrency,
                    instance=args.instance, tls_ca=args.tls_ca, tls_cert=args.tls_cert, tls_key=args.tls_key,
                    capabilities=["upper", "reverse", "length", "sum", "echo"])
    worker.task()(work)
    worker.run()  # until SIGTERM or Ctrl-C; then the tasks in flight finish
    return 0


if __name__ == "__main__":
    sys.exit(main())
