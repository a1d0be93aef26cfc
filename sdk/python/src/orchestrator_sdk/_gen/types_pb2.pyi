import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RunStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RUN_STATUS_UNSPECIFIED: _ClassVar[RunStatus]
    RUN_STATUS_CREATED: _ClassVar[RunStatus]
    RUN_STATUS_PLANNING: _ClassVar[RunStatus]
    RUN_STATUS_EXECUTING: _ClassVar[RunStatus]
    RUN_STATUS_VERIFYING: _ClassVar[RunStatus]
    RUN_STATUS_PAUSED: _ClassVar[RunStatus]
    RUN_STATUS_COMPLETED: _ClassVar[RunStatus]
    RUN_STATUS_FAILED: _ClassVar[RunStatus]
    RUN_STATUS_CANCELLED: _ClassVar[RunStatus]

class TaskStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_STATUS_UNSPECIFIED: _ClassVar[TaskStatus]
    TASK_STATUS_PENDING: _ClassVar[TaskStatus]
    TASK_STATUS_READY: _ClassVar[TaskStatus]
    TASK_STATUS_RUNNING: _ClassVar[TaskStatus]
    TASK_STATUS_VERIFYING: _ClassVar[TaskStatus]
    TASK_STATUS_WAITING_APPROVAL: _ClassVar[TaskStatus]
    TASK_STATUS_RETRY_SCHEDULED: _ClassVar[TaskStatus]
    TASK_STATUS_SUCCEEDED: _ClassVar[TaskStatus]
    TASK_STATUS_FAILED: _ClassVar[TaskStatus]
    TASK_STATUS_SKIPPED: _ClassVar[TaskStatus]
    TASK_STATUS_CANCELLED: _ClassVar[TaskStatus]
    TASK_STATUS_CONTINUING: _ClassVar[TaskStatus]

class AttemptStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTEMPT_STATUS_UNSPECIFIED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_RUNNING: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_SUCCEEDED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_FAILED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_LOST: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_CANCELLED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_CONTINUING: _ClassVar[AttemptStatus]

class BudgetPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUDGET_POLICY_UNSPECIFIED: _ClassVar[BudgetPolicy]
    BUDGET_POLICY_FAIL: _ClassVar[BudgetPolicy]
    BUDGET_POLICY_PAUSE: _ClassVar[BudgetPolicy]
    BUDGET_POLICY_DEGRADE: _ClassVar[BudgetPolicy]

class RetriesExhaustedAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RETRIES_EXHAUSTED_ACTION_UNSPECIFIED: _ClassVar[RetriesExhaustedAction]
    RETRIES_EXHAUSTED_ACTION_FAIL: _ClassVar[RetriesExhaustedAction]
    RETRIES_EXHAUSTED_ACTION_PAUSE: _ClassVar[RetriesExhaustedAction]

class RejectionAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REJECTION_ACTION_UNSPECIFIED: _ClassVar[RejectionAction]
    REJECTION_ACTION_FAIL: _ClassVar[RejectionAction]
    REJECTION_ACTION_SKIP: _ClassVar[RejectionAction]

class TaskKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_KIND_UNSPECIFIED: _ClassVar[TaskKind]
    TASK_KIND_AGENT: _ClassVar[TaskKind]
    TASK_KIND_AGGREGATE: _ClassVar[TaskKind]
    TASK_KIND_RUN: _ClassVar[TaskKind]

class AggregateMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGGREGATE_MODE_UNSPECIFIED: _ClassVar[AggregateMode]
    AGGREGATE_MODE_CONCAT: _ClassVar[AggregateMode]
    AGGREGATE_MODE_JSON_MERGE: _ClassVar[AggregateMode]
    AGGREGATE_MODE_LLM_SUMMARY: _ClassVar[AggregateMode]

