"""The worker and the client against a real server (conftest.py starts it)."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from typing import Any

import pytest
from conftest import serving

from orchestrator_sdk import Client, Continue, Fail, Spawn, Task, output_of, pb

types = pb.types_pb2
FAST_RETRY = {"maxAttempts": 2, "initialBackoff": "0.05s", "jitter": 0}


def run_status(run: Any) -> str:
    return types.RunStatus.Name(run.status).removeprefix("RUN_STATUS_")


def test_a_worker_serves_a_runs_tasks_with_their_inputs_and_usage(server: str, client: Client, agent: str) -> None:
    def handle(task: Task) -> dict:
        task.add_usage(prompt_tokens=3, completion_tokens=2, tool_calls=1)
        return {"upper": task.instructions.upper(), "inputs": task.inputs}

    with serving(server, agent, handle):
        run = client.create_run(goal="shout", tasks=[
            {"id": "a", "agent": agent, "instructions": "hello"},
            {"id": "b", "agent": agent, "instructions": "world", "dependsOn": ["a"]},
        ])
        done = client.wait(run.id, timeout=30)
    assert run_status(done) == "COMPLETED", done.failure_reason
    b = output_of(client.get_task(run.id, "b"))
    assert b == {"upper": "WORLD", "inputs": {"a": {"upper": "HELLO", "inputs": {}}}}
    assert (done.usage.prompt_tokens, done.usage.completion_tokens, done.usage.tool_calls) == (6, 4, 2)


def test_an_exception_is_a_retryable_failure_and_fail_says_whether(server: str, client: Client, agent: str) -> None:
    def handle(task: Task) -> Any:
        if task.metadata.get("op") == "never":
            raise Fail("this cannot be done", retryable=False)
        if task.attempt == 1:
            raise ValueError("not yet")
        return {"attempt": task.attempt}

    with serving(server, agent, handle):
        ok = client.create_run(goal="retry", tasks=[{"id": "t", "agent": agent, "retry": FAST_RETRY}])
        bad = client.create_run(goal="never", tasks=[{"id": "t", "agent": agent, "retry": FAST_RETRY,
                                                      "metadata": {"op": "never"}}])
        assert run_status(client.wait(ok.id, timeout=30)) == "COMPLETED"
        failed = client.wait(bad.id, timeout=30)
    attempts = client.get_task(ok.id, "t").attempts
    assert [a.error for a in attempts] == ["ValueError: not yet", ""]
    assert run_status(failed) == "FAILED"
    assert "this cannot be done" in failed.failure_reason
    assert len(client.get_task(bad.id, "t").attempts) == 1, "not retried"


def test_turns_and_spawned_tasks(server: str, client: Client, agent: str) -> None:
    def handle(task: Task) -> Any:
        op = task.metadata.get("op")
        if op == "count":
            done = (task.checkpoint or {}).get("done", 0) + 1
            if done < 3:
                raise Continue({"done": done})
            return {"turns": task.turn, "done": done}
        if op == "fanout":
            words = task.instructions.split()
            tasks = [{"id": f"w{i}", "agent": agent, "instructions": w, "dependsOn": [task.task_id]}
                     for i, w in enumerate(words)]
            return Spawn({"words": len(words)}, tasks, {"join": [t["id"] for t in tasks]})
        if op == "join":
            return sorted(task.inputs)
        return task.instructions.upper()

    with serving(server, agent, handle):
        turns = client.create_run(goal="count", tasks=[{"id": "c", "agent": agent, "metadata": {"op": "count"}}])
        fan = client.create_run(goal="fan", tasks=[
            {"id": "f", "agent": agent, "instructions": "one two three", "metadata": {"op": "fanout"}},
            {"id": "join", "agent": agent, "dependsOn": ["f"], "metadata": {"op": "join"}},
        ])
        assert run_status(client.wait(turns.id, timeout=30)) == "COMPLETED"
        assert run_status(client.wait(fan.id, timeout=30)) == "COMPLETED"
    assert output_of(client.get_task(turns.id, "c")) == {"turns": 3, "done": 3}
    assert len(client.get_task(turns.id, "c").attempts) == 1, "turns, not attempts"
    assert output_of(client.get_task(fan.id, "join")) == ["w0", "w1", "w2"]


def test_handlers_run_concurrently_in_threads_and_in_asyncio(server: str, client: Client, agent: str) -> None:
    lock, running, most = threading.Lock(), [0], [0]

    async def handle(task: Task) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        await asyncio.sleep(0.5)
        with lock:
            running[0] -= 1
        return len(task.instructions)

    with serving(server, agent, handle, concurrency=3):
        run = client.create_run(goal="wide", tasks=[{"id": f"t{i}", "agent": agent, "instructions": "x" * i}
                                                    for i in range(3)])
        assert run_status(client.wait(run.id, timeout=30)) == "COMPLETED"
    assert most[0] >= 2, f"at most {most[0]} at once"


def test_a_cancelled_run_reaches_the_handler(server: str, client: Client, agent: str) -> None:
    started, saw = threading.Event(), threading.Event()

    def handle(task: Task) -> None:
        started.set()
        deadline = time.monotonic() + 20
        while not task.cancelled and time.monotonic() < deadline:
            time.sleep(0.05)
        if task.cancelled:
            saw.set()
        task.check()

    with serving(server, agent, handle):
        run = client.create_run(goal="long", tasks=[{"id": "t", "agent": agent}])
        assert started.wait(10)
        client.cancel_run(run.id, "enough")
        assert saw.wait(10), "the handler was not told"
    assert run_status(client.get_run(run.id)) == "CANCELLED"


def test_stop_drains_and_then_hands_back_what_is_left(server: str, client: Client, agent: str) -> None:
    started = threading.Event()

    def slow(task: Task) -> str:
        started.set()
        if task.metadata.get("op") == "endless":
            while not task.cancelled:
                time.sleep(0.05)
            task.check()
        time.sleep(0.5)
        return "done"

    # A drain long enough: the task in flight finishes.
    with serving(server, agent, slow, drain_timeout=10):
        run = client.create_run(goal="drain", tasks=[{"id": "t", "agent": agent}])
        assert started.wait(10)
    assert run_status(client.wait(run.id, timeout=30)) == "COMPLETED"

    # Too short: handed back at once, and another worker finishes it.
    started.clear()
    with serving(server, agent, slow, drain_timeout=0.3):
        run = client.create_run(goal="hand back", tasks=[{"id": "t", "agent": agent, "retry": FAST_RETRY,
                                                          "metadata": {"op": "endless"}}])
        assert started.wait(10)
    with serving(server, agent, lambda task: "finished elsewhere"):
        assert run_status(client.wait(run.id, timeout=30)) == "COMPLETED"
    attempts = client.get_task(run.id, "t").attempts
    assert "the worker is stopping" in attempts[0].error
    assert output_of(attempts[1]) == "finished elsewhere"


WORKER_SCRIPT = textwrap.dedent("""
    import sys, time
    from orchestrator_sdk import Worker
    worker = Worker(sys.argv[2], server=sys.argv[1], poll_wait=2)
    @worker.task()
    def handle(task):
        print("started", flush=True)
        time.sleep(60)
    worker.run()
