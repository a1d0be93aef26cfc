import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from orchestrator_sdk._gen import recipe_pb2 as _recipe_pb2
from orchestrator_sdk._gen import run_pb2 as _run_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StatsGroup(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATS_GROUP_UNSPECIFIED: _ClassVar[StatsGroup]
    STATS_GROUP_AGENT: _ClassVar[StatsGroup]
    STATS_GROUP_MODEL: _ClassVar[StatsGroup]
    STATS_GROUP_RECIPE: _ClassVar[StatsGroup]
    STATS_GROUP_TASK_KIND: _ClassVar[StatsGroup]
STATS_GROUP_UNSPECIFIED: StatsGroup
STATS_GROUP_AGENT: StatsGroup
STATS_GROUP_MODEL: StatsGroup
STATS_GROUP_RECIPE: StatsGroup
STATS_GROUP_TASK_KIND: StatsGroup

class ListRecipeCandidatesRequest(_message.Message):
    __slots__ = ("min_runs",)
    MIN_RUNS_FIELD_NUMBER: _ClassVar[int]
    min_runs: int
    def __init__(self, min_runs: _Optional[int] = ...) -> None: ...

class RecipeCandidate(_message.Message):
    __slots__ = ("shape", "run_ids", "accept")
    SHAPE_FIELD_NUMBER: _ClassVar[int]
    RUN_IDS_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_FIELD_NUMBER: _ClassVar[int]
    shape: str
    run_ids: _containers.RepeatedScalarFieldContainer[str]
    accept: _recipe_pb2.CreateRecipeFromRunRequest
    def __init__(self, shape: _Optional[str] = ..., run_ids: _Optional[_Iterable[str]] = ..., accept: _Optional[_Union[_recipe_pb2.CreateRecipeFromRunRequest, _Mapping]] = ...) -> None: ...

class ListRecipeCandidatesResponse(_message.Message):
    __slots__ = ("candidates",)
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    candidates: _containers.RepeatedCompositeFieldContainer[RecipeCandidate]
    def __init__(self, candidates: _Optional[_Iterable[_Union[RecipeCandidate, _Mapping]]] = ...) -> None: ...

class AdviseRequest(_message.Message):
    __slots__ = ("run", "history")
    RUN_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    run: _run_pb2.CreateRunRequest
    history: _duration_pb2.Duration
    def __init__(self, run: _Optional[_Union[_run_pb2.CreateRunRequest, _Mapping]] = ..., history: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class Prediction(_message.Message):
    __slots__ = ("expected", "low", "high")
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    expected: float
    low: float
    high: float
    def __init__(self, expected: _Optional[float] = ..., low: _Optional[float] = ..., high: _Optional[float] = ...) -> None: ...

class TaskAdvice(_message.Message):
    __slots__ = ("task_id", "task_kind", "pass_chance", "samples", "basis", "tokens", "cost_micros", "duration_ms", "suggested_model")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_KIND_FIELD_NUMBER: _ClassVar[int]
    PASS_CHANCE_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    COST_MICROS_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_MODEL_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    task_kind: str
    pass_chance: float
    samples: int
    basis: str
    tokens: Prediction
    cost_micros: Prediction
    duration_ms: Prediction
    suggested_model: str
    def __init__(self, task_id: _Optional[str] = ..., task_kind: _Optional[str] = ..., pass_chance: _Optional[float] = ..., samples: _Optional[int] = ..., basis: _Optional[str] = ..., tokens: _Optional[_Union[Prediction, _Mapping]] = ..., cost_micros: _Optional[_Union[Prediction, _Mapping]] = ..., duration_ms: _Optional[_Union[Prediction, _Mapping]] = ..., suggested_model: _Optional[str] = ...) -> None: ...

class AdviceWarning(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Advice(_message.Message):
    __slots__ = ("tokens", "cost_micros", "duration_ms", "pass_chance", "tasks", "likely_failures", "warnings", "suggested_recipe", "outcomes", "advice_id")
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    COST_MICROS_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    PASS_CHANCE_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    LIKELY_FAILURES_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTED_RECIPE_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    ADVICE_ID_FIELD_NUMBER: _ClassVar[int]
    tokens: Prediction
    cost_micros: Prediction
    duration_ms: Prediction
    pass_chance: float
    tasks: _containers.RepeatedCompositeFieldContainer[TaskAdvice]
    likely_failures: _containers.RepeatedScalarFieldContainer[str]
    warnings: _containers.RepeatedCompositeFieldContainer[AdviceWarning]
    suggested_recipe: str
    outcomes: int
    advice_id: str
    def __init__(self, tokens: _Optional[_Union[Prediction, _Mapping]] = ..., cost_micros: _Optional[_Union[Prediction, _Mapping]] = ..., duration_ms: _Optional[_Union[Prediction, _Mapping]] = ..., pass_chance: _Optional[float] = ..., tasks: _Optional[_Iterable[_Union[TaskAdvice, _Mapping]]] = ..., likely_failures: _Optional[_Iterable[str]] = ..., warnings: _Optional[_Iterable[_Union[AdviceWarning, _Mapping]]] = ..., suggested_recipe: _Optional[str] = ..., outcomes: _Optional[int] = ..., advice_id: _Optional[str] = ...) -> None: ...

class AdviceAccuracy(_message.Message):
    __slots__ = ("runs", "tokens_error", "cost_error", "duration_error", "mean_pass_chance", "completed", "followed_recipe")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_ERROR_FIELD_NUMBER: _ClassVar[int]
    COST_ERROR_FIELD_NUMBER: _ClassVar[int]
    DURATION_ERROR_FIELD_NUMBER: _ClassVar[int]
    MEAN_PASS_CHANCE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FOLLOWED_RECIPE_FIELD_NUMBER: _ClassVar[int]
    runs: int
    tokens_error: float
    cost_error: float
    duration_error: float
    mean_pass_chance: float
    completed: Rate
    followed_recipe: Rate
    def __init__(self, runs: _Optional[int] = ..., tokens_error: _Optional[float] = ..., cost_error: _Optional[float] = ..., duration_error: _Optional[float] = ..., mean_pass_chance: _Optional[float] = ..., completed: _Optional[_Union[Rate, _Mapping]] = ..., followed_recipe: _Optional[_Union[Rate, _Mapping]] = ...) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = ("start_time", "end_time", "group_by")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    group_by: StatsGroup
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., group_by: _Optional[_Union[StatsGroup, str]] = ...) -> None: ...

class Rate(_message.Message):
    __slots__ = ("value", "samples", "low", "high")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    value: float
    samples: int
    low: float
    high: float
    def __init__(self, value: _Optional[float] = ..., samples: _Optional[int] = ..., low: _Optional[float] = ..., high: _Optional[float] = ...) -> None: ...

class GroupStats(_message.Message):
    __slots__ = ("key", "attempts", "tasks", "pass_rate", "first_try_pass_rate", "mean_attempts_to_pass", "latency_p50_ms", "latency_p95_ms", "mean_tokens", "mean_cost_micros", "mean_score", "scored_attempts")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    FIRST_TRY_PASS_RATE_FIELD_NUMBER: _ClassVar[int]
    MEAN_ATTEMPTS_TO_PASS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P50_MS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_P95_MS_FIELD_NUMBER: _ClassVar[int]
    MEAN_TOKENS_FIELD_NUMBER: _ClassVar[int]
    MEAN_COST_MICROS_FIELD_NUMBER: _ClassVar[int]
    MEAN_SCORE_FIELD_NUMBER: _ClassVar[int]
    SCORED_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    key: str
    attempts: int
    tasks: int
    pass_rate: Rate
    first_try_pass_rate: Rate
    mean_attempts_to_pass: float
    latency_p50_ms: int
    latency_p95_ms: int
    mean_tokens: float
    mean_cost_micros: float
    mean_score: float
    scored_attempts: int
    def __init__(self, key: _Optional[str] = ..., attempts: _Optional[int] = ..., tasks: _Optional[int] = ..., pass_rate: _Optional[_Union[Rate, _Mapping]] = ..., first_try_pass_rate: _Optional[_Union[Rate, _Mapping]] = ..., mean_attempts_to_pass: _Optional[float] = ..., latency_p50_ms: _Optional[int] = ..., latency_p95_ms: _Optional[int] = ..., mean_tokens: _Optional[float] = ..., mean_cost_micros: _Optional[float] = ..., mean_score: _Optional[float] = ..., scored_attempts: _Optional[int] = ...) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ("groups", "outcomes", "truncated", "start_time", "end_time", "advice")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[GroupStats]
    outcomes: int
    truncated: bool
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    advice: AdviceAccuracy
    def __init__(self, groups: _Optional[_Iterable[_Union[GroupStats, _Mapping]]] = ..., outcomes: _Optional[int] = ..., truncated: _Optional[bool] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., advice: _Optional[_Union[AdviceAccuracy, _Mapping]] = ...) -> None: ...
