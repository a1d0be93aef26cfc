#!/usr/bin/env python3
"""A command-executor agent: reads one task as JSON on stdin, answers JSON on stdout.

The operation comes from the task's metadata ("op"); its inputs are the
outputs of the task's dependencies (for a first task of a child run, which
has none, the inputs of the task that delegated to it, in the run's context). Offline and deterministic, so the
quickstart runs real multi-task work with no model and no network.
"""
import json
import sys
import time


def main() -> int:
    task = json.load(sys.stdin)
    meta = task.get("metadata") or {}
    op = meta.get("op", "echo")
    inputs = task.get("inputs") or (task.get("context") or {}).get("inputs") or {}
    time.sleep(float(meta.get("sleep", 0)))
    if op == "words":
        text = meta.get("text") or task.get("goal", "")
        words = [w.strip(".,;:!?()").lower() for w in text.split()]
        out = {"words": [w for w in words if w]}
    elif op == "count":
        words = [w for v in inputs.values() for w in v.get("words", [])]
        counts = {}
        for w in words:
            counts[w] = counts.get(w, 0) + 1
        out = {"counts": counts, "total": len(words)}
    elif op == "top":
        merged = {}
        for v in inputs.values():
            for w, n in v.get("counts", {}).items():
                merged[w] = merged.get(w, 0) + n
        top = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[: int(meta.get("n", 3))]
        out = {"top": [{"word": w, "count": n} for w, n in top]}
    elif op == "fail":
        print("failing on purpose", file=sys.stderr)
        return 3
    else:
        out = {"echo": task.get("instructions", ""), "inputs": inputs}
    print(f"{op}: done", file=sys.stderr)
    json.dump({"output": out, "usage": {"tool_calls": 1}}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