class AgentDirective(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGENT_DIRECTIVE_UNSPECIFIED: _ClassVar[AgentDirective]
    AGENT_DIRECTIVE_CONTINUE: _ClassVar[AgentDirective]
    AGENT_DIRECTIVE_CANCEL: _ClassVar[AgentDirective]
    AGENT_DIRECTIVE_PAUSE: _ClassVar[AgentDirective]

class TaskFailureAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_FAILURE_ACTION_UNSPECIFIED: _ClassVar[TaskFailureAction]
    TASK_FAILURE_ACTION_FAIL: _ClassVar[TaskFailureAction]
    TASK_FAILURE_ACTION_REPLAN: _ClassVar[TaskFailureAction]
RUN_STATUS_UNSPECIFIED: RunStatus
RUN_STATUS_CREATED: RunStatus
RUN_STATUS_PLANNING: RunStatus
RUN_STATUS_EXECUTING: RunStatus
RUN_STATUS_VERIFYING: RunStatus
RUN_STATUS_PAUSED: RunStatus
RUN_STATUS_COMPLETED: RunStatus
RUN_STATUS_FAILED: RunStatus
RUN_STATUS_CANCELLED: RunStatus
TASK_STATUS_UNSPECIFIED: TaskStatus
TASK_STATUS_PENDING: TaskStatus
TASK_STATUS_READY: TaskStatus
TASK_STATUS_RUNNING: TaskStatus
TASK_STATUS_VERIFYING: TaskStatus
TASK_STATUS_WAITING_APPROVAL: TaskStatus
TASK_STATUS_RETRY_SCHEDULED: TaskStatus
TASK_STATUS_SUCCEEDED: TaskStatus
TASK_STATUS_FAILED: TaskStatus
TASK_STATUS_SKIPPED: TaskStatus
TASK_STATUS_CANCELLED: TaskStatus
TASK_STATUS_CONTINUING: TaskStatus
ATTEMPT_STATUS_UNSPECIFIED: AttemptStatus
ATTEMPT_STATUS_RUNNING: AttemptStatus
ATTEMPT_STATUS_SUCCEEDED: AttemptStatus
ATTEMPT_STATUS_FAILED: AttemptStatus
ATTEMPT_STATUS_LOST: AttemptStatus
ATTEMPT_STATUS_CANCELLED: AttemptStatus
ATTEMPT_STATUS_CONTINUING: AttemptStatus
BUDGET_POLICY_UNSPECIFIED: BudgetPolicy
BUDGET_POLICY_FAIL: BudgetPolicy
BUDGET_POLICY_PAUSE: BudgetPolicy
BUDGET_POLICY_DEGRADE: BudgetPolicy
RETRIES_EXHAUSTED_ACTION_UNSPECIFIED: RetriesExhaustedAction
RETRIES_EXHAUSTED_ACTION_FAIL: RetriesExhaustedAction
RETRIES_EXHAUSTED_ACTION_PAUSE: RetriesExhaustedAction
REJECTION_ACTION_UNSPECIFIED: RejectionAction
REJECTION_ACTION_FAIL: RejectionAction
REJECTION_ACTION_SKIP: RejectionAction
TASK_KIND_UNSPECIFIED: TaskKind
TASK_KIND_AGENT: TaskKind
TASK_KIND_AGGREGATE: TaskKind
TASK_KIND_RUN: TaskKind
AGGREGATE_MODE_UNSPECIFIED: AggregateMode
AGGREGATE_MODE_CONCAT: AggregateMode
AGGREGATE_MODE_JSON_MERGE: AggregateMode
AGGREGATE_MODE_LLM_SUMMARY: AggregateMode
AGENT_DIRECTIVE_UNSPECIFIED: AgentDirective
AGENT_DIRECTIVE_CONTINUE: AgentDirective
AGENT_DIRECTIVE_CANCEL: AgentDirective
AGENT_DIRECTIVE_PAUSE: AgentDirective
TASK_FAILURE_ACTION_UNSPECIFIED: TaskFailureAction
TASK_FAILURE_ACTION_FAIL: TaskFailureAction
TASK_FAILURE_ACTION_REPLAN: TaskFailureAction

class Criterion(_message.Message):
    __slots__ = ("id", "kind", "params", "advisory")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    ADVISORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    params: _struct_pb2.Struct
    advisory: bool
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., advisory: _Optional[bool] = ...) -> None: ...

