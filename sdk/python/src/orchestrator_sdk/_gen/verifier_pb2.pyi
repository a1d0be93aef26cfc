from google.protobuf import struct_pb2 as _struct_pb2
from orchestrator_sdk._gen import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class VerifyRequest(_message.Message):
    __slots__ = ("output", "criteria")
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_FIELD_NUMBER: _ClassVar[int]
    output: _struct_pb2.Value
    criteria: _containers.RepeatedCompositeFieldContainer[_types_pb2.Criterion]
    def __init__(self, output: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., criteria: _Optional[_Iterable[_Union[_types_pb2.Criterion, _Mapping]]] = ...) -> None: ...

class VerifyResponse(_message.Message):
    __slots__ = ("verdict", "usage")
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    verdict: _types_pb2.Verdict
    usage: _types_pb2.Usage
    def __init__(self, verdict: _Optional[_Union[_types_pb2.Verdict, _Mapping]] = ..., usage: _Optional[_Union[_types_pb2.Usage, _Mapping]] = ...) -> None: ...

class ListCriterionKindsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCriterionKindsResponse(_message.Message):
    __slots__ = ("kinds",)
    KINDS_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedCompositeFieldContainer[CriterionKind]
    def __init__(self, kinds: _Optional[_Iterable[_Union[CriterionKind, _Mapping]]] = ...) -> None: ...

class CriterionKind(_message.Message):
    __slots__ = ("name", "description", "params", "uses_llm")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    USES_LLM_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    params: _containers.RepeatedCompositeFieldContainer[CriterionParam]
    uses_llm: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., params: _Optional[_Iterable[_Union[CriterionParam, _Mapping]]] = ..., uses_llm: _Optional[bool] = ...) -> None: ...

class CriterionParam(_message.Message):
    __slots__ = ("name", "type", "required", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    required: bool
    description: str
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., required: _Optional[bool] = ..., description: _Optional[str] = ...) -> None: ...
