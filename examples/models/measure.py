#!/usr/bin/env python3
"""Measures planning and verify-and-retry against a real model.

Starts its own server (SQLite in a temporary directory, examples/models/
policy.yaml), then:
  * plans each goal of goals.json with `orchestrator plan draft` (PlanRun):
    valid plans, repairs, planning time, tokens, notes;
  * runs each question of tasks.json as a one-task run of the `llm` agent,
    once with one attempt and once with three (retries after a failed
    verdict carry the verifier's feedback): pass rate and tokens of each;
  * judges a right and a wrong answer per rubric of judges.json, twice, with
    `orchestrator verify` (llm_judge): agreement with the intended verdict,
    and answers the judge could not be read from (verifier errors).

The model server must already be running (README, "Planning with an LLM").
Standard library only. Prints a Markdown table, and with --json the raw rows.

  python3 examples/models/measure.py --bin target/debug/orchestrator
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary, policy, workdir):
    port = free_port()
    log = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}",
         "--database-url", f"sqlite://{workdir}/measure.db", "--policy", policy],
        stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"the server exited; see {log.name}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not start")


def cli(binary, server, *args, stdin=None):
    out = subprocess.run([binary, *args, "--server", server, "--output", "json"],
                         input=stdin, capture_output=True, text=True)
    try:
        return out.returncode, json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        pass
    try:  # under --output json an error is a JSON object on stderr
        message = json.loads(out.stderr.strip().splitlines()[-1]).get("message", "")
    except (ValueError, IndexError, AttributeError):
        message = out.stderr.strip()
    return out.returncode, {"error": {"message": message}}


def plan_goals(binary, server, goals, timeout):
    rows = []
    for goal in goals:
        started = time.monotonic()
        code, answer = cli(binary, server, "plan", "draft", "--goal", goal, "--timeout", timeout)
        took = time.monotonic() - started
        usage = answer.get("usage", {})
        tasks = answer.get("plan", {}).get("tasks", [])
        rows.append({
            "goal": goal, "valid": code == 0, "seconds": round(took, 1),
            "calls": answer.get("plannerCalls", 0),
            "tokens": int(usage.get("promptTokens", 0)) + int(usage.get("completionTokens", 0)),
            "tasks": len(tasks), "notes": answer.get("notes", []),
            "titles": [t.get("title", "") for t in tasks],
            "error": answer.get("error", {}).get("message", ""),
        })
        print(f"  plan {'ok ' if code == 0 else 'BAD'} {took:5.1f}s {goal}", file=sys.stderr)
    return rows


def run_task(binary, server, item, attempts):
    request = {
        "goal": item["question"],
        "plan": {"tasks": [{"id": "answer", "agent": "answerer", "title": "Answer the question",
                            "instructions": item["question"], "criteria": item["criteria"]}]},
        "policy": {"defaultRetry": {"maxAttempts": attempts, "initialBackoff": "0.1s", "jitter": 0.1}},
    }
    code, run = cli(binary, server, "run", "create", "--plan", "-", stdin=json.dumps(request))
    if code != 0:
        return {"passed": False, "tokens": 0, "error": run.get("error", {}).get("message", "")}
    while run.get("status") not in ("COMPLETED", "FAILED", "CANCELLED"):
        time.sleep(0.5)
        _, run = cli(binary, server, "run", "get", run["id"])
    usage = run.get("usage") or {}
    return {"passed": run["status"] == "COMPLETED",
            "tokens": usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0),
            "output": run.get("output"), "reason": run.get("failure_reason", "")}


def judge(binary, server, rubric, output):
    request = {"output": output, "criteria": [{"kind": "llm_judge", "params": {"rubric": rubric, "threshold": 0.5}}]}
    code, verdict = cli(binary, server, "verify", "-", stdin=json.dumps(request))
    results = verdict.get("results") or [{}]
    return {"passed": code == 0, "error": bool(results[0].get("error")), "reason": results[0].get("reason", "")}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=os.environ.get("ORCHESTRATOR_BIN", "target/debug/orchestrator"))
    p.add_argument("--policy", default=os.path.join(HERE, "policy.yaml"))
    p.add_argument("--goals", default=os.path.join(HERE, "goals.json"))
    p.add_argument("--tasks", default=os.path.join(HERE, "tasks.json"))
    p.add_argument("--judges", default=os.path.join(HERE, "judges.json"))
    p.add_argument("--only", choices=["plans", "tasks", "judges"], help="measure one part only")
    p.add_argument("--timeout", default="300s", help="per goal")
    p.add_argument("--json", action="store_true", help="also print the raw rows")
    args = p.parse_args()
    workdir = tempfile.mkdtemp(prefix="orchestrator-measure-")
    proc, server = start_server(args.bin, args.policy, workdir)
    try:
        plans, tasks, judged, outcomes = [], [], [], []
        if args.only in (None, "plans"):
            plans = plan_goals(args.bin, server, json.load(open(args.goals)), args.timeout)
        if args.only in (None, "judges"):
            for item in json.load(open(args.judges)):
                for _ in range(2):
                    for intended in ("right", "wrong"):
                        j = judge(args.bin, server, item["rubric"], item[intended])
                        judged.append({"rubric": item["rubric"], "intended": intended, **j})
                        print(f"  judge {intended}: {'pass' if j['passed'] else 'fail'}"
                              f"{' (error)' if j['error'] else ''} {item['rubric'][:50]}", file=sys.stderr)
        if args.only in (None, "tasks"):
            for item in json.load(open(args.tasks)):
                one, three = run_task(args.bin, server, item, 1), run_task(args.bin, server, item, 3)
                tasks.append({"question": item["question"], "one": one, "three": three})
                print(f"  task 1:{'pass' if one['passed'] else 'fail'} 3:{'pass' if three['passed'] else 'fail'}"
                      f" {item['question'][:60]}", file=sys.stderr)
            # What the server recorded of the same runs (ListRetryOutcomes).
            _, recorded = cli(args.bin, server, "run", "retry-stats", "--agent", "answerer")
            outcomes = recorded.get("outcomes", [])
    finally:
        proc.terminate()
        proc.wait()
    print("| measure | value |\n|---|---|")
    if plans:
        valid = [r for r in plans if r["valid"]]
        n = len(plans)
        print(f"| valid plans | {len(valid)}/{n} |")
        print(f"| plans valid on the first call (no repair) | {sum(1 for r in valid if r['calls'] == 1)}/{n} |")
        print(f"| planner calls, mean | {sum(r['calls'] for r in plans) / n:.1f} |")
        print(f"| planning time, mean / max | {sum(r['seconds'] for r in plans) / n:.1f} s / {max(r['seconds'] for r in plans):.1f} s |")
        print(f"| planner tokens, mean | {sum(r['tokens'] for r in plans) / n:.0f} |")
        print(f"| plans with normalising notes | {sum(1 for r in valid if r['notes'])}/{len(valid)} |")
    if tasks:
        n = len(tasks)
        for key, label in (("one", "one attempt"), ("three", "up to three attempts")):
            passed = sum(1 for t in tasks if t[key]["passed"])
            tokens = sum(t[key]["tokens"] for t in tasks)
            print(f"| tasks passed, {label} | {passed}/{n} ({tokens:,} tokens) |")
        for o in outcomes:
            print(f"| recorded by the server for {o['agent']} on {o.get('model') or 'its own model'} |"
                  f" {o.get('verifiedTasks', 0)} verified, {o.get('passedFirstTry', 0)} on the first try,"
                  f" {o.get('retriedTasks', 0)} retried, {o.get('rescuedTasks', 0)} rescued,"
                  f" {int(o.get('retryTokens', 0)):,} retry tokens |")
    if judged:
        n = len(judged)
        agreed = sum(1 for j in judged if j["passed"] == (j["intended"] == "right"))
        print(f"| judge verdicts as intended | {agreed}/{n} |")
        print(f"| judge answers with no readable score (verifier errors) | {sum(1 for j in judged if j['error'])}/{n} |")
    if args.json:
        print(json.dumps({"plans": plans, "tasks": tasks, "judges": judged}, indent=1))


if __name__ == "__main__":
    main()
