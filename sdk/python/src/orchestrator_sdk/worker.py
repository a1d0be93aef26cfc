"""An agent worker: long-polls the server for an agent's tasks, runs a
handler per task (threads, or asyncio for `async def` handlers), keeps each
lease alive with heartbeats carrying the usage the handler reports, and ends
every attempt with exactly one outcome:

  * the handler returns a JSON value          -> CompleteTask (claiming the next task in the same call)
  * it returns `Spawn(output, tasks, repoint)` -> CompleteTask that adds tasks to the run
  * it raises `Continue(checkpoint)`          -> ContinueTask: another turn of the same attempt
  * it raises `Fail(message, retryable=...)`  -> FailTask as it says
  * it raises anything else                   -> FailTask, retryable
  * the run is cancelled or paused, or the lease is lost -> the work is dropped (a pause hands it back)

`stop()` (SIGTERM and SIGINT under `run()`) stops polling, lets the handlers
in flight finish for `drain_timeout` seconds, then hands back what is left
(FailTask, retryable) so another worker takes it at once.
"""
from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Union

import grpc
from google.protobuf import duration_pb2, json_format, struct_pb2

from . import __version__
from ._connection import open_channel
from ._gen import coordinator_pb2 as cpb
from ._gen import coordinator_pb2_grpc as cpb_grpc
from ._gen import types_pb2

log = logging.getLogger("orchestrator_sdk.worker")

RPC_TIMEOUT_S = 10.0  # every call but the long poll and CompleteTask
COMPLETE_TIMEOUT_S = 120.0  # CompleteTask runs the task's verification (checks, an LLM judge) before it answers
MIN_BEAT_S = 0.2  # never heartbeat more often than this
MAX_BEAT_S = 10.0  # nor less often (a clock behind the server's would wait past the lease)
MAX_MESSAGE = 4096  # the bytes of a progress message the server takes
OUTCOME_RETRY_S = 60.0  # how long an outcome call rides out an unreachable server
MAX_POLL_WAIT_S = 60.0  # the server's limit
TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.RESOURCE_EXHAUSTED)

Handler = Callable[["Task"], Any]


class Abandoned(Exception):
    """The work must stop: the run was cancelled or paused, the lease was lost, or the worker is stopping."""


class Fail(Exception):
    """Raise from a handler to fail the attempt with this message; `retryable=False` fails the task."""

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class Continue(Exception):
    """Raise from a handler to end this turn and ask for another (ContinueTask):
    the task comes back as the same attempt's next turn, `Task.checkpoint` set to `checkpoint`."""

    def __init__(self, checkpoint: Any = None) -> None:
        super().__init__("another turn")
        self.checkpoint = checkpoint


@dataclass
class Spawn:
    """Return from a handler to complete with `output` and add `tasks` to the
    run (TaskSpecs, as dicts in the proto's JSON form or messages), re-pointing
    PENDING tasks at them (`repoint`: task id -> its new dependencies)."""

    output: Any
    tasks: Sequence[Union[Mapping[str, Any], types_pb2.TaskSpec]] = ()
    repoint: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass
class Usage:
    """What an attempt has used so far (cumulative)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    tool_calls: int = 0
    cost_usd: float = 0.0

    def proto(self) -> types_pb2.Usage:
        # Counters are unsigned on the wire: a negative report counts as 0.
        return types_pb2.Usage(prompt_tokens=max(0, int(self.prompt_tokens)),
                               completion_tokens=max(0, int(self.completion_tokens)),
                               tool_calls=max(0, int(self.tool_calls)), cost_usd=max(0.0, float(self.cost_usd)))


def _json(value: Any) -> Any:
    return json_format.MessageToDict(value) if value is not None else None


class Task:
    """One assignment: what to do, and the means to report on it."""

    def __init__(self, a: cpb.TaskAssignment) -> None:
        self.assignment = a
        self.run_id: str = a.run_id
        self.task_id: str = a.task_id
        self.attempt: int = a.attempt
        self.turn: int = a.turn or 1
        self.max_turns: int = a.max_turns
        self.lease_id: str = a.lease_id
        self.spec: types_pb2.TaskSpec = a.spec
        self.title: str = a.spec.title
        self.instructions: str = a.spec.instructions
        self.agent: str = a.spec.agent
        self.metadata: Dict[str, Any] = json_format.MessageToDict(a.spec.metadata)
        self.inputs: Dict[str, Any] = {k: json_format.MessageToDict(v) for k, v in a.inputs.items()}
        self.goal: str = a.goal
        self.feedback: List[str] = list(a.feedback)
        self.previous_output: Any = _json(a.previous_output) if a.HasField("previous_output") else None
        self.checkpoint: Any = _json(a.checkpoint) if a.HasField("checkpoint") else None
        self.context: Dict[str, Any] = json_format.MessageToDict(a.context)
        self.trace_context: Dict[str, str] = dict(a.trace_context)
        self.allowed_tools: List[str] = list(a.allowed_tools)
        self.denied_tools: List[str] = list(a.denied_tools)
        self._lock = threading.Lock()
        self._usage = Usage()
        self._progress = 0.0
        self._message = "started"
        self._stop = threading.Event()
        self.stop_reason = ""
        self.paused = False

    def report(self, progress: float, message: str = "") -> None:
        """Progress (0..1) and a line, sent with the next heartbeat."""
        progress = min(max(float(progress), 0.0), 1.0) if progress == progress else 0.0  # NaN: 0
        with self._lock:
            self._progress, self._message = progress, message.encode()[:MAX_MESSAGE].decode(errors="ignore")

    def add_usage(self, prompt_tokens: int = 0, completion_tokens: int = 0, tool_calls: int = 0,
                  cost_usd: float = 0.0) -> None:
        """Adds to the attempt's usage (this turn's), sent with heartbeats and the outcome."""
        with self._lock:
            u = self._usage
            u.prompt_tokens += prompt_tokens
            u.completion_tokens += completion_tokens
            u.tool_calls += tool_calls
            u.cost_usd += cost_usd

    @property
    def usage(self) -> Usage:
        with self._lock:
            u = self._usage
            return Usage(u.prompt_tokens, u.completion_tokens, u.tool_calls, u.cost_usd)

    @property
    def cancelled(self) -> bool:
        """Whether the work must stop (see `check`)."""
        return self._stop.is_set()

    def check(self) -> None:
        """A safe point: raises `Abandoned` if the work must stop."""
        if self._stop.is_set():
            raise Abandoned(self.stop_reason)

    def _abandon(self, reason: str, paused: bool = False) -> None:
        if not self._stop.is_set():
            self.stop_reason, self.paused = reason, paused
            self._stop.set()

    def _beat_request(self) -> cpb.HeartbeatRequest:
        with self._lock:
            return cpb.HeartbeatRequest(lease_id=self.lease_id, progress=self._progress, message=self._message,
                                        usage=self._usage.proto())


class Worker:
    """Serves one agent's tasks.

        worker = Worker("python", server="127.0.0.1:50051", concurrency=8)

        @worker.task()
        def summarise(task: Task) -> dict:
            return {"summary": task.instructions[:100]}

        worker.run()
    """

    def __init__(self, agent: str, server: Optional[str] = None, api_key: Optional[str] = None, *,
                 concurrency: int = 4, instance: Optional[str] = None, poll_wait: float = 20.0,
                 drain_timeout: float = 30.0, capabilities: Sequence[str] = (),
                 tls_ca: Optional[str] = None, tls_cert: Optional[str] = None, tls_key: Optional[str] = None,
                 tls_domain: Optional[str] = None) -> None:
        if not agent:
            raise ValueError("a worker needs the agent name its tasks are addressed to")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.agent = agent
        self.concurrency = concurrency
        self.instance = instance or f"{socket.gethostname()}:{os.getpid()}"
        self.poll_wait = min(max(poll_wait, 1.0), MAX_POLL_WAIT_S)
        self.drain_timeout = drain_timeout
        self.capabilities = list(capabilities)
        self._channel = open_channel(server, api_key, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key,
                                     tls_domain=tls_domain)
        self._stub = cpb_grpc.CoordinatorServiceStub(self._channel)
        self._handler: Optional[Handler] = None
        self._stopping = threading.Event()
        self._held: Dict[str, Task] = {}
        self._held_lock = threading.Lock()
        self._polls: List[Any] = []
        self._slots: List[threading.Thread] = []
        self.completed = 0
        self.failed = 0
        #: Why the worker stopped by itself (a call it cannot recover from), if it did.
        self.error: Optional[grpc.RpcError] = None

    def task(self) -> Callable[[Handler], Handler]:
        """Registers the handler of this worker's tasks (a function, or an `async def`)."""
        def register(fn: Handler) -> Handler:
            if self._handler is not None:
                raise ValueError("a worker has one handler; dispatch on task.metadata inside it")
            self._handler = fn
            return fn
        return register

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Starts polling in `concurrency` background threads and returns."""
        if self._handler is None:
            raise ValueError("register a handler with @worker.task() first")
        if self._slots:
            return
        for i in range(self.concurrency):
            t = threading.Thread(target=self._slot, name=f"orchestrator-worker-{i}", daemon=True)
            t.start()
            self._slots.append(t)
        log.info("polling for agent %r as %s, %d at a time", self.agent, self.instance, self.concurrency)

    def run(self) -> None:
        """Serves until SIGTERM or SIGINT, then drains (see `stop`). Raises
        the `grpc.RpcError` that stopped it when polling fails for good
        (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, ...)."""
        done = threading.Event()

        def on_signal(signum: int, _frame: Any) -> None:
            log.info("signal %d: stopping", signum)
            done.set()

        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("run() handles signals, so it runs on the main thread; elsewhere use start() and stop()")
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        self.start()
        try:
            while not done.wait(0.5):
                if not any(t.is_alive() for t in self._slots):
                    break
        finally:
            # The handlers stay ours while draining: a second signal does not cut the hand-back short.
            try:
                self.stop()
            finally:
                for s, h in previous.items():
                    signal.signal(s, h)
        if self.error is not None:
            raise self.error

    def stop(self, timeout: Optional[float] = None) -> None:
        """Stops polling, waits up to `timeout` (default `drain_timeout`) for
        the handlers in flight, hands back the tasks still held, and closes
        the channel."""
        self._stopping.set()
        for f in list(self._polls):
            f.cancel()
        deadline = time.monotonic() + (self.drain_timeout if timeout is None else timeout)
        for t in self._slots:
            t.join(max(0.0, deadline - time.monotonic()))
        with self._held_lock:
            left = list(self._held.values())
        for task in left:
            task._abandon("the worker is stopping")
            self._fail_quietly(task, "handed back: the worker is stopping")
        for t in self._slots:
            t.join(RPC_TIMEOUT_S)
        self._channel.close()

    # ------------------------------------------------------------ the protocol

    def _slot(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            request = cpb.PollTaskRequest(agent=self.agent, agent_instance=self.instance,
                                          capabilities=self.capabilities,
                                          wait=duration_pb2.Duration(seconds=int(self.poll_wait)))
            future = self._stub.PollTask.future(request, timeout=self.poll_wait + RPC_TIMEOUT_S,
                                                metadata=[("x-orchestrator-sdk", f"python/{__version__}")])
            self._polls.append(future)
            if self._stopping.is_set():
                # stop() ran between the check above and the append: its cancel missed this poll.
                future.cancel()
            try:
                resp = future.result()
            except grpc.FutureCancelledError:
                return
            except grpc.RpcError as e:
                if self._stopping.is_set() or e.code() == grpc.StatusCode.CANCELLED:
                    return
                if e.code() not in TRANSIENT:
                    # Not transient (a bad key, a role that may not poll, a
                    # refused request): polling again would fail again.
                    log.error("PollTask: %s: %s; the worker stops", e.code().name, e.details())
                    self.error = e
                    self._stopping.set()
                    return
                log.warning("PollTask: %s; retrying in %.1fs", e.code().name, backoff)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            finally:
                with contextlib.suppress(ValueError):
                    self._polls.remove(future)
            backoff = 0.5
            assignment = resp.assignment if resp.HasField("assignment") else None
            while assignment is not None:
                if self._stopping.is_set():
                    # Claimed with the last completion as stop() began: handed back, not started.
                    self._fail_quietly(Task(assignment), "handed back: the worker is stopping")
                    break
                try:
                    assignment = self._handle(assignment)
                except Exception:  # a bug here must not cost a slot; the lease lapses and the task is retried
                    log.exception("%s/%s: the worker failed", assignment.run_id, assignment.task_id)
                    assignment = None

    def _handle(self, a: cpb.TaskAssignment) -> Optional[cpb.TaskAssignment]:
        """Runs one assignment to its outcome; returns the next one claimed with it."""
        task = Task(a)
        with self._held_lock:
            self._held[a.lease_id] = task
        beat = threading.Thread(target=self._beat, args=(task,), name="orchestrator-heartbeat", daemon=True)
        beat.start()
        try:
            return self._outcome(task)
        finally:
            task._abandon("")  # ends the heartbeat loop
            beat.join(RPC_TIMEOUT_S + 1)
            with self._held_lock:
                self._held.pop(a.lease_id, None)

    def _outcome(self, task: Task) -> Optional[cpb.TaskAssignment]:
        assert self._handler is not None
        with _span(task) as span:
            try:
                out = self._handler(task)
                if inspect.isawaitable(out):
                    out = asyncio.run(_awaited(out))
                result: Any = out if isinstance(out, Spawn) else Spawn(out)
            except Abandoned:
                result = None
            except (Continue, Fail) as e:
                result = e
            except Exception as e:  # the handler failed: a fresh attempt may do better
                if span is not None:
                    span.record_exception(e)
                    _error_status(span, f"{type(e).__name__}: {e}")
                result = e
        if task.cancelled and task.stop_reason:
            # Cancelled, paused (handed back at the directive), the lease lost,
            # or handed back by stop(): the outcome is not wanted.
            log.info("%s/%s#%d abandoned (%s)", task.run_id, task.task_id, task.attempt, task.stop_reason)
            return None
        if result is None:  # the handler gave up by itself (Abandoned): let another attempt try
            result = Fail("the handler abandoned the task")
        try:
            method, request = self._request(task, result)
        except Exception as e:  # an output, checkpoint or spawn that cannot be sent
            method, request = self._stub.FailTask, cpb.FailTaskRequest(
                lease_id=task.lease_id, error=f"the outcome could not be sent: {type(e).__name__}: {e}",
                retryable=False, usage=task.usage.proto())
        try:
            timeout = COMPLETE_TIMEOUT_S if isinstance(request, cpb.CompleteTaskRequest) else RPC_TIMEOUT_S
            resp = _call(method, request, timeout=timeout)
        except grpc.RpcError as e:
            retried = getattr(e, "orchestrator_retried", False)
            if e.code() == grpc.StatusCode.INVALID_ARGUMENT and not isinstance(request, cpb.FailTaskRequest):
                # The server refused the output or checkpoint itself: sending it again would not help.
                what = "output" if isinstance(request, cpb.CompleteTaskRequest) else "checkpoint"
                self._fail_quietly(task, f"{what} rejected: {e.details()}", retryable=False)
            elif e.code() == grpc.StatusCode.FAILED_PRECONDITION:
                # After a call that timed out, the lease is most likely gone because that call was applied.
                log.warning("%s/%s#%d: %s (%s)", task.run_id, task.task_id, task.attempt,
                            "the lease is gone after a retry; the outcome was probably recorded by the call "
                            "that timed out" if retried else "outcome not recorded, the lease is gone", e.details())
                return None
            log.warning("%s/%s#%d: %s: %s: %s", task.run_id, task.task_id, task.attempt,
                        type(request).__name__.removesuffix("Request"), e.code().name, e.details())
            return None
        who = f"{task.run_id}/{task.task_id}#{task.attempt}" + (f" turn {task.turn}" if task.turn > 1 else "")
        trace = task.trace_context.get("traceparent", "-")
        if isinstance(request, cpb.FailTaskRequest):
            with self._held_lock:
                self.failed += 1
            log.info("%s -> failed (%s); task %s traceparent=%s", who, request.error, _status(resp.task_status), trace)
            return None
        if isinstance(request, cpb.CompleteTaskRequest):
            with self._held_lock:
                self.completed += 1
            log.info("%s -> %s traceparent=%s", who, _status(resp.task_status), trace)
            return resp.next if resp.HasField("next") else None
        if resp.next_turn:
            log.info("%s -> continued; turn %d next traceparent=%s", who, resp.next_turn, trace)
        else:
            log.info("%s -> continued, but failed (%s) traceparent=%s", who, resp.error, trace)
        return None

    def _request(self, task: Task, result: Any) -> Any:
        """The outcome call for what the handler did: (method, request)."""
        stub, usage = self._stub, task.usage.proto()
        if isinstance(result, Spawn):
            return stub.CompleteTask, cpb.CompleteTaskRequest(
                lease_id=task.lease_id, output=json_format.ParseDict(result.output, struct_pb2.Value()),
                usage=usage, claim_next=not self._stopping.is_set(),
                spawn=[t if isinstance(t, types_pb2.TaskSpec) else json_format.ParseDict(t, types_pb2.TaskSpec())
                       for t in result.tasks],
                repoint=[cpb.Repoint(task_id=k, depends_on=list(v)) for k, v in result.repoint.items()])
        if isinstance(result, Continue):
            return stub.ContinueTask, cpb.ContinueTaskRequest(
                lease_id=task.lease_id, checkpoint=json_format.ParseDict(result.checkpoint, struct_pb2.Value()),
                usage=usage)
        if isinstance(result, Fail):
            return stub.FailTask, cpb.FailTaskRequest(lease_id=task.lease_id, error=str(result),
                                                      retryable=result.retryable, usage=usage)
        return stub.FailTask, cpb.FailTaskRequest(lease_id=task.lease_id, error=f"{type(result).__name__}: {result}",
                                                  retryable=True, usage=usage)

    def _beat(self, task: Task) -> None:
        deadline = _seconds(task.assignment.lease_deadline) or time.time() + 30
        # A third of the remaining lease leaves room for two missed beats.
        while not task._stop.wait(min(MAX_BEAT_S, max(MIN_BEAT_S, (deadline - time.time()) / 3))):
            try:
                resp = self._stub.Heartbeat(task._beat_request(), timeout=RPC_TIMEOUT_S)
            except grpc.RpcError as e:
                if e.code() == grpc.StatusCode.FAILED_PRECONDITION:
                    task._abandon(f"lease lost: {e.details()}")
                    return
                log.warning("heartbeat failed (%s: %s); retrying", e.code().name, e.details())
                continue
            except Exception:  # e.g. the channel closed under it: nothing more to keep alive
                log.exception("heartbeat of %s/%s stopped", task.run_id, task.task_id)
                return
            if resp.directive == types_pb2.AGENT_DIRECTIVE_CANCEL:
                task._abandon("the run was cancelled")
                return
            if resp.directive == types_pb2.AGENT_DIRECTIVE_PAUSE:
                # Handed back now, so it is retried on resume rather than held
                # until its lease lapses; what the handler still does is dropped.
                task._abandon("the run was paused", paused=True)
                self._fail_quietly(task, "stopped: the run was paused")
                return
            deadline = _seconds(resp.lease_deadline) or deadline

    def _fail_quietly(self, task: Task, error: str, retryable: bool = True) -> None:
        try:
            self._stub.FailTask(cpb.FailTaskRequest(lease_id=task.lease_id, error=error, retryable=retryable,
                                                    usage=task.usage.proto()), timeout=RPC_TIMEOUT_S)
        except grpc.RpcError as e:  # a dead lease or server: nothing left to hand back
            log.debug("FailTask: %s: %s", e.code().name, e.details())


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def _call(method: Any, request: Any, within: float = OUTCOME_RETRY_S, timeout: float = RPC_TIMEOUT_S) -> Any:
    """A unary call, retrying transient errors for `within` seconds (the
    heartbeats go on meanwhile). Safe for the outcome calls: the lease
    fences them, so a repeat of one that was applied is FAILED_PRECONDITION;
    the error raised says whether it answered a repeat (`orchestrator_retried`)."""
    deadline, pause, retried = time.monotonic() + within, 0.25, False
    while True:
        try:
            return method(request, timeout=timeout, wait_for_ready=True)
        except grpc.RpcError as e:
            if e.code() not in TRANSIENT or time.monotonic() + pause > deadline:
                e.orchestrator_retried = retried  # type: ignore[attr-defined]
                raise
            retried = True
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _error_status(span: Any, description: str) -> None:
    try:
        from opentelemetry.trace import Status, StatusCode
    except ImportError:
        return
    span.set_status(Status(StatusCode.ERROR, description))


def _status(code: int) -> str:
    try:
        return types_pb2.TaskStatus.Name(code).removeprefix("TASK_STATUS_")
    except ValueError:  # a status newer than these stubs
        return str(code)


def _seconds(ts: Any) -> float:
    return float(ts.seconds + ts.nanos / 1e9)


@contextlib.contextmanager
def _span(task: Task) -> Iterator[Any]:
    """An `agent.work` span under the attempt's span, when OpenTelemetry is installed."""
    try:
        from opentelemetry import trace
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
    except ImportError:
        yield None
        return
    ctx = TraceContextTextMapPropagator().extract(carrier=task.trace_context)
    attributes = {"orchestrator.run.id": task.run_id, "orchestrator.task.id": task.task_id,
                  "orchestrator.attempt.number": task.attempt}
    with trace.get_tracer("orchestrator_sdk").start_as_current_span("agent.work", context=ctx,
                                                                    attributes=attributes) as span:
        yield span
