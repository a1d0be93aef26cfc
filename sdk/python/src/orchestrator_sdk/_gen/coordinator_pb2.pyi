import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from orchestrator_sdk._gen import guidance_pb2 as _guidance_pb2
from orchestrator_sdk._gen import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanRunRequest(_message.Message):
    __slots__ = ("goal", "criteria", "advise")
    GOAL_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    ADVISE_FIELD_NUMBER: _ClassVar[int]
    goal: str
    criteria: _containers.RepeatedCompositeFieldContainer[_types_pb2.Criterion]
    advise: bool
    def __init__(self, goal: _Optional[str] = ..., criteria: _Optional[_Iterable[_Union[_types_pb2.Criterion, _Mapping]]] = ..., advise: _Optional[bool] = ...) -> None: ...

class PlanRunResponse(_message.Message):
    __slots__ = ("plan", "analysis", "usage", "planner_calls", "notes", "advice")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    PLANNER_CALLS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    plan: _types_pb2.Plan
    analysis: _types_pb2.PlanAnalysis
    usage: _types_pb2.Usage
    planner_calls: int
    notes: _containers.RepeatedScalarFieldContainer[str]
    advice: _guidance_pb2.Advice
    def __init__(self, plan: _Optional[_Union[_types_pb2.Plan, _Mapping]] = ..., analysis: _Optional[_Union[_types_pb2.PlanAnalysis, _Mapping]] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ..., planner_calls: _Optional[int] = ..., notes: _Optional[_Iterable[str]] = ..., advice: _Optional[_Union[_guidance_pb2.Advice, _Mapping]] = ...) -> None: ...