class CriterionResult(_message.Message):
    __slots__ = ("criterion_id", "kind", "passed", "score", "reason", "advisory", "skipped", "error")
    CRITERION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ADVISORY_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    criterion_id: str
    kind: str
    passed: bool
    score: float
    reason: str
    advisory: bool
    skipped: bool
    error: bool
    def __init__(self, criterion_id: _Optional[str] = ..., kind: _Optional[str] = ..., passed: _Optional[bool] = ..., score: _Optional[float] = ..., reason: _Optional[str] = ..., advisory: _Optional[bool] = ..., skipped: _Optional[bool] = ..., error: _Optional[bool] = ...) -> None: ...

class Verdict(_message.Message):
    __slots__ = ("passed", "score", "results", "summary")
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    passed: bool
    score: float
    results: _containers.RepeatedCompositeFieldContainer[CriterionResult]
    summary: str
    def __init__(self, passed: _Optional[bool] = ..., score: _Optional[float] = ..., results: _Optional[_Iterable[_Union[CriterionResult, _Mapping]]] = ..., summary: _Optional[str] = ...) -> None: ...

class RetryPolicy(_message.Message):
    __slots__ = ("max_attempts", "initial_backoff", "max_backoff", "multiplier", "jitter", "on_exhausted")
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    INITIAL_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    MAX_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    JITTER_FIELD_NUMBER: _ClassVar[int]
    ON_EXHAUSTED_FIELD_NUMBER: _ClassVar[int]
    max_attempts: int
    initial_backoff: _duration_pb2.Duration
    max_backoff: _duration_pb2.Duration
    multiplier: float
    jitter: float
    on_exhausted: RetriesExhaustedAction
    def __init__(self, max_attempts: _Optional[int] = ..., initial_backoff: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_backoff: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., multiplier: _Optional[float] = ..., jitter: _Optional[float] = ..., on_exhausted: _Optional[_Union[RetriesExhaustedAction, str]] = ...) -> None: ...

