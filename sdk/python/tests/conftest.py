"""The SDK's suite runs against a real server: the orchestrator binary
(ORCHESTRATOR_BIN, default target/debug/orchestrator of this checkout) on
loopback, with SQLite in a temporary directory and a 2 s lease, so that a
worker killed mid-task is noticed quickly."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from orchestrator_sdk import Client, Worker

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = os.environ.get("ORCHESTRATOR_BIN", str(ROOT / "target" / "debug" / "orchestrator"))
    work = tmp_path_factory.mktemp("server")
    port = free_port()
    log = open(work / "server.log", "w")
    proc = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--database-url",
                             f"sqlite://{work}/sdk.db", "--lease", "2s"], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited; see {log.name}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def client(server: str) -> Iterator[Client]:
    with Client(server) as c:
        yield c


@pytest.fixture
def agent() -> str:
    """An agent name of this test's own, so that tests sharing the server never take each other's tasks."""
    return f"py-{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def serving(server: str, agent: str, handler: Callable[..., Any], **options: Any) -> Iterator[Worker]:
    """A started worker with `handler`, stopped on exit."""
    w = Worker(agent, server=server, poll_wait=2, **options)
    w.task()(handler)
    w.start()
    try:
        yield w
    finally:
        w.stop(timeout=options.get("drain_timeout", 5))