class ValidatePlanRequest(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: _types_pb2.Plan
    def __init__(self, plan: _Optional[_Union[_types_pb2.Plan, _Mapping]] = ...) -> None: ...

class ValidatePlanResponse(_message.Message):
    __slots__ = ("analysis",)
    ANALYSIS_FIELD_NUMBER: _ClassVar[int]
    analysis: _types_pb2.PlanAnalysis
    def __init__(self, analysis: _Optional[_Union[_types_pb2.PlanAnalysis, _Mapping]] = ...) -> None: ...

class PollTaskRequest(_message.Message):
    __slots__ = ("agent", "capabilities", "wait", "agent_instance", "max_tasks")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    AGENT_INSTANCE_FIELD_NUMBER: _ClassVar[int]
    MAX_TASKS_FIELD_NUMBER: _ClassVar[int]
    agent: str
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    wait: _duration_pb2.Duration
    agent_instance: str
    max_tasks: int
    def __init__(self, agent: _Optional[str] = ..., capabilities: _Optional[_Iterable[str]] = ..., wait: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., agent_instance: _Optional[str] = ..., max_tasks: _Optional[int] = ...) -> None: ...

class PollTaskResponse(_message.Message):
    __slots__ = ("assignment", "assignments")
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    assignment: TaskAssignment
    assignments: _containers.RepeatedCompositeFieldContainer[TaskAssignment]
    def __init__(self, assignment: _Optional[_Union[TaskAssignment, _Mapping]] = ..., assignments: _Optional[_Iterable[_Union[TaskAssignment, _Mapping]]] = ...) -> None: ...

class TaskAssignment(_message.Message):
    __slots__ = ("run_id", "task_id", "attempt", "lease_id", "lease_deadline", "spec", "inputs", "goal", "feedback", "trace_context", "allowed_tools", "context", "denied_tools", "previous_output", "turn", "checkpoint", "max_turns")
    class InputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    class TraceContextEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    TRACE_CONTEXT_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    DENIED_TOOLS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    TURN_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    MAX_TURNS_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    task_id: str
    attempt: int
    lease_id: str
    lease_deadline: _timestamp_pb2.Timestamp
    spec: _types_pb2.TaskSpec
    inputs: _containers.MessageMap[str, _struct_pb2.Value]
    goal: str
    feedback: _containers.RepeatedScalarFieldContainer[str]
    trace_context: _containers.ScalarMap[str, str]
    allowed_tools: _containers.RepeatedScalarFieldContainer[str]
    context: _struct_pb2.Struct
    denied_tools: _containers.RepeatedScalarFieldContainer[str]
    previous_output: _struct_pb2.Value
    turn: int
    checkpoint: _struct_pb2.Value
    max_turns: int
    def __init__(self, run_id: _Optional[str] = ..., task_id: _Optional[str] = ..., attempt: _Optional[int] = ..., lease_id: _Optional[str] = ..., lease_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., spec: _Optional[_Union[_types_pb2.TaskSpec, _Mapping]] = ..., inputs: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., goal: _Optional[str] = ..., feedback: _Optional[_Iterable[str]] = ..., trace_context: _Optional[_Mapping[str, str]] = ..., allowed_tools: _Optional[_Iterable[str]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., denied_tools: _Optional[_Iterable[str]] = ..., previous_output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., turn: _Optional[int] = ..., checkpoint: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., max_turns: _Optional[int] = ...) -> None: ...

class HeartbeatRequest(_message.Message):
    __slots__ = ("lease_id", "progress", "message", "usage", "extend_by", "tools_used")
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    EXTEND_BY_FIELD_NUMBER: _ClassVar[int]
    TOOLS_USED_FIELD_NUMBER: _ClassVar[int]
    lease_id: str
    progress: float
    message: str
    usage: _types_pb2.Usage
    extend_by: _duration_pb2.Duration
    tools_used: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lease_id: _Optional[str] = ..., progress: _Optional[float] = ..., message: _Optional[str] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ..., extend_by: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., tools_used: _Optional[_Iterable[str]] = ...) -> None: ...

class HeartbeatResponse(_message.Message):
    __slots__ = ("lease_deadline", "directive")
    LEASE_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DIRECTIVE_FIELD_NUMBER: _ClassVar[int]
    lease_deadline: _timestamp_pb2.Timestamp
    directive: _types_pb2.AgentDirective
    def __init__(self, lease_deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., directive: _Optional[_Union[_types_pb2.AgentDirective, str]] = ...) -> None: ...

class CompleteTaskRequest(_message.Message):
    __slots__ = ("lease_id", "output", "usage", "tools_used", "claim_next", "max_next", "spawn", "repoint")
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    TOOLS_USED_FIELD_NUMBER: _ClassVar[int]
    CLAIM_NEXT_FIELD_NUMBER: _ClassVar[int]
    MAX_NEXT_FIELD_NUMBER: _ClassVar[int]
    SPAWN_FIELD_NUMBER: _ClassVar[int]
    REPOINT_FIELD_NUMBER: _ClassVar[int]
    lease_id: str
    output: _struct_pb2.Value
    usage: _types_pb2.Usage
    tools_used: _containers.RepeatedScalarFieldContainer[str]
    claim_next: bool
    max_next: int
    spawn: _containers.RepeatedCompositeFieldContainer[_types_pb2.TaskSpec]
    repoint: _containers.RepeatedCompositeFieldContainer[Repoint]
    def __init__(self, lease_id: _Optional[str] = ..., output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ..., tools_used: _Optional[_Iterable[str]] = ..., claim_next: _Optional[bool] = ..., max_next: _Optional[int] = ..., spawn: _Optional[_Iterable[_Union[_types_pb2.TaskSpec, _Mapping]]] = ..., repoint: _Optional[_Iterable[_Union[Repoint, _Mapping]]] = ...) -> None: ...

class Repoint(_message.Message):
    __slots__ = ("task_id", "depends_on")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    DEPENDS_ON_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    depends_on: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, task_id: _Optional[str] = ..., depends_on: _Optional[_Iterable[str]] = ...) -> None: ...

class CompleteTaskResponse(_message.Message):
    __slots__ = ("task_status", "verdict", "next", "next_tasks")
    TASK_STATUS_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    NEXT_FIELD_NUMBER: _ClassVar[int]
    NEXT_TASKS_FIELD_NUMBER: _ClassVar[int]
    task_status: _types_pb2.TaskStatus
    verdict: _types_pb2.Verdict
    next: TaskAssignment
    next_tasks: _containers.RepeatedCompositeFieldContainer[TaskAssignment]
    def __init__(self, task_status: _Optional[_Union[_types_pb2.TaskStatus, str]] = ..., verdict: _Optional[_Union[_types_pb2.Verdict, _Mapping]] = ..., next: _Optional[_Union[TaskAssignment, _Mapping]] = ..., next_tasks: _Optional[_Iterable[_Union[TaskAssignment, _Mapping]]] = ...) -> None: ...