class TaskSpec(_message.Message):
    __slots__ = ("id", "title", "instructions", "agent", "depends_on", "criteria", "retry", "timeout", "requires_approval", "optional", "priority", "kind", "aggregate", "tools_allowed", "tools_denied", "on_reject", "metadata", "when", "max_turns", "child")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTIONS_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    DEPENDS_ON_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    RETRY_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    OPTIONAL_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    TOOLS_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    TOOLS_DENIED_FIELD_NUMBER: _ClassVar[int]
    ON_REJECT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    WHEN_FIELD_NUMBER: _ClassVar[int]
    MAX_TURNS_FIELD_NUMBER: _ClassVar[int]
    CHILD_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    instructions: str
    agent: str
    depends_on: _containers.RepeatedScalarFieldContainer[str]
    criteria: _containers.RepeatedCompositeFieldContainer[Criterion]
    retry: RetryPolicy
    timeout: _duration_pb2.Duration
    requires_approval: bool
    optional: bool
    priority: int
    kind: TaskKind
    aggregate: AggregateMode
    tools_allowed: _containers.RepeatedScalarFieldContainer[str]
    tools_denied: _containers.RepeatedScalarFieldContainer[str]
    on_reject: RejectionAction
    metadata: _struct_pb2.Struct
    when: Condition
    max_turns: int
    child: ChildRun
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., instructions: _Optional[str] = ..., agent: _Optional[str] = ..., depends_on: _Optional[_Iterable[str]] = ..., criteria: _Optional[_Iterable[_Union[Criterion, _Mapping]]] = ..., retry: _Optional[_Union[RetryPolicy, _Mapping]] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., requires_approval: _Optional[bool] = ..., optional: _Optional[bool] = ..., priority: _Optional[int] = ..., kind: _Optional[_Union[TaskKind, str]] = ..., aggregate: _Optional[_Union[AggregateMode, str]] = ..., tools_allowed: _Optional[_Iterable[str]] = ..., tools_denied: _Optional[_Iterable[str]] = ..., on_reject: _Optional[_Union[RejectionAction, str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., when: _Optional[_Union[Condition, _Mapping]] = ..., max_turns: _Optional[int] = ..., child: _Optional[_Union[ChildRun, _Mapping]] = ...) -> None: ...

class ChildRun(_message.Message):
    __slots__ = ("goal", "plan", "budget")
    GOAL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    goal: str
    plan: Plan
    budget: Budget
    def __init__(self, goal: _Optional[str] = ..., plan: _Optional[_Union[Plan, _Mapping]] = ..., budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class Condition(_message.Message):
    __slots__ = ("path", "equals", "negate")
    PATH_FIELD_NUMBER: _ClassVar[int]
    EQUALS_FIELD_NUMBER: _ClassVar[int]
    NEGATE_FIELD_NUMBER: _ClassVar[int]
    path: str
    equals: _struct_pb2.Value
    negate: bool
    def __init__(self, path: _Optional[str] = ..., equals: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., negate: _Optional[bool] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[TaskSpec]
    def __init__(self, tasks: _Optional[_Iterable[_Union[TaskSpec, _Mapping]]] = ...) -> None: ...

class PlanAnalysis(_message.Message):
    __slots__ = ("topological_order", "width", "critical_path", "depth")
    TOPOLOGICAL_ORDER_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    CRITICAL_PATH_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    topological_order: _containers.RepeatedScalarFieldContainer[str]
    width: int
    critical_path: _containers.RepeatedScalarFieldContainer[str]
    depth: int
    def __init__(self, topological_order: _Optional[_Iterable[str]] = ..., width: _Optional[int] = ..., critical_path: _Optional[_Iterable[str]] = ..., depth: _Optional[int] = ...) -> None: ...

class Budget(_message.Message):
    __slots__ = ("max_tokens", "max_tool_calls", "max_duration", "max_cost_usd", "on_exhausted")
    MAX_TOKENS_FIELD_NUMBER: _ClassVar[int]
    MAX_TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    MAX_DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_COST_USD_FIELD_NUMBER: _ClassVar[int]
    ON_EXHAUSTED_FIELD_NUMBER: _ClassVar[int]
    max_tokens: int
    max_tool_calls: int
    max_duration: _duration_pb2.Duration
    max_cost_usd: float
    on_exhausted: BudgetPolicy
    def __init__(self, max_tokens: _Optional[int] = ..., max_tool_calls: _Optional[int] = ..., max_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_cost_usd: _Optional[float] = ..., on_exhausted: _Optional[_Union[BudgetPolicy, str]] = ...) -> None: ...

class Usage(_message.Message):
    __slots__ = ("prompt_tokens", "completion_tokens", "tool_calls", "cost_usd")
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOOL_CALLS_FIELD_NUMBER: _ClassVar[int]
    COST_USD_FIELD_NUMBER: _ClassVar[int]
    prompt_tokens: int
    completion_tokens: int
    tool_calls: int
    cost_usd: float
    def __init__(self, prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., tool_calls: _Optional[int] = ..., cost_usd: _Optional[float] = ...) -> None: ...

class Run(_message.Message):
    __slots__ = ("id", "workspace", "goal", "criteria", "plan", "budget", "usage", "status", "priority", "max_parallel", "labels", "trace_id", "output", "failure_reason", "verdict", "created_at", "updated_at", "started_at", "finished_at", "request_id", "task_counts", "last_event_seq", "policy", "active_time", "waiting", "parent", "recipe")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class TaskCountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    MAX_PARALLEL_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_COUNTS_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_SEQ_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_TIME_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    RECIPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    workspace: str
    goal: str
    criteria: _containers.RepeatedCompositeFieldContainer[Criterion]
    plan: Plan
    budget: Budget
    usage: Usage
    status: RunStatus
    priority: int
    max_parallel: int
    labels: _containers.ScalarMap[str, str]
    trace_id: str
    output: _struct_pb2.Value
    failure_reason: str
    verdict: Verdict
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    request_id: str
    task_counts: _containers.ScalarMap[str, int]
    last_event_seq: int
    policy: RunPolicy
    active_time: _duration_pb2.Duration
    waiting: _containers.RepeatedCompositeFieldContainer[AgentWait]
    parent: RunParent
    recipe: RecipeRef
    def __init__(self, id: _Optional[str] = ..., workspace: _Optional[str] = ..., goal: _Optional[str] = ..., criteria: _Optional[_Iterable[_Union[Criterion, _Mapping]]] = ..., plan: _Optional[_Union[Plan, _Mapping]] = ..., budget: _Optional[_Union[Budget, _Mapping]] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ..., status: _Optional[_Union[RunStatus, str]] = ..., priority: _Optional[int] = ..., max_parallel: _Optional[int] = ..., labels: _Optional[_Mapping[str, str]] = ..., trace_id: _Optional[str] = ..., output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., failure_reason: _Optional[str] = ..., verdict: _Optional[_Union[Verdict, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., task_counts: _Optional[_Mapping[str, int]] = ..., last_event_seq: _Optional[int] = ..., policy: _Optional[_Union[RunPolicy, _Mapping]] = ..., active_time: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., waiting: _Optional[_Iterable[_Union[AgentWait, _Mapping]]] = ..., parent: _Optional[_Union[RunParent, _Mapping]] = ..., recipe: _Optional[_Union[RecipeRef, _Mapping]] = ...) -> None: ...

class RecipeRef(_message.Message):
    __slots__ = ("name", "version", "params")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: int
    params: _struct_pb2.Struct
    def __init__(self, name: _Optional[str] = ..., version: _Optional[int] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class RunParent(_message.Message):
    __slots__ = ("run_id", "task_id", "attempt", "depth")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    DEPTH_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    task_id: str
    attempt: int
    depth: int
    def __init__(self, run_id: _Optional[str] = ..., task_id: _Optional[str] = ..., attempt: _Optional[int] = ..., depth: _Optional[int] = ...) -> None: ...

class AgentWait(_message.Message):
    __slots__ = ("agent", "ready_tasks", "last_poll")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    READY_TASKS_FIELD_NUMBER: _ClassVar[int]
    LAST_POLL_FIELD_NUMBER: _ClassVar[int]
    agent: str
    ready_tasks: int
    last_poll: _timestamp_pb2.Timestamp
    def __init__(self, agent: _Optional[str] = ..., ready_tasks: _Optional[int] = ..., last_poll: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunPolicy(_message.Message):
    __slots__ = ("default_retry", "tools_denied", "rerun_aggregator_on_failed_criteria", "retry_on_verdict", "on_task_failure", "max_replans")
    DEFAULT_RETRY_FIELD_NUMBER: _ClassVar[int]
    TOOLS_DENIED_FIELD_NUMBER: _ClassVar[int]
    RERUN_AGGREGATOR_ON_FAILED_CRITERIA_FIELD_NUMBER: _ClassVar[int]
    RETRY_ON_VERDICT_FIELD_NUMBER: _ClassVar[int]
    ON_TASK_FAILURE_FIELD_NUMBER: _ClassVar[int]
    MAX_REPLANS_FIELD_NUMBER: _ClassVar[int]
    default_retry: RetryPolicy
    tools_denied: _containers.RepeatedScalarFieldContainer[str]
    rerun_aggregator_on_failed_criteria: bool
    retry_on_verdict: bool
    on_task_failure: TaskFailureAction
    max_replans: int
    def __init__(self, default_retry: _Optional[_Union[RetryPolicy, _Mapping]] = ..., tools_denied: _Optional[_Iterable[str]] = ..., rerun_aggregator_on_failed_criteria: _Optional[bool] = ..., retry_on_verdict: _Optional[bool] = ..., on_task_failure: _Optional[_Union[TaskFailureAction, str]] = ..., max_replans: _Optional[int] = ...) -> None: ...

class Attempt(_message.Message):
    __slots__ = ("number", "status", "agent_instance", "started_at", "finished_at", "lease_expires_at", "usage", "output", "error", "verdict", "feedback", "turns", "checkpoint", "model")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AGENT_INSTANCE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    TURNS_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    number: int
    status: AttemptStatus
    agent_instance: str
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    lease_expires_at: _timestamp_pb2.Timestamp
    usage: Usage
    output: _struct_pb2.Value
    error: str
    verdict: Verdict
    feedback: _containers.RepeatedScalarFieldContainer[str]
    turns: int
    checkpoint: _struct_pb2.Value
    model: str
    def __init__(self, number: _Optional[int] = ..., status: _Optional[_Union[AttemptStatus, str]] = ..., agent_instance: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lease_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., usage: _Optional[_Union[Usage, _Mapping]] = ..., output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[str] = ..., verdict: _Optional[_Union[Verdict, _Mapping]] = ..., feedback: _Optional[_Iterable[str]] = ..., turns: _Optional[int] = ..., checkpoint: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., model: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("run_id", "id", "spec", "status", "inputs", "output", "attempt_count", "error", "verdict", "attempts", "retry_at", "created_at", "updated_at")
    class InputsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    id: str
    spec: TaskSpec
    status: TaskStatus
    inputs: _containers.MessageMap[str, _struct_pb2.Value]
    output: _struct_pb2.Value
    attempt_count: int
    error: str
    verdict: Verdict
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    retry_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, run_id: _Optional[str] = ..., id: _Optional[str] = ..., spec: _Optional[_Union[TaskSpec, _Mapping]] = ..., status: _Optional[_Union[TaskStatus, str]] = ..., inputs: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., attempt_count: _Optional[int] = ..., error: _Optional[str] = ..., verdict: _Optional[_Union[Verdict, _Mapping]] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ..., retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunEvent(_message.Message):
    __slots__ = ("run_id", "seq", "type", "time", "task_id", "attempt", "from_status", "to_status", "message", "data")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    seq: int
    type: str
    time: _timestamp_pb2.Timestamp
    task_id: str
    attempt: int
    from_status: str
    to_status: str
    message: str
    data: _struct_pb2.Struct
    def __init__(self, run_id: _Optional[str] = ..., seq: _Optional[int] = ..., type: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., task_id: _Optional[str] = ..., attempt: _Optional[int] = ..., from_status: _Optional[str] = ..., to_status: _Optional[str] = ..., message: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class SpanEvent(_message.Message):
    __slots__ = ("name", "time", "attributes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    time: _timestamp_pb2.Timestamp
    attributes: _struct_pb2.Struct
    def __init__(self, name: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attributes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Span(_message.Message):
    __slots__ = ("trace_id", "span_id", "parent_span_id", "name", "start_time", "end_time", "attributes", "events", "status_code", "status_message")
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    SPAN_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_SPAN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    trace_id: str
    span_id: str
    parent_span_id: str
    name: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    attributes: _struct_pb2.Struct
    events: _containers.RepeatedCompositeFieldContainer[SpanEvent]
    status_code: str
    status_message: str
    def __init__(self, trace_id: _Optional[str] = ..., span_id: _Optional[str] = ..., parent_span_id: _Optional[str] = ..., name: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attributes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., events: _Optional[_Iterable[_Union[SpanEvent, _Mapping]]] = ..., status_code: _Optional[str] = ..., status_message: _Optional[str] = ...) -> None: ...
