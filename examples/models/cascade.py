#!/usr/bin/env python3
"""Measures the verifier-driven model cascade against two real local models.

Each question of cascade.json (five kinds of task, ten questions each, half
marked "learn" and half "test") is a one-task run with up to two attempts
(a rejected answer is retried with the verifier's feedback). On the test
half, four ways of answering:
  * cheap only:  the `cheap` agent (SmolLM2-135M), both attempts on it;
  * strong only: the `strong` agent (Qwen2.5-Coder-0.5B), both attempts on it;
  * cascade:     the `cascade` agent on a server that does not learn
                 (min_pass_rate 0): cheap first, strong on retry;
  * cascade after learning: the `cascade` agent on a server that first ran
                 the learn half, so a kind the cheap model fails starts on
                 the strong one.
Per way: questions passed, tokens, nominal cost (cascade.yaml's prices),
and the calls each model took. Two servers (SQLite in temporary
directories), both on cascade.yaml; the model servers must be running
(README, "Learning and guidance"). Standard library only.

  python3 examples/models/cascade.py --bin target/debug/orchestrator
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from measure import cli, start_server

HERE = os.path.dirname(os.path.abspath(__file__))
CHEAP, STRONG = "smollm2", "qwen2.5-coder-0.5b"


def run_events(binary, server, run_id):
    """A run's events (`run events --output json` prints one per line)."""
    out = subprocess.run([binary, "run", "events", run_id, "--server", server, "--output", "json"],
                         capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def ask(binary, server, agent, item):
    request = {
        "goal": item["question"],
        "plan": {"tasks": [{"id": "answer", "agent": agent, "title": item["title"],
                            "instructions": item["question"], "criteria": item["criteria"]}]},
        "policy": {"defaultRetry": {"maxAttempts": 2, "initialBackoff": "0.1s", "jitter": 0.1}},
    }
    code, run = cli(binary, server, "run", "create", "--plan", "-", stdin=json.dumps(request))
    if code != 0:
        sys.exit(f"run create failed: {run}")
    while run.get("status") not in ("COMPLETED", "FAILED", "CANCELLED"):
        time.sleep(0.3)
        _, run = cli(binary, server, "run", "get", run["id"])
    usage = run.get("usage") or {}
    events = run_events(binary, server, run["id"])
    started = sum(1 for e in events if e.get("type") == "attempt.started")
    steps = [(e.get("data") or {}).get("model", "") for e in events if e.get("type") == "cascade.step"]
    models = steps or [{"cheap": CHEAP, "strong": STRONG}[agent]] * started
    return {"passed": run["status"] == "COMPLETED",
            "tokens": int(usage.get("prompt_tokens", 0)) + int(usage.get("completion_tokens", 0)),
            "cost": float(usage.get("cost_usd", 0.0)), "models": models}


def way(binary, server, agent, items, label):
    rows = []
    for item in items:
        r = ask(binary, server, agent, item)
        rows.append({"kind": item["kind"], "question": item["question"], **r})
        print(f"  {label:<24} {'pass' if r['passed'] else 'fail'} {'→'.join(r['models'])} {item['question'][:50]}",
              file=sys.stderr)
    return rows


def wait_recorded(binary, server, n):
    """Until the server's outcome recorder has caught up with `n` attempts."""
    for _ in range(100):
        _, stats = cli(binary, server, "stats", "--by", "model")
        if int(stats.get("outcomes", 0)) >= n:
            return
        time.sleep(0.2)
    sys.exit("the outcomes were not recorded")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.environ.get("ORCHESTRATOR_BIN", "target/debug/orchestrator"))
    p.add_argument("--policy", default=os.path.join(HERE, "cascade.yaml"))
    p.add_argument("--tasks", default=os.path.join(HERE, "cascade.json"))
    p.add_argument("--json", action="store_true", help="also print every answer's row")
    args = p.parse_args()
    items = json.load(open(args.tasks))
    learn = [i for i in items if i["split"] == "learn"]
    test = [i for i in items if i["split"] == "test"]
    text = open(args.policy).read()
    results = {}

    # A server that never learns: the plain cascade, and each model alone.
    workdir = tempfile.mkdtemp(prefix="orchestrator-cascade-")
    unlearned = os.path.join(workdir, "unlearned.yaml")
    with open(unlearned, "w") as f:
        f.write(text.replace("min_pass_rate: 0.5", "min_pass_rate: 0"))  # no pass rate is below 0
    proc, server = start_server(args.bin, unlearned, workdir)
    try:
        for agent, label in (("cheap", "cheap only"), ("strong", "strong only"), ("cascade", "cascade")):
            results[label] = way(args.bin, server, agent, test, label)
    finally:
        proc.terminate()
        proc.wait()

    # A server that learns from the other half first.
    workdir = tempfile.mkdtemp(prefix="orchestrator-cascade-")
    proc, server = start_server(args.bin, args.policy, workdir)
    try:
        history = way(args.bin, server, "cascade", learn, "learning")
        wait_recorded(args.bin, server, sum(len(r["models"]) for r in history))
        results["cascade after learning"] = way(args.bin, server, "cascade", test, "cascade after learning")
    finally:
        proc.terminate()
        proc.wait()

    n = len(test)
    print(f"| way ({n} questions, up to 2 attempts) | passed | tokens | nominal cost | calls on {CHEAP} | calls on {STRONG} |")
    print("|---|---|---|---|---|---|")
    for label, rows in results.items():
        calls = [m for r in rows for m in r["models"]]
        print(f"| {label} | {sum(r['passed'] for r in rows)}/{n} | {sum(r['tokens'] for r in rows):,} |"
              f" ${sum(r['cost'] for r in rows) * 1e6:,.0f} per million such sets |"
              f" {calls.count(CHEAP)} | {calls.count(STRONG)} |")
    kinds = sorted({i["kind"] for i in test})
    print("\n| way | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for label, rows in results.items():
        cells = [f"{sum(r['passed'] for r in rows if r['kind'] == k)}/{sum(1 for r in rows if r['kind'] == k)}"
                 for k in kinds]
        print(f"| {label} | " + " | ".join(cells) + " |")
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
