"""A client of the run service: create runs, read them, watch them live, steer them.

Requests and answers are the generated messages (`orchestrator_sdk.pb`),
typed; where a request is easier written as a dict, a dict in the proto's
JSON form (camelCase or snake_case keys) is accepted too.
"""
from __future__ import annotations

import time
from typing import Any, AsyncIterator, Iterator, Mapping, Optional, Sequence, Union

import grpc
from google.protobuf import json_format

from ._connection import aio_channel, open_channel
from ._gen import run_pb2 as rpb
from ._gen import run_pb2_grpc as rpb_grpc
from ._gen import types_pb2

TERMINAL = (types_pb2.RUN_STATUS_COMPLETED, types_pb2.RUN_STATUS_FAILED, types_pb2.RUN_STATUS_CANCELLED)

Request = Union[Mapping[str, Any], rpb.CreateRunRequest]


def _message(value: Union[Mapping[str, Any], Any], cls: Any) -> Any:
    return value if isinstance(value, cls) else json_format.ParseDict(dict(value), cls())


class Client:
    """A connection to a server (see `open_channel` for the arguments and
    the environment variables that stand in for them)."""

    def __init__(self, server: Optional[str] = None, api_key: Optional[str] = None, *,
                 tls_ca: Optional[str] = None, tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                 tls_domain: Optional[str] = None, timeout: float = 30.0) -> None:
        self._args = dict(server=server, api_key=api_key, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key,
                          tls_domain=tls_domain)
        self.timeout = timeout
        self._channel = open_channel(**self._args)  # type: ignore[arg-type]
        self.runs = rpb_grpc.RunServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ runs

    def create_run(self, request: Optional[Request] = None, *, goal: str = "",
                   tasks: Sequence[Mapping[str, Any]] = (), **fields: Any) -> types_pb2.Run:
        """Creates a run: a CreateRunRequest (message or dict), or `goal`,
        `tasks` (TaskSpecs as dicts) and any other of its fields by name."""
        if request is None:
            body: dict = {"goal": goal, **fields}
            if tasks:
                body["plan"] = {"tasks": list(tasks)}
            request = body
        resp = self.runs.CreateRun(_message(request, rpb.CreateRunRequest), timeout=self.timeout)
        return resp.run

    def get_run(self, run_id: str, full: bool = False) -> types_pb2.Run:
        view = rpb.RUN_VIEW_FULL if full else rpb.RUN_VIEW_BASIC
        return self.runs.GetRun(rpb.GetRunRequest(run_id=run_id, view=view), timeout=self.timeout)

    def list_runs(self, statuses: Sequence[int] = (), labels: Optional[Mapping[str, str]] = None,
                  parent_run_id: str = "", page_size: int = 100) -> Iterator[types_pb2.Run]:
        """Every run that matches, newest first, page by page."""
        token = ""
        while True:
            page = self.runs.ListRuns(rpb.ListRunsRequest(statuses=list(statuses), labels=dict(labels or {}),
                                                          parent_run_id=parent_run_id, page_size=page_size,
                                                          page_token=token), timeout=self.timeout)
            yield from page.runs
            token = page.next_page_token
            if not token:
                return

    def get_task(self, run_id: str, task_id: str) -> types_pb2.Task:
        return self.runs.GetTask(rpb.GetTaskRequest(run_id=run_id, task_id=task_id), timeout=self.timeout)

    def watch(self, run_id: str, after_seq: int = 0, reconnect: bool = True,
              timeout: Optional[float] = None) -> Iterator[types_pb2.RunEvent]:
        """The run's events from `after_seq` on, live, until the run ends. A
        stream dropped (UNAVAILABLE) or ended early (a server shutting down
        ends its streams) is picked up again after the last event seen.
        Raises TimeoutError if the run has not ended within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        seen, backoff = after_seq, 0.2
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"run {run_id} did not end within {timeout}s")
            try:
                for event in self.runs.WatchRun(rpb.WatchRunRequest(run_id=run_id, after_seq=seen), timeout=left):
                    seen = event.seq
                    backoff = 0.2
                    yield event
                if not reconnect or self.get_run(run_id).status in TERMINAL:
                    return
            except grpc.RpcError as e:
                if e.code() == grpc.StatusCode.DEADLINE_EXCEEDED and deadline is not None:
                    raise TimeoutError(f"run {run_id} did not end within {timeout}s") from e
                if not reconnect or e.code() != grpc.StatusCode.UNAVAILABLE:
                    raise
            time.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def watch_async(self, run_id: str, after_seq: int = 0) -> AsyncIterator[types_pb2.RunEvent]:
        """The run's events as an async iterator (grpc.aio, on a channel of
        its own), until the run ends; unlike `watch`, it does not reconnect."""
        channel, metadata = aio_channel(**self._args)  # type: ignore[arg-type]
        async with channel:
            stub = rpb_grpc.RunServiceStub(channel)
            async for event in stub.WatchRun(rpb.WatchRunRequest(run_id=run_id, after_seq=after_seq),
                                             metadata=metadata):
                yield event

    def wait(self, run_id: str, timeout: Optional[float] = None) -> types_pb2.Run:
        """Watches the run to its end and returns it (TimeoutError past `timeout` seconds)."""
        for _ in self.watch(run_id, timeout=timeout):
            pass
        return self.get_run(run_id)

    def list_agents(self) -> Sequence[Any]:
        """The workspace's fleet (ListAgents): each agent's instances, work and warning."""
        return list(self.runs.ListAgents(rpb.ListAgentsRequest(), timeout=self.timeout).agents)

    # ------------------------------------------------------------ steering

    def cancel_run(self, run_id: str, reason: str = "") -> types_pb2.Run:
        return self.runs.CancelRun(rpb.CancelRunRequest(run_id=run_id, reason=reason), timeout=self.timeout)

    def pause_run(self, run_id: str, reason: str = "") -> types_pb2.Run:
        return self.runs.PauseRun(rpb.PauseRunRequest(run_id=run_id, reason=reason), timeout=self.timeout)

    def resume_run(self, run_id: str) -> types_pb2.Run:
        return self.runs.ResumeRun(rpb.ResumeRunRequest(run_id=run_id), timeout=self.timeout)

    def retry_task(self, run_id: str, task_id: str) -> types_pb2.Task:
        return self.runs.RetryTask(rpb.RetryTaskRequest(run_id=run_id, task_id=task_id), timeout=self.timeout)

    def approve_task(self, run_id: str, task_id: str, comment: str = "") -> types_pb2.Task:
        return self.runs.ApproveTask(rpb.ApproveTaskRequest(run_id=run_id, task_id=task_id, comment=comment),
                                     timeout=self.timeout)

    def reject_task(self, run_id: str, task_id: str, comment: str = "") -> types_pb2.Task:
        return self.runs.RejectTask(rpb.RejectTaskRequest(run_id=run_id, task_id=task_id, comment=comment),
                                    timeout=self.timeout)


def output_of(message: Any) -> Any:
    """A Run's or Task's `output` as plain Python (None when unset)."""
    return json_format.MessageToDict(message.output) if message.HasField("output") else None