""")


def test_a_worker_killed_mid_task_loses_nothing(server: str, client: Client, agent: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, server, agent], stdout=subprocess.PIPE, text=True)
    try:
        run = client.create_run(goal="survive", tasks=[{"id": "t", "agent": agent, "retry": FAST_RETRY}])
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    # The lease (2 s) lapses; the retry goes to the next worker.
    with serving(server, agent, lambda task: {"attempt": task.attempt}):
        done = client.wait(run.id, timeout=30)
    assert run_status(done) == "COMPLETED"
    assert output_of(client.get_task(run.id, "t")) == {"attempt": 2}


def test_sigterm_stops_a_running_worker_cleanly(server: str, client: Client, agent: str) -> None:
    script = WORKER_SCRIPT.replace("time.sleep(60)", "time.sleep(1)\n    return 'drained'")
    proc = subprocess.Popen([sys.executable, "-c", script, server, agent], stdout=subprocess.PIPE, text=True)
    run = client.create_run(goal="drain", tasks=[{"id": "t", "agent": agent}])
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    done = client.wait(run.id, timeout=10)
    assert run_status(done) == "COMPLETED", "the task in flight finished before the worker exited"
    assert output_of(client.get_task(run.id, "t")) == "drained"


def test_watch_follows_a_run_to_its_end_sync_and_async(server: str, client: Client, agent: str) -> None:
    with serving(server, agent, lambda task: "ok"):
        run = client.create_run(goal="watch", tasks=[{"id": "t", "agent": agent}])
        types_seen = [e.type for e in client.watch(run.id)]

        async def collect() -> list:
            return [e.seq async for e in client.watch_async(run.id)]

        seqs = asyncio.run(collect())
    assert types_seen[0] == "run.created" and "attempt.completed" in types_seen
    assert seqs == list(range(1, len(types_seen) + 1))
    assert [r.id for r in client.list_runs() if r.id == run.id] == [run.id]


def test_bad_input_is_refused_before_it_is_sent(server: str) -> None:
    from orchestrator_sdk import Worker

    with pytest.raises(ValueError):
        Worker("", server=server)
    with pytest.raises(ValueError):
        Worker("a", server=server, concurrency=0)
    w = Worker("a", server=server)
    with pytest.raises(ValueError):
        w.start()  # no handler
    w.task()(lambda t: None)
    with pytest.raises(ValueError):
        w.task()(lambda t: None)


def test_a_worker_the_server_refuses_stops_and_says_why(server: str, agent: str) -> None:
    import grpc

    from orchestrator_sdk import Worker

    w = Worker(agent, server=server, poll_wait=2, capabilities=["x" * 200])
    w.task()(lambda task: None)
    with pytest.raises(grpc.RpcError) as refused:
        w.run()
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "capabilities" in refused.value.details()


def test_the_fleet_lists_the_worker_and_its_sdk(server: str, client: Client, agent: str) -> None:
    from orchestrator_sdk import __version__

    with serving(server, agent, lambda task: "ok", instance="sdk-test:1"):
        run = client.create_run(goal="seen", tasks=[{"id": "t", "agent": agent}])
        assert run_status(client.wait(run.id, timeout=30)) == "COMPLETED"
        mine = [a for a in client.list_agents() if a.name == agent]
    assert len(mine) == 1 and mine[0].served
    assert [(i.id, i.sdk) for i in mine[0].instances] == [("sdk-test:1", f"python/{__version__}")]


def test_a_pause_hands_the_task_back_even_when_the_handler_ignores_it(server: str, client: Client,
                                                                      agent: str) -> None:
    started, first = threading.Event(), [True]

    def handle(task: Task) -> str:
        if first[0]:
            first[0] = False
            started.set()
            time.sleep(3)  # ignores the pause; its answer is not wanted
            return "too late"
        return f"attempt {task.attempt}"

    with serving(server, agent, handle):
        run = client.create_run(goal="pause", tasks=[{"id": "t", "agent": agent, "retry": FAST_RETRY}])
        assert started.wait(10)
        client.pause_run(run.id)
        time.sleep(3.5)
        client.resume_run(run.id)
        done = client.wait(run.id, timeout=30)
    assert run_status(done) == "COMPLETED"
    attempts = client.get_task(run.id, "t").attempts
    assert "paused" in attempts[0].error, f"handed back, not left to lapse: {attempts[0].error!r}"
    assert output_of(client.get_task(run.id, "t")) != "too late"


def test_an_outcome_that_cannot_be_sent_fails_the_attempt_and_the_slot_lives_on(server: str, client: Client,
                                                                               agent: str) -> None:
    def handle(task: Task) -> Any:
        if task.metadata.get("op") == "bad":
            raise Continue(object())  # not JSON
        return "fine"

    with serving(server, agent, handle, concurrency=1):
        bad = client.create_run(goal="bad", tasks=[{"id": "t", "agent": agent, "metadata": {"op": "bad"}}])
        failed = client.wait(bad.id, timeout=30)
        good = client.create_run(goal="good", tasks=[{"id": "t", "agent": agent}])
        assert run_status(client.wait(good.id, timeout=30)) == "COMPLETED", "the one slot still serves"
    assert run_status(failed) == "FAILED"
    assert "the outcome could not be sent" in failed.failure_reason


def test_wait_times_out_on_a_run_nobody_serves(client: Client, agent: str) -> None:
    run = client.create_run(goal="nobody", tasks=[{"id": "t", "agent": agent}])
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        client.wait(run.id, timeout=1)
    assert time.monotonic() - started < 10
    client.cancel_run(run.id)
    assert hasattr(pb, "admin_pb2") and hasattr(pb, "schedule_pb2_grpc"), "every stub module is in pb"