class CompleteTasksRequest(_message.Message):
    __slots__ = ("completions", "claim_next", "max_next")
    COMPLETIONS_FIELD_NUMBER: _ClassVar[int]
    CLAIM_NEXT_FIELD_NUMBER: _ClassVar[int]
    MAX_NEXT_FIELD_NUMBER: _ClassVar[int]
    completions: _containers.RepeatedCompositeFieldContainer[CompleteTaskRequest]
    claim_next: bool
    max_next: int
    def __init__(self, completions: _Optional[_Iterable[_Union[CompleteTaskRequest, _Mapping]]] = ..., claim_next: _Optional[bool] = ..., max_next: _Optional[int] = ...) -> None: ...

class CompleteTasksResponse(_message.Message):
    __slots__ = ("results", "next_tasks")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TASKS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CompleteTaskResult]
    next_tasks: _containers.RepeatedCompositeFieldContainer[TaskAssignment]
    def __init__(self, results: _Optional[_Iterable[_Union[CompleteTaskResult, _Mapping]]] = ..., next_tasks: _Optional[_Iterable[_Union[TaskAssignment, _Mapping]]] = ...) -> None: ...

class CompleteTaskResult(_message.Message):
    __slots__ = ("lease_id", "code", "message", "task_status", "verdict")
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TASK_STATUS_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    lease_id: str
    code: int
    message: str
    task_status: _types_pb2.TaskStatus
    verdict: _types_pb2.Verdict
    def __init__(self, lease_id: _Optional[str] = ..., code: _Optional[int] = ..., message: _Optional[str] = ..., task_status: _Optional[_Union[_types_pb2.TaskStatus, str]] = ..., verdict: _Optional[_Union[_types_pb2.Verdict, _Mapping]] = ...) -> None: ...

class ContinueTaskRequest(_message.Message):
    __slots__ = ("lease_id", "checkpoint", "usage", "tools_used")
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    TOOLS_USED_FIELD_NUMBER: _ClassVar[int]
    lease_id: str
    checkpoint: _struct_pb2.Value
    usage: _types_pb2.Usage
    tools_used: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lease_id: _Optional[str] = ..., checkpoint: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ..., tools_used: _Optional[_Iterable[str]] = ...) -> None: ...

class ContinueTaskResponse(_message.Message):
    __slots__ = ("task_status", "next_turn", "next_turn_at", "error")
    TASK_STATUS_FIELD_NUMBER: _ClassVar[int]
    NEXT_TURN_FIELD_NUMBER: _ClassVar[int]
    NEXT_TURN_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    task_status: _types_pb2.TaskStatus
    next_turn: int
    next_turn_at: _timestamp_pb2.Timestamp
    error: str
    def __init__(self, task_status: _Optional[_Union[_types_pb2.TaskStatus, str]] = ..., next_turn: _Optional[int] = ..., next_turn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class FailTaskRequest(_message.Message):
    __slots__ = ("lease_id", "error", "retryable", "usage")
    LEASE_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    lease_id: str
    error: str
    retryable: bool
    usage: _types_pb2.Usage
    def __init__(self, lease_id: _Optional[str] = ..., error: _Optional[str] = ..., retryable: _Optional[bool] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ...) -> None: ...

class FailTaskResponse(_message.Message):
    __slots__ = ("task_status", "retry_at", "backoff")
    TASK_STATUS_FIELD_NUMBER: _ClassVar[int]
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    BACKOFF_FIELD_NUMBER: _ClassVar[int]
    task_status: _types_pb2.TaskStatus
    retry_at: _timestamp_pb2.Timestamp
    backoff: _duration_pb2.Duration
    def __init__(self, task_status: _Optional[_Union[_types_pb2.TaskStatus, str]] = ..., retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., backoff: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...
