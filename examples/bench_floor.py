#!/usr/bin/env python3
"""The floor the bench's SQLite figure is compared with: a minimal script that
writes the same durable facts per task as the service (the task, its claim as
an attempt, its completion, one event), with the same durability (WAL,
synchronous=NORMAL), and nothing else: no RPC, no scheduling, no trace.

    python3 examples/bench_floor.py [--tasks 20000] [--per-tx 1,16,256]

It prints tasks/s for each number of tasks per transaction (4 statements per
task). The service's `orchestrator bench --only runs` figure divided by the
256-per-transaction one is the ratio the README reports. Standard library only.
"""

import argparse
import json
import os
import sqlite3
import tempfile
import time

SCHEMA = """
CREATE TABLE tasks (run_id TEXT NOT NULL, task_id TEXT NOT NULL, status TEXT NOT NULL,
                    output_json TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY (run_id, task_id));
CREATE TABLE attempts (run_id TEXT NOT NULL, task_id TEXT NOT NULL, number INTEGER NOT NULL,
                       lease_id TEXT NOT NULL, status TEXT NOT NULL, started_at INTEGER NOT NULL,
                       finished_at INTEGER, PRIMARY KEY (run_id, task_id, number));
CREATE TABLE events (run_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
                     task_id TEXT, data_json TEXT NOT NULL, created_at INTEGER NOT NULL,
                     PRIMARY KEY (run_id, seq));
"""


def now_us():
    return time.time_ns() // 1000


def measure(path, tasks, per_tx):
    """Writes `tasks` tasks' facts, `per_tx` tasks per transaction; returns tasks/s."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(SCHEMA)
    run = "run_floor"
    started = time.perf_counter()
    done = 0
    seq = 0
    while done < tasks:
        n = min(per_tx, tasks - done)
        db.execute("BEGIN IMMEDIATE")
        for i in range(done, done + n):
            t = now_us()
            task = f"t{i:07d}"
            db.execute("INSERT INTO tasks VALUES (?, ?, 'RUNNING', NULL, ?)", (run, task, t))
            db.execute("INSERT INTO attempts VALUES (?, ?, 1, ?, 'SUCCEEDED', ?, ?)",
                       (run, task, f"lease_{i}", t, t))
            db.execute("UPDATE tasks SET status = 'SUCCEEDED', output_json = ?, updated_at = ? "
                       "WHERE run_id = ? AND task_id = ?", ('"ok"', t, run, task))
            seq += 1
            db.execute("INSERT INTO events VALUES (?, ?, 'task.succeeded', ?, ?, ?)",
                       (run, seq, task, json.dumps({"attempt": 1}), t))
        db.execute("COMMIT")
        done += n
    elapsed = time.perf_counter() - started
    db.close()
    return tasks / elapsed


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=int, default=20000, help="tasks per measurement (default 20000)")
    p.add_argument("--per-tx", default="1,16,256", help="tasks per transaction, comma-separated (default 1,16,256)")
    args = p.parse_args()
    sizes = [int(x) for x in args.per_tx.split(",") if x.strip()]
    if args.tasks < 1 or not sizes or min(sizes) < 1:
        p.error("--tasks and every --per-tx must be at least 1")
    print(f"{'tasks per transaction':>22}  {'tasks/s':>10}")
    with tempfile.TemporaryDirectory() as d:
        for per_tx in sizes:
            path = os.path.join(d, f"floor-{per_tx}.db")
            rate = measure(path, args.tasks, per_tx)
            print(f"{per_tx:>22}  {rate:>10,.0f}")


if __name__ == "__main__":
    main()
