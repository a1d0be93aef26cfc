"""Orchestrator's Python SDK: a `Client` of the run service and a `Worker`
that serves an agent's tasks over the agent protocol.

    from orchestrator_sdk import Worker, Task

    worker = Worker("python", server="127.0.0.1:50051")

    @worker.task()
    def handle(task: Task) -> dict:
        return {"upper": task.instructions.upper()}

    worker.run()

The generated messages and stubs are `orchestrator_sdk.pb` (types, run,
coordinator, ...), for whatever the two classes do not wrap.
"""
__version__ = "0.1.0"

from . import _gen as pb  # noqa: E402
from .client import TERMINAL, Client, output_of  # noqa: E402
from .worker import Abandoned, Continue, Fail, Spawn, Task, Usage, Worker  # noqa: E402

__all__ = ["Abandoned", "Client", "Continue", "Fail", "Spawn", "TERMINAL", "Task", "Usage", "Worker", "output_of",
           "pb", "__version__"]
